import type { Selectable, Transaction } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { Database } from '../../../db/schema.js';
import type { CpdBookingTable } from '../../../db/tables/cpd-booking.js';
import type { Booking, BookingStatus } from './booking.domain.js';

/** Row shapes and the reads both the repository and a booking transaction use. */

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

export type BookingRow = Selectable<CpdBookingTable>;

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

export type Executor = Db | Transaction<Database>;

export async function findBooking(db: Executor, id: string): Promise<Booking | undefined> {
  const row = await db.selectFrom('cpd_booking').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toBooking(row) : undefined;
}

export async function findActive(db: Executor, offeringId: string, personAadId: string): Promise<Booking | undefined> {
  const row = await db
    .selectFrom('cpd_booking')
    .selectAll()
    .where('offering_id', '=', offeringId)
    .where('person_aad_id', '=', personAadId)
    .where('status', 'in', ['confirmed', 'waitlisted'] satisfies BookingStatus[])
    .executeTakeFirst();
  return row ? toBooking(row) : undefined;
}

export async function counts(db: Executor, offeringId: string): Promise<BookingCounts> {
  const row = await db
    .selectFrom('cpd_offering')
    .select(['confirmed_count', 'waitlisted_count'])
    .where('id', '=', offeringId)
    .executeTakeFirst();
  return { confirmed: row?.confirmed_count ?? 0, waitlisted: row?.waitlisted_count ?? 0 };
}

/** 1 for the first person waiting; null for a booking that is not on the waitlist. */
export async function waitlistPosition(db: Executor, booking: Pick<Booking, 'offeringId' | 'arrivalSeq' | 'status'>): Promise<number | null> {
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
