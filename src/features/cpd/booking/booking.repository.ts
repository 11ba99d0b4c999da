import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { Clock, IdGenerator } from '../../../shared/clock.js';
import type { Booking } from './booking.domain.js';
import { BookingBatcher, bookInOneStatement, type BatchPresses, type BookStatementOutcome } from './booking.statement.js';
import { BookingUnit } from './booking.transaction.js';
import type { NewJob } from '../../../jobs/outbox.js';
import { counts, findActive, findBooking, toBooking, waitlistPosition, type BookingCounts, type NewBooking, type PersonBookingRow } from './booking.queries.js';

export { BookingUnit } from './booking.transaction.js';
export type { BookStatementOutcome } from './booking.statement.js';
export { isUniqueViolation, toBooking, type AuditEntry, type BookingCounts, type NewBooking, type PersonBookingRow } from './booking.queries.js';

/**
 * Booking queries. Every change to an offering's bookings happens after the offering row is locked,
 * in `transaction()` after `lockOffering()` or inside `cpd_book()` for a new booking: the offering row lock (SELECT … FOR UPDATE) makes
 * concurrent bookings and cancellations of one offering queue up at the database, so the seat
 * counts on that row (kept by a trigger, migration 0005) are exact while it is held, and the
 * identity column `arrival_seq` is handed out in the order they got the lock.
 */
export class BookingRepository {
  private readonly batcher: BookingBatcher | undefined;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    /**
     * Presses that arrive together share one statement (BookingBatcher): any presses on embedded PGlite,
     * presses on the same offering on PostgreSQL. Without it, one statement per press.
     */
    options: { batchPresses?: BatchPresses } = {},
  ) {
    this.batcher = options.batchPresses ? new BookingBatcher(db, ids, options.batchPresses) : undefined;
  }

  transaction<T>(work: (unit: BookingUnit) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(new BookingUnit(trx, this.clock, this.ids)));
  }

  /** A new booking in one statement (migration 0030), or in a batch of presses (0033); see booking.statement.ts. */
  book(booking: Omit<NewBooking, 'status'>, now: Date, calendarJob: ((bookingId: string) => NewJob) | undefined): Promise<BookStatementOutcome> {
    if (this.batcher) return this.batcher.book(now, booking, calendarJob);
    return bookInOneStatement(this.db, this.ids, now, booking, calendarJob);
  }

  findBooking(id: string): Promise<Booking | undefined> {
    return findBooking(this.db, id);
  }

  findActive(offeringId: string, personAadId: string): Promise<Booking | undefined> {
    return findActive(this.db, offeringId, personAadId);
  }

  counts(offeringId: string): Promise<BookingCounts> {
    return counts(this.db, offeringId);
  }

  waitlistPosition(booking: Pick<Booking, 'offeringId' | 'arrivalSeq' | 'status'>): Promise<number | null> {
    return waitlistPosition(this.db, booking);
  }

  /** The person's confirmed and waitlisted places on offerings that have not finished, soonest first. */
  async listUpcomingForPerson(personAadId: string, now: Date, limit: number): Promise<PersonBookingRow[]> {
    const rows = await this.db
      .with('mine', (qb) =>
        qb
          .selectFrom('cpd_booking as b')
          .innerJoin(
            (eb) =>
              eb
                .selectFrom('cpd_session')
                .select(['offering_id', (e) => e.fn.min('starts_at').as('first_starts_at'), (e) => e.fn.max('ends_at').as('last_ends_at')])
                .groupBy('offering_id')
                .as('s'),
            (join) => join.onRef('s.offering_id', '=', 'b.offering_id'),
          )
          .selectAll('b')
          .select(['s.first_starts_at', 's.last_ends_at'])
          .where('b.person_aad_id', '=', personAadId)
          .where('b.status', 'in', ['confirmed', 'waitlisted'])
          .where('s.last_ends_at', '>', now),
      )
      .selectFrom('mine')
      .selectAll('mine')
      .select(
        sql<number | null>`case when mine.status = 'waitlisted' then (
          select count(*) from cpd_booking w
          where w.offering_id = mine.offering_id and w.status = 'waitlisted' and w.arrival_seq <= mine.arrival_seq
        ) end`.as('position'),
      )
      .orderBy('mine.first_starts_at')
      .orderBy('mine.arrival_seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      booking: toBooking(r),
      position: r.position === null ? null : Number(r.position),
      firstStartsAt: new Date(r.first_starts_at),
    }));
  }

  /** How far a confirmed booking's calendar step has got: events stored and the add job's status. */
  async calendarProgress(bookingId: string, addJobKey: string): Promise<{ events: number; jobStatus: string | null }> {
    const result = await sql<{ events: number; job_status: string | null }>`
      select
        (select count(*) from cpd_calendar_event where booking_id = ${bookingId}) as events,
        (select status from job where idempotency_key = ${addJobKey}) as job_status`.execute(this.db);
    const row = result.rows[0];
    return { events: Number(row?.events ?? 0), jobStatus: row?.job_status ?? null };
  }
}
