import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../../src/shared/clock.js';
import { startHub, type HubHarness } from '../../../support/hub-harness.js';
import type { Json } from '../../../support/connector-stand-in.js';
import { TODAY, loadBookingCatalogue } from '../booking/booking-fixtures.js';
import { ELLIE, TOM, cardsTo, executeActions, invoke, problemCode, text } from './follow-up-fixtures.js';

// Development goals and the once-only suggestion of new CPD matching one, with the injected clock
// and two app instances on one database: a course is named to a person once, ever (at the goal's
// adding or in one daily message), never again however often the sweep runs; removed goals stop it.

let a: HubHarness;
let b: HubHarness;
const clock = fixedClock(TODAY);
/** 16:00 London on Mon 23 Nov 2026: the profile's suggestAt. */
const day = (n: number): string => new Date(Date.parse('2026-11-23T16:00:30Z') + n * 86_400_000).toISOString();

beforeAll(async () => {
  a = await startHub({ env: { SAMPLE_DATA: 'off' }, clock, runJobs: false });
  b = await startHub({ env: { SAMPLE_DATA: 'off' }, clock, runJobs: false, db: a.db, connector: a.connector });
  await loadBookingCatalogue(a.db, clock);
  await a.db
    .insertInto('cpd_course')
    .values([course('reading-fluency', 'Reading Fluency in Key Stage 2', 'read-achieve-succeed'), course('coaching', 'Coaching Conversations for Leaders', 'leadership')])
    .execute();
  await addOffering('fluency-spring', 'reading-fluency', '2027-02-10T15:45:00Z');
  await addOffering('coaching-spring', 'coaching', '2027-02-11T15:45:00Z');
  for (const p of [ELLIE, TOM]) await a.post(a.activities.botInstalledInPersonalChat(p));
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});
beforeEach(() => {
  a.connector.clear();
});

function course(id: string, title: string, strandId: string) {
  const now = clock.now();
  return { id, title, summary: `${title}: what it covers.`, strand_id: strandId, audience_ids: JSON.stringify(['teachers']), facilitator: 'Trust Lead', kind: 'standalone' as const, category_id: null, active: true, created_at: now, updated_at: now };
}
async function addOffering(id: string, courseId: string, starts: string): Promise<void> {
  const now = clock.now();
  await a.db.insertInto('cpd_offering').values({ id, course_id: courseId, label: `${id} cohort`, capacity: 20, booking_closes_at: new Date(Date.parse(starts) - 86_400_000), status: 'scheduled', created_at: now, updated_at: now }).execute();
  await a.db
    .insertInto('cpd_session')
    .values({ id: `${id}-s1`, offering_id: id, sequence: 1, starts_at: new Date(starts), ends_at: new Date(Date.parse(starts) + 90 * 60_000), mode: 'online', venue: null, meeting_url: 'https://teams.microsoft.com/l/meetup-join/x', created_at: now, updated_at: now })
    .execute();
}
const suggestionCards = (p: typeof ELLIE): Json[] => cardsTo(a, p).filter((c) => text(c).includes('New CPD for'));
async function runBoth(): Promise<void> {
  await Promise.all([a.hub.jobs.runDueJobs(), b.hub.jobs.runDueJobs()]);
  await Promise.all([a.hub.jobs.runDueJobs(), b.hub.jobs.runDueJobs()]);
}

describe('development goals and once-only suggestions', () => {
  it('names matching upcoming CPD once when the goal is added, then only new CPD, once, in one daily message', async () => {
    const added = await invoke(a, 'cpd.goals.add', ELLIE, { text: 'Improve reading fluency for my Year 5 class', strandId: 'read-achieve-succeed' });
    expect(text(added)).toContain('Coming up and matching it');
    expect(text(added)).toContain('Reading Fluency in Key Stage 2');
    expect(text(added)).not.toContain('Coaching Conversations');
    expect(executeActions(added).filter((x) => x.verb === 'cpd.book').map((x) => x.data)).toEqual([{ offeringId: 'fluency-spring' }]);
    expect(text(added)).toContain('Development goals');

    // The day's sweep on two instances: nothing new since the goal, so no message at all.
    clock.set(day(0));
    await runBoth();
    expect(suggestionCards(ELLIE)).toHaveLength(0);

    // A new cohort of the same course and a course in another strand are published.
    clock.set(new Date(Date.parse(day(0)) + 3_600_000));
    await addOffering('fluency-summer', 'reading-fluency', '2027-05-12T15:45:00Z');
    await addOffering('coaching-summer', 'coaching', '2027-05-13T15:45:00Z');
    clock.set(day(1));
    await runBoth();
    const [suggestion, ...more] = suggestionCards(ELLIE);
    expect(more).toHaveLength(0);
    expect(text(suggestion)).toContain('Reading Fluency in Key Stage 2');
    expect(text(suggestion)).toContain('Matches your goal: Improve reading fluency for my Year 5 class');
    expect(executeActions(suggestion).filter((x) => x.verb === 'cpd.book').map((x) => x.data)).toEqual([{ offeringId: 'fluency-summer' }]);
    expect(suggestionCards(TOM)).toHaveLength(0);

    // Days later: nothing repeated, however often the sweep runs.
    for (const n of [2, 3, 4]) {
      clock.set(day(n));
      await runBoth();
    }
    expect(suggestionCards(ELLIE)).toHaveLength(1);
    const rows = await a.db.selectFrom('cpd_goal_suggestion').select(['offering_id']).where('person_aad_id', '=', ELLIE.aadObjectId).orderBy('offering_id').execute();
    expect(rows.map((r) => r.offering_id)).toEqual(['fluency-spring', 'fluency-summer']);
  });

  it('stops suggesting for a removed goal, and refuses a goal without a known strand or beyond the limit, storing nothing', async () => {
    const record = await invoke(a, 'cpd.goals.add', TOM, { text: 'Coach my phase team', strandId: 'leadership' });
    const remove = executeActions(record).find((x) => x.title === 'Remove');
    expect(remove?.verb).toBe('cpd.goals.close');
    const removed = await invoke(a, 'cpd.goals.close', TOM, remove!.data);
    expect(text(removed)).toContain('Goal removed');
    expect(text(removed)).not.toContain('Coach my phase team');
    const audit = await a.db.selectFrom('audit_log').select('action').where('actor_aad_id', '=', TOM.aadObjectId).orderBy('id').execute();
    expect(audit.map((r) => r.action)).toEqual(['cpd.goal.added', 'cpd.goal.removed']);

    clock.set(new Date(Date.parse(day(5)) + 3_600_000));
    await addOffering('coaching-autumn', 'coaching', '2027-09-15T15:45:00Z');
    clock.set(day(6));
    await runBoth();
    expect(suggestionCards(TOM)).toHaveLength(0);

    const goalsBefore = await a.db.selectFrom('cpd_goal').select('id').execute();
    const unknown = await invoke(a, 'cpd.goals.add', TOM, { text: 'Something', strandId: 'astrology' });
    expect(text(unknown)).toContain('Choose the strand the goal belongs to.');
    const empty = await invoke(a, 'cpd.goals.add', TOM, { text: '   ', strandId: 'leadership' });
    expect(text(empty)).toContain('Write the goal');
    for (let i = 0; i < 5; i += 1) await invoke(a, 'cpd.goals.add', TOM, { text: `Goal ${i}`, strandId: 'eyfs' });
    const sixth = await invoke(a, 'cpd.goals.add', TOM, { text: 'One too many', strandId: 'eyfs' });
    expect(problemCode(sixth) ?? text(sixth)).toMatch(/too_many_goals|remove one/);
    const goalsAfter = await a.db.selectFrom('cpd_goal').select(['text']).where('person_aad_id', '=', TOM.aadObjectId).where('closed_at', 'is', null).execute();
    expect(goalsAfter.map((g) => g.text).sort()).toEqual(['Goal 0', 'Goal 1', 'Goal 2', 'Goal 3', 'Goal 4']);
    // Only the five accepted goals were stored; the refused ones left nothing.
    expect(await a.db.selectFrom('cpd_goal').select('id').execute()).toHaveLength(goalsBefore.length + 5);
  });
});
