import { sql } from 'kysely';
import type { Db } from '../../../../src/db/database.js';
import { BookingRepository } from '../../../../src/features/cpd/booking/booking.repository.js';
import type { BatchPresses } from '../../../../src/features/cpd/booking/booking.statement.js';
import { BookingService } from '../../../../src/features/cpd/booking/booking.service.js';
import type { CatalogueWrite, CpdSession } from '../../../../src/features/cpd/catalogue/catalogue.domain.js';
import { CatalogueService } from '../../../../src/features/cpd/catalogue/catalogue.service.js';
import { createSamplePeopleService } from '../../../../src/features/people/people.service.js';
import type { Speaker } from '../../../../src/shared/bot-contract.js';
import { fixedClock } from '../../../../src/shared/clock.js';
import { silentLogger } from '../../../../src/shared/logger.js';
import { TODAY } from '../cpd-fixtures.js';

export { TODAY } from '../cpd-fixtures.js';

export const MEETING = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_booking%40thread.v2/0';

const session = (offeringId: string, sequence: number, starts: string, ends: string, place: { venue: string } | 'online'): CpdSession => ({
  id: `${offeringId}-s${sequence}`,
  offeringId,
  sequence,
  startsAt: new Date(starts),
  endsAt: new Date(ends),
  mode: place === 'online' ? 'online' : 'in_person',
  venue: place === 'online' ? null : place.venue,
  meetingUrl: place === 'online' ? MEETING : null,
});

/**
 * A small catalogue around TODAY (Mon 23 Nov 2026): offerings with known capacities, one closed,
 * one started, one to be cancelled, and a three-session programme (one booking covers all three).
 */
export function bookingCatalogue(): CatalogueWrite {
  const course = (id: string, title: string, kind: 'programme' | 'standalone', strandId = 'reading') => ({
    id,
    title,
    summary: `${title}: what it covers.`,
    strandId,
    audienceIds: ['teachers'],
    facilitator: 'Trust Lead',
    kind,
    categoryId: null,
  });
  const offering = (id: string, courseId: string, capacity: number, closes: string) => ({
    id,
    courseId,
    label: `${id} cohort`,
    capacity,
    bookingClosesAt: new Date(closes),
  });
  return {
    courses: [
      course('phonics', 'Leadership and Teaching of Phonics', 'standalone'),
      course('slp', 'Subject Leader Development Programme', 'programme', 'leadership'),
      course('dsl', 'DSL Update', 'standalone', 'send'),
      course('send', 'SEND Inquiry Day', 'standalone', 'send'),
      course('crowd', 'Popular Twilight', 'standalone'),
    ],
    offerings: [
      offering('phonics-jan', 'phonics', 2, '2027-01-10T12:00:00Z'),
      offering('slp-spring', 'slp', 3, '2027-01-05T12:00:00Z'),
      offering('dsl-closed', 'dsl', 10, '2026-11-22T10:00:00Z'),
      offering('dsl-started', 'dsl', 10, '2026-11-19T10:00:00Z'),
      offering('send-cancelled', 'send', 5, '2027-02-01T12:00:00Z'),
      offering('crowd-5', 'crowd', 5, '2027-03-01T12:00:00Z'),
      offering('crowd-30', 'crowd', 30, '2027-03-01T12:00:00Z'),
    ],
    sessions: [
      session('phonics-jan', 1, '2027-01-12T15:45:00Z', '2027-01-12T17:15:00Z', 'online'),
      session('slp-spring', 1, '2027-01-12T15:45:00Z', '2027-01-12T17:15:00Z', { venue: 'Hall, Brookside Primary Academy' }),
      session('slp-spring', 2, '2027-01-26T15:45:00Z', '2027-01-26T17:15:00Z', 'online'),
      session('slp-spring', 3, '2027-02-09T15:45:00Z', '2027-02-09T17:15:00Z', 'online'),
      session('dsl-closed', 1, '2026-11-25T15:45:00Z', '2026-11-25T17:15:00Z', { venue: 'Board room, Harmony House' }),
      session('dsl-started', 1, '2026-11-23T09:00:00Z', '2026-11-23T12:00:00Z', { venue: 'Board room, Harmony House' }),
      session('send-cancelled', 1, '2027-02-03T09:00:00Z', '2027-02-03T15:00:00Z', { venue: 'Hall, Meadowbank Primary Academy' }),
      session('crowd-5', 1, '2027-03-02T15:45:00Z', '2027-03-02T17:15:00Z', 'online'),
      session('crowd-30', 1, '2027-03-03T15:45:00Z', '2027-03-03T17:15:00Z', 'online'),
    ],
  };
}

/** Loads the booking catalogue and cancels 'send-cancelled'. */
export async function loadBookingCatalogue(db: Db, clock = fixedClock(TODAY)): Promise<CatalogueService> {
  const catalogue = CatalogueService.forDatabase(db, clock);
  await catalogue.importCatalogue(bookingCatalogue());
  await db.updateTable('cpd_offering').set({ status: 'cancelled' }).where('id', '=', 'send-cancelled').execute();
  return catalogue;
}

/** A Teams speaker with a stable Entra ID object id and bot-specific Teams id. */
export function speaker(n: number | string, name = `Person ${n}`): Speaker {
  const aad = typeof n === 'number' ? `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` : n;
  return { id: `29:1teams-${aad}`, aadObjectId: aad, name, tenantId: 'tenant' };
}

export interface BookingSetup {
  db: Db;
  clock: ReturnType<typeof fixedClock>;
  service: BookingService;
  repository: BookingRepository;
  catalogue: CatalogueService;
  kicks: { count: number };
}

let counter = 0;

/** A BookingService over `db` with the booking catalogue, sample-roster people and a fixed clock. */
export async function bookingSetup(db: Db, options: { calendarConnected?: boolean; batchPresses?: BatchPresses } = {}): Promise<BookingSetup> {
  const clock = fixedClock(TODAY);
  const catalogue = await loadBookingCatalogue(db, clock);
  const ids = { newId: () => `b${Date.now().toString(36)}${(++counter).toString(36)}` };
  const repository = new BookingRepository(db, clock, ids, { ...(options.batchPresses ? { batchPresses: options.batchPresses } : {}) });
  const kicks = { count: 0 };
  const service = new BookingService({
    repository,
    catalogue,
    people: createSamplePeopleService({ trustId: 'harmony', people: [], unknownPeople: { academyId: 'brookside' } }),
    clock,
    logger: silentLogger,
    calendarConnected: options.calendarConnected ?? false,
    kickJobs: () => void (kicks.count += 1),
  });
  return { db, clock, service, repository, catalogue, kicks };
}

/** Rows written by booking, for "nothing was written" checks. */
export async function writtenRows(db: Db): Promise<{ bookings: number; audit: number; jobs: number }> {
  const result = await sql<{ bookings: number; audit: number; jobs: number }>`
    select (select count(*) from cpd_booking) as bookings,
           (select count(*) from audit_log) as audit,
           (select count(*) from job) as jobs`.execute(db);
  const row = result.rows[0];
  return { bookings: Number(row.bookings), audit: Number(row.audit), jobs: Number(row.jobs) };
}
