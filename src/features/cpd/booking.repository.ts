import { sql, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { CpdBookingTable } from '../../db/tables/cpd.js';
import { enqueueJob, type NewJob } from '../../jobs/outbox.js';
import type { Clock, IdGenerator } from '../../shared/clock.js';
import type { Booking, BookingStatus, OfferingForBooking } from './booking.domain.js';

export interface BookingCounts {
  confirmed: number;
  waitlisted: number;
}

export interface NewBooking {
  offeringId: string;
  personAadId: string;
  personName: string;
  personEmail: string | null;
  personTeamsId: string | null;
  status: 'confirmed' | 'waitlisted';
}

export interface AuditEntry {
  actorAadId: string | null;
  action: string;
  bookingId: string;
  details: Record<string, unknown>;
}

/** An upcoming booking for "my bookings": the booking, its place in the queue, and when it starts. */
export interface PersonBookingRow {
  booking: Booking;
  position: number | null;
  firstStartsAt: Date;
}

type BookingRow = Selectable<CpdBookingTable>;

export function toBooking(row: BookingRow): Booking {
  return {
    id: row.id,
    offeringId: row.offering_id,
    personAadId: row.person_aad_id,
    personName: row.person_name,
    personEmail: row.person_email,
    personTeamsId: row.person_teams_id,
    status: row.status,
    arrivalSeq: Number(row.arrival_seq),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    cancelledAt: row.cancelled_at === null ? null : new Date(row.cancelled_at),
  };
}

/** PostgreSQL's unique_violation, as both pg and PGlite report it. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

/**
 * Booking queries. Every change to an offering's bookings happens in `transaction()` after
 * `lockOffering()` / `lockForBooking()`: the offering row lock (SELECT … FOR UPDATE) makes
 * concurrent bookings and cancellations of one offering queue up at the database, so the seat
 * counts on that row (kept by a trigger, migration 0005) are exact while it is held, and the
 * identity column `arrival_seq` is handed out in the order they got the lock.
 */
export class BookingRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  transaction<T>(work: (unit: BookingUnit) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(new BookingUnit(trx, this.clock, this.ids)));
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

type Executor = Db | Transaction<Database>;

async function findBooking(db: Executor, id: string): Promise<Booking | undefined> {
  const row = await db.selectFrom('cpd_booking').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toBooking(row) : undefined;
}

async function findActive(db: Executor, offeringId: string, personAadId: string): Promise<Booking | undefined> {
  const row = await db
    .selectFrom('cpd_booking')
    .selectAll()
    .where('offering_id', '=', offeringId)
    .where('person_aad_id', '=', personAadId)
    .where('status', 'in', ['confirmed', 'waitlisted'] satisfies BookingStatus[])
    .executeTakeFirst();
  return row ? toBooking(row) : undefined;
}

async function counts(db: Executor, offeringId: string): Promise<BookingCounts> {
  const row = await db
    .selectFrom('cpd_offering')
    .select(['confirmed_count', 'waitlisted_count'])
    .where('id', '=', offeringId)
    .executeTakeFirst();
  return { confirmed: row?.confirmed_count ?? 0, waitlisted: row?.waitlisted_count ?? 0 };
}

/** 1 for the first person waiting; null for a booking that is not on the waitlist. */
async function waitlistPosition(db: Executor, booking: Pick<Booking, 'offeringId' | 'arrivalSeq' | 'status'>): Promise<number | null> {
  if (booking.status !== 'waitlisted') return null;
  const row = await db
    .selectFrom('cpd_booking')
    .select((eb) => eb.fn.countAll<number>().as('ahead'))
    .where('offering_id', '=', booking.offeringId)
    .where('status', '=', 'waitlisted')
    .where('arrival_seq', '<=', booking.arrivalSeq)
    .executeTakeFirstOrThrow();
  return Number(row.ahead);
}
