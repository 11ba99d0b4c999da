import type { AdaptiveCard } from '../../src/shared/bot-contract.js';

/** Every object in a card (or part of one), depth first. */
export function cardNodes(value: unknown): Array<Record<string, unknown>> {
  if (Array.isArray(value)) return value.flatMap(cardNodes);
  if (value && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return [obj, ...Object.values(obj).flatMap(cardNodes)];
  }
  return [];
}

/** Every text a person can read on the card (TextBlock text, Fact values). */
export function cardTexts(card: AdaptiveCard): string[] {
  return cardNodes(card)
    .flatMap((n) => [n['text'], n['value']])
    .filter((t): t is string => typeof t === 'string');
}
