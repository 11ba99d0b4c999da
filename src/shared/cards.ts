import * as ACData from 'adaptivecards-templating';
import type { AdaptiveCard } from './bot-contract.js';

/** Teams renders Adaptive Cards up to schema 1.5. */
export const CARD_SCHEMA_VERSION = '1.5';

/**
 * Expands an Adaptive Card template (JSON with ${…} bindings) with typed data.
 * Templates live beside each feature in cards/*.json; render functions wrap this with a data type.
 */
export function renderCard<TData extends object>(template: object, data: TData): AdaptiveCard {
  const card = new ACData.Template(template).expand({ $root: data }) as AdaptiveCard;
  if (card.type !== 'AdaptiveCard') throw new Error('Card template did not produce an AdaptiveCard');
  return card;
}

/** A button that sends `text` into the chat as if the person typed it (Teams imBack). */
export function imBackAction(title: string, text: string): Record<string, unknown> {
  return { type: 'Action.Submit', title, data: { msteams: { type: 'imBack', value: text } } };
}
