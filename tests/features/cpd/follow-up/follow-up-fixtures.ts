import { randomUUID } from 'node:crypto';
import { enqueueJob } from '../../../../src/jobs/outbox.js';
import { REMINDER_SWEEP_JOB } from '../../../../src/features/cpd/follow-up/follow-up.schemas.js';
import { expect } from 'vitest';
import { personalChat, teamsPerson, type TeamsPerson } from '../../../support/activities.js';
import { adaptiveCards, type Json } from '../../../support/connector-stand-in.js';
import type { HubHarness } from '../../../support/hub-harness.js';

/** Sample-roster people: Ellie and Tom are staff, Hannah is the Development Team. */
export const ELLIE = teamsPerson('Ellie Brightwater', 'b0000000-0000-4000-8000-000000000001');
export const TOM = teamsPerson('Tom Fairweather', 'b0000000-0000-4000-8000-000000000002');
export const NIAMH = teamsPerson('Niamh Oakley', 'b0000000-0000-4000-8000-000000000003');
export const HANNAH = teamsPerson('Hannah Wilde', 'b0000000-0000-4000-8000-000000000008');

export function strings(value: Json): string[] {
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return typeof value === 'string' ? [value] : [];
}

export const text = (card: Json): string => strings(card.body ?? card).join('\n');

export interface ExecuteAction {
  verb: string;
  title: string;
  data: Record<string, unknown>;
}
/** Every Action.Execute on the card: its actions, those inside ShowCards, and ActionSets in the body. */
export function executeActions(card: Json): ExecuteAction[] {
  const all = (list: Json[] | undefined): Json[] => (list ?? []).flatMap((a: Json): Json[] => (a.type === 'Action.ShowCard' ? all(a.card.actions as Json[]) : [a]));
  const inBody = (value: unknown): unknown[] => {
    if (Array.isArray(value)) return value.flatMap((v: unknown) => inBody(v));
    if (!value || typeof value !== 'object') return [];
    const node = value as Record<string, unknown>;
    if (node['type'] === 'ActionSet') return all(node['actions'] as Json[]);
    return Object.entries(node).flatMap(([k, v]): unknown[] => (k === 'actions' ? [] : inBody(v)));
  };
  const found: Json[] = [...all(card.actions), ...inBody(card.body)];
  return found.filter((a: Json) => a.type === 'Action.Execute') as ExecuteAction[];
}

export async function invoke(h: HubHarness, verb: string, from: TeamsPerson, data: Record<string, unknown> = {}): Promise<Json> {
  const answer = await h.post(h.activities.cardAction({ verb, data, from }));
  expect(answer.status).toBe(200);
  return answer.body.value;
}

/** Types a message in the person's 1:1 chat and returns the cards the app replied with. */
export async function say(h: HubHarness, from: TeamsPerson, message: string): Promise<Json[]> {
  const conversation = personalChat(from).conversationId;
  const before = h.connector.delivered(conversation).length;
  const answer = await h.post(h.activities.message({ text: message, from }));
  expect(answer.status).toBeLessThan(300);
  return h.connector.delivered(conversation).slice(before).flatMap((c) => adaptiveCards(c.body));
}

/** Cards proactively delivered to the person's 1:1 chat since `since` calls. */
export function cardsTo(h: HubHarness, person: TeamsPerson): Json[] {
  return h.connector.delivered(personalChat(person).conversationId).flatMap((c) => adaptiveCards(c.body));
}

export const problemCode = (card: Json): string | undefined => (card.metadata as { problemCode?: string } | undefined)?.problemCode;

/**
 * Clears the outbox and puts back the reminder sweep as app start-up leaves it (due now), so a test
 * that moves the clock back to "today" starts from a fresh chain of minutes.
 */
export async function resetJobs(h: HubHarness, now: Date): Promise<void> {
  await h.db.deleteFrom('job').execute();
  await enqueueJob(h.db, { kind: REMINDER_SWEEP_JOB, payload: {}, idempotencyKey: `${REMINDER_SWEEP_JOB}:${now.toISOString()}`, runAt: now }, { now: () => now }, { newId: () => randomUUID() });
}
