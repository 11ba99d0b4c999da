import { CardFactory, type TurnContext } from 'botbuilder';
import type { BotReply } from '../shared/bot-contract.js';
import type { TeamsSso } from './sso.js';

/** Where app.ts leaves the bot's SSO for send (sign-in cards need the turn's token client). */
export const SSO_KEY = Symbol('developmentHub.sso');

/**
 * botbuilder's connector client already retries 429 with Retry-After and 5xx (three times, with
 * backoff). Teams also answers 412 and 429 without Retry-After under load; those are not retried
 * by the client, so they are retried here with exponential backoff and full jitter, a bounded
 * number of times so a turn stays within Teams' ~15 s budget.
 */
export interface SendRetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
  sleep: (ms: number) => Promise<void>;
}

export const defaultSendRetryPolicy: SendRetryPolicy = {
  attempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 4000,
  random: Math.random,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

interface RestErrorLike {
  statusCode?: number;
  response?: { headers?: { get(name: string): string | undefined } };
}

/** True for the throttling answers the connector client leaves to its caller. */
export function needsOwnRetry(error: unknown): boolean {
  const e = error as RestErrorLike;
  if (e?.statusCode === 412) return true;
  return e?.statusCode === 429 && !e.response?.headers?.get('retry-after');
}

export async function withSendRetry<T>(action: () => Promise<T>, policy: SendRetryPolicy = defaultSendRetryPolicy): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await action();
    } catch (error) {
      if (attempt >= policy.attempts || !needsOwnRetry(error)) throw error;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      await policy.sleep(Math.round(policy.random() * ceiling));
    }
  }
}

export async function send(context: TurnContext, reply: BotReply): Promise<void> {
  switch (reply.kind) {
    case 'card':
      await withSendRetry(() => context.sendActivity({ attachments: [CardFactory.adaptiveCard(reply.card)] }));
      return;
    case 'text':
      await withSendRetry(() => context.sendActivity(reply.text));
      return;
    case 'sign_in': {
      const sso = context.turnState.get<TeamsSso | undefined>(SSO_KEY);
      const card = sso ? await sso.signInCard(context, reply.title, reply.text) : undefined;
      // Without SSO (local runs) the words still tell the person what is missing.
      await withSendRetry(() => context.sendActivity(card ? { attachments: [card] } : reply.text));
      return;
    }
  }
}
