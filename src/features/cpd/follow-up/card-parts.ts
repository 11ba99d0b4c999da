import type { AdaptiveCard } from '../../../shared/bot-contract.js';
import { CARD_SCHEMA_VERSION, promptAction } from '../../../shared/cards.js';

/**
 * Building blocks for the follow-up cards. These cards are built in code rather than from JSON
 * templates because their inputs are keyed per person or per criterion (`mark.<bookingId>`,
 * `score.<criterionId>`) and keep what the person typed after a refusal; the shapes are still
 * plain Adaptive Cards 1.5.
 */
export type Element = Record<string, unknown>;

export function card(body: Element[], actions: Element[] = []): AdaptiveCard {
  return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: CARD_SCHEMA_VERSION, body, actions };
}

export const heading = (title: string, subtitle?: string, style: 'emphasis' | 'good' | 'attention' | 'warning' = 'emphasis'): Element => ({
  type: 'Container',
  style,
  bleed: true,
  items: [
    { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true },
    ...(subtitle ? [{ type: 'TextBlock', text: subtitle, isSubtle: true, spacing: 'None', wrap: true, size: 'Small' }] : []),
  ],
});

export const text = (value: string, extra: Element = {}): Element => ({ type: 'TextBlock', text: value, wrap: true, ...extra });
export const facts = (pairs: Array<[string, string]>): Element => ({ type: 'FactSet', facts: pairs.map(([title, value]) => ({ title, value })) });
/** A refusal shown on a form that keeps what was typed: the message in attention colour above the inputs. */
export const problemLine = (message: string | undefined): Element[] =>
  message ? [{ type: 'Container', style: 'attention', items: [text(message, { weight: 'Bolder' })] }] : [];

export const execute = (title: string, verb: string, data: Record<string, unknown>, style?: 'positive' | 'destructive'): Element => ({
  type: 'Action.Execute',
  title,
  verb,
  data,
  ...(style ? { style } : {}),
});

export const prompt = (title: string, value: string): Element => promptAction(title, value);
export const openUrl = (title: string, url: string): Element => ({ type: 'Action.OpenUrl', title, url });

export const input = (id: string, label: string, value: string, extra: Element = {}): Element => ({
  type: 'Input.Text',
  id,
  label,
  value,
  ...extra,
});

export const choices = (id: string, label: string, options: Array<[string, string]>, value: string, extra: Element = {}): Element => ({
  type: 'Input.ChoiceSet',
  id,
  label,
  style: 'compact',
  value,
  choices: options.map(([v, title]) => ({ title, value: v })),
  ...extra,
});

/** Free text shown on a card is capped: a card must stay under Teams' ~28 KB. */
export const cap = (value: string, max = 280): string => (value.length > max ? `${value.slice(0, max - 1)}…` : value);
