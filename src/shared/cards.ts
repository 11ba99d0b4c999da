import * as ACData from 'adaptivecards-templating';
import type { AdaptiveCard } from './bot-contract.js';

/** Teams renders Adaptive Cards up to schema 1.5. */
export const CARD_SCHEMA_VERSION = '1.5';

/**
 * Expands an Adaptive Card template (JSON with ${…} bindings) with typed data.
 * Templates live beside each feature in cards/*.json; render functions wrap this with a data type.
 */
export function renderCard<TData extends object>(template: object, data: TData): AdaptiveCard {
  const card = preparedTemplate(template).expand({ $root: data }) as AdaptiveCard;
  if (card.type !== 'AdaptiveCard') throw new Error('Card template did not produce an AdaptiveCard');
  return card;
}

/**
 * A button that acts as if the person had typed `prompt`: a plain Action.Submit whose data carries
 * the prompt; src/teams routes it like typed text. (Teams' own imBack would echo the text into the
 * chat, but the Agents Playground ignores imBack buttons entirely, so the app does not rely on it.)
 */
export function promptAction(title: string, prompt: string): Record<string, unknown> {
  return { type: 'Action.Submit', title, data: { prompt } };
}

// Preparing a template parses every ${…} binding with the adaptive-expressions (ANTLR) parser, which
// cost more than the rest of a CPD turn together; templates are static, so each is prepared once.
// expand() is synchronous and leaves the prepared payload untouched, so one instance serves every turn.
const prepared = new WeakMap<object, ACData.Template>();
function preparedTemplate(template: object): ACData.Template {
  let compiled = prepared.get(template);
  if (!compiled) {
    compiled = new ACData.Template(template);
    prepared.set(template, compiled);
  }
  return compiled;
}
