import { afterEach, expect, it } from 'vitest';
import { enqueueJob } from '../../src/jobs/outbox.js';
import { JobWorker, RetryLaterError, type ClaimedJob, type JobHandler } from '../../src/jobs/worker.js';
import { fixedClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { describeOnEachDatabase, type TestDb } from '../support/test-db.js';

let counter = 0;
const ids = { newId: () => `job-${++counter}` };

describeOnEachDatabase('durable job worker on $kind', ({ open }) => {
  let handle: TestDb | undefined;
  afterEach(async () => {
    await handle?.close();
    handle = undefined;
  });

  async function setup(handlers: Record<string, JobHandler>) {
    handle = await open();
    const clock = fixedClock('2026-11-23T10:00:00Z');
    const worker = new JobWorker(handle.db, handlers, clock, silentLogger, { baseBackoffMs: 1000, random: () => 1 });
    return { db: handle.db, clock, worker };
  }

  const statusOf = async (t: TestDb, kind: string) =>
    t.db.selectFrom('job').select(['status', 'attempts', 'last_error', 'run_at']).where('kind', '=', kind).execute();

  it('runs a due job once and marks it done', async () => {
    const seen: ClaimedJob[] = [];
    const { db, clock, worker } = await setup({ greet: { run: async (job) => void seen.push(job) } });
    await enqueueJob(db, { kind: 'greet', payload: { personId: 'p1' } }, clock, ids);
    expect(await worker.runDueJobs()).toBe(1);
    expect(await worker.runDueJobs()).toBe(0);
    expect(seen.map((j) => j.payload)).toEqual([{ personId: 'p1' }]);
    expect((await statusOf(handle!, 'greet'))[0]).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('does not run a job before its time', async () => {
    const { db, clock, worker } = await setup({ later: { run: async () => undefined } });
    await enqueueJob(db, { kind: 'later', payload: {}, runAt: new Date('2026-11-23T11:00:00Z') }, clock, ids);
    expect(await worker.runDueJobs()).toBe(0);
    clock.set('2026-11-23T11:00:00Z');
    expect(await worker.runDueJobs()).toBe(1);
  });

  it('enqueues a job with the same idempotency key only once', async () => {
    const { db, clock } = await setup({ once: { run: async () => undefined } });
    await enqueueJob(db, { kind: 'once', payload: { n: 1 }, idempotencyKey: 'k1' }, clock, ids);
    await enqueueJob(db, { kind: 'once', payload: { n: 2 }, idempotencyKey: 'k1' }, clock, ids);
    expect(await statusOf(handle!, 'once')).toHaveLength(1);
  });

  it('retries with exponential backoff, honours Retry-After, then gives up and calls the final-failure hook once', async () => {
    const finalFailures: unknown[] = [];
    let calls = 0;
    const { db, clock, worker } = await setup({
      flaky: {
        run: async () => {
          calls += 1;
          if (calls === 2) throw new RetryLaterError('throttled', 60_000);
          throw new Error(`outage ${calls}`);
        },
        onFinalFailure: async (_job, error) => void finalFailures.push(error),
      },
    });
    await enqueueJob(db, { kind: 'flaky', payload: {}, maxAttempts: 3 }, clock, ids);

    expect(await worker.runDueJobs()).toBe(1);
    let [row] = await statusOf(handle!, 'flaky');
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'outage 1' });
    // random()=1 → the full ceiling: 1 s for the first retry.
    expect(new Date(row.run_at).getTime() - clock.now().getTime()).toBe(1000);

    clock.advance(1000);
    expect(await worker.runDueJobs()).toBe(1);
    [row] = await statusOf(handle!, 'flaky');
    // Retry-After (60 s) beats the 2 s backoff.
    expect(new Date(row.run_at).getTime() - clock.now().getTime()).toBe(60_000);

    clock.advance(60_000);
    expect(await worker.runDueJobs()).toBe(1);
    [row] = await statusOf(handle!, 'flaky');
    expect(row).toMatchObject({ status: 'failed', attempts: 3, last_error: 'outage 3' });
    expect(finalFailures).toHaveLength(1);

    clock.advance(24 * 3600_000);
    expect(await worker.runDueJobs()).toBe(0);
  });

  it('takes over a job whose worker died holding the lease', async () => {
    let calls = 0;
    const { db, clock, worker } = await setup({ slow: { run: async () => void (calls += 1) } });
    await enqueueJob(db, { kind: 'slow', payload: {} }, clock, ids);
    // Simulate an instance that claimed the job and then crashed.
    await db.updateTable('job').set({ status: 'running', attempts: 1, locked_until: new Date('2026-11-23T10:01:00Z') }).execute();
    expect(await worker.runDueJobs()).toBe(0);
    clock.set('2026-11-23T10:01:01Z');
    expect(await worker.runDueJobs()).toBe(1);
    expect(calls).toBe(1);
  });

  it('lets two workers drain one queue without running any job twice', async () => {
    const ran: string[] = [];
    const handler: JobHandler = { run: async (job) => void ran.push(String(job.payload['n'])) };
    const { db, clock, worker } = await setup({ fan: handler });
    const other = new JobWorker(db, { fan: handler }, clock, silentLogger, { batchSize: 3 });
    for (let n = 0; n < 40; n += 1) await enqueueJob(db, { kind: 'fan', payload: { n } }, clock, ids);
    await Promise.all([worker.runDueJobs(), other.runDueJobs()]);
    expect(ran.sort()).toEqual(Array.from({ length: 40 }, (_, n) => String(n)).sort());
  });

  it('leaves jobs of kinds it has no handler for', async () => {
    const { db, clock, worker } = await setup({ known: { run: async () => undefined } });
    await enqueueJob(db, { kind: 'unknown', payload: {} }, clock, ids);
    expect(await worker.runDueJobs()).toBe(0);
    expect((await statusOf(handle!, 'unknown'))[0]).toMatchObject({ status: 'pending', attempts: 0 });
  });
});
