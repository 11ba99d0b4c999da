import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import type { Clock, IdGenerator } from '../shared/clock.js';

export interface NewJob {
  kind: string;
  payload: Record<string, unknown>;
  /** A job with the same key is enqueued once (Teams retries, double clicks). */
  idempotencyKey?: string;
  runAt?: Date;
  maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 6;

/**
 * Adds work to the durable outbox. Pass the transaction that makes the business change, so the
 * job exists exactly when the change committed: a crash can delay the work but never lose it.
 * Payloads carry ids, never pupils' details or free text.
 */
export async function enqueueJob(
  executor: Kysely<Database> | Transaction<Database>,
  job: NewJob,
  clock: Clock,
  ids: IdGenerator,
): Promise<void> {
  const now = clock.now();
  await executor
    .insertInto('job')
    .values({
      id: ids.newId(),
      kind: job.kind,
      payload: JSON.stringify(job.payload),
      idempotency_key: job.idempotencyKey ?? null,
      status: 'pending',
      attempts: 0,
      max_attempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      run_at: job.runAt ?? now,
      locked_until: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute();
}
