import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { calendarTransactionId } from '../../../../src/features/cpd/calendar/calendar.domain.js';
import { CALENDAR_ADD_JOB, CALENDAR_PROBLEM_NOTICE_JOB, CALENDAR_REMOVE_JOB } from '../../../../src/features/cpd/calendar/calendar.schemas.js';
import { createGraphClient } from '../../../../src/graph/graph-client.js';
import { fixedClock } from '../../../../src/shared/clock.js';
import { personalChat, teamsPerson, type TeamsPerson } from '../../../support/activities.js';
import type { Json } from '../../../support/connector-stand-in.js';
import { startGraphStandIn, type GraphStandIn } from '../../../support/graph-stand-in.js';
import { startHub, type HubHarness } from '../../../support/hub-harness.js';
import { MEETING, TODAY, loadBookingCatalogue } from '../booking/booking-fixtures.js';

// The whole app with Microsoft Graph pointed at the Graph stand-in: a booking's calendar step is an
// outbox job run by the real JobWorker, calling POST/DELETE /users/{id}/events through the real
// Graph client with app-only tokens from the stand-in's authority.

function strings(value: Json): string[] {
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return typeof value === 'string' ? [value] : [];
}

let graph: GraphStandIn;
let h: HubHarness;
const clock = fixedClock(TODAY);

beforeAll(async () => {
  graph = await startGraphStandIn();
  const connection = createGraphClient(graph.appConfig(), { credentialOptions: { authorityCa: graph.certificatePem }, retry: { delaySeconds: 0 } });
  h = await startHub({
    env: { SAMPLE_DATA: 'off' },
    clock,
    graph: connection,
    runJobs: false,
    jobOptions: { baseBackoffMs: 1000, random: () => 1 },
  });
  await loadBookingCatalogue(h.db, clock);
});
afterAll(async () => {
  await h?.close();
  await graph?.close();
});
beforeEach(async () => {
  clock.set(TODAY);
  graph.clearFailures();
  graph.clearRequests();
  graph.calendars.clear();
  h.connector.clear();
  await h.db.deleteFrom('job').execute();
  await h.db.deleteFrom('cpd_calendar_event').execute();
  await h.db.deleteFrom('cpd_booking').execute();
});

/** Someone with a mailbox (a user in the stand-in's directory). */
function staff(name: string): TeamsPerson {
  const person = teamsPerson(name);
  graph.addUser({ id: person.aadObjectId, displayName: name, mail: `${name.toLowerCase().replace(/\W+/g, '.')}@harmony.example` });
  return person;
}

async function press(verb: string, from: TeamsPerson, data: Record<string, unknown>): Promise<Json> {
  const answer = await h.post(h.activities.cardAction({ verb, data, from }));
  expect(answer.status).toBe(200);
  return answer.body.value;
}
const book = (from: TeamsPerson, offeringId: string) => press('cpd.book', from, { offeringId });
const cancelData = (card: Json): Record<string, unknown> => (card.actions as Json[]).find((a) => a.verb === 'cpd.booking.cancel').data as Record<string, unknown>;

const rowsOf = (aad: string) =>
  h.db.selectFrom('cpd_calendar_event').selectAll().where('person_aad_id', '=', aad).orderBy('session_id').execute();
const jobOf = (kind: string) => h.db.selectFrom('job').selectAll().where('kind', '=', kind).executeTakeFirstOrThrow();

describe('calendar through Microsoft Graph', () => {
  it('puts every session of a confirmed booking into the person\'s Outlook calendar', async () => {
    const ann = staff('Ann Calendar');
    const card = await book(ann, 'slp-spring');
    expect(strings(card.body)).toContain('Adding the dates to your Outlook calendar…');
    expect(graph.requestsTo('events.create')).toEqual([]);

    expect(await h.hub.jobs.runDueJobs()).toBe(1);

    const events = graph.calendars.eventsOf(ann.aadObjectId);
    expect(events.map((e) => e.subject)).toEqual([
      'Subject Leader Development Programme (session 1 of 3)',
      'Subject Leader Development Programme (session 2 of 3)',
      'Subject Leader Development Programme (session 3 of 3)',
    ]);
    expect(events[0].request).toMatchObject({
      start: { dateTime: '2027-01-12T15:45:00', timeZone: 'UTC' },
      end: { dateTime: '2027-01-12T17:15:00', timeZone: 'UTC' },
      location: { displayName: 'Hall, Brookside Primary Academy' },
    });
    expect(events[1].request.location).toEqual({ displayName: 'Microsoft Teams meeting', locationUri: MEETING });
    const calls = graph.requestsTo('events.create');
    expect(calls.map((c) => c.path)).toEqual(Array(3).fill(`/v1.0/users/${ann.aadObjectId}/events`));
    expect(calls.every((c) => /^Bearer stand-in-token-/.test(c.authorization ?? ''))).toBe(true);
    const booking = await h.db.selectFrom('cpd_booking').select('id').executeTakeFirstOrThrow();
    expect(calls.map((c): unknown => c.body.transactionId)).toEqual(['slp-spring-s1', 'slp-spring-s2', 'slp-spring-s3'].map((s) => calendarTransactionId(booking.id, s)));
    expect((await rowsOf(ann.aadObjectId)).map((r) => r.event_id)).toEqual(events.map((e) => e.id));

    const refreshed = await press('cpd.booking.refresh', ann, { offeringId: 'slp-spring' });
    expect(strings(refreshed.body)).toContain('In your Outlook calendar ✓');
    // Running again adds nothing.
    expect(await h.hub.jobs.runDueJobs()).toBe(0);
    expect(graph.calendars.eventsOf(ann.aadObjectId)).toHaveLength(3);
  });

  it('removes the events when the booking is cancelled, and adds them for the person promoted', async () => {
    const [a, b, c] = [staff('A Holder'), staff('B Holder'), staff('C Waiting')];
    const aCard = await book(a, 'phonics-jan');
    await book(b, 'phonics-jan');
    await book(c, 'phonics-jan');
    await h.hub.jobs.runDueJobs();
    expect(graph.calendars.eventsOf(a.aadObjectId)).toHaveLength(1);
    expect(graph.calendars.eventsOf(c.aadObjectId)).toHaveLength(0);
    const aEvent = graph.calendars.eventsOf(a.aadObjectId)[0].id;

    await press('cpd.booking.cancel', a, cancelData(aCard));
    expect(await h.hub.jobs.runDueJobs()).toBe(3); // remove A's, add C's, tell C

    expect(graph.requestsTo('events.delete').map((r) => [r.path, r.status])).toEqual([[`/v1.0/users/${a.aadObjectId}/events/${encodeURIComponent(aEvent)}`, 204]]);
    expect(graph.calendars.eventsOf(a.aadObjectId)).toEqual([]);
    expect(await rowsOf(a.aadObjectId)).toEqual([]);
    expect(graph.calendars.eventsOf(c.aadObjectId).map((e) => e.subject)).toEqual(['Leadership and Teaching of Phonics']);
    expect(await rowsOf(c.aadObjectId)).toHaveLength(1);
  });

  it('does not add anything for a booking cancelled before its calendar job ran', async () => {
    const quick = staff('Quick Changer');
    const card = await book(quick, 'phonics-jan');
    await press('cpd.booking.cancel', quick, cancelData(card));
    await h.hub.jobs.runDueJobs();
    expect(graph.requestsTo('events.create')).toEqual([]);
    expect((await jobOf(CALENDAR_ADD_JOB)).status).toBe('done');
    expect((await jobOf(CALENDAR_REMOVE_JOB)).status).toBe('done');
  });

  it('counts an event already deleted in Outlook as removed', async () => {
    const tidy = staff('Tidy Person');
    const card = await book(tidy, 'phonics-jan');
    await h.hub.jobs.runDueJobs();
    const [event] = graph.calendars.eventsOf(tidy.aadObjectId);
    graph.calendars.remove(tidy.aadObjectId, event.id);
    await press('cpd.booking.cancel', tidy, cancelData(card));
    await h.hub.jobs.runDueJobs();
    expect(graph.requestsTo('events.delete')[0].status).toBe(404);
    expect((await jobOf(CALENDAR_REMOVE_JOB)).status).toBe('done');
    expect(await rowsOf(tidy.aadObjectId)).toEqual([]);
  });

  it('never makes a second event when a create reached Graph but its answer was lost', async () => {
    const ben = staff('Ben Retry');
    await book(ben, 'phonics-jan');
    const booking = await h.db.selectFrom('cpd_booking').select('id').executeTakeFirstOrThrow();
    // The earlier attempt's POST was processed by Graph before the job died.
    graph.calendars.add({
      id: 'AAMkAGI2TG93AAA=earlier-attempt',
      userId: ben.aadObjectId,
      subject: 'Leadership and Teaching of Phonics',
      body: { contentType: 'text', content: '' },
      start: { dateTime: '2027-01-12T15:45:00', timeZone: 'UTC' },
      end: { dateTime: '2027-01-12T17:15:00', timeZone: 'UTC' },
      location: null,
      transactionId: calendarTransactionId(booking.id, 'phonics-jan-s1'),
      showAs: 'busy',
      isReminderOn: true,
      reminderMinutesBeforeStart: 30,
      createdDateTime: new Date().toISOString(),
      request: {},
    });

    await h.hub.jobs.runDueJobs();
    expect(graph.calendars.eventsOf(ben.aadObjectId).map((e) => e.id)).toEqual(['AAMkAGI2TG93AAA=earlier-attempt']);
    expect((await rowsOf(ben.aadObjectId)).map((r) => r.event_id)).toEqual(['AAMkAGI2TG93AAA=earlier-attempt']);
  });

  it.each([429, 503])('waits as long as Graph asked after %i with Retry-After, then adds the event', async (status) => {
    const tess = staff(`Throttled ${status}`);
    await book(tess, 'phonics-jan');
    graph.failNext('events.create', 1, { status, retryAfter: '120' });

    expect(await h.hub.jobs.runDueJobs()).toBe(1);
    const job = await jobOf(CALENDAR_ADD_JOB);
    expect(job).toMatchObject({ status: 'pending', attempts: 1 });
    expect(job.last_error).toContain(String(status));
    expect(new Date(job.run_at).getTime() - clock.now().getTime()).toBeGreaterThanOrEqual(120_000);
    expect(graph.calendars.eventsOf(tess.aadObjectId)).toEqual([]);

    clock.advance(60_000);
    expect(await h.hub.jobs.runDueJobs()).toBe(0);
    clock.advance(60_000);
    expect(await h.hub.jobs.runDueJobs()).toBe(1);
    expect(graph.calendars.eventsOf(tess.aadObjectId)).toHaveLength(1);
    expect((await jobOf(CALENDAR_ADD_JOB)).status).toBe('done');
  });

  it('tells the person in a 1:1 message when the calendar finally could not be updated, and keeps the booking', async () => {
    const una = staff('Una Lucky');
    await h.post(h.activities.botInstalledInPersonalChat(una));
    await book(una, 'phonics-jan');
    h.connector.clear();
    graph.failNext('events.create', Infinity, { status: 503, retryAfter: '30' });

    let attempts = 0;
    while ((await jobOf(CALENDAR_ADD_JOB)).status !== 'failed' && attempts < 10) {
      await h.hub.jobs.runDueJobs();
      clock.advance(3600_000);
      attempts += 1;
    }
    expect(await jobOf(CALENDAR_ADD_JOB)).toMatchObject({ status: 'failed', attempts: 6 });
    expect(graph.requestsTo('events.create')).toHaveLength(6);
    await h.hub.jobs.runDueJobs();
    expect((await jobOf(CALENDAR_PROBLEM_NOTICE_JOB)).status).toBe('done');

    const delivered = h.connector.delivered(personalChat(una).conversationId);
    expect(delivered).toHaveLength(1);
    expect(delivered[0].body.text).toContain(`couldn't add "Leadership and Teaching of Phonics" to your Outlook calendar. Your place is still booked`);
    expect((await h.db.selectFrom('cpd_booking').select('status').executeTakeFirstOrThrow()).status).toBe('confirmed');
    const card = await press('cpd.booking.refresh', una, { offeringId: 'phonics-jan' });
    expect(strings(card.body)).toEqual(expect.arrayContaining(['Booked ✓', "Development Hub couldn't add this to your Outlook calendar, so please add the dates yourself. Your place is still booked."]));
  });

  it('does not retry when Graph says the person has no mailbox, and tells them at once', async () => {
    const noMailbox = teamsPerson('No Mailbox'); // not in the stand-in's directory
    await h.post(h.activities.botInstalledInPersonalChat(noMailbox));
    await book(noMailbox, 'phonics-jan');
    h.connector.clear();

    await h.hub.jobs.runDueJobs();
    expect(graph.requestsTo('events.create').map((r) => r.status)).toEqual([404]);
    expect(await jobOf(CALENDAR_ADD_JOB)).toMatchObject({ status: 'done', attempts: 1 });
    expect(h.connector.delivered(personalChat(noMailbox).conversationId)[0].body.text).toContain('Your place is still booked');
    const card = await press('cpd.booking.refresh', noMailbox, { offeringId: 'phonics-jan' });
    expect(strings(card.body).join('\n')).toContain("couldn't add this to your Outlook calendar");
  });

  it('tells the person when a cancelled booking\'s events could not be removed', async () => {
    const vic = staff('Vic Remover');
    await h.post(h.activities.botInstalledInPersonalChat(vic));
    const card = await book(vic, 'phonics-jan');
    await h.hub.jobs.runDueJobs();
    await press('cpd.booking.cancel', vic, cancelData(card));
    graph.failNext('events.delete', Infinity, { status: 503, retryAfter: '30' });
    h.connector.clear();
    for (let i = 0; i < 8; i += 1) {
      await h.hub.jobs.runDueJobs();
      clock.advance(3600_000);
    }
    expect((await jobOf(CALENDAR_REMOVE_JOB)).status).toBe('failed');
    const texts = h.connector.delivered(personalChat(vic).conversationId).map((d) => String(d.body.text));
    expect(texts).toEqual([expect.stringContaining("couldn't remove it from your Outlook calendar")]);
  });
});
