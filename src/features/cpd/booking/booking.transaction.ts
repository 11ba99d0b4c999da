import { sql, type Transaction } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { enqueueJob, type NewJob } from '../../../jobs/outbox.js';
import type { Clock, IdGenerator } from '../../../shared/clock.js';
import type { Booking, OfferingForBooking } from './booking.domain.js';
import { counts, findBooking, toBooking, waitlistPosition, type AuditEntry, type BookingCounts } from './booking.queries.js';

interface LockedOfferingRow {
  id: string;
  capacity: number;
  booking_closes_at: Date;
  status: 'scheduled' | 'cancelled';
  active: boolean | null;
  first_starts_at: Date | null;
}

function toOfferingForBooking(row: LockedOfferingRow): OfferingForBooking {
  return {
    id: row.id,
    capacity: row.capacity,
    bookingClosesAt: new Date(row.booking_closes_at),
    status: row.status,
    courseActive: row.active === true,
    firstStartsAt: row.first_starts_at === null ? undefined : new Date(row.first_starts_at),
  };
}

/** The statements one booking transaction may run, all on the same connection. */
export class BookingUnit {
  constructor(
    private readonly trx: Transaction<Database>,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** The transaction itself, for follow-up changes (moving or cancelling a session) made under the same lock. */
  get executor(): Transaction<Database> {
    return this.trx;
  }

  /**
   * Locks the offering row until commit and reads what the booking rules need. Everyone booking or
   * cancelling on this offering waits here, in arrival order.
   */
  async lockOffering(offeringId: string): Promise<OfferingForBooking | undefined> {
    // The hot path of a booking turn is written as SQL: building it with the expression builder cost
    // more than running it. A primary-key lookup with correlated subqueries plans faster than a join.
    const result = await sql<LockedOfferingRow>`
      select o.id, o.capacity, o.booking_closes_at, o.status,
             (select c.active from cpd_course c where c.id = o.course_id) as active,
             (select min(s.starts_at) from cpd_session s where s.offering_id = o.id) as first_starts_at
      from cpd_offering o
      where o.id = ${offeringId}
      for update of o`.execute(this.trx);
    const row = result.rows[0];
    return row ? toOfferingForBooking(row) : undefined;
  }

  findBooking(id: string): Promise<Booking | undefined> {
    return findBooking(this.trx, id);
  }

  counts(offeringId: string): Promise<BookingCounts> {
    return counts(this.trx, offeringId);
  }

  waitlistPosition(booking: Pick<Booking, 'offeringId' | 'arrivalSeq' | 'status'>): Promise<number | null> {
    return waitlistPosition(this.trx, booking);
  }

  async cancel(bookingId: string): Promise<Booking> {
    const now = this.clock.now();
    const row = await this.trx
      .updateTable('cpd_booking')
      .set({ status: 'cancelled', cancelled_at: now, updated_at: now })
      .where('id', '=', bookingId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toBooking(row);
  }

  /** Confirms the first `count` waitlisted bookings in arrival order and returns them. */
  async promoteFromWaitlist(offeringId: string, count: number): Promise<Booking[]> {
    if (count <= 0) return [];
    const now = this.clock.now();
    const rows = await this.trx
      .updateTable('cpd_booking')
      .set({ status: 'confirmed', updated_at: now })
      .where('id', 'in', (qb) =>
        qb
          .selectFrom('cpd_booking')
          .select('id')
          .where('offering_id', '=', offeringId)
          .where('status', '=', 'waitlisted')
          .orderBy('arrival_seq')
          .limit(count),
      )
      .returningAll()
      .execute();
    return rows.map(toBooking).sort((a, b) => a.arrivalSeq - b.arrivalSeq);
  }

  async audit(entry: AuditEntry): Promise<void> {
    await this.trx
      .insertInto('audit_log')
      .values({
        at: this.clock.now(),
        actor_aad_id: entry.actorAadId,
        action: entry.action,
        subject_type: 'cpd_booking',
        subject_id: entry.bookingId,
        details: JSON.stringify(entry.details),
      })
      .execute();
  }

  /** Outbox work that must happen exactly when this transaction commits. */
  enqueue(job: NewJob): Promise<void> {
    return enqueueJob(this.trx, job, this.clock, this.ids);
  }
}
