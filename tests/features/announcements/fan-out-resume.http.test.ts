import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueJob } from '../../../src/jobs/outbox.js';
import { fixedClock, uuidGenerator } from '../../../src/shared/clock.js';
import { startHub, type HubHarness } from '../../support/hub-harness.js';
import { ellie, executeActions, hannah, priya } from '../communities/community-fixtures.js';

// A crash's rows are sent even when every live sender has finished the rest. A process died holding
// a recipient row (status `sending`, its lease running for another minute); the senders that carry on
// find nothing to claim. They must come back when that lease ends, not finish and leave the row and
// the announcement in `sending` for ever (seen in the announcements bench's SIGKILL run).

const clock = fixedClock('2026-11-23T10:00:00Z');
let h: HubHarness;

beforeAll(async () => {
  h = await startHub({ env: { SAMPLE_DATA: 'off', ANNOUNCEMENT_SENDERS: '1' }, clock, runJobs: false });
  for (const person of [ellie, priya, hannah]) await h.post(h.activities.botInstalledInPersonalChat(person));
  for (const person of [ellie, priya]) await h.post(h.activities.cardAction({ verb: 'communities.join', data: { communityId: 'sendco-hub-network' }, from: person }));
});
afterAll(async () => {
  await h?.close();
});

describe('fan-out after a crash', () => {
  it('comes back when a dead sender’s lease ends and sends its row, then finishes the announcement', async () => {
    await h.post(h.activities.message({ text: 'new announcement', from: hannah }));
    const send = executeActions(h.connector.deliveredCards().at(-1)!).find((a) => a.verb === 'announcements.send')!;
    const data = { ...send.data, title: 'Summer meeting', body: 'Agenda to follow.', communityIds: 'sendco-hub-network', hubIds: '', academyIds: '', roles: '', delivery: 'personal', eventDate: '', eventTime: '', eventPlace: '', linkTitle: '', linkUrl: '', sendDate: '', sendTime: '' };
    expect((await h.post(h.activities.cardAction({ verb: 'announcements.send', data, from: hannah }))).status).toBe(200);
    await h.hub.jobs.runDueJobs();
    const announcement = await h.db.selectFrom('announcement').select(['id', 'status']).where('title', '=', 'Summer meeting').executeTakeFirstOrThrow();
    expect(announcement.status).toBe('sent');

    // The state a SIGKILL leaves: Priya's row claimed by a process that is gone, lease a minute ahead.
    const leaseEnd = new Date(clock.now().getTime() + 60_000);
    await h.db.updateTable('announcement').set({ status: 'sending', finished_at: null }).where('id', '=', announcement.id).execute();
    await h.db.updateTable('announcement_recipient').set({ status: 'sending', lease_until: leaseEnd }).where('announcement_id', '=', announcement.id).where('target', '=', priya.aadObjectId).execute();
    const payload = { announcementId: announcement.id, lane: 0, round: 7 };
    await enqueueJob(h.db, { kind: 'announcements.deliver', payload, idempotencyKey: `resume-test:${announcement.id}` }, clock, uuidGenerator);
    h.connector.clear();

    await h.hub.jobs.runDueJobs();
    // Nothing to claim yet: the sender waits for the lease, as a job (not an attempt), sending nothing.
    const job = await h.db.selectFrom('job').select(['status', 'run_at', 'attempts']).where('idempotency_key', '=', `resume-test:${announcement.id}`).executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'pending', attempts: 0 });
    expect(new Date(job.run_at).getTime()).toBeGreaterThanOrEqual(leaseEnd.getTime());
    expect(new Date(job.run_at).getTime()).toBeLessThan(leaseEnd.getTime() + 5_000);
    expect(h.connector.calls).toHaveLength(0);

    clock.set(new Date(new Date(job.run_at).getTime() + 1));
    await h.hub.jobs.runDueJobs();
    const row = await h.db.selectFrom('announcement_recipient').select(['status', 'claims']).where('announcement_id', '=', announcement.id).where('target', '=', priya.aadObjectId).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'sent', claims: 2 });
    expect((await h.db.selectFrom('announcement').select('status').where('id', '=', announcement.id).executeTakeFirstOrThrow()).status).toBe('sent');
    expect(h.connector.calls.filter((c) => c.status < 300 && c.kind !== 'update').map((c) => c.conversationId)).toHaveLength(1);
  });
});
