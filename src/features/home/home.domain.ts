import type { Journey } from '../../shared/bot-contract.js';

const HELP_WORDS = new Set(['help', 'hi', 'hello', 'hey', 'menu', 'start', 'home', '?', 'what can you do', 'get started']);

/** "help", "Hi!", "hello there"… — the words that should always bring back the welcome card. */
export function isGreetingOrHelp(text: string): boolean {
  const normalised = text.toLowerCase().replace(/[!.,]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (HELP_WORDS.has(normalised)) return true;
  const first = normalised.split(' ')[0] ?? '';
  return normalised.split(' ').length <= 2 && ['hi', 'hello', 'hey', 'help'].includes(first);
}

const THANKS = /^(?:thanks?|thank you|thankyou|ta|cheers|great|ok|okay|brilliant|perfect|lovely)(?: (?:so much|very much|a lot|you|thanks))*$/;

/** "thanks", "Thank you!", "cheers" — a polite close that needs no card. */
export function isThanks(text: string): boolean {
  return THANKS.test(text.toLowerCase().replace(/[!.,]+/g, ' ').replace(/\s+/g, ' ').trim());
}

/** The journeys a person with these roles is offered, in registration order. */
export function journeysFor(journeys: readonly Journey[], roles: readonly string[]): Journey[] {
  return journeys.filter((j) => !j.forRoles || j.forRoles.some((r) => roles.includes(r)));
}

/** "Ellie Brightwater" → "Ellie"; empty when Teams gave no name. */
export function firstName(displayName: string): string {
  return displayName.trim().split(/\s+/)[0] ?? '';
}
