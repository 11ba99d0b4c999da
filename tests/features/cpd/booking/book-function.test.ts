import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decideNewBooking, type OfferingForBooking } from '../../../../src/features/cpd/booking/booking.domain.js';
import { bookInOneStatement } from '../../../../src/features/cpd/booking/booking.statement.js';
import { describeOnEachDatabase, type TestDb } from '../../../support/test-db.js';

/**
 * cpd_book() (migration 0030) carries a copy of the capacity rule; booking.domain.ts is its
 * specification. Generated offerings (capacity, cancelled, course withdrawn, no dates, started,
 * booking closed, each edge at exactly `now`) and generated histories of presses and cancellations by
 * a few people are run through the SQL function and, press by press, through decideNewBooking() and a
 * model of who holds which place. They must agree on every outcome, every count and every position.
 */
const NOW = Date.parse('2026-11-23T10:00:00Z');
const MINUTE = 60_000;

const offsetMinutes = fc.oneof(fc.constant(0), fc.integer({ min: -3 * 24 * 60, max: 3 * 24 * 60 }));
const anyOffering = fc.record({
  capacity: fc.integer({ min: 1, max: 4 }),
  cancelled: fc.boolean(),
  courseActive: fc.boolean(),
  startsIn: fc.option(offsetMinutes, { nil: undefined }),
  closesIn: offsetMinutes,
});
// Open for booking at the start, so histories fill seats, reach the waitlist, and see it close as time moves on.
const openOffering = fc.record({
  capacity: fc.integer({ min: 1, max: 4 }),
  cancelled: fc.constant(false),
  courseActive: fc.constant(true),
  startsIn: fc.integer({ min: 1, max: 2 * 24 * 60 }),
  closesIn: fc.integer({ min: 1, max: 24 * 60 }),
});
const offeringArb = fc.oneof({ arbitrary: openOffering, weight: 3 }, { arbitrary: anyOffering, weight: 1 });
const stepArb = fc.record({
  kind: fc.constantFrom('book', 'book', 'book', 'cancel'),
  person: fc.integer({ min: 1, max: 5 }),
  // Time moves on through the history, so an open offering can close or start part-way.
  laterBy: fc.oneof({ arbitrary: fc.integer({ min: 0, max: 30 }), weight: 4 }, { arbitrary: fc.integer({ min: 0, max: 24 * 60 }), weight: 1 }),
});

let counter = 0;

describeOnEachDatabase('cpd_book() agrees with booking.domain on $kind', ({ open }) => {
  let handle: TestDb;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle.close();
  });

  it('on generated offerings and histories of presses and cancellations', async () => {
    const db = handle.db;
    await fc.assert(
      fc.asyncProperty(offeringArb, fc.array(stepArb, { minLength: 1, maxLength: 12 }), async (o, steps) => {
        counter += 1;
        const offeringId = `prop-${counter}`;
        const startsAt = o.startsIn === undefined ? undefined : new Date(NOW + o.startsIn * MINUTE);
        const closesAt = new Date(NOW + o.closesIn * MINUTE);
        await sql`insert into cpd_course (id, title, summary, strand_id, audience_ids, facilitator, kind, category_id, active, created_at, updated_at)
                  values (${offeringId}, 'Property', 'Generated', 'reading', '[]'::jsonb, 'Lead', 'standalone', null, ${o.courseActive}, now(), now())`.execute(db);
        await sql`insert into cpd_offering (id, course_id, label, capacity, booking_closes_at, status, created_at, updated_at)
                  values (${offeringId}, ${offeringId}, 'Cohort', ${o.capacity}, ${closesAt}, ${o.cancelled ? 'cancelled' : 'scheduled'}, now(), now())`.execute(db);
        if (startsAt) {
          await sql`insert into cpd_session (id, offering_id, sequence, starts_at, ends_at, mode, venue, meeting_url, created_at, updated_at)
                    values (${`${offeringId}-s1`}, ${offeringId}, 1, ${startsAt}, ${new Date(startsAt.getTime() + 90 * MINUTE)}, 'online', null, 'https://teams.microsoft.com/l/x', now(), now())`.execute(db);
        }
        const facts: OfferingForBooking = { id: offeringId, capacity: o.capacity, bookingClosesAt: closesAt, status: o.cancelled ? 'cancelled' : 'scheduled', courseActive: o.courseActive, firstStartsAt: startsAt };
        // The model: each person's active place, in arrival order.
        const places: Array<{ person: number; id: string; status: 'confirmed' | 'waitlisted' }> = [];
        let at = NOW;
        let n = 0;
        for (const step of steps) {
          at += step.laterBy * MINUTE;
          const aad = `${offeringId}-person-${step.person}`;
          const mine = places.find((p) => p.person === step.person);
          if (step.kind === 'cancel') {
            if (!mine) continue;
            await sql`update cpd_booking set status = 'cancelled', cancelled_at = now(), updated_at = now() where id = ${mine.id}`.execute(db);
            places.splice(places.indexOf(mine), 1);
            continue;
          }
          const now = new Date(at);
          const confirmed = places.filter((p) => p.status === 'confirmed').length;
          const waitlisted = places.length - confirmed;
          const done = await bookInOneStatement(db, { newId: () => `${offeringId}-id-${(n += 1)}` }, now, { offeringId, personAadId: aad, personName: `Person ${step.person}`, personEmail: null, personTeamsId: null }, undefined);
          expect(done.outcome).not.toBe('offering_not_found');
          if (done.outcome === 'offering_not_found') return;
          expect(done.counts).toEqual({ confirmed, waitlisted });
          expect(done.offering).toEqual(facts);
          if (facts.status === 'cancelled') {
            expect(done.outcome).toBe('offering_cancelled');
            continue;
          }
          if (mine) {
            expect(done.outcome).toBe('already_booked');
            expect(done.booking?.id).toBe(mine.id);
            expect(done.position).toBe(mine.status === 'waitlisted' ? places.filter((p) => p.status === 'waitlisted').indexOf(mine) + 1 : null);
            continue;
          }
          const decision = decideNewBooking(facts, confirmed, now);
          expect(done.outcome).toBe(decision.ok ? decision.value : decision.code);
          if (!decision.ok) {
            expect(done.booking).toBeUndefined();
            continue;
          }
          expect(done.booking).toMatchObject({ personAadId: aad, status: decision.value, offeringId });
          expect(done.position).toBe(decision.value === 'waitlisted' ? waitlisted + 1 : null);
          places.push({ person: step.person, id: done.booking!.id, status: decision.value });
        }
        // The trigger's counts on the row are what the model holds.
        const row = await db.selectFrom('cpd_offering').select(['confirmed_count', 'waitlisted_count']).where('id', '=', offeringId).executeTakeFirstOrThrow();
        expect(row).toEqual({ confirmed_count: places.filter((p) => p.status === 'confirmed').length, waitlisted_count: places.filter((p) => p.status === 'waitlisted').length });
        const audits = await sql<{ n: number }>`select count(*)::int as n from audit_log where subject_id like ${`${offeringId}-id-%`}`.execute(db);
        expect(Number(audits.rows[0]?.n)).toBe(n - (await countNotBooked(db, offeringId, n)));
      }),
      { numRuns: 60, seed: Number(process.env.FC_SEED ?? 12_012) },
    );
  }, 120_000);
});

/** Ids handed out for presses that booked nothing (refusals and repeats): they have no audit row. */
async function countNotBooked(db: TestDb['db'], offeringId: string, handedOut: number): Promise<number> {
  const rows = await db.selectFrom('cpd_booking').select('id').where('offering_id', '=', offeringId).execute();
  return handedOut - rows.length;
}
