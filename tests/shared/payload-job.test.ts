import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod/v4';
import { enqueueJob } from '../../src/jobs/outbox.js';
import { JobWorker, type ClaimedJob } from '../../src/jobs/worker.js';
import { fixedClock } from '../../src/shared/clock.js';
import { INVALID_JOB_PAYLOAD, payloadJob } from '../../src/shared/payload-job.js';
import { describeOnEachDatabase, type TestDb } from '../support/test-db.js';

const schema = z.object({ bookingId: z.string().regex(/^[a-z0-9-]+$/) });

function recordingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

const job = (payload: Record<string, unknown>, kind = 'test.notify'): ClaimedJob => ({ id: 'job-1', kind, payload, attempts: 1, maxAttempts: 3 });

describe('payloadJob: parse the payload → run, or drop with a logged code', () => {
  it('runs with the parsed payload and the job', async () => {
    const { logger, lines } = recordingLogger();
    const seen: string[] = [];
    const handler = payloadJob({ schema, logger, run: async (payload, j) => void seen.push(`${j.id}:${payload.bookingId}`) });
    await handler.run(job({ bookingId: 'b-1' }));
    expect(seen).toEqual(['job-1:b-1']);
    expect(lines).toEqual([]);
  });

  it.each([{}, { bookingId: 7 }, { bookingId: 'Robert"); DROP' }, { other: 'b-1' }])(
    'drops payload %j without running, logging the id, kind and code but not the payload',
    async (payload) => {
      const { logger, lines } = recordingLogger();
      let ran = false;
      const handler = payloadJob({ schema, logger, run: async () => void (ran = true) });
      await expect(handler.run(job(payload, 'cpd.example'))).resolves.toBeUndefined();
      expect(ran).toBe(false);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 50, jobId: 'job-1', kind: 'cpd.example', code: INVALID_JOB_PAYLOAD });
      expect(JSON.stringify(lines[0])).not.toContain('DROP');
    },
  );

  it('lets a failure of the run through, so the worker retries it', async () => {
    const { logger } = recordingLogger();
    const handler = payloadJob({ schema, logger, run: async () => Promise.reject(new Error('graph down')) });
    await expect(handler.run(job({ bookingId: 'b-1' }))).rejects.toThrow('graph down');
  });

  it('calls the final-failure hook with the parsed payload, and never for one that does not parse', async () => {
    const { logger } = recordingLogger();
    const finals: string[] = [];
    const handler = payloadJob({ schema, logger, run: async () => undefined, onFinalFailure: async (p, _j, e) => void finals.push(`${p.bookingId}:${String(e)}`) });
    await handler.onFinalFailure?.(job({ bookingId: 'b-2' }), 'boom');
    await handler.onFinalFailure?.(job({ bookingId: 42 }), 'boom');
    expect(finals).toEqual(['b-2:boom']);
    expect('onFinalFailure' in payloadJob({ schema, logger, run: async () => undefined })).toBe(false);
  });
});

describeOnEachDatabase('a payload job in the durable worker on $kind', ({ open }) => {
  let handle: TestDb | undefined;
  afterEach(async () => {
    await handle?.close();
    handle = undefined;
  });

  it('finishes an unreadable job after one attempt instead of retrying it, and runs the readable one', async () => {
    handle = await open();
    const clock = fixedClock('2026-11-23T10:00:00Z');
    const { logger, lines } = recordingLogger();
    const seen: string[] = [];
    const handlers = { 'test.notify': payloadJob({ schema, logger, run: async (p) => void seen.push(p.bookingId) }) };
    const worker = new JobWorker(handle.db, handlers, clock, logger, { baseBackoffMs: 1000, random: () => 1 });
    let n = 0;
    const ids = { newId: () => `pj-${++n}` };
    await enqueueJob(handle.db, { kind: 'test.notify', payload: { bookingId: 'NOT OK' } }, clock, ids);
    await enqueueJob(handle.db, { kind: 'test.notify', payload: { bookingId: 'b-3' } }, clock, ids);
    expect(await worker.runDueJobs()).toBe(2);
    const rows = await handle.db.selectFrom('job').select(['id', 'status', 'attempts']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'pj-1', status: 'done', attempts: 1 },
      { id: 'pj-2', status: 'done', attempts: 1 },
    ]);
    expect(seen).toEqual(['b-3']);
    expect(lines.filter((l) => l['code'] === INVALID_JOB_PAYLOAD).map((l) => l['jobId'])).toEqual(['pj-1']);
  });
});
