import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PROMOTION_NOTICE_JOB } from '../../../../src/features/cpd/booking/booking.schemas.js';
import { fixedClock } from '../../../../src/shared/clock.js';
import { personalChat, teamChannel, teamsPerson, teamsTeam, type TeamsPerson } from '../../../support/activities.js';
import { adaptiveCards, type Json } from '../../../support/connector-stand-in.js';
import { startHub, type HubHarness } from '../../../support/hub-harness.js';
import { TODAY, loadBookingCatalogue, writtenRows } from './booking-fixtures.js';

// Through HTTP: Teams-shaped invoke and message activities → /api/messages → the real CloudAdapter
// and Teams AI Application → the invoke response (the card that replaces the pressed one) or
// replies and proactive messages at the connector stand-in.

function strings(value: Json): string[] {
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return typeof value === 'string' ? [value] : [];
}
interface ExecuteAction {
  verb: string;
  title: string;
  data: Record<string, unknown>;
}
function actions(card: Json): ExecuteAction[] {
  return [...(card.actions ?? [])].filter((a: Json) => a.type === 'Action.Execute') as ExecuteAction[];
}

let h: HubHarness;
const clock = fixedClock(TODAY);
beforeAll(async () => {
  h = await startHub({ env: { SAMPLE_DATA: 'off' }, clock, runJobs: false });
  await loadBookingCatalogue(h.db, clock);
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  h.connector.clear();
  await h.db.deleteFrom('job').execute();
  await h.db.deleteFrom('audit_log').execute();
  await h.db.deleteFrom('cpd_booking').execute();
});

const book = (from: TeamsPerson, offeringId: unknown, trigger: 'manual' | 'automatic' = 'manual') =>
  h.activities.cardAction({ verb: 'cpd.book', data: { offeringId }, from, trigger });

async function invoke(activity: Json): Promise<Json> {
  const answer = await h.post(activity);
  expect(answer.status).toBe(200);
  expect(answer.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  return answer.body.value;
}

describe('booking from a card through /api/messages', () => {
  it('answers the Book invoke with the updated card for the presser: Booked ✓, Cancel, refresh for them', async () => {
    const ellie = teamsPerson('Ellie Brightwater', 'b0000000-0000-4000-8000-000000000001');
    const card = await invoke(book(ellie, 'phonics-jan'));

    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(strings(card.body)).toEqual(expect.arrayContaining(['Booked ✓', '1 place left']));
    expect(actions(card).map((a) => a.verb)).toEqual(['cpd.booking.cancel']);
    expect(card.refresh).toEqual({
      action: { type: 'Action.Execute', title: 'Refresh', verb: 'cpd.booking.refresh', data: { offeringId: 'phonics-jan' } },
      userIds: [ellie.id],
    });
    // The card travels in the invoke response; nothing is posted to the conversation.
    expect(h.connector.calls).toEqual([]);
    const row = await h.db.selectFrom('cpd_booking').selectAll().executeTakeFirstOrThrow();
    // The sample roster names her.
    expect(row).toMatchObject({ person_aad_id: ellie.aadObjectId, person_name: 'Ellie Brightwater', person_email: 'ellie.brightwater@harmony.example', person_teams_id: ellie.id, status: 'confirmed' });
  });

  it('treats a Teams retry of the same invoke and a concurrent double click as one booking with the same answer', async () => {
    const tom = teamsPerson('Tom Fairweather');
    const activity = book(tom, 'slp-spring');
    const first = await invoke(activity);
    const retried = await invoke(activity);
    const [x, y] = await Promise.all([invoke(book(tom, 'slp-spring')), invoke(book(tom, 'slp-spring'))]);

    for (const card of [first, retried, x, y]) {
      expect(strings(card.body)).toContain('Booked ✓');
      expect(actions(card)[0].data).toEqual(actions(first)[0].data);
    }
    expect(await writtenRows(h.db)).toMatchObject({ bookings: 1, audit: 1 });
  });

  it('waitlists with the position shown once the course is full', async () => {
    await invoke(book(teamsPerson('A'), 'phonics-jan'));
    await invoke(book(teamsPerson('B'), 'phonics-jan'));
    const card = await invoke(book(teamsPerson('C'), 'phonics-jan'));
    expect(strings(card.body)).toContain('Waitlisted #1');
    expect(actions(card).map((a) => [a.verb, a.title])).toEqual([['cpd.booking.leave_waitlist', 'Leave waitlist']]);
  });

  it('answers a tampered or unknown offering id with an error card and writes nothing', async () => {
    for (const [offeringId, code] of [
      ['no-such-offering', 'offering_not_found'],
      ['<script>', 'invalid_action'],
      [17, 'invalid_action'],
      ['send-cancelled', 'offering_cancelled'],
    ] as const) {
      const card = await invoke(book(teamsPerson('Curious'), offeringId));
      expect(card.metadata).toEqual({ problemCode: code });
    }
    const missing = await invoke(h.activities.cardAction({ verb: 'cpd.book', from: teamsPerson('No Data') }));
    expect(missing.metadata).toEqual({ problemCode: 'invalid_action' });
    expect(await writtenRows(h.db)).toEqual({ bookings: 0, audit: 0, jobs: 0 });
  });

  it('answers an automatic refresh with current seats for the person it is shown to', async () => {
    const viewer = teamsPerson('Viewer');
    await invoke(book(teamsPerson('Booker'), 'phonics-jan'));
    const card = await invoke(h.activities.cardAction({ verb: 'cpd.booking.refresh', data: { offeringId: 'phonics-jan' }, from: viewer, trigger: 'automatic' }));
    expect(strings(card.body)).toEqual(expect.arrayContaining(['1 place left', "You're not booked on this."]));
    expect(card.refresh.userIds).toEqual([viewer.id]);
  });

  it('updates the card in place in a channel too', async () => {
    const team = teamsTeam();
    const card = await invoke(h.activities.cardAction({ verb: 'cpd.book', data: { offeringId: 'phonics-jan' }, from: teamsPerson('Channel Member'), place: teamChannel(team) }));
    expect(strings(card.body)).toContain('Booked ✓');
  });
});

describe('cancelling and promotion through /api/messages', () => {
  it('promotes the first waitlisted person and tells them in a 1:1 message with the session card', async () => {
    const ann = teamsPerson('Ann Holder');
    const bob = teamsPerson('Bob Holder');
    const cat = teamsPerson('Cat Waiting');
    const dan = teamsPerson('Dan Waiting');
    // Cat has the app installed in a personal chat, so Development Hub can message her.
    await h.post(h.activities.botInstalledInPersonalChat(cat));
    for (const p of [ann, bob, cat, dan]) await invoke(book(p, 'phonics-jan'));
    h.connector.clear();

    const booked = await invoke(h.activities.cardAction({ verb: 'cpd.booking.refresh', data: { offeringId: 'phonics-jan' }, from: ann }));
    const cancelled = await invoke(h.activities.cardAction({ verb: 'cpd.booking.cancel', data: actions(booked)[0].data, from: ann }));
    expect(strings(cancelled.body)).toEqual(expect.arrayContaining(['Cancelled']));
    expect(actions(cancelled).map((a) => a.title)).toEqual(['Join the waitlist again']);

    // Promotion happened in the cancelling transaction; the message is an outbox job.
    const cats = await h.db.selectFrom('cpd_booking').select('status').where('person_aad_id', '=', cat.aadObjectId).executeTakeFirstOrThrow();
    expect(cats.status).toBe('confirmed');
    expect(h.connector.calls).toEqual([]);
    expect(await h.hub.jobs.runDueJobs()).toBe(1);

    const conversationId = personalChat(cat).conversationId;
    const delivered = h.connector.delivered(conversationId);
    expect(delivered).toHaveLength(1);
    expect(['send', 'reply']).toContain(delivered[0].kind);
    const [card] = adaptiveCards(delivered[0].body);
    expect(strings(card.body)).toEqual(expect.arrayContaining(['Booked ✓', "Good news: a place has come up on Leadership and Teaching of Phonics and it's yours. You're booked."]));
    expect(actions(card).map((a) => a.verb)).toEqual(['cpd.booking.cancel']);
    expect(card.refresh.userIds).toEqual([cat.id]);
    const job = await h.db.selectFrom('job').select(['status']).where('kind', '=', PROMOTION_NOTICE_JOB).executeTakeFirstOrThrow();
    expect(job.status).toBe('done');
  });

  it('logs and finishes when the promoted person does not have the app installed', async () => {
    const holders = [teamsPerson('H1'), teamsPerson('H2')];
    // Booked from a channel card: Development Hub has never been in a 1:1 chat with them.
    const waiting = teamsPerson('Never Installed');
    for (const p of holders) await invoke(book(p, 'phonics-jan'));
    await invoke(h.activities.cardAction({ verb: 'cpd.book', data: { offeringId: 'phonics-jan' }, from: waiting, place: teamChannel(teamsTeam()) }));
    const card = await invoke(h.activities.cardAction({ verb: 'cpd.booking.refresh', data: { offeringId: 'phonics-jan' }, from: holders[0] }));
    await invoke(h.activities.cardAction({ verb: 'cpd.booking.cancel', data: actions(card)[0].data, from: holders[0] }));
    h.connector.clear();
    const logsBefore = h.logs.length;

    expect(await h.hub.jobs.runDueJobs()).toBe(1);
    expect(h.connector.delivered()).toEqual([]);
    expect(h.logs.slice(logsBefore).some((l) => String(l.msg).includes('cannot reach them') && l.code === 'no_conversation_reference')).toBe(true);
    const job = await h.db.selectFrom('job').select(['status']).where('kind', '=', PROMOTION_NOTICE_JOB).executeTakeFirstOrThrow();
    expect(job.status).toBe('done');
  });

  it('refuses to cancel someone else\'s place', async () => {
    const owner = teamsPerson('Owner');
    const card = await invoke(book(owner, 'phonics-jan'));
    const answer = await invoke(h.activities.cardAction({ verb: 'cpd.booking.cancel', data: actions(card)[0].data, from: teamsPerson('Meddler') }));
    expect(answer.metadata).toEqual({ problemCode: 'not_allowed' });
    expect((await h.db.selectFrom('cpd_booking').select('status').executeTakeFirstOrThrow()).status).toBe('confirmed');
  });
});

describe('"my bookings" in chat', () => {
  it('replies with a card listing upcoming places and waitlist places with their buttons', async () => {
    const me = teamsPerson('Mia Booker');
    await invoke(book(me, 'slp-spring'));
    const message = h.activities.message({ text: 'my bookings', from: me });
    await h.post(message);
    const reply = await h.connector.waitForDelivery(message.conversation.id);
    const [card] = adaptiveCards(reply.body);
    expect(strings(card.body)).toEqual(expect.arrayContaining(['My CPD bookings', 'Subject Leader Development Programme', 'Booked ✓']));
    expect(strings(card.body)).toEqual(expect.arrayContaining(['3 sessions from Tue 12 Jan 2027']));
    expect(card.refresh.userIds).toEqual([me.id]);
  });

  it('is what the My bookings button on a booking card asks for', async () => {
    const me = teamsPerson('Button Presser');
    const card = await invoke(book(me, 'phonics-jan'));
    const button = (card.actions as Json[]).find((a) => a.title === 'My bookings');
    expect(button).toEqual({ type: 'Action.Submit', title: 'My bookings', data: { prompt: 'my bookings' } });
    // An Action.Submit arrives as a message whose value is the button's data.
    const message = h.activities.message({ text: '', from: me, value: button.data });
    await h.post(message);
    const reply = await h.connector.waitForDelivery(message.conversation.id);
    expect(strings(adaptiveCards(reply.body)[0].body)).toEqual(expect.arrayContaining(['My CPD bookings', 'Leadership and Teaching of Phonics']));
  });

  it('is offered on the welcome card after Find CPD', async () => {
    const message = h.activities.message({ text: 'help', from: teamsPerson('New Person') });
    await h.post(message);
    const reply = await h.connector.waitForDelivery(message.conversation.id);
    const text = strings(adaptiveCards(reply.body)[0]);
    expect(text).toContain('My bookings');
    expect(text.indexOf('Find CPD')).toBeLessThan(text.indexOf('My bookings'));
  });
});
