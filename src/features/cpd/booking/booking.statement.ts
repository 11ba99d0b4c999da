import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import { DEFAULT_MAX_ATTEMPTS, type NewJob } from '../../../jobs/outbox.js';
import type { IdGenerator } from '../../../shared/clock.js';
import { Gatherer } from '../../../shared/gather.js';
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

/** One press as the statement takes it: ids already handed out, the calendar job already built. */
interface BookItem {
  bookingId: string;
  booking: Omit<NewBooking, 'status'>;
  now: Date;
  /** The outbox job for a confirmed place, as cpd_book() inserts it, or null for none. */
  job: Record<string, unknown> | null;
}

function bookItem(ids: IdGenerator, now: Date, booking: Omit<NewBooking, 'status'>, calendarJob: ((bookingId: string) => NewJob) | undefined): BookItem {
  const bookingId = ids.newId();
  const job = calendarJob?.(bookingId);
  return {
    bookingId,
    booking,
    now,
    job: job ? { id: ids.newId(), kind: job.kind, payload: job.payload, idempotencyKey: job.idempotencyKey ?? null, maxAttempts: job.maxAttempts ?? DEFAULT_MAX_ATTEMPTS } : null,
  };
}

async function bookOne(db: Db, item: BookItem): Promise<RawOutcome | undefined> {
  const { bookingId, booking, now, job } = item;
  const result = await sql<{ result: RawOutcome }>`
    select cpd_book(${bookingId}, ${booking.offeringId}, ${booking.personAadId}, ${booking.personName}, ${booking.personEmail},
                    ${booking.personTeamsId}, ${now}, ${JSON.stringify({ offeringId: booking.offeringId })}::jsonb, ${job ? JSON.stringify(job) : null}::jsonb) as result`.execute(db);
  return result.rows[0]?.result;
}

/** Several presses in one statement (cpd_book_batch, migration 0033): their outcomes in the same order. */
async function bookMany(db: Db, items: readonly BookItem[]): Promise<RawOutcome[]> {
  const json = JSON.stringify(
    items.map(({ bookingId, booking, now, job }) => ({
      bookingId,
      offeringId: booking.offeringId,
      personAadId: booking.personAadId,
      personName: booking.personName,
      personEmail: booking.personEmail,
      personTeamsId: booking.personTeamsId,
      now: now.toISOString(),
      details: { offeringId: booking.offeringId },
      ...(job ? { calendarJob: job } : {}),
    })),
  );
  const result = await sql<{ result: RawOutcome[] }>`select cpd_book_batch(${json}::jsonb) as result`.execute(db);
  const outcomes = result.rows[0]?.result;
  if (!Array.isArray(outcomes) || outcomes.length !== items.length) throw new Error(`cpd_book_batch answered ${Array.isArray(outcomes) ? outcomes.length : 'no'} outcomes for ${items.length} presses`);
  return outcomes;
}

function toOutcome(raw: RawOutcome | undefined, offeringId: string): BookStatementOutcome {
  if (!raw) throw new Error('cpd_book returned no row');
  if (raw.outcome === 'offering_not_found') return { outcome: 'offering_not_found' };
  if (!OUTCOMES.has(raw.outcome)) throw new Error(`cpd_book returned an unknown outcome ${raw.outcome}`);
  return {
    outcome: raw.outcome as Exclude<BookStatementOutcome['outcome'], 'offering_not_found'>,
    offering: {
      id: offeringId,
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
  return toOutcome(await bookOne(db, bookItem(ids, now, booking, calendarJob)), booking.offeringId);
}

/** The most presses one batch statement carries; more wait for the next. */
export const BOOK_BATCH_MAX = 64;

interface Waiting {
  item: BookItem;
  resolve(outcome: BookStatementOutcome): void;
  reject(error: unknown): void;
}

/**
 * Which presses may share a statement: any (embedded PGlite: one backend, one statement at a time,
 * so no other transaction can be waiting for a lock the batch holds), or only presses on the same
 * offering (PostgreSQL: they queue on that offering's row lock anyway, a batch that holds one
 * offering's lock can never deadlock with another instance's batch, and presses on other offerings
 * go on in parallel on the pool).
 */
export type BatchPresses = 'any' | 'same_offering';

/**
 * Presses that arrive together share one statement. A press is held only until the current turn of
 * the event loop ends, so a lone press is booked at once; while a batch is running, the presses that
 * arrive for its lane wait for the next one (Gatherer). Each press gets its own outcome, exactly what
 * `bookInOneStatement` gives for it in the same order. If a batch fails (one transaction, so nothing
 * of it was kept), each of its presses is booked on its own, so one press's error reaches only that press.
 */
export class BookingBatcher {
  /** One lane for everything ('any'), or one per offering with presses waiting or being booked. */
  private readonly lanes = new Map<string, Gatherer<Waiting>>();

  constructor(
    private readonly db: Db,
    private readonly ids: IdGenerator,
    private readonly together: BatchPresses = 'any',
    private readonly max = BOOK_BATCH_MAX,
  ) {}

  book(now: Date, booking: Omit<NewBooking, 'status'>, calendarJob: ((bookingId: string) => NewJob) | undefined): Promise<BookStatementOutcome> {
    const item = bookItem(this.ids, now, booking, calendarJob);
    const key = this.together === 'same_offering' ? booking.offeringId : '';
    let lane = this.lanes.get(key);
    if (!lane) {
      // An offering's lane lives only while it has presses.
      lane = new Gatherer<Waiting>((batch) => this.run(batch), { max: this.max, onIdle: () => this.lanes.delete(key) });
      this.lanes.set(key, lane);
    }
    const joined = lane;
    return new Promise<BookStatementOutcome>((resolve, reject) => joined.add({ item, resolve, reject }));
  }

  /** Lanes with presses waiting or being booked (for tests: none are kept once drained). */
  get activeLanes(): number {
    return this.lanes.size;
  }

  /** Settles every press it is given; never throws. */
  private async run(batch: Waiting[]): Promise<void> {
    if (batch.length > 1) {
      let outcomes: RawOutcome[] | undefined;
      try {
        outcomes = await bookMany(this.db, batch.map((w) => w.item));
      } catch {
        // Nothing of the batch was kept: each press is booked on its own below, and a press whose
        // statement fails gets that statement's error, as it would without batching.
      }
      if (outcomes) {
        batch.forEach((w, i) => settle(w, () => toOutcome(outcomes[i], w.item.booking.offeringId)));
        return;
      }
    }
    for (const w of batch) {
      try {
        const raw = await bookOne(this.db, w.item);
        settle(w, () => toOutcome(raw, w.item.booking.offeringId));
      } catch (error) {
        w.reject(error);
      }
    }
  }
}

function settle(w: Waiting, outcome: () => BookStatementOutcome): void {
  try {
    w.resolve(outcome());
  } catch (error) {
    w.reject(error);
  }
}
