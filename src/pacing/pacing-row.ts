import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/** The shared row's key: one schedule for everything the bot sends in the tenant. */
export const PACING_ROW = 'teams';

export interface Reservation {
  /** Epoch ms of the first reserved slot; the others follow every `intervalMs`. */
  firstSlotMs: number;
  count: number;
  /** The shared "paused until" (epoch ms) as the row held it. */
  pausedUntilMs: number;
}

/**
 * The tenant-wide schedule as one row (a "virtual clock", as in GCRA): `next_slot_ms` is when the
 * next free send slot starts. Reserving `count` slots moves it on by `count × interval` in a single
 * UPDATE … RETURNING, so app instances on one PostgreSQL never get overlapping slots and pay one
 * round trip per batch, not per message. A slot never starts before `now` (idle time is not banked
 * into a burst) nor before the shared pause.
 */
export async function reserveSlots(db: Db, count: number, intervalMs: number, nowMs: number): Promise<Reservation> {
  const span = count * intervalMs;
  const result = await sql<{ next_slot_ms: number; paused_until_ms: number }>`
    update send_pacing
       set next_slot_ms = greatest(next_slot_ms, ${nowMs}::double precision, paused_until_ms) + ${span}::double precision
     where id = ${PACING_ROW}
     returning next_slot_ms, paused_until_ms`.execute(db);
  const row = result.rows[0];
  if (!row) throw new Error('send_pacing row is missing: migration 0010-send-pacing did not run');
  return { firstSlotMs: Number(row.next_slot_ms) - span, count, pausedUntilMs: Number(row.paused_until_ms) };
}

/** Company Communicator's global throttle: every instance stops sending until `untilMs`. Never shortens a pause. */
export async function pauseAll(db: Db, untilMs: number): Promise<void> {
  await sql`update send_pacing set paused_until_ms = greatest(paused_until_ms, ${untilMs}::double precision) where id = ${PACING_ROW}`.execute(db);
}
