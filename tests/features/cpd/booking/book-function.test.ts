import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { decideNewBooking, type OfferingForBooking } from '../../../../src/features/cpd/booking/booking.domain.js';
import { BookingBatcher, bookInOneStatement, type BookStatementOutcome } from '../../../../src/features/cpd/booking/booking.statement.js';
import type { Db } from '../../../../src/db/database.js';
import type { IdGenerator } from '../../../../src/shared/clock.js';
import { StatementLog } from '../../../support/statement-log.js';
import { describeOnEachDatabase, type TestDb } from '../../../support/test-db.js';

/**
 * cpd_book() (migration 0030) carries a copy of the capacity rule; booking.domain.ts is its
 * specification. Generated offerings (capacity, cancelled, course withdrawn, no dates, started,
 * booking closed, each edge at exactly `now`) and generated histories of presses and cancellations by
 * a few people are run through the SQL function and, press by press, through decideNewBooking() and a
 * model of who holds which place. They must agree on every outcome, every count and every position;
 * and so must cpd_book_batch() (migration 0033), given the same histories with presses sent in groups.
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

interface Press {
  now: Date;
  person: number;
  aad: string;
}
/** Books presses, each with its own moment, and answers their outcomes in the same order. */
type SendPresses = (db: Db, offeringId: string, ids: IdGenerator, presses: readonly Press[]) => Promise<BookStatementOutcome[]>;

const one: SendPresses = async (db, offeringId, ids, presses) => {
  const outcomes: BookStatementOutcome[] = [];
  for (const p of presses) outcomes.push(await bookInOneStatement(db, ids, p.now, newBooking(offeringId, p), undefined));
  return outcomes;
};

/** All of them in the same turn of the event loop, so the batcher sends them together. */
const together: SendPresses = (db, offeringId, ids, presses) => {
  const batcher = new BookingBatcher(db, ids);
  return Promise.all(presses.map((p) => batcher.book(p.now, newBooking(offeringId, p), undefined)));
};

function newBooking(offeringId: string, p: Press) {
  return { offeringId, personAadId: p.aad, personName: `Person ${p.person}`, personEmail: null, personTeamsId: null };
}

describeOnEachDatabase('cpd_book() agrees with booking.domain on $kind', ({ open }) => {
  let handle: TestDb;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle.close();
  });

  it('on generated offerings and histories of presses and cancellations', async () => {
    await fc.assert(
      fc.asyncProperty(offeringArb, fc.array(stepArb, { minLength: 1, maxLength: 12 }), async (o, steps) => {
        await checkHistory(handle.db, o, steps, one);
      }),
      { numRuns: 60, seed: Number(process.env.FC_SEED ?? 12_012) },
    );
  }, 120_000);

  it('when presses that arrive together are booked in one cpd_book_batch() statement', async () => {
    const log = new StatementLog();
    const db = handle.db.withPlugin(log);
    await fc.assert(
      fc.asyncProperty(offeringArb, fc.array(batchedStepArb, { minLength: 1, maxLength: 16 }), async (o, steps) => {
        log.clear();
        const groups = await checkHistory(db, o, steps, together);
        // Every group of two or more presses was one batch statement, and a lone press the single one.
        const texts = log.texts.filter((t) => /\bcpd_book(_batch)?\(/.test(t));
        expect(texts.filter((t) => t.includes('cpd_book_batch')).length).toBe(groups.filter((g) => g > 1).length);
        expect(texts.filter((t) => !t.includes('cpd_book_batch')).length).toBe(groups.filter((g) => g === 1).length);
      }),
      { numRuns: 60, seed: Number(process.env.FC_SEED ?? 33_033) },
    );
  }, 120_000);
});

type ArbValue<A> = A extends fc.Arbitrary<infer T> ? T : never;

/** A step, and whether the presses gathered so far go to the database after it (a cancel always sends them first). */
const batchedStepArb = fc.record({ step: stepArb, sendAfter: fc.boolean() });

/**
 * Runs one generated history: presses go to `send` in groups (each step its own group unless the
 * steps say otherwise), and each outcome is checked against the model as if the presses had come one
 * after another. Returns the sizes of the groups sent.
 */
async function checkHistory(
  db: Db,
  o: ArbValue<typeof offeringArb>,
  steps: ReadonlyArray<ArbValue<typeof stepArb> | ArbValue<typeof batchedStepArb>>,
  send: SendPresses,
): Promise<number[]> {
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
  // The model: each person's active place, in arrival order. Ids are handed out press by press, in order.
  const places: Array<{ person: number; id: string; status: 'confirmed' | 'waitlisted' }> = [];
  let handedOut = 0;
  const ids: IdGenerator = { newId: () => `${offeringId}-id-${(handedOut += 1)}` };
  let predicted = 0;
  let at = NOW;
  let group: Array<{ press: Press; check: (done: BookStatementOutcome) => void }> = [];
  const sizes: number[] = [];
  const sendGroup = async (): Promise<void> => {
    if (group.length === 0) return;
    const outcomes = await send(db, offeringId, ids, group.map((g) => g.press));
    expect(outcomes).toHaveLength(group.length);
    group.forEach((g, i) => g.check(outcomes[i]));
    sizes.push(group.length);
    group = [];
  };
  for (const entry of steps) {
    const step = 'step' in entry ? entry.step : entry;
    const sendAfter = 'step' in entry ? entry.sendAfter : true;
    at += step.laterBy * MINUTE;
    const aad = `${offeringId}-person-${step.person}`;
    const mine = places.find((p) => p.person === step.person);
    if (step.kind === 'cancel') {
      await sendGroup();
      if (!mine) continue;
      await sql`update cpd_booking set status = 'cancelled', cancelled_at = now(), updated_at = now() where id = ${mine.id}`.execute(db);
      places.splice(places.indexOf(mine), 1);
      continue;
    }
    const now = new Date(at);
    const id = `${offeringId}-id-${(predicted += 1)}`;
    const confirmed = places.filter((p) => p.status === 'confirmed').length;
    const waitlisted = places.length - confirmed;
    const position = mine?.status === 'waitlisted' ? places.filter((p) => p.status === 'waitlisted').indexOf(mine) + 1 : null;
    const decision = decideNewBooking(facts, confirmed, now);
    if (facts.status !== 'cancelled' && !mine && decision.ok) places.push({ person: step.person, id, status: decision.value });
    group.push({
      press: { now, person: step.person, aad },
      check: (done) => {
        expect(done.outcome).not.toBe('offering_not_found');
        if (done.outcome === 'offering_not_found') return;
        expect(done.counts).toEqual({ confirmed, waitlisted });
        expect(done.offering).toEqual(facts);
        if (facts.status === 'cancelled') {
          expect(done.outcome).toBe('offering_cancelled');
          return;
        }
        if (mine) {
          expect(done.outcome).toBe('already_booked');
          expect(done.booking?.id).toBe(mine.id);
          expect(done.position).toBe(position);
          return;
        }
        expect(done.outcome).toBe(decision.ok ? decision.value : decision.code);
        if (!decision.ok) {
          expect(done.booking).toBeUndefined();
          return;
        }
        expect(done.booking).toMatchObject({ id, personAadId: aad, status: decision.value, offeringId });
        expect(done.position).toBe(decision.value === 'waitlisted' ? waitlisted + 1 : null);
      },
    });
    if (sendAfter) await sendGroup();
  }
  await sendGroup();
  // The trigger's counts on the row are what the model holds.
  const row = await db.selectFrom('cpd_offering').select(['confirmed_count', 'waitlisted_count']).where('id', '=', offeringId).executeTakeFirstOrThrow();
  expect(row).toEqual({ confirmed_count: places.filter((p) => p.status === 'confirmed').length, waitlisted_count: places.filter((p) => p.status === 'waitlisted').length });
  const audits = await sql<{ n: number }>`select count(*)::int as n from audit_log where subject_id like ${`${offeringId}-id-%`}`.execute(db);
  expect(Number(audits.rows[0]?.n)).toBe(handedOut - (await countNotBooked(db, offeringId, handedOut)));
  return sizes;
}

/** Ids handed out for presses that booked nothing (refusals and repeats): they have no audit row. */
async function countNotBooked(db: TestDb['db'], offeringId: string, handedOut: number): Promise<number> {
  const rows = await db.selectFrom('cpd_booking').select('id').where('offering_id', '=', offeringId).execute();
  return handedOut - rows.length;
}
