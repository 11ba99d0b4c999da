import { sql, type Transaction } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { enqueueJob, type NewJob } from '../../../jobs/outbox.js';
import type { Clock, IdGenerator } from '../../../shared/clock.js';
import type { Booking, OfferingForBooking } from './booking.domain.js';
import { counts, findBooking, toBooking, waitlistPosition, type AuditEntry, type BookingCounts, type BookingRow, type NewBooking } from './booking.queries.js';

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

  /**
   * lockOffering() for a new booking: also the seat counts, which live on the locked row itself
   * (kept by a trigger on cpd_booking), so they are the latest even when this statement waited for
   * the lock; and the person's active booking, if any. That last one is read from the statement's
   * snapshot, so a concurrent second press by the same person can miss the first: its insert then
   * meets the unique index and BookingService answers with the booking that won.
   */
  async lockForBooking(
    offeringId: string,
    personAadId: string,
  ): Promise<{ offering: OfferingForBooking; counts: BookingCounts; own: Booking | undefined } | undefined> {
    const result = await sql<LockedOfferingRow & { confirmed_count: number; waitlisted_count: number; own_id: string | null }>`
      select o.id, o.capacity, o.booking_closes_at, o.status, o.confirmed_count, o.waitlisted_count,
             (select c.active from cpd_course c where c.id = o.course_id) as active,
             (select min(s.starts_at) from cpd_session s where s.offering_id = o.id) as first_starts_at,
             (select b.id from cpd_booking b
              where b.offering_id = o.id and b.person_aad_id = ${personAadId} and b.status in ('confirmed', 'waitlisted')) as own_id
      from cpd_offering o
      where o.id = ${offeringId}
      for update of o`.execute(this.trx);
    const row = result.rows[0];
    if (!row) return undefined;
    // Only a repeat press has one, so reading it is a second query on that path alone.
    const own = row.own_id === null ? undefined : await findBooking(this.trx, row.own_id);
    return { offering: toOfferingForBooking(row), counts: { confirmed: row.confirmed_count, waitlisted: row.waitlisted_count }, own };
  }

  counts(offeringId: string): Promise<BookingCounts> {
    return counts(this.trx, offeringId);
  }

  waitlistPosition(booking: Pick<Booking, 'offeringId' | 'arrivalSeq' | 'status'>): Promise<number | null> {
    return waitlistPosition(this.trx, booking);
  }

  /** Inserts the booking and its audit entry in one statement. */
  async insert(booking: NewBooking, audit: Omit<AuditEntry, 'bookingId'>): Promise<Booking> {
    const now = this.clock.now();
    const result = await sql<BookingRow>`
      with b as (
        insert into cpd_booking
          (id, offering_id, person_aad_id, person_name, person_email, person_teams_id, status, created_at, updated_at, cancelled_at)
        values (${this.ids.newId()}, ${booking.offeringId}, ${booking.personAadId}, ${booking.personName}, ${booking.personEmail},
                ${booking.personTeamsId}, ${booking.status}, ${now}, ${now}, null)
        returning *
      ), a as (
        insert into audit_log (at, actor_aad_id, action, subject_type, subject_id, details)
        select ${now}, ${audit.actorAadId}, ${audit.action}, 'cpd_booking', b.id,
               jsonb_build_object('arrivalSeq', b.arrival_seq) || ${JSON.stringify(audit.details)}::jsonb
        from b
      )
      select * from b`.execute(this.trx);
    const row = result.rows[0];
    if (!row) throw new Error('booking insert returned no row');
    return toBooking(row);
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
