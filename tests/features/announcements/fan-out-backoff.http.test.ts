import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PacerTimer } from '../../../src/pacing/pacer-options.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { startHub, type HubHarness } from '../../support/hub-harness.js';
import { ellie, executeActions, hannah, priya } from '../communities/community-fixtures.js';

// A throttled fan-out row, in virtual time: Teams answers one announcement send with 429 and
// Retry-After: 30 (the batch's other send, made at the same moment, is delivered); the throttled
// row goes back to pending (its try not used up), the sender job is due again
// exactly 30 s later on the injected clock and the pacer holds every send until then.

const clock = fixedClock('2026-11-23T10:00:00Z');
/** The pacer's time is the test's clock; a wait moves it on instead of sleeping. */
const virtualTimer: PacerTimer = {
  now: () => clock.now().getTime(),
  wait: (ms) => {
    clock.advance(Math.max(0, Math.ceil(ms)));
    return new Promise((resolve) => setImmediate(resolve));
  },
};
let h: HubHarness;

beforeAll(async () => {
  h = await startHub({ env: { SAMPLE_DATA: 'off', ANNOUNCEMENT_SENDERS: '1' }, clock, runJobs: false, pacerTimer: virtualTimer });
  for (const person of [ellie, priya, hannah]) await h.post(h.activities.botInstalledInPersonalChat(person));
  for (const person of [ellie, priya]) await h.post(h.activities.cardAction({ verb: 'communities.join', data: { communityId: 'sendco-hub-network' }, from: person }));
});
afterAll(async () => {
  await h?.close();
});

const rows = () => h.db.selectFrom('announcement_recipient').select(['target', 'status', 'claims']).orderBy('target').execute();

describe('fan-out backoff', () => {
  it('honours Retry-After for a throttled recipient through the injected clock, then sends it once', async () => {
    h.connector.clear();
    await h.post(h.activities.message({ text: 'new announcement', from: hannah }));
    const send = executeActions(h.connector.deliveredCards().at(-1)!).find((a) => a.verb === 'announcements.send')!;
    const data = { ...send.data, title: 'Spring meeting', body: 'Agenda to follow.', communityIds: 'sendco-hub-network', hubIds: '', academyIds: '', roles: '', delivery: 'personal', eventDate: '', eventTime: '', eventPlace: '', linkTitle: '', linkUrl: '', sendDate: '', sendTime: '' };
    expect((await h.post(h.activities.cardAction({ verb: 'announcements.send', data, from: hannah }))).status).toBe(200);
    // The author's chat is gone, so her status card is not a send and the 429 below hits a recipient row.
    await h.db.deleteFrom('conversation_reference').where('key', '=', `person:${hannah.aadObjectId}`).execute();
    h.connector.clear();
    h.connector.failNext(1, { status: 429, retryAfterSeconds: 30 });
    const throttledAt = clock.now().getTime();

    await h.hub.jobs.runDueJobs();
    // A batch's sends go out together: the one throttled, the other delivered.
    const first = h.connector.calls.map((c) => ({ status: c.status, conversationId: c.conversationId }));
    expect(first.map((c) => c.status).sort()).toEqual([201, 429]);
    const throttledChat = first.find((c) => c.status === 429)!.conversationId;
    // The throttled row is pending again with its try given back; the delivered one is sent, once.
    expect((await rows()).map((r) => [r.status, r.claims]).sort()).toEqual([
      ['pending', 0],
      ['sent', 1],
    ]);
    const job = await h.db.selectFrom('job').select(['run_at', 'status', 'attempts']).where('kind', '=', 'announcements.deliver').executeTakeFirstOrThrow();
    expect(job.status).toBe('pending');
    expect(job.attempts).toBe(0);
    expect(new Date(job.run_at).getTime() - throttledAt).toBeGreaterThanOrEqual(30_000);

    // 29 s later nothing is due and nothing is sent.
    clock.set(new Date(throttledAt + 29_000));
    await h.hub.jobs.runDueJobs();
    expect(h.connector.calls).toHaveLength(2);

    clock.set(new Date(throttledAt + 31_000));
    await h.hub.jobs.runDueJobs();
    expect((await rows()).map((r) => r.status)).toEqual(['sent', 'sent']);
    const delivered = h.connector.calls.filter((c) => c.status < 300).map((c) => c.conversationId);
    expect(new Set(delivered).size).toBe(2);
    expect(delivered).toHaveLength(2);
    // The throttled chat got its copy only after Retry-After, as the third call.
    expect(h.connector.calls.at(-1)).toMatchObject({ status: 201, conversationId: throttledChat });
  });
});
