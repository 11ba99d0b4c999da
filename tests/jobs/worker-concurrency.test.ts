import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { enqueueJob } from '../../src/jobs/outbox.js';
import { JobWorker, RetryLaterError, type JobHandler } from '../../src/jobs/worker.js';
import { fixedClock } from '../../src/shared/clock.js';
import { silentLogger } from '../../src/shared/logger.js';
import { describeOnEachDatabase, type TestDb } from '../support/test-db.js';

let counter = 0;
const ids = { newId: () => `cjob-${++counter}` };

/** A handler that holds each job until the test lets it go, counting runs and the most in flight at once. */
function gatedHandler() {
  const runs = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const handler: JobHandler = {
    run: async (job) => {
      runs.set(job.id, (runs.get(job.id) ?? 0) + 1);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // A few turns of the event loop, as a paced send waiting for its slot would take.
      for (let i = 0; i < 3; i += 1) await new Promise((resolve) => setImmediate(resolve));
      inFlight -= 1;
    },
  };
  return { handler, runs, maxInFlight: () => maxInFlight };
}

describeOnEachDatabase('job worker concurrency on $kind', ({ open }) => {
  let handle: TestDb | undefined;
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle?.close();
  });
  beforeEach(async () => {
    await handle!.db.deleteFrom('job').execute();
  });

  const clock = fixedClock('2026-12-01T09:00:00Z');
  const enqueue = async (kind: string, n: number) => {
    for (let i = 0; i < n; i += 1) await enqueueJob(handle!.db, { kind, payload: { n: i } }, clock, ids);
  };

  it('runs up to `concurrency` jobs at once, each exactly once, and all of them', async () => {
    await enqueue('fan', 40);
    const gate = gatedHandler();
    const worker = new JobWorker(handle!.db, { fan: gate.handler }, clock, silentLogger, { concurrency: 6, batchSize: 20 });

    expect(await worker.runDueJobs()).toBe(40);

    expect(gate.runs.size).toBe(40);
    expect([...gate.runs.values()].every((n) => n === 1)).toBe(true);
    expect(gate.maxInFlight()).toBeGreaterThan(1);
    expect(gate.maxInFlight()).toBeLessThanOrEqual(6);
    const statuses = await handle!.db.selectFrom('job').select(['status', 'attempts']).execute();
    expect(statuses.every((s) => s.status === 'done' && s.attempts === 1)).toBe(true);
  });

  it('two concurrent workers on one database never run a job twice', async () => {
    await enqueue('shared', 60);
    const gate = gatedHandler();
    const a = new JobWorker(handle!.db, { shared: gate.handler }, clock, silentLogger, { concurrency: 5, batchSize: 5 });
    const b = new JobWorker(handle!.db, { shared: gate.handler }, clock, silentLogger, { concurrency: 5, batchSize: 5 });

    const [ranA, ranB] = await Promise.all([a.runDueJobs(), b.runDueJobs()]);

    expect(ranA + ranB).toBe(60);
    expect(gate.runs.size).toBe(60);
    expect([...gate.runs.values()].every((n) => n === 1)).toBe(true);
  });

  it('takes over a job whose worker died holding the lease, and leaves a live lease alone', async () => {
    await enqueue('orphan', 2);
    const [dead, live] = await handle!.db.selectFrom('job').select('id').orderBy('id').execute();
    await handle!.db.updateTable('job').set({ status: 'running', attempts: 1, locked_until: new Date('2026-12-01T08:59:00Z') }).where('id', '=', dead.id).execute();
    await handle!.db.updateTable('job').set({ status: 'running', attempts: 1, locked_until: new Date('2026-12-01T09:05:00Z') }).where('id', '=', live.id).execute();
    const gate = gatedHandler();
    const worker = new JobWorker(handle!.db, { orphan: gate.handler }, clock, silentLogger, { concurrency: 4 });

    expect(await worker.runDueJobs()).toBe(1);

    expect([...gate.runs.keys()]).toEqual([dead.id]);
    const rows = await handle!.db.selectFrom('job').select(['id', 'status', 'attempts']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: dead.id, status: 'done', attempts: 2 },
      { id: live.id, status: 'running', attempts: 1 },
    ]);
  });

  it('a throttled job (RetryLaterError not counted as an attempt) comes back after exactly that delay, attempts unchanged', async () => {
    await enqueueJob(handle!.db, { kind: 'paced', payload: {}, maxAttempts: 1 }, clock, ids);
    let calls = 0;
    const worker = new JobWorker(handle!.db, {
      paced: {
        run: async () => {
          calls += 1;
          if (calls <= 3) throw new RetryLaterError('connector answered 429', 4_000, { countsAsAttempt: false });
        },
      },
    }, clock, silentLogger, { concurrency: 2 });

    for (let i = 0; i < 3; i += 1) {
      expect(await worker.runDueJobs()).toBe(1);
      const [row] = await handle!.db.selectFrom('job').select(['status', 'attempts', 'run_at']).execute();
      // maxAttempts is 1, yet three throttles later the job is still pending: throttling is not the job's fault.
      expect(row).toMatchObject({ status: 'pending', attempts: 0 });
      expect(row.run_at.getTime()).toBe(clock.now().getTime() + 4_000);
      clock.advance(4_000);
    }
    expect(await worker.runDueJobs()).toBe(1);
    const [done] = await handle!.db.selectFrom('job').select(['status', 'attempts']).execute();
    expect(done).toEqual({ status: 'done', attempts: 1 });
  });
});
