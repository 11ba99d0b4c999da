import { teamChannel, teamsPerson, type ChannelPlace, type TeamsPerson } from '../../support/activities.js';
import { cardNodes } from '../../support/card-nodes.js';
import type { Json } from '../../support/connector-stand-in.js';

/** Sample roster people (src/trust/samples/harmony-roster.json) as Teams would send them. */
const rosterPerson = (name: string, n: number): TeamsPerson => teamsPerson(name, `b0000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`);
export const ellie = rosterPerson('Ellie Brightwater', 1);
export const priya = rosterPerson('Priya Sandhu-Vale', 4);
export const marcus = rosterPerson('Marcus Holloway', 5);
export const ruth = rosterPerson('Ruth Pennington', 6);
export const daniel = rosterPerson('Daniel Ashcombe', 7);
export const joseph = rosterPerson('Joseph Mensah-Clark', 9);
export const catherine = rosterPerson('Catherine Hale', 10);
export const owen = rosterPerson('Owen Price', 11);

/** The Harmony profile's sample triage channel (the local playground team's ids). */
export const TRIAGE_TEAM = { id: '19:dev-team-general@thread.tacv2', name: 'Harmony staff', aadGroupId: 'a0000000-0000-4000-8000-00000000000b' };
export const TRIAGE_CHANNEL_ID = '19:dev-team-inclusion-triage@thread.tacv2';
export const triagePlace: ChannelPlace = teamChannel(TRIAGE_TEAM, { id: TRIAGE_CHANNEL_ID, name: 'Inclusion triage' });

/** A request form filled in the way a SENCO would, overridable per test. */
export function filledForm(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    academyId: 'brookside',
    focusAreaIds: 'transition,behaviour-exclusions',
    otherFocus: '',
    earlyHelp: 'JS (Year 6) is finding the move to secondary hard; we would like help planning the transition.',
    urgency: 'soon',
    urgencyReason: '',
    preferredFrom: '2026-12-01',
    preferredTo: '2026-12-18',
    preferredNote: 'Not Fridays',
    contact: 'priya.sandhu-vale@harmony.example',
    ...overrides,
  };
}

export function texts(card: Json): string[] {
  return cardNodes(card)
    .flatMap((n) => [n['text'], n['title'], n['value']])
    .filter((t): t is string => typeof t === 'string');
}

/** The buttons a person can press (the card's automatic refresh is not one). */
export function executeActions(card: Json): Array<{ title: string; verb: string; data: Record<string, unknown> }> {
  const { refresh: _refresh, ...pressable } = card as Record<string, unknown>;
  return cardNodes(pressable).filter((n) => n['type'] === 'Action.Execute') as never;
}

/** An input's current value on a card, by id. */
export function inputValue(card: Json, id: string): unknown {
  return cardNodes(card).find((n) => n['id'] === id)?.['value'];
}
