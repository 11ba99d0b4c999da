import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PacerTimer } from '../../../../src/pacing/pacer-options.js';
import { fixedClock } from '../../../../src/shared/clock.js';
import { personalChat, teamChannel, teamsPerson, teamsTeam, type TeamsPerson } from '../../../support/activities.js';
import { startHub, type HubHarness } from '../../../support/hub-harness.js';
import { TODAY, loadBookingCatalogue } from '../booking/booking-fixtures.js';
import { ELLIE, HANNAH, NIAMH, TOM, cardsTo, invoke, problemCode, resetJobs, say, text } from './follow-up-fixtures.js';

// Durable follow-up work with the injected clock: two app instances on one database, a worker that
// died holding a job, throttling, people who removed the app, muting; and the Development Team's
// move / cancel / capacity changes with their notices.

let a: HubHarness;
let b: HubHarness;
const clock = fixedClock(TODAY);
const SESSION_STARTS = new Date('2027-03-03T15:45:00Z');
/** 16:00 London the day before crowd-30's session (Wed 3 Mar 2027). */
const REMINDER_TIME = '2027-03-02T16:00:30Z';
/**
 * The send pacer's own virtual time (wall-clock based, apart from the business clock, which these
 * tests move back and forth): a wait moves it on instead of sleeping, so a Retry-After pause costs nothing.
 */
let pacerNow = Date.now();
const pacerTimer: PacerTimer = {
  now: () => pacerNow,
  wait: (ms) => {
    pacerNow += Math.max(0, Math.ceil(ms));
    return new Promise((resolve) => setImmediate(resolve));
  },
};

beforeAll(async () => {
  a = await startHub({ env: { SAMPLE_DATA: 'off' }, clock, runJobs: false, jobOptions: { leaseMs: 60_000 }, pacerTimer });
  // A second app instance on the same database and connector.
  b = await startHub({ env: { SAMPLE_DATA: 'off' }, clock, runJobs: false, db: a.db, connector: a.connector, pacerTimer });
  await loadBookingCatalogue(a.db, clock);
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});
beforeEach(async () => {
  clock.set(TODAY);
  a.connector.clear();
  await resetJobs(a, clock.now());
  for (const table of ['cpd_delivery', 'cpd_attendance', 'cpd_follow_up_preference', 'cpd_booking', 'audit_log'] as const) await a.db.deleteFrom(table).execute();
  await a.db.updateTable('cpd_offering').set({ status: 'scheduled' }).where('id', 'in', ['crowd-30', 'phonics-jan']).execute();
  await a.db.updateTable('cpd_offering').set({ capacity: 2 }).where('id', '=', 'phonics-jan').execute();
  await a.db.updateTable('cpd_session').set({ starts_at: SESSION_STARTS, ends_at: new Date('2027-03-03T17:15:00Z'), venue: null, meeting_url: 'https://teams.microsoft.com/l/meetup-join/x', mode: 'online' }).where('id', '=', 'crowd-30-s1').execute();
});

async function bookMany(n: number, offeringId = 'crowd-30', installed = true): Promise<TeamsPerson[]> {
  const people = Array.from({ length: n }, (_, i) => teamsPerson(`Person ${i}`));
  for (const p of people) {
    if (installed) {
      await a.post(a.activities.botInstalledInPersonalChat(p));
      await invoke(a, 'cpd.book', p, { offeringId });
    } else {
      // Booked from a channel card: Development Hub has never had a 1:1 chat with them.
      const answer = await a.post(a.activities.cardAction({ verb: 'cpd.book', data: { offeringId }, from: p, place: teamChannel(teamsTeam()) }));
      expect(answer.status).toBe(200);
    }
  }
  return people;
}
const remindersTo = (p: TeamsPerson) => a.connector.delivered(personalChat(p).conversationId).filter((c) => JSON.stringify(c.body).includes('Reminder: Popular Twilight'));

describe('reminders on the durable jobs', () => {
  it('two app instances on one database send each reminder exactly once', async () => {
    const people = await bookMany(12);
    a.connector.clear();
    clock.set(REMINDER_TIME);
    await Promise.all([a.hub.jobs.runDueJobs(), b.hub.jobs.runDueJobs(), a.hub.jobs.runDueJobs(), b.hub.jobs.runDueJobs()]);
    await Promise.all([a.hub.jobs.runDueJobs(), b.hub.jobs.runDueJobs()]);
    expect(people.map((p) => remindersTo(p).length)).toEqual(people.map(() => 1));
    const rows = await a.db.selectFrom('cpd_delivery').select('outcome').where('kind', '=', 'cpd.reminders.send').execute();
    expect(rows).toHaveLength(12);
  });

  it('a worker that died holding a reminder: another takes it over after the lease, and never sends twice', async () => {
    const [p, q] = await bookMany(2);
    clock.set(REMINDER_TIME);
    await a.hub.jobs.runDueJobs();
    expect([p, q].map((x) => remindersTo(x).length)).toEqual([1, 1]);
    // Replay the crash: instance A had claimed both reminder jobs and died holding them, one before
    // its send (no delivery row), the other after its send but before marking the job done.
    const jobs = await a.db.selectFrom('job').select(['id']).where('kind', '=', 'cpd.reminders.send').orderBy('id').execute();
    await a.db.updateTable('job').set({ status: 'running', locked_until: new Date(clock.now().getTime() + 60_000) }).where('kind', '=', 'cpd.reminders.send').execute();
    const unsent = await a.db.selectFrom('cpd_booking').select('person_aad_id').where('person_aad_id', '=', p.aadObjectId).executeTakeFirstOrThrow();
    await a.db.deleteFrom('cpd_delivery').where('person_aad_id', '=', unsent.person_aad_id).execute();
    a.connector.clear();
    expect(jobs).toHaveLength(2);

    expect(await b.hub.jobs.runDueJobs()).toBe(0);
    clock.advance(61_000);
    await b.hub.jobs.runDueJobs();
    // The one that never went out is sent by instance B; the one already sent is not sent again.
    expect([p, q].map((x) => remindersTo(x).length)).toEqual([1, 0]);
    expect(await a.db.selectFrom('job').select('status').where('kind', '=', 'cpd.reminders.send').execute()).toEqual([{ status: 'done' }, { status: 'done' }]);
  });

  it('records people who removed the app as unreachable (not retried), holds a throttled send for Retry-After, skips muted people', async () => {
    const [gone] = await bookMany(1, 'crowd-30', false);
    const [throttled] = await bookMany(1);
    await a.post(a.activities.botInstalledInPersonalChat(ELLIE));
    await invoke(a, 'cpd.book', ELLIE, { offeringId: 'crowd-30' });
    const [muted] = await say(a, ELLIE, 'please stop my reminders');
    expect(text(muted)).toContain('CPD reminders muted');
    a.connector.clear();
    // Only the throttled person's reminder reaches Teams: the others stop before any call.
    a.connector.failNext(1, { status: 429, retryAfterSeconds: 30, kind: 'reply' });
    clock.set(REMINDER_TIME);
    const throttledAt = clock.now().getTime();
    await a.hub.jobs.runDueJobs();
    expect(a.connector.calls.map((c) => c.status)).toEqual([429]);
    const outcomes = await a.db.selectFrom('cpd_delivery').select(['person_aad_id', 'outcome', 'reason']).orderBy('outcome').execute();
    expect(outcomes).toEqual([
      { person_aad_id: ELLIE.aadObjectId, outcome: 'skipped', reason: 'muted' },
      { person_aad_id: gone.aadObjectId, outcome: 'unreachable', reason: 'no_conversation_reference' },
    ]);
    // Throttling is not the job's fault: back to pending with its try kept, due after Retry-After.
    const waiting = await a.db.selectFrom('job').select(['status', 'attempts', 'run_at']).where('kind', '=', 'cpd.reminders.send').where('status', '=', 'pending').execute();
    expect(waiting.map((j) => [j.status, j.attempts])).toEqual([['pending', 0]]);
    expect(new Date(waiting[0].run_at).getTime() - throttledAt).toBeGreaterThanOrEqual(30_000);

    // The pacer's shared pause is in its own time: move it with the business clock.
    const pausedAt = pacerNow;
    clock.set(new Date(throttledAt + 29_000));
    pacerNow = pausedAt + 29_000;
    await Promise.all([a.hub.jobs.runDueJobs(), b.hub.jobs.runDueJobs()]);
    expect(remindersTo(throttled)).toHaveLength(0);
    clock.set(new Date(throttledAt + 31_000));
    pacerNow = pausedAt + 31_000;
    await Promise.all([a.hub.jobs.runDueJobs(), b.hub.jobs.runDueJobs()]);
    expect(remindersTo(throttled)).toHaveLength(1);
    // The unreachable and muted people are final: later passes call Teams for nobody.
    const calls = a.connector.calls.length;
    clock.advance(3 * 3_600_000);
    await a.hub.jobs.runDueJobs();
    expect(a.connector.calls).toHaveLength(calls);
    expect(remindersTo(ELLIE)).toHaveLength(0);
    expect(await a.db.selectFrom('job').select('status').where('kind', '=', 'cpd.reminders.send').where('status', '!=', 'done').execute()).toEqual([]);
  });
});

describe('changes by the Development Team', () => {
  it('moving a session tells everyone booked and waitlisted what changed, and refuses a move into the past', async () => {
    await a.post(a.activities.botInstalledInPersonalChat(HANNAH));
    for (const p of [ELLIE, TOM, NIAMH]) {
      await a.post(a.activities.botInstalledInPersonalChat(p));
      await invoke(a, 'cpd.book', p, { offeringId: 'phonics-jan' });
    }
    a.connector.clear();
    const past = await invoke(a, 'cpd.changes.move', HANNAH, { sessionId: 'phonics-jan-s1', date: '2026-11-01', starts: '15:45', ends: '17:15' });
    expect(text(past)).toContain('A session cannot be moved into the past');
    expect(JSON.stringify(past)).toContain('"value":"2026-11-01"');
    const byStaff = await invoke(a, 'cpd.changes.move', TOM, { sessionId: 'phonics-jan-s1', date: '2027-01-19' });
    expect(problemCode(byStaff)).toBe('not_allowed');
    expect((await a.db.selectFrom('cpd_session').select('starts_at').where('id', '=', 'phonics-jan-s1').executeTakeFirstOrThrow()).starts_at).toEqual(new Date('2027-01-12T15:45:00Z'));

    const done = await invoke(a, 'cpd.changes.move', HANNAH, { sessionId: 'phonics-jan-s1', date: '2027-01-19', starts: '15:30', ends: '17:00', venue: 'Hall, Brookside Primary Academy', capacity: '3' });
    expect(text(done)).toContain('When: Tue 12 Jan 2027, 15:45–17:15 → Tue 19 Jan 2027, 15:30–17:00');
    // Capacity 2 → 3 promotes Niamh from the waitlist.
    expect(text(done)).toContain('1 person moved off the waitlist');
    await a.hub.jobs.runDueJobs();
    for (const p of [ELLIE, TOM, NIAMH]) {
      const notice = cardsTo(a, p).find((c) => text(c).includes('Changed: Leadership and Teaching of Phonics'));
      expect(text(notice)).toContain('Where: Online → Hall, Brookside Primary Academy');
    }
    expect(cardsTo(a, NIAMH).some((c) => text(c).includes("a place has come up"))).toBe(true);
    const audit = await a.db.selectFrom('audit_log').select(['actor_aad_id']).where('action', '=', 'cpd.session.changed').execute();
    expect(audit).toEqual([{ actor_aad_id: HANNAH.aadObjectId }]);
  });

  it('"cancel session phonics" offers the session; cancelling releases every place and tells each person once', async () => {
    for (const p of [ELLIE, TOM]) {
      await a.post(a.activities.botInstalledInPersonalChat(p));
      await invoke(a, 'cpd.book', p, { offeringId: 'phonics-jan' });
    }
    await a.post(a.activities.botInstalledInPersonalChat(HANNAH));
    const [picker] = await say(a, HANNAH, 'cancel session phonics');
    expect(text(picker)).toContain('Leadership and Teaching of Phonics');
    const [refused] = await say(a, TOM, 'cancel session phonics');
    expect(problemCode(refused)).toBe('not_allowed');
    a.connector.clear();
    const done = await invoke(a, 'cpd.changes.cancel', HANNAH, { sessionId: 'phonics-jan-s1', confirm: 'yes' });
    expect(text(done)).toContain('2 booked or waitlisted people are being told');
    await Promise.all([a.hub.jobs.runDueJobs(), b.hub.jobs.runDueJobs()]);
    for (const p of [ELLIE, TOM]) expect(cardsTo(a, p).filter((c) => text(c).includes('A CPD course you booked is cancelled'))).toHaveLength(1);
    const statuses = await a.db.selectFrom('cpd_booking').select('status').where('offering_id', '=', 'phonics-jan').execute();
    expect(statuses.every((s) => s.status === 'cancelled')).toBe(true);
    expect(problemCode(await invoke(a, 'cpd.changes.cancel', HANNAH, { sessionId: 'phonics-jan-s1', confirm: 'yes' }))).toBe('offering_cancelled');
  });
});
