import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../src/shared/clock.js';
import { startHub, type HubHarness } from '../../../support/hub-harness.js';
import { TODAY, loadBookingCatalogue } from '../booking/booking-fixtures.js';
import { ELLIE, HANNAH, NIAMH, TOM, invoke, problemCode, resetJobs, say, text } from './follow-up-fixtures.js';

// Bad input on the follow-up cards and in chat, through /api/messages: each gets a refusal card that
// says what is wrong (the form comes back with what was typed), and nothing is stored, changed,
// audited or sent. Phonics-jan: one session, Tue 12 Jan 2027 15:45–17:15 London (= UTC in January).

let h: HubHarness;
const clock = fixedClock(TODAY);
const SESSION = 'phonics-jan-s1';
const AFTER = '2027-01-12T17:20:00Z';

beforeAll(async () => {
  h = await startHub({ env: { SAMPLE_DATA: 'off' }, clock, runJobs: false });
  await loadBookingCatalogue(h.db, clock);
  for (const p of [ELLIE, TOM, NIAMH, HANNAH]) await h.post(h.activities.botInstalledInPersonalChat(p));
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  clock.set(TODAY);
  await resetJobs(h, clock.now());
  for (const table of ['cpd_delivery', 'cpd_feedback', 'cpd_attendance', 'cpd_impact_check_in', 'cpd_booking', 'audit_log'] as const) await h.db.deleteFrom(table).execute();
  await h.db.updateTable('cpd_offering').set({ status: 'scheduled', capacity: 2 }).where('id', '=', 'phonics-jan').execute();
  await invoke(h, 'cpd.book', ELLIE, { offeringId: 'phonics-jan' });
  await invoke(h, 'cpd.book', TOM, { offeringId: 'phonics-jan' });
});

const scores = (value = '4'): Record<string, string> => Object.fromEntries(h.hub.profile.cpd.followUp.criteria.map((c) => [`score.${c.id}`, value]));
const bookingOf = async (who: typeof ELLIE) =>
  (await h.db.selectFrom('cpd_booking').select('id').where('person_aad_id', '=', who.aadObjectId).where('offering_id', '=', 'phonics-jan').executeTakeFirstOrThrow()).id;
async function markEllie(status: 'present' | 'absent'): Promise<void> {
  clock.set(AFTER);
  const saved = await invoke(h, 'cpd.register.save', HANNAH, { sessionId: SESSION, [`mark.${await bookingOf(ELLIE)}`]: status });
  expect(text(saved)).toContain('Saved 1 change');
}
const stored = async () => ({
  feedback: await h.db.selectFrom('cpd_feedback').selectAll().execute(),
  impact: await h.db.selectFrom('cpd_impact_check_in').selectAll().execute(),
});

describe('bad feedback', () => {
  it('refuses every score that is not a whole number 1–5, keeping the answers on the form', async () => {
    await markEllie('present');
    for (const bad of ['0', '6', '3.5', '-1', 'five', '0x3', '3e0', '10', ' ']) {
      const card = await invoke(h, 'cpd.feedback.submit', ELLIE, { sessionId: SESSION, ...scores(), 'score.evidence': bad, doDifferently: 'Keep this text' });
      expect(problemCode(card) ?? text(card), `score "${bad}"`).toMatch(/score_out_of_range|must be scored with a whole number from 1 to 5|Please score every statement/);
      expect(JSON.stringify(card)).toContain('"value":"Keep this text"');
    }
    const tooLong = await invoke(h, 'cpd.feedback.submit', ELLIE, { sessionId: SESSION, ...scores(), doDifferently: 'x'.repeat(5000) });
    expect(text(tooLong)).toContain('can be at most');
    expect(await stored()).toEqual({ feedback: [], impact: [] });
  });

  it('refuses feedback from someone not at the session, before it ends, and after the window (first or second response)', async () => {
    // Before the session has ended: even a booked person cannot answer yet.
    clock.set('2027-01-12T16:00:00Z');
    expect(problemCode(await invoke(h, 'cpd.feedback.submit', ELLIE, { sessionId: SESSION, ...scores() }))).toBe('not_attended');
    await markEllie('absent');
    expect(problemCode(await invoke(h, 'cpd.feedback.submit', ELLIE, { sessionId: SESSION, ...scores() }))).toBe('not_attended');
    // Niamh never booked; Tom is booked but not marked.
    expect(problemCode(await invoke(h, 'cpd.feedback.submit', NIAMH, { sessionId: SESSION, ...scores() }))).toBe('not_attended');
    expect(problemCode(await invoke(h, 'cpd.feedback.submit', TOM, { sessionId: SESSION, ...scores() }))).toBe('not_attended');
    // Corrected to present, but only answered 8 days later: the 7-day window has closed.
    const corrected = await invoke(h, 'cpd.register.save', HANNAH, { sessionId: SESSION, [`mark.${await bookingOf(ELLIE)}`]: 'present' });
    expect(text(corrected)).toContain('Saved 1 change');
    clock.set('2027-01-20T09:00:00Z');
    expect(problemCode(await invoke(h, 'cpd.feedback.submit', ELLIE, { sessionId: SESSION, ...scores() }))).toBe('feedback_closed');
    expect(await stored()).toEqual({ feedback: [], impact: [] });
  });

  it('refuses an impact answer that is not yes, partly or not yet', async () => {
    await markEllie('present');
    const card = await invoke(h, 'cpd.impact.submit', ELLIE, { sessionId: SESSION, applied: 'maybe', pupilChange: 'kept' });
    expect(text(card)).toContain('yes, partly or not yet');
    expect(await stored()).toEqual({ feedback: [], impact: [] });
  });
});

describe('bad register and session changes', () => {
  it('refuses a register for a session you do not run, in chat and on a card, and stores no marks', async () => {
    clock.set(AFTER);
    for (const phrasing of ['register for phonics', 'take the register for Leadership and Teaching of Phonics']) {
      const [card] = await say(h, TOM, phrasing);
      expect(problemCode(card), phrasing).toBe('not_your_session');
    }
    expect(problemCode(await invoke(h, 'cpd.register.open', ELLIE, { sessionId: SESSION }))).toBe('not_your_session');
    expect(problemCode(await invoke(h, 'cpd.register.save', ELLIE, { sessionId: SESSION, [`mark.${await bookingOf(ELLIE)}`]: 'present' }))).toBe('not_your_session');
    expect(await h.db.selectFrom('cpd_attendance').selectAll().execute()).toEqual([]);
  });

  it('refuses a move into the past, a bad time, link or capacity, and a change by someone not in the Development Team: nothing changed or sent', async () => {
    const before = await h.db.selectFrom('cpd_session').select(['starts_at', 'ends_at', 'venue', 'meeting_url']).where('id', '=', SESSION).executeTakeFirstOrThrow();
    const cases: Array<[Record<string, string>, RegExp]> = [
      [{ date: '2026-11-20', starts: '15:45', ends: '17:15' }, /cannot be moved into the past/],
      [{ date: '2026-11-23', starts: '09:00', ends: '10:00' }, /cannot be moved into the past/],
      [{ date: '2027-01-19', starts: '17:00', ends: '16:00' }, /must end after it starts/],
      [{ date: '19/01/2027', starts: '15:45', ends: '17:15' }, /YYYY-MM-DD/],
      [{ date: '2027-01-19', starts: '25:00', ends: '26:00' }, /YYYY-MM-DD|HH:MM/],
      [{ meetingUrl: 'http://teams.example/meet' }, /https:\/\//],
      [{ meetingUrl: 'javascript:alert(1)' }, /https:\/\//],
      [{ capacity: '1' }, /cannot go below 2/],
      [{ capacity: 'lots' }, /capacity|whole number/i],
    ];
    for (const [fields, message] of cases) {
      const card = await invoke(h, 'cpd.changes.move', HANNAH, { sessionId: SESSION, ...fields });
      expect(text(card), JSON.stringify(fields)).toMatch(message);
      for (const value of Object.values(fields)) expect(JSON.stringify(card)).toContain(JSON.stringify(value).slice(1, -1));
    }
    expect(problemCode(await invoke(h, 'cpd.changes.move', TOM, { sessionId: SESSION, date: '2027-01-19' }))).toBe('not_allowed');
    expect(problemCode(await invoke(h, 'cpd.changes.cancel', ELLIE, { sessionId: SESSION, confirm: 'yes' }))).toBe('not_allowed');
    const [chat] = await say(h, TOM, 'cancel session phonics');
    expect(problemCode(chat)).toBe('not_allowed');

    expect(await h.db.selectFrom('cpd_session').select(['starts_at', 'ends_at', 'venue', 'meeting_url']).where('id', '=', SESSION).executeTakeFirstOrThrow()).toEqual(before);
    expect((await h.db.selectFrom('cpd_offering').select(['status', 'capacity']).where('id', '=', 'phonics-jan').executeTakeFirstOrThrow())).toEqual({ status: 'scheduled', capacity: 2 });
    expect(await h.db.selectFrom('job').select('kind').where('kind', 'like', 'cpd.changes.%').execute()).toEqual([]);
    expect(await h.db.selectFrom('audit_log').select('action').where('action', 'like', 'cpd.session.%').execute()).toEqual([]);
  });
});
