import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CPD_MY_BOOKINGS_JOURNEY, cpdBookingFeature } from '../../../../src/features/cpd/booking/booking.bot.js';
import {
  CPD_BOOK_VERB,
  CPD_BOOKING_CANCEL_VERB,
  CPD_BOOKING_LEAVE_WAITLIST_VERB,
  CPD_BOOKING_REFRESH_VERB,
  CPD_MY_BOOKINGS_REFRESH_VERB,
} from '../../../../src/features/cpd/booking/booking.schemas.js';
import type { AdaptiveCard, Speaker, TurnInfo } from '../../../../src/shared/bot-contract.js';
import { createNormaliser } from '../../../../src/shared/message-normaliser.domain.js';
import { openPgliteTestDb, type TestDb } from '../../../support/test-db.js';
import { bookingSetup, speaker, writtenRows, type BookingSetup } from './booking-fixtures.js';
import { smallTaxonomy } from '../cpd-fixtures.js';
import { cardNodes, cardTexts } from '../../../support/card-nodes.js';

const executes = (card: AdaptiveCard) => cardNodes(card.body).concat(cardNodes(card['actions'])).filter((n) => n['type'] === 'Action.Execute');
const verbs = (card: AdaptiveCard) => executes(card).map((a) => `${String(a['verb'])}:${String(a['title'])}`);

const turnOf = (who: Speaker, scope: TurnInfo['conversation']['scope'] = 'personal'): TurnInfo => ({
  speaker: who,
  conversation: { id: `conv-${who.aadObjectId}`, scope, teamId: undefined },
  locale: 'en-GB',
});

describe('CPD booking cards', () => {
  let testDb: TestDb;
  let s: BookingSetup;
  let feature: ReturnType<typeof cpdBookingFeature>;
  const normalise = createNormaliser({ synonyms: [], words: [] });
  beforeEach(async () => {
    testDb = await openPgliteTestDb();
    s = await bookingSetup(testDb.db);
    feature = cpdBookingFeature({ bookings: s.service, taxonomy: smallTaxonomy });
  });
  afterEach(async () => testDb.close());

  const press = (verb: string, who: Speaker, data: unknown) => feature.actions.find((a) => a.verb === verb)!.handle(turnOf(who), data);
  const say = async (who: Speaker, text: string, scope: TurnInfo['conversation']['scope'] = 'personal') => {
    const intent = feature.intents[0];
    const turn = turnOf(who, scope);
    return (await intent.score(normalise(text), turn)) >= 0.5 ? intent.handle(turn, normalise(text)) : null;
  };

  it('offers the My bookings journey', () => {
    expect(feature.journeys).toEqual([CPD_MY_BOOKINGS_JOURNEY]);
    expect(CPD_MY_BOOKINGS_JOURNEY).toMatchObject({ id: 'cpd.my_bookings', title: 'My bookings', prompt: 'my bookings' });
  });

  it('answers Book with the updated card: Booked ✓, Cancel, and a refresh for the presser', async () => {
    const card = await press(CPD_BOOK_VERB, speaker(1), { offeringId: 'phonics-jan' });
    expect(card.version).toBe('1.5');
    expect(card['metadata']).toBeUndefined();
    expect(cardTexts(card)).toEqual(expect.arrayContaining(['Booked ✓', "You're booked on Leadership and Teaching of Phonics.", '1 place left']));
    expect(cardTexts(card).join('\n')).toContain("isn't connected to Outlook calendars here");
    const bookingId = (await s.repository.findActive('phonics-jan', speaker(1).aadObjectId!))!.id;
    expect(executes(card).map((a) => [a['verb'], a['title'], a['data']])).toEqual([
      [CPD_BOOKING_CANCEL_VERB, 'Cancel my place', { bookingId, view: 'offering' }],
    ]);
    expect(card['refresh']).toEqual({
      action: { type: 'Action.Execute', title: 'Refresh', verb: CPD_BOOKING_REFRESH_VERB, data: { offeringId: 'phonics-jan' } },
      userIds: [speaker(1).id],
    });
    expect(Buffer.byteLength(JSON.stringify(card))).toBeLessThan(28 * 1024);
  });

  it('shows Waitlisted #n with Leave waitlist when the course is full', async () => {
    await press(CPD_BOOK_VERB, speaker(1), { offeringId: 'phonics-jan' });
    await press(CPD_BOOK_VERB, speaker(2), { offeringId: 'phonics-jan' });
    await press(CPD_BOOK_VERB, speaker(3), { offeringId: 'phonics-jan' });
    const card = await press(CPD_BOOK_VERB, speaker(4), { offeringId: 'phonics-jan' });
    expect(cardTexts(card)).toContain('Waitlisted #2');
    expect(cardTexts(card).join('\n')).toContain("on the waitlist at number 2");
    expect(verbs(card)).toEqual([`${CPD_BOOKING_LEAVE_WAITLIST_VERB}:Leave waitlist`]);
  });

  it('answers Cancel with the card showing it cancelled and a Book again button', async () => {
    await press(CPD_BOOK_VERB, speaker(1), { offeringId: 'phonics-jan' });
    const bookingId = (await s.repository.findActive('phonics-jan', speaker(1).aadObjectId!))!.id;
    const card = await press(CPD_BOOKING_CANCEL_VERB, speaker(1), { bookingId });
    expect(cardTexts(card)).toEqual(expect.arrayContaining(['Cancelled', '2 places left']));
    expect(verbs(card)).toEqual([`${CPD_BOOK_VERB}:Book again`]);
    // The same press again: the same answer.
    const again = await press(CPD_BOOKING_CANCEL_VERB, speaker(1), { bookingId });
    expect(cardTexts(again)).toContain('Cancelled');
    expect(cardTexts(again).join('\n')).toContain('already cancelled');
  });

  it('refreshes to the viewer\'s current state and seat count', async () => {
    await press(CPD_BOOK_VERB, speaker(1), { offeringId: 'phonics-jan' });
    const other = await press(CPD_BOOKING_REFRESH_VERB, speaker(2), { offeringId: 'phonics-jan' });
    expect(cardTexts(other)).toEqual(expect.arrayContaining(["You're not booked on this.", '1 place left']));
    expect(verbs(other)).toEqual([`${CPD_BOOK_VERB}:Book`]);
    expect((other['refresh'] as { userIds: string[] }).userIds).toEqual([speaker(2).id]);
    await press(CPD_BOOK_VERB, speaker(3), { offeringId: 'phonics-jan' });
    const full = await press(CPD_BOOKING_REFRESH_VERB, speaker(2), { offeringId: 'phonics-jan' });
    expect(cardTexts(full)).toContain('Full — join the waitlist');
    expect(verbs(full)).toEqual([`${CPD_BOOK_VERB}:Join the waitlist`]);
    const mine = await press(CPD_BOOKING_REFRESH_VERB, speaker(1), { offeringId: 'phonics-jan' });
    expect(cardTexts(mine)).toContain('Booked ✓');
  });

  it('says a refreshed card\'s course was cancelled, without a Book button', async () => {
    const card = await press(CPD_BOOKING_REFRESH_VERB, speaker(1), { offeringId: 'send-cancelled' });
    expect(card['metadata']).toBeUndefined();
    expect(cardTexts(card)).toContain('The Development Team has cancelled this course.');
    expect(verbs(card)).toEqual([]);
  });

  it.each([
    [CPD_BOOK_VERB, undefined],
    [CPD_BOOK_VERB, {}],
    [CPD_BOOK_VERB, { offeringId: 42 }],
    [CPD_BOOK_VERB, { offeringId: "phonics-jan'; drop table cpd_booking; --" }],
    [CPD_BOOK_VERB, { offeringId: 'x'.repeat(500) }],
    [CPD_BOOKING_CANCEL_VERB, {}],
    [CPD_BOOKING_CANCEL_VERB, { bookingId: '../../etc' }],
    [CPD_BOOKING_CANCEL_VERB, { bookingId: 'b1', view: 'someone_elses' }],
    [CPD_BOOKING_LEAVE_WAITLIST_VERB, 'b1'],
    [CPD_BOOKING_REFRESH_VERB, { offering: 'phonics-jan' }],
  ])('answers %s with bad data %j by an invalid_action card and writes nothing', async (verb, data) => {
    const card = await press(verb, speaker(1), data);
    expect(card['metadata']).toEqual({ problemCode: 'invalid_action' });
    expect(cardTexts(card).join('\n')).toMatch(/nothing was booked or changed/);
    expect(await writtenRows(s.db)).toEqual({ bookings: 0, audit: 0, jobs: 0 });
  });

  it.each([
    ['offering_not_found', { offeringId: 'no-such-course' }, 'Course not found'],
    ['offering_cancelled', { offeringId: 'send-cancelled' }, 'This course has been cancelled'],
    ['booking_closed', { offeringId: 'dsl-closed' }, 'Booking has closed'],
    ['session_past', { offeringId: 'dsl-started' }, 'This course has already started'],
  ])('answers a refused booking (%s) with an error card saying what happened and what to do', async (code, data, title) => {
    const card = await press(CPD_BOOK_VERB, speaker(1), data);
    expect(card['metadata']).toEqual({ problemCode: code });
    const all = cardTexts(card);
    expect(all).toContain(title);
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(await writtenRows(s.db)).toEqual({ bookings: 0, audit: 0, jobs: 0 });
  });

  it('refuses to cancel someone else\'s place, and tells a person Teams did not identify', async () => {
    await press(CPD_BOOK_VERB, speaker(1), { offeringId: 'phonics-jan' });
    const bookingId = (await s.repository.findActive('phonics-jan', speaker(1).aadObjectId!))!.id;
    expect((await press(CPD_BOOKING_CANCEL_VERB, speaker(2), { bookingId }))['metadata']).toEqual({ problemCode: 'not_allowed' });
    expect((await press(CPD_BOOKING_CANCEL_VERB, speaker(2), { bookingId: 'unknown-booking' }))['metadata']).toEqual({ problemCode: 'booking_not_found' });
    const stranger = await press(CPD_BOOK_VERB, { aadObjectId: undefined, name: 'Guest', tenantId: undefined }, { offeringId: 'phonics-jan' });
    expect(stranger['metadata']).toEqual({ problemCode: 'person_not_in_directory' });
    expect((await s.repository.findActive('phonics-jan', speaker(1).aadObjectId!))!.status).toBe('confirmed');
  });

  describe('"my bookings"', () => {
    it('lists upcoming places and waitlist places with their buttons', async () => {
      for (const n of [1, 2]) await press(CPD_BOOK_VERB, speaker(n), { offeringId: 'phonics-jan' });
      await press(CPD_BOOK_VERB, speaker(9), { offeringId: 'phonics-jan' });
      await press(CPD_BOOK_VERB, speaker(9), { offeringId: 'slp-spring' });
      const replies = await say(speaker(9), 'my bookings');
      expect(replies).toHaveLength(1);
      const card = (replies![0] as { kind: 'card'; card: AdaptiveCard }).card;
      expect(cardTexts(card)).toEqual(expect.arrayContaining(['My CPD bookings', '1 booked · 1 on a waitlist', 'Waitlisted #1', 'Booked ✓', 'Subject Leader Development Programme']));
      expect(verbs(card)).toEqual([`${CPD_BOOKING_LEAVE_WAITLIST_VERB}:Leave waitlist`, `${CPD_BOOKING_CANCEL_VERB}:Cancel my place`]);
      expect(executes(card).every((a) => (a['data'] as { view: string }).view === 'my_bookings')).toBe(true);
      expect((card['refresh'] as { action: { verb: string }; userIds: string[] })).toMatchObject({ action: { verb: CPD_MY_BOOKINGS_REFRESH_VERB }, userIds: [speaker(9).id] });

      // Cancelling from the list answers with the list again, saying what happened.
      const slpButton = executes(card).find((a) => a['verb'] === CPD_BOOKING_CANCEL_VERB)!;
      const after = await press(CPD_BOOKING_CANCEL_VERB, speaker(9), slpButton['data']);
      expect(cardTexts(after)).toEqual(expect.arrayContaining(['My CPD bookings', 'Your place on Subject Leader Development Programme is cancelled.', '1 on a waitlist']));
      expect(verbs(after)).toEqual([`${CPD_BOOKING_LEAVE_WAITLIST_VERB}:Leave waitlist`]);
      const refreshed = await press(CPD_MY_BOOKINGS_REFRESH_VERB, speaker(9), {});
      expect(cardTexts(refreshed)).toContain('Waitlisted #1');
    });

    it('says so when there is nothing booked', async () => {
      const card = (((await say(speaker(5), 'show me my bookings'))![0]) as { card: AdaptiveCard }).card;
      expect(cardTexts(card)).toContain('Nothing booked yet');
      expect(executes(card)).toEqual([]);
    });

    it('keeps bookings out of channels and leaves other text to other routes', async () => {
      const replies = await say(speaker(5), 'my bookings', 'channel');
      expect(replies).toEqual([{ kind: 'text', text: expect.stringContaining('1:1 chat') }]);
      expect(await say(speaker(5), 'any phonics training?')).toBeNull();
    });
  });
});
