import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { BookingView } from '../../../../src/features/cpd/booking/booking.service.js';
import type { BatchPresses } from '../../../../src/features/cpd/booking/booking.statement.js';
import { PROMOTION_NOTICE_JOB } from '../../../../src/features/cpd/booking/booking.schemas.js';
import { CALENDAR_ADD_JOB, CALENDAR_REMOVE_JOB } from '../../../../src/features/cpd/calendar/calendar.schemas.js';
import type { Result } from '../../../../src/shared/result.js';
import { describeOnEachDatabase, type TestDb } from '../../../support/test-db.js';
import { bookingSetup, speaker, writtenRows, type BookingSetup } from './booking-fixtures.js';

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected success, got ${result.code}: ${result.message}`);
  return result.value;
}

const statusOf = async (s: BookingSetup, offeringId: string) =>
  s.db.selectFrom('cpd_booking').select(['id', 'person_aad_id', 'status', 'arrival_seq']).where('offering_id', '=', offeringId).orderBy('arrival_seq').execute();

const jobsOf = async (s: BookingSetup) =>
  (await s.db.selectFrom('job').select(['kind', 'payload', 'idempotency_key']).orderBy('created_at').execute()).map((j) => ({
    kind: j.kind,
    bookingId: j.payload['bookingId'],
  }));

const auditOf = async (s: BookingSetup) =>
  s.db.selectFrom('audit_log').select(['actor_aad_id', 'action', 'subject_id', 'details']).orderBy('id').execute();

// The booking cases twice: one statement per press, and presses that arrive together batched the
// way the app batches them on that database (BookingBatcher: any presses on PGlite, presses on the
// same offering on PostgreSQL).
for (const batched of [false, true]) describeOnEachDatabase(`CPD booking on $kind, ${batched ? 'presses batched' : 'one statement per press'}`, ({ open, kind }) => {
  const batchPresses: BatchPresses | undefined = batched ? (kind === 'pglite' ? 'any' : 'same_offering') : undefined;
  let handle: TestDb | undefined;
  afterEach(async () => {
    await handle?.close();
    handle = undefined;
  });

  async function setup(options: { calendarConnected?: boolean } = {}): Promise<BookingSetup> {
    handle = await open();
    return bookingSetup(handle.db, { ...options, ...(batchPresses ? { batchPresses } : {}) });
  }

  describe('booking', () => {
    it('confirms while seats are free, then waitlists with the position shown', async () => {
      const s = await setup();
      const first = value(await s.service.book(speaker(1), 'phonics-jan'));
      const second = value(await s.service.book(speaker(2), 'phonics-jan'));
      const third = value(await s.service.book(speaker(3), 'phonics-jan'));
      const fourth = value(await s.service.book(speaker(4), 'phonics-jan'));

      expect([first, second, third, fourth].map((v) => [v.change, v.booking?.status, v.position])).toEqual([
        ['booked', 'confirmed', null],
        ['booked', 'confirmed', null],
        ['waitlisted', 'waitlisted', 1],
        ['waitlisted', 'waitlisted', 2],
      ]);
      expect(fourth.seats).toEqual({ offeringId: 'phonics-jan', confirmed: 2, waitlisted: 2, placesLeft: 0 });
      expect(first.seats.placesLeft).toBe(1);
      expect(first.booking).toMatchObject({ personAadId: speaker(1).aadObjectId, personName: 'Person 1', personTeamsId: speaker(1).id });
      expect(first.calendar).toBe('not_connected');
      expect(third.calendar).toBe('none');
      expect((await statusOf(s, 'phonics-jan')).map((r) => r.status)).toEqual(['confirmed', 'confirmed', 'waitlisted', 'waitlisted']);
    });

    it('audits every booking and queues the calendar step only when Outlook is connected', async () => {
      const s = await setup({ calendarConnected: true });
      const booked = value(await s.service.book(speaker(1), 'phonics-jan'));
      value(await s.service.book(speaker(2), 'phonics-jan'));
      const waitlisted = value(await s.service.book(speaker(3), 'phonics-jan'));

      expect(booked.calendar).toBe('pending');
      expect(await jobsOf(s)).toEqual([
        { kind: CALENDAR_ADD_JOB, bookingId: booked.booking!.id },
        { kind: CALENDAR_ADD_JOB, bookingId: expect.any(String) },
      ]);
      const audit = await auditOf(s);
      expect(audit.map((a) => a.action)).toEqual(['cpd.booking.booked', 'cpd.booking.booked', 'cpd.booking.waitlisted']);
      expect(audit[2]).toMatchObject({ actor_aad_id: speaker(3).aadObjectId, subject_id: waitlisted.booking!.id, details: { offeringId: 'phonics-jan' } });
      expect(s.kicks.count).toBe(2);
    });

    it('books a programme as a whole: one booking covers every session', async () => {
      const s = await setup();
      const view = value(await s.service.book(speaker(1), 'slp-spring'));
      expect(view.details.sessions).toHaveLength(3);
      expect(await statusOf(s, 'slp-spring')).toHaveLength(1);
      const again = value(await s.service.book(speaker(1), 'slp-spring'));
      expect(again.change).toBe('already_booked');
      expect(again.booking!.id).toBe(view.booking!.id);
      expect(await statusOf(s, 'slp-spring')).toHaveLength(1);
    });

    it('answers a repeated press with the same booking and writes nothing more', async () => {
      const s = await setup();
      const first = value(await s.service.book(speaker(1), 'phonics-jan'));
      const before = await writtenRows(s.db);
      const second = value(await s.service.book(speaker(1), 'phonics-jan'));
      expect(second).toMatchObject({ change: 'already_booked', booking: { id: first.booking!.id, status: 'confirmed' } });
      expect(await writtenRows(s.db)).toEqual(before);

      // Waitlisted people get their unchanged position back.
      value(await s.service.book(speaker(2), 'phonics-jan'));
      const w = value(await s.service.book(speaker(3), 'phonics-jan'));
      const w2 = value(await s.service.book(speaker(3), 'phonics-jan'));
      expect([w.position, w2.position, w2.change]).toEqual([1, 1, 'already_booked']);
    });

    it('makes one booking from a concurrent double click, and both presses get it', async () => {
      const s = await setup();
      const results = await Promise.all([s.service.book(speaker(7), 'phonics-jan'), s.service.book(speaker(7), 'phonics-jan')]);
      const views = results.map(value);
      expect(new Set(views.map((v) => v.booking!.id)).size).toBe(1);
      expect(views.map((v) => v.change).sort()).toEqual(['already_booked', 'booked']);
      expect(await statusOf(s, 'phonics-jan')).toHaveLength(1);
    });

    it('lets someone book again after cancelling', async () => {
      const s = await setup();
      const first = value(await s.service.book(speaker(1), 'phonics-jan'));
      value(await s.service.cancel(speaker(1), first.booking!.id, 'cancel'));
      const again = value(await s.service.book(speaker(1), 'phonics-jan'));
      expect(again.change).toBe('booked');
      expect(again.booking!.id).not.toBe(first.booking!.id);
      expect((await statusOf(s, 'phonics-jan')).map((r) => r.status)).toEqual(['cancelled', 'confirmed']);
    });

    it.each([
      ['booking_closed', 'dsl-closed'],
      ['session_past', 'dsl-started'],
      ['offering_cancelled', 'send-cancelled'],
      ['offering_not_found', 'no-such-offering'],
    ])('refuses with %s and writes no row (%s)', async (code, offeringId) => {
      const s = await setup({ calendarConnected: true });
      const result = await s.service.book(speaker(1), offeringId);
      expect(result).toMatchObject({ ok: false, code });
      expect(result.ok ? '' : result.message).toMatch(/\w+ \w+/);
      expect(await writtenRows(s.db)).toEqual({ bookings: 0, audit: 0, jobs: 0 });
    });

    it('refuses someone Teams did not identify (person_not_in_directory) and writes no row', async () => {
      const s = await setup();
      const result = await s.service.book({ aadObjectId: undefined, name: 'Guest', tenantId: undefined }, 'phonics-jan');
      expect(result).toMatchObject({ ok: false, code: 'person_not_in_directory' });
      expect(await writtenRows(s.db)).toEqual({ bookings: 0, audit: 0, jobs: 0 });
    });

    it('closes booking at booking_closes_at exactly', async () => {
      const s = await setup();
      s.clock.set('2027-01-10T11:59:59Z');
      expect(value(await s.service.book(speaker(1), 'phonics-jan')).change).toBe('booked');
      s.clock.set('2027-01-10T12:00:00Z');
      expect(await s.service.book(speaker(2), 'phonics-jan')).toMatchObject({ ok: false, code: 'booking_closed' });
      // …but a repeat press by someone already booked still gets their booking back.
      expect(value(await s.service.book(speaker(1), 'phonics-jan')).change).toBe('already_booked');
    });
  });

  describe('concurrency', () => {
    it('holds capacity under 50 simultaneous bookings for 5 seats: 5 confirmed, 45 waitlisted in arrival order, no duplicates', async () => {
      const s = await setup();
      const people = Array.from({ length: 50 }, (_, i) => speaker(100 + i));
      // Every person presses twice at once, as a double click would.
      const results = await Promise.all(people.flatMap((p) => [s.service.book(p, 'crowd-5'), s.service.book(p, 'crowd-5')]));
      const views = results.map(value);

      const rows = await statusOf(s, 'crowd-5');
      expect(rows).toHaveLength(50);
      expect(new Set(rows.map((r) => r.person_aad_id)).size).toBe(50);
      expect(rows.filter((r) => r.status === 'confirmed')).toHaveLength(5);
      expect(rows.filter((r) => r.status === 'waitlisted')).toHaveLength(45);
      // Arrival order at the database: the first five to get the offering's lock hold the seats…
      expect(rows.slice(0, 5).every((r) => r.status === 'confirmed')).toBe(true);
      // …and the position each waitlisted person was shown is their rank in that order.
      const shown = new Map(views.filter((v) => v.change === 'waitlisted').map((v) => [v.booking!.id, v.position]));
      expect(rows.slice(5).map((r) => shown.get(r.id))).toEqual(Array.from({ length: 45 }, (_, i) => i + 1));
      // Both presses of each person got the same booking.
      const byPerson = new Map<string, Set<string>>();
      for (const v of views) byPerson.set(v.booking!.personAadId, (byPerson.get(v.booking!.personAadId) ?? new Set()).add(v.booking!.id));
      expect([...byPerson.values()].every((ids) => ids.size === 1)).toBe(true);
    });

    it('promotes exactly once when cancellations and bookings race', async () => {
      const s = await setup();
      const holders = await Promise.all([1, 2].map(async (n) => value(await s.service.book(speaker(n), 'phonics-jan'))));
      const waiting = [];
      for (const n of [3, 4, 5]) waiting.push(value(await s.service.book(speaker(n), 'phonics-jan')));
      await Promise.all([
        s.service.cancel(speaker(1), holders[0].booking!.id, 'cancel'),
        s.service.cancel(speaker(2), holders[1].booking!.id, 'cancel'),
        s.service.book(speaker(6), 'phonics-jan'),
      ]);
      const rows = await statusOf(s, 'phonics-jan');
      expect(rows.filter((r) => r.status === 'confirmed').map((r) => r.person_aad_id)).toEqual([speaker(3).aadObjectId, speaker(4).aadObjectId]);
      expect(rows.filter((r) => r.status === 'waitlisted').map((r) => r.person_aad_id)).toEqual([speaker(5).aadObjectId, speaker(6).aadObjectId]);
    });
    it('keeps the offering\'s seat counts equal to its bookings through concurrent books, cancels and leaves', async () => {
      const s = await setup();
      const counted = async () => {
        const kept = await s.db.selectFrom('cpd_offering').select(['confirmed_count', 'waitlisted_count']).where('id', '=', 'phonics-jan').executeTakeFirstOrThrow();
        const rows = await statusOf(s, 'phonics-jan');
        return {
          kept: { confirmed: kept.confirmed_count, waitlisted: kept.waitlisted_count },
          actual: { confirmed: rows.filter((r) => r.status === 'confirmed').length, waitlisted: rows.filter((r) => r.status === 'waitlisted').length },
        };
      };
      const booked = await Promise.all([1, 2, 3, 4, 5, 6].map(async (n) => value(await s.service.book(speaker(n), 'phonics-jan'))));
      let c = await counted();
      expect(c.kept).toEqual({ confirmed: 2, waitlisted: 4 });
      expect(c.kept).toEqual(c.actual);

      // Who got a seat depends on arrival order, so pick from the outcome: a confirmed place to
      // cancel (its seat goes to the first waiting) and the last waiting person to leave.
      const holder = booked.find((v) => v.booking!.status === 'confirmed')!.booking!;
      const lastWaiting = booked.filter((v) => v.booking!.status === 'waitlisted').sort((a, b) => b.position! - a.position!)[0].booking!;
      const speakerOf = (aadObjectId: string) => speaker([1, 2, 3, 4, 5, 6].find((n) => speaker(n).aadObjectId === aadObjectId)!);
      await Promise.all([
        s.service.cancel(speakerOf(holder.personAadId), holder.id, 'cancel'),
        s.service.cancel(speakerOf(lastWaiting.personAadId), lastWaiting.id, 'leave_waitlist'),
        s.service.book(speaker(7), 'phonics-jan'),
      ]);
      c = await counted();
      expect(c.kept).toEqual({ confirmed: 2, waitlisted: 3 });
      expect(c.kept).toEqual(c.actual);
    });
  });

  // Cancelling and reading never go through the batcher: once is enough.
  if (!batched) {
    describe('cancelling and leaving the waitlist', () => {
      async function fullPhonics(s: BookingSetup): Promise<BookingView[]> {
        const views: BookingView[] = [];
        for (const n of [1, 2, 3, 4]) views.push(value(await s.service.book(speaker(n), 'phonics-jan')));
        return views;
      }

      it('cancelling a confirmed place promotes the first waitlisted person in the same transaction, with calendar and message jobs', async () => {
        const s = await setup({ calendarConnected: true });
        const [a, , c, d] = await fullPhonics(s);
        await s.db.deleteFrom('job').execute();

        const cancelled = value(await s.service.cancel(speaker(1), a.booking!.id, 'cancel'));
        expect(cancelled).toMatchObject({ change: 'cancelled', booking: { id: a.booking!.id, status: 'cancelled' }, calendar: 'none' });
        expect(cancelled.seats).toMatchObject({ confirmed: 2, waitlisted: 1 });

        const rows = await statusOf(s, 'phonics-jan');
        expect(rows.map((r) => [r.person_aad_id, r.status])).toEqual([
          [speaker(1).aadObjectId, 'cancelled'],
          [speaker(2).aadObjectId, 'confirmed'],
          [speaker(3).aadObjectId, 'confirmed'],
          [speaker(4).aadObjectId, 'waitlisted'],
        ]);
        expect(await jobsOf(s)).toEqual([
          { kind: CALENDAR_REMOVE_JOB, bookingId: a.booking!.id },
          { kind: CALENDAR_ADD_JOB, bookingId: c.booking!.id },
          { kind: PROMOTION_NOTICE_JOB, bookingId: c.booking!.id },
        ]);
        const audit = (await auditOf(s)).slice(-2);
        expect(audit).toEqual([
          expect.objectContaining({ action: 'cpd.booking.cancelled', actor_aad_id: speaker(1).aadObjectId, subject_id: a.booking!.id }),
          expect.objectContaining({
            action: 'cpd.booking.promoted',
            actor_aad_id: speaker(1).aadObjectId,
            subject_id: c.booking!.id,
            details: expect.objectContaining({ personAadId: speaker(3).aadObjectId, seatFreedBy: a.booking!.id }),
          }),
        ]);
        // Person 4 moved up the queue.
        expect(value(await s.service.view(speaker(4), 'phonics-jan')).position).toBe(1);
        expect(d.position).toBe(2);
      });

      it('rolls the cancellation back if the promotion fails: both happen or neither', async () => {
        const s = await setup();
        const [a] = await fullPhonics(s);
        // Make promoting person 3 fail inside the database.
        await sql`create function refuse_promotion() returns trigger language plpgsql as $$
          begin
            if new.status = 'confirmed' and old.status = 'waitlisted' then raise exception 'promotion refused for test'; end if;
            return new;
          end $$`.execute(s.db);
        await sql`create trigger refuse_promotion before update on cpd_booking for each row execute function refuse_promotion()`.execute(s.db);

        await expect(s.service.cancel(speaker(1), a.booking!.id, 'cancel')).rejects.toThrow(/promotion refused/);
        expect((await statusOf(s, 'phonics-jan')).map((r) => r.status)).toEqual(['confirmed', 'confirmed', 'waitlisted', 'waitlisted']);
        expect((await auditOf(s)).map((x) => x.action)).not.toContain('cpd.booking.cancelled');
      });

      it('leaving the waitlist frees nobody a seat and moves the queue up', async () => {
        const s = await setup({ calendarConnected: true });
        const [, , c] = await fullPhonics(s);
        await s.db.deleteFrom('job').execute();
        const left = value(await s.service.cancel(speaker(3), c.booking!.id, 'leave_waitlist'));
        expect(left).toMatchObject({ change: 'left_waitlist', booking: { status: 'cancelled' } });
        expect(await jobsOf(s)).toEqual([]);
        expect(value(await s.service.view(speaker(4), 'phonics-jan')).position).toBe(1);
        expect((await auditOf(s)).at(-1)).toMatchObject({ action: 'cpd.booking.left_waitlist', subject_id: c.booking!.id });
      });

      it('"Leave waitlist" on a place that was confirmed meanwhile keeps the place', async () => {
        const s = await setup();
        const [a, , c] = await fullPhonics(s);
        value(await s.service.cancel(speaker(1), a.booking!.id, 'cancel'));
        const pressed = value(await s.service.cancel(speaker(3), c.booking!.id, 'leave_waitlist'));
        expect(pressed).toMatchObject({ change: 'promoted_meanwhile', booking: { status: 'confirmed' } });
        expect((await statusOf(s, 'phonics-jan')).find((r) => r.id === c.booking!.id)!.status).toBe('confirmed');
      });

      it('answers a second Cancel with the same cancelled booking and changes nothing', async () => {
        const s = await setup();
        const [a] = await fullPhonics(s);
        value(await s.service.cancel(speaker(1), a.booking!.id, 'cancel'));
        const before = await writtenRows(s.db);
        const again = value(await s.service.cancel(speaker(1), a.booking!.id, 'cancel'));
        expect(again).toMatchObject({ change: 'already_cancelled', booking: { id: a.booking!.id, status: 'cancelled' } });
        expect(await writtenRows(s.db)).toEqual(before);
        // Still exactly one promotion.
        expect((await statusOf(s, 'phonics-jan')).filter((r) => r.status === 'confirmed')).toHaveLength(2);
      });

      it('refuses to cancel someone else\'s booking (not_allowed) or an unknown one (booking_not_found)', async () => {
        const s = await setup();
        const [a] = await fullPhonics(s);
        const before = await writtenRows(s.db);
        expect(await s.service.cancel(speaker(2), a.booking!.id, 'cancel')).toMatchObject({ ok: false, code: 'not_allowed' });
        expect(await s.service.cancel(speaker(2), 'no-such-booking', 'cancel')).toMatchObject({ ok: false, code: 'booking_not_found' });
        expect(await s.service.cancel({ aadObjectId: undefined, name: '', tenantId: undefined }, a.booking!.id, 'cancel')).toMatchObject({
          ok: false,
          code: 'person_not_in_directory',
        });
        expect(await writtenRows(s.db)).toEqual(before);
        expect((await statusOf(s, 'phonics-jan'))[0].status).toBe('confirmed');
      });

      it('refuses to cancel once the course has started, or when it has been cancelled', async () => {
        const s = await setup();
        const [a] = await fullPhonics(s);
        const slp = value(await s.service.book(speaker(1), 'slp-spring'));
        s.clock.set('2027-01-12T16:00:00Z');
        expect(await s.service.cancel(speaker(1), a.booking!.id, 'cancel')).toMatchObject({ ok: false, code: 'session_past' });
        s.clock.set('2027-01-01T10:00:00Z');
        await s.db.updateTable('cpd_offering').set({ status: 'cancelled' }).where('id', '=', 'slp-spring').execute();
        expect(await s.service.cancel(speaker(1), slp.booking!.id, 'cancel')).toMatchObject({ ok: false, code: 'offering_cancelled' });
        expect((await statusOf(s, 'slp-spring'))[0].status).toBe('confirmed');
      });
    });

    describe('looking', () => {
      it('"my bookings" lists upcoming confirmed and waitlisted places soonest first, with positions', async () => {
        const s = await setup();
        for (const n of [1, 2]) value(await s.service.book(speaker(n), 'phonics-jan'));
        const waitlisted = value(await s.service.book(speaker(9), 'phonics-jan'));
        const slp = value(await s.service.book(speaker(9), 'slp-spring'));
        const crowd = value(await s.service.book(speaker(9), 'crowd-5'));
        value(await s.service.cancel(speaker(9), crowd.booking!.id, 'cancel'));

        const mine = value(await s.service.myBookings(speaker(9)));
        expect(mine.items.map((i) => [i.details.offering.id, i.booking.status, i.position])).toEqual([
          // Both start on 12 Jan; the earlier booking first.
          ['phonics-jan', 'waitlisted', 1],
          ['slp-spring', 'confirmed', null],
        ]);
        expect(mine.items[0].booking.id).toBe(waitlisted.booking!.id);
        expect(mine.items[1].booking.id).toBe(slp.booking!.id);

        // Once a course has finished it is no longer "upcoming".
        s.clock.set('2027-01-13T09:00:00Z');
        expect(value(await s.service.myBookings(speaker(9))).items.map((i) => i.details.offering.id)).toEqual(['slp-spring']);
        expect(value(await s.service.myBookings(speaker(10))).items).toEqual([]);
      });

      it('a refresh shows current seats and the viewer\'s own status', async () => {
        const s = await setup();
        value(await s.service.book(speaker(1), 'phonics-jan'));
        const fresh = value(await s.service.view(speaker(2), 'phonics-jan'));
        expect(fresh).toMatchObject({ change: 'refreshed', booking: null, position: null, bookingOpen: true, seats: { placesLeft: 1 } });
        value(await s.service.book(speaker(3), 'phonics-jan'));
        expect(value(await s.service.view(speaker(2), 'phonics-jan')).seats.placesLeft).toBe(0);
        expect(value(await s.service.view(speaker(1), 'phonics-jan')).booking?.status).toBe('confirmed');
        expect(await s.service.view(speaker(1), 'nope')).toMatchObject({ ok: false, code: 'offering_not_found' });
      });
    });
  }
});
