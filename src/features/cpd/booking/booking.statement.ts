import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import { DEFAULT_MAX_ATTEMPTS, type NewJob } from '../../../jobs/outbox.js';
import type { IdGenerator } from '../../../shared/clock.js';
import type { Booking, BookingFailureCode, OfferingForBooking } from './booking.domain.js';
import { toBooking, type BookingCounts, type BookingRow, type NewBooking } from './booking.queries.js';

/** What `cpd_book()` (migration 0030) decided, with the facts it decided on. */
export type BookStatementOutcome =
  | { outcome: 'offering_not_found' }
  | {
      outcome: 'confirmed' | 'waitlisted' | 'already_booked' | Extract<BookingFailureCode, 'offering_cancelled' | 'booking_closed' | 'session_past'>;
      /** The offering as the statement read it under the row lock, before its own insert. */
      offering: OfferingForBooking;
      counts: BookingCounts;
      /** The new booking, or the person's existing one for already_booked. */
      booking: Booking | undefined;
      position: number | null;
    };

interface RawOutcome {
  outcome: string;
  capacity?: number;
  bookingClosesAt?: string;
  status?: 'scheduled' | 'cancelled';
  courseActive?: boolean;
  firstStartsAt?: string | null;
  confirmed?: number;
  waitlisted?: number;
  booking?: BookingRow;
  position?: number | null;
}

const OUTCOMES = new Set(['confirmed', 'waitlisted', 'already_booked', 'offering_cancelled', 'booking_closed', 'session_past']);

/**
 * A new booking as one statement (lock, rule, booking, audit, calendar job). `calendarJob` builds the
 * outbox job for a confirmed place from the new booking's id; the statement adds it only when the
 * place is confirmed, in the same transaction as the booking.
 */
export async function bookInOneStatement(
  db: Db,
  ids: IdGenerator,
  /** The moment the rule is applied at: the caller re-decides with the same one. */
  now: Date,
  booking: Omit<NewBooking, 'status'>,
  calendarJob: ((bookingId: string) => NewJob) | undefined,
): Promise<BookStatementOutcome> {
  const bookingId = ids.newId();
  const job = calendarJob?.(bookingId);
  const jobJson = job
    ? JSON.stringify({ id: ids.newId(), kind: job.kind, payload: job.payload, idempotencyKey: job.idempotencyKey ?? null, maxAttempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS })
    : null;
  const result = await sql<{ result: RawOutcome }>`
    select cpd_book(${bookingId}, ${booking.offeringId}, ${booking.personAadId}, ${booking.personName}, ${booking.personEmail},
                    ${booking.personTeamsId}, ${now}, ${JSON.stringify({ offeringId: booking.offeringId })}::jsonb, ${jobJson}::jsonb) as result`.execute(db);
  const raw = result.rows[0]?.result;
  if (!raw) throw new Error('cpd_book returned no row');
  if (raw.outcome === 'offering_not_found') return { outcome: 'offering_not_found' };
  if (!OUTCOMES.has(raw.outcome)) throw new Error(`cpd_book returned an unknown outcome ${raw.outcome}`);
  return {
    outcome: raw.outcome as Exclude<BookStatementOutcome['outcome'], 'offering_not_found'>,
    offering: {
      id: booking.offeringId,
      capacity: Number(raw.capacity),
      bookingClosesAt: new Date(raw.bookingClosesAt ?? Number.NaN),
      status: raw.status ?? 'scheduled',
      courseActive: raw.courseActive === true,
      firstStartsAt: raw.firstStartsAt ? new Date(raw.firstStartsAt) : undefined,
    },
    counts: { confirmed: Number(raw.confirmed ?? 0), waitlisted: Number(raw.waitlisted ?? 0) },
    booking: raw.booking ? toBooking(raw.booking) : undefined,
    position: raw.position === undefined || raw.position === null ? null : Number(raw.position),
  };
}
