import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../src/shared/clock.js';
import { type Json } from '../../../support/connector-stand-in.js';
import { startHub, type HubHarness } from '../../../support/hub-harness.js';
import { TODAY, loadBookingCatalogue } from '../booking/booking-fixtures.js';
import { ELLIE, HANNAH, NIAMH, TOM, cardsTo, executeActions, invoke, problemCode, resetJobs, say, text } from './follow-up-fixtures.js';

// The journey through /api/messages with the injected clock: book → reminder the day before at
// 16:00 → register → feedback request → feedback → my CPD and its CSV download.

let h: HubHarness;
const clock = fixedClock(TODAY);
beforeAll(async () => {
  h = await startHub({ env: { SAMPLE_DATA: 'off', PUBLIC_BASE_URL: 'https://devhub.example.org' }, clock, runJobs: false });
  await loadBookingCatalogue(h.db, clock);
  for (const p of [ELLIE, TOM, NIAMH, HANNAH]) await h.post(h.activities.botInstalledInPersonalChat(p));
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  clock.set(TODAY);
  h.connector.clear();
  await resetJobs(h, clock.now());
  for (const table of ['cpd_delivery', 'cpd_feedback', 'cpd_attendance', 'cpd_impact_check_in', 'cpd_follow_up_preference', 'cpd_booking', 'audit_log'] as const) {
    await h.db.deleteFrom(table).execute();
  }
  await h.db.updateTable('cpd_session').set({ starts_at: new Date('2027-01-12T15:45:00Z'), ends_at: new Date('2027-01-12T17:15:00Z') }).where('id', '=', 'phonics-jan-s1').execute();
  await h.db.updateTable('cpd_offering').set({ status: 'scheduled', capacity: 2 }).where('id', '=', 'phonics-jan').execute();
});

const book = async (who: typeof ELLIE, offeringId = 'phonics-jan'): Promise<void> => {
  await invoke(h, 'cpd.book', who, { offeringId });
};
const bookingIdOf = async (who: typeof ELLIE, offeringId = 'phonics-jan') =>
  (await h.db.selectFrom('cpd_booking').select('id').where('person_aad_id', '=', who.aadObjectId).where('offering_id', '=', offeringId).executeTakeFirstOrThrow()).id;
const reminders = (who: typeof ELLIE): Json[] => cardsTo(h, who).filter((c) => text(c).includes('Reminder: Leadership and Teaching of Phonics'));

describe('CPD after booking, through /api/messages', () => {
  it('book → reminder once at 16:00 the day before → register → feedback → my CPD and its CSV', async () => {
    await book(ELLIE);
    await h.hub.jobs.runDueJobs();

    clock.set('2027-01-11T15:59:00Z');
    await h.hub.jobs.runDueJobs();
    expect(reminders(ELLIE)).toHaveLength(0);
    clock.set('2027-01-11T16:00:30Z');
    await h.hub.jobs.runDueJobs();
    const [reminder] = reminders(ELLIE);
    expect(text(reminder)).toContain('Tue 12 Jan 2027, 15:45–17:15');
    expect(executeActions(reminder).map((a) => a.verb)).toEqual(['cpd.booking.cancel', 'cpd.reminders.mute']);
    expect((reminder!.actions as Json[]).some((a: Json) => a.type === 'Action.OpenUrl' && String(a.url).startsWith('https://teams.microsoft.com/'))).toBe(true);
    // Later sweeps find it sent: still exactly one.
    clock.set('2027-01-11T18:00:00Z');
    await h.hub.jobs.runDueJobs();
    expect(reminders(ELLIE)).toHaveLength(1);

    clock.set('2027-01-12T17:20:00Z');
    const [register] = await say(h, HANNAH, 'register for phonics');
    expect(text(register)).toContain('Register: Leadership and Teaching of Phonics');
    expect(text(register)).toContain('Ellie Brightwater');
    const bookingId = await bookingIdOf(ELLIE);
    const saved = await invoke(h, 'cpd.register.save', HANNAH, { sessionId: 'phonics-jan-s1', [`mark.${bookingId}`]: 'present' });
    expect(text(saved)).toContain('Saved 1 change');
    expect(text(saved)).toContain('Marked by Hannah Wilde');
    const audit = await h.db.selectFrom('audit_log').selectAll().where('action', '=', 'cpd.attendance.marked').execute();
    expect(audit).toMatchObject([{ actor_aad_id: HANNAH.aadObjectId, subject_id: bookingId }]);

    // Feedback is asked for 30 minutes after the end (the profile's feedbackAfterMinutes).
    await h.hub.jobs.runDueJobs();
    expect(cardsTo(h, ELLIE).filter((c) => text(c).startsWith('Feedback:'))).toHaveLength(0);
    clock.set('2027-01-12T17:46:00Z');
    await h.hub.jobs.runDueJobs();
    const [request] = cardsTo(h, ELLIE).filter((c) => text(c).includes('Feedback: Leadership and Teaching of Phonics'));
    expect(text(request)).toContain('The intended impact was clear');
    const scores = Object.fromEntries(h.hub.profile.cpd.followUp.criteria.map((c) => [`score.${c.id}`, '4']));
    const thanks = await invoke(h, 'cpd.feedback.submit', ELLIE, { sessionId: 'phonics-jan-s1', ...scores, doDifferently: 'Use sound buttons in every lesson.' });
    expect(text(thanks)).toContain('Thank you: your feedback is saved.');

    const [record] = await say(h, ELLIE, 'my CPD');
    expect(text(record)).toContain('My CPD record');
    expect(text(record)).toContain('**2026-27** · 1.5 hours · 1 activity');
    expect(text(record)).toContain('Do differently: Use sound buttons in every lesson.');
    const exported = await invoke(h, 'cpd.record.export', ELLIE);
    const url = new URL((exported.actions as Json[]).find((a: Json) => a.type === 'Action.OpenUrl').url);
    const csv = await h.get(`${url.pathname}${url.search}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = String(csv.body).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('academic_year,date,title,source,provider,strand,hours,reflection,impact,evidence_url');
    expect(lines[1]).toBe('2026-27,2027-01-12,Leadership and Teaching of Phonics,trust,Development Team,reading,1.5,Use sound buttons in every lesson.,,');
    // The link works once; a made-up token gets nothing.
    expect(url.pathname).toBe('/downloads/cpd-record.csv');
    expect((await h.get(`${url.pathname}${url.search}`)).status).toBe(410);
    expect((await h.get('/downloads/cpd-record.csv?token=not-a-token')).status).toBe(410);
    expect((await h.get('/downloads/cpd-record.csv')).status).toBe(410);
  });

  it('refuses bad feedback with a clear card and stores nothing', async () => {
    await book(ELLIE);
    await book(TOM);
    clock.set('2027-01-12T17:20:00Z');
    await invoke(h, 'cpd.register.save', HANNAH, { sessionId: 'phonics-jan-s1', [`mark.${await bookingIdOf(ELLIE)}`]: 'present', [`mark.${await bookingIdOf(TOM)}`]: 'absent' });
    const scores = Object.fromEntries(h.hub.profile.cpd.followUp.criteria.map((c) => [`score.${c.id}`, '4']));

    const absent = await invoke(h, 'cpd.feedback.submit', TOM, { sessionId: 'phonics-jan-s1', ...scores });
    expect(problemCode(absent)).toBe('not_attended');
    const outOfRange = await invoke(h, 'cpd.feedback.submit', ELLIE, { sessionId: 'phonics-jan-s1', ...scores, 'score.evidence': '7', doDifferently: 'kept' });
    expect(text(outOfRange)).toContain('must be scored with a whole number from 1 to 5');
    // The same form, the answers kept.
    expect(JSON.stringify(outOfRange)).toContain('"value":"kept"');
    const missing = await invoke(h, 'cpd.feedback.submit', ELLIE, { sessionId: 'phonics-jan-s1', 'score.evidence': '3' });
    expect(text(missing)).toContain('Please score every statement');
    const unknown = await invoke(h, 'cpd.feedback.submit', ELLIE, { sessionId: 'no-such-session', ...scores });
    expect(problemCode(unknown)).toBe('session_not_found');
    expect(await h.db.selectFrom('cpd_feedback').selectAll().execute()).toEqual([]);

    // One response, editable for a week; after that the window is closed.
    expect(text(await invoke(h, 'cpd.feedback.submit', ELLIE, { sessionId: 'phonics-jan-s1', ...scores }))).toContain('saved');
    expect(text(await invoke(h, 'cpd.feedback.submit', ELLIE, { sessionId: 'phonics-jan-s1', ...scores, 'score.evidence': '2' }))).toContain('updated');
    clock.set('2027-01-19T17:16:00Z');
    expect(problemCode(await invoke(h, 'cpd.feedback.submit', ELLIE, { sessionId: 'phonics-jan-s1', ...scores, 'score.evidence': '5' }))).toBe('feedback_closed');
    const rows = await h.db.selectFrom('cpd_feedback').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0].scores['evidence']).toBe(2);
  });

  it('refuses a register for a session you do not run, and a register with someone not booked', async () => {
    await book(ELLIE);
    clock.set('2027-01-12T17:20:00Z');
    const [refused] = await say(h, TOM, 'take the register for phonics');
    expect(problemCode(refused)).toBe('not_your_session');
    const pressed = await invoke(h, 'cpd.register.save', TOM, { sessionId: 'phonics-jan-s1', [`mark.${await bookingIdOf(ELLIE)}`]: 'present' });
    expect(problemCode(pressed)).toBe('not_your_session');
    const stranger = await invoke(h, 'cpd.register.save', HANNAH, { sessionId: 'phonics-jan-s1', 'mark.someone-else': 'present' });
    expect(problemCode(stranger)).toBe('not_on_register');
    const badMark = await invoke(h, 'cpd.register.save', HANNAH, { sessionId: 'phonics-jan-s1', [`mark.${await bookingIdOf(ELLIE)}`]: 'asleep' });
    expect(problemCode(badMark)).toBe('invalid_action');
    expect(await h.db.selectFrom('cpd_attendance').selectAll().execute()).toEqual([]);
    clock.set(TODAY);
    expect(problemCode(await invoke(h, 'cpd.register.open', HANNAH, { sessionId: 'phonics-jan-s1' }))).toBe('register_not_open');
  });

  it('corrects a register later and keeps who changed what', async () => {
    await book(ELLIE);
    clock.set('2027-01-12T17:20:00Z');
    const id = await bookingIdOf(ELLIE);
    await invoke(h, 'cpd.register.save', HANNAH, { sessionId: 'phonics-jan-s1', [`mark.${id}`]: 'absent' });
    clock.set('2027-01-13T09:00:00Z');
    await invoke(h, 'cpd.register.save', HANNAH, { sessionId: 'phonics-jan-s1', [`mark.${id}`]: 'present' });
    const audit = await h.db.selectFrom('audit_log').select(['action', 'details']).where('subject_id', '=', id).where('action', 'like', 'cpd.attendance.%').orderBy('id').execute();
    expect(audit).toEqual([
      { action: 'cpd.attendance.marked', details: { sessionId: 'phonics-jan-s1', from: null, to: 'absent' } },
      { action: 'cpd.attendance.corrected', details: { sessionId: 'phonics-jan-s1', from: 'absent', to: 'present' } },
    ]);
    const [record] = await say(h, ELLIE, 'my cpd record');
    expect(text(record)).toContain('1.5 hours');
  });

  it("summarises a session's feedback for the Development Team without names, holding written answers until enough people answered", async () => {
    await h.db.updateTable('cpd_offering').set({ capacity: 3 }).where('id', '=', 'phonics-jan').execute();
    for (const who of [ELLIE, TOM, NIAMH]) await book(who);
    clock.set('2027-01-12T17:20:00Z');
    const marks = Object.fromEntries(await Promise.all([ELLIE, TOM, NIAMH].map(async (who) => [`mark.${await bookingIdOf(who)}`, 'present'])));
    await invoke(h, 'cpd.register.save', HANNAH, { sessionId: 'phonics-jan-s1', ...marks });
    const criteria = h.hub.profile.cpd.followUp.criteria;
    const answer = (who: typeof ELLIE, score: string, doDifferently: string) =>
      invoke(h, 'cpd.feedback.submit', who, { sessionId: 'phonics-jan-s1', ...Object.fromEntries(criteria.map((c) => [`score.${c.id}`, score])), doDifferently });
    await answer(ELLIE, '5', 'Sound buttons in every lesson.');
    await answer(TOM, '3', 'Shorter phonics warm-ups.');

    const [early] = await say(h, HANNAH, 'evaluation summary for phonics');
    expect(text(early)).toContain('CPD evaluation summary');
    expect(text(early)).toContain('2 of 3');
    // Mean and spread of 5 and 3 on every statement.
    expect(text(early)).toContain('4 (±1, n=2)');
    expect(text(early)).toContain('shown once at least 3 people have answered');
    expect(text(early)).not.toContain('Sound buttons');
    expect(text(early)).not.toContain('warm-ups');

    await answer(NIAMH, '4', 'Model blending with the whole class.');
    const [later] = await say(h, HANNAH, 'evaluation summary for phonics');
    expect(text(later)).toContain('3 of 3');
    for (const comment of ['Sound buttons in every lesson.', 'Shorter phonics warm-ups.', 'Model blending with the whole class.']) expect(text(later)).toContain(comment);
    expect(text(later)).not.toContain('shown once at least');
    // Anonymous: nobody who answered is named anywhere on the card.
    for (const who of [ELLIE, TOM, NIAMH]) expect(JSON.stringify(later)).not.toContain(who.name.split(' ')[0]);

    // Staff outside the Development Team are told it is not for them.
    const [refused] = await say(h, ELLIE, 'evaluation summary for phonics');
    expect(problemCode(refused)).toBe('not_allowed');
  });
});
