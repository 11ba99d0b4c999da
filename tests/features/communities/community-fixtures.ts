import { teamsPerson, type TeamsPerson } from '../../support/activities.js';
import type { Json } from '../../support/connector-stand-in.js';
import { cardNodes } from '../../support/card-nodes.js';

/** Sample roster people (src/trust/samples/harmony-roster.json) as Teams would send them. */
const rosterPerson = (name: string, n: number): TeamsPerson => teamsPerson(name, `b0000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`);
export const ellie = rosterPerson('Ellie Brightwater', 1);
export const tom = rosterPerson('Tom Fairweather', 2);
export const priya = rosterPerson('Priya Sandhu-Vale', 4);
export const hannah = rosterPerson('Hannah Wilde', 8);
export const joseph = rosterPerson('Joseph Mensah-Clark', 9);

export function texts(card: Json): string[] {
  return cardNodes(card)
    .flatMap((n) => [n['text'], n['title'], n['value']])
    .filter((t): t is string => typeof t === 'string');
}

/** Action.Execute buttons on a card, with their verb and data. */
export function executeActions(card: Json): Array<{ title: string; verb: string; data: Record<string, unknown> }> {
  return cardNodes(card).filter((n) => n['type'] === 'Action.Execute') as never;
}
