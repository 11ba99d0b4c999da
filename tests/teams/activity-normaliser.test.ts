import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock.js';
import { ACTIVITY_LIMITS } from '../../src/teams/activity-normaliser.js';
import { teamsPerson } from '../support/activities.js';
import { startHub, type HubHarness } from '../support/hub-harness.js';
import { TODAY, loadBookingCatalogue } from '../features/cpd/booking/booking-fixtures.js';

// The findings that reached the database before activities were normalised at the edge.
let h: HubHarness;
const clock = fixedClock(TODAY);
beforeAll(async () => {
  h = await startHub({ env: { SAMPLE_DATA: 'off' }, clock, runJobs: false });
  await loadBookingCatalogue(h.db, clock);
});
afterAll(async () => {
  await h?.close();
});

const book = (from: ReturnType<typeof teamsPerson>, overrides?: Record<string, unknown>) =>
  h.activities.cardAction({ verb: 'cpd.book', data: { offeringId: 'crowd-30' }, from, ...(overrides ? { overrides } : {}) });

describe('activities normalised at the edge', () => {
  it('books once for one GUID sent in upper and lower case, storing it lower-cased', async () => {
    const id = 'feedf00d-1111-4222-8333-444455556666';
    for (const spelling of [id.toUpperCase(), id, ` ${id.toUpperCase()} `]) {
      const answer = await h.post(book(teamsPerson('Case Tester', spelling)));
      expect(answer.status).toBe(200);
    }
    const rows = await h.db.selectFrom('cpd_booking').select(['person_aad_id', 'status']).where('offering_id', '=', 'crowd-30').where('status', '!=', 'cancelled').execute();
    expect(rows).toEqual([{ person_aad_id: id, status: 'confirmed' }]);
  });

  it('stores a display name without NUL or control characters, capped', async () => {
    const person = teamsPerson(`Nul\u0000Name\u202e \u0007${'y'.repeat(500_000)}`);
    const answer = await h.post(book(person));
    expect(answer.status).toBe(200);
    expect(answer.body.value.metadata?.problemCode).toBeUndefined();
    const row = await h.db.selectFrom('cpd_booking').select('person_name').where('person_aad_id', '=', person.aadObjectId).executeTakeFirstOrThrow();
    expect(row.person_name).toMatch(/^NulName y+$/);
    expect([...row.person_name].length).toBeLessThanOrEqual(ACTIVITY_LIMITS.nameLength);
  });

  it('answers an activity whose conversation id holds a NUL, storing its reference without it', async () => {
    const person = teamsPerson('Nul Conversation');
    const answer = await h.post(h.activities.message({ text: 'help', from: person, overrides: { conversation: { id: 'a:1nul\u0000conv', conversationType: 'personal' } } }));
    expect(answer.status).toBe(200);
    const row = await h.db.selectFrom('conversation_reference').select('conversation_id').where('key', '=', `person:${person.aadObjectId}`).executeTakeFirstOrThrow();
    expect(row.conversation_id).toBe('a:1nulconv');
  });

  it.each([
    ['a 500 KB aadObjectId', { from: { id: '29:1x', name: 'Big', aadObjectId: 'a'.repeat(500_000) } }],
    ['an aadObjectId that is not a GUID', { from: { id: '29:1x', name: 'Odd', aadObjectId: 'not-a-guid' } }],
    ['a numeric aadObjectId', { from: { id: '29:1x', name: 'Num', aadObjectId: 12 } }],
    ['a tenant id that is not a GUID', { conversation: { id: 'a:1t', conversationType: 'personal', tenantId: 'x'.repeat(600) } }],
    ['a 5,000-character conversation id', { conversation: { id: 'c'.repeat(5000), conversationType: 'personal' } }],
  ])('refuses %s with 400 invalid_activity, writing nothing', async (_label, overrides) => {
    const before = await h.db.selectFrom('conversation_reference').select(h.db.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const answer = await h.post(h.activities.message({ text: 'help', from: teamsPerson('Refused'), overrides }));
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_activity');
    const after = await h.db.selectFrom('conversation_reference').select(h.db.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toEqual(before.n);
  });
});
