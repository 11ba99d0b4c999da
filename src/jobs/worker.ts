import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';

export interface ClaimedJob {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
}

export interface JobHandler {
  run(job: ClaimedJob): Promise<void>;
  /** Called once when the last attempt has failed, e.g. to tell the person. */
  onFinalFailure?(job: ClaimedJob, error: unknown): Promise<void>;
}

/**
 * Thrown by a handler when the remote side said when to come back (HTTP 429/503 Retry-After). With
 * `countsAsAttempt: false` (send pacing: the tenant was throttled, nothing is wrong with this job)
 * the try is not counted against maxAttempts and the job comes back after exactly that delay.
 */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError';
  readonly countsAsAttempt: boolean;
  constructor(
    message: string,
    readonly retryAfterMs: number,
    options: { countsAsAttempt?: boolean } = {},
  ) {
    super(message);
    this.countsAsAttempt = options.countsAsAttempt ?? true;
  }
}

export interface WorkerOptions {
  pollMs?: number;
  batchSize?: number;
  /** How long a claimed job is reserved; after that another instance may take it over. */
  leaseMs?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  random?: () => number;
  /**
   * How many claimed jobs run at once (default 1: one after another). A paced fan-out needs more:
   * each send waits for its slot, so one at a time cannot reach the tenant's rate.
   */
  concurrency?: number;
}

/**
 * Runs due outbox jobs. Several app instances can run workers on one PostgreSQL: claiming uses
 * FOR UPDATE SKIP LOCKED, and a job whose lease ran out (its instance died) is claimed again.
 * Failures back off exponentially with full jitter, or as long as Retry-After asked.
 */
export class JobWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;
  private readonly opts: Required<WorkerOptions>;

  constructor(
    private readonly db: Db,
    private readonly handlers: Record<string, JobHandler>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    options: WorkerOptions = {},
  ) {
    this.opts = {
      pollMs: options.pollMs ?? 1000,
      batchSize: options.batchSize ?? 20,
      leaseMs: options.leaseMs ?? 60_000,
      baseBackoffMs: options.baseBackoffMs ?? 5_000,
      maxBackoffMs: options.maxBackoffMs ?? 30 * 60_000,
      random: options.random ?? Math.random,
      concurrency: Math.max(1, Math.floor(options.concurrency ?? 1)),
    };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Runs soon instead of at the next poll, e.g. right after a request enqueued work. */
  kick(): void {
    if (this.stopped || this.running) return;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Claims and runs every job due now; returns how many ran. Tests call this directly. */
  async runDueJobs(): Promise<number> {
    if (this.opts.concurrency === 1) {
      let total = 0;
      for (;;) {
        const batch = await this.claim(this.opts.batchSize);
        if (batch.length === 0) return total;
        for (const job of batch) await this.execute(job);
        total += batch.length;
      }
    }
    return this.runConcurrently();
  }

  /**
   * Keeps up to `concurrency` jobs running, claiming more as they finish, so the pool never drains
   * at a batch boundary. Claims only what can start at once: a claimed job's lease runs from the
   * claim, so none sits waiting in memory while its lease runs out. Each claimed job runs once here.
   */
  private async runConcurrently(): Promise<number> {
    const running = new Set<Promise<void>>();
    let total = 0;
    let drained = false;
    for (;;) {
      const free = this.opts.concurrency - running.size;
      if (!drained && free > 0 && (running.size === 0 || free >= Math.ceil(this.opts.concurrency / 2))) {
        const batch = await this.claim(Math.min(this.opts.batchSize, free));
        // Nothing due now: finish what runs; jobs they enqueue are picked up by the next pass.
        if (batch.length === 0) drained = true;
        for (const job of batch) {
          const run: Promise<void> = this.execute(job).finally(() => running.delete(run));
          running.add(run);
        }
        total += batch.length;
        if (batch.length > 0) continue;
      }
      if (running.size === 0) return total;
      await Promise.race(running);
      drained = false;
    }
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.runDueJobs()
        .catch((error: unknown) => this.logger.error({ err: error }, 'job worker pass failed'))
        .finally(() => {
          this.running = undefined;
          if (!this.stopped) this.schedule(this.opts.pollMs);
        });
    }, delayMs);
    this.timer.unref();
  }

  private async claim(limit: number): Promise<ClaimedJob[]> {
    const now = this.clock.now();
    const kinds = Object.keys(this.handlers);
    if (kinds.length === 0) return [];
    const leaseUntil = new Date(now.getTime() + this.opts.leaseMs);
    const rows = await this.db
      .updateTable('job')
      .set((eb) => ({ status: 'running', attempts: eb('attempts', '+', 1), locked_until: leaseUntil, updated_at: now }))
      .where('id', 'in', (qb) =>
        qb
          .selectFrom('job')
          .select('id')
          .where('kind', 'in', kinds)
          .where((eb) =>
            eb.or([
              eb.and([eb('status', '=', 'pending'), eb('run_at', '<=', now)]),
              eb.and([eb('status', '=', 'running'), eb('locked_until', '<', now)]),
            ]),
          )
          .orderBy('run_at')
          .limit(limit)
          .modifyEnd(sql`for update skip locked`),
      )
      .returning(['id', 'kind', 'payload', 'attempts', 'max_attempts'])
      .execute();
    return rows.map((r) => ({ id: r.id, kind: r.kind, payload: r.payload, attempts: r.attempts, maxAttempts: r.max_attempts }));
  }

  private async execute(job: ClaimedJob): Promise<void> {
    const handler = this.handlers[job.kind];
    try {
      await handler.run(job);
      await this.db
        .updateTable('job')
        .set({ status: 'done', locked_until: null, last_error: null, updated_at: this.clock.now() })
        .where('id', '=', job.id)
        .execute();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const now = this.clock.now();
      if (error instanceof RetryLaterError && !error.countsAsAttempt) {
        // Throttled or paced out: the claim's attempt is given back and the job waits exactly as asked.
        await this.db
          .updateTable('job')
          .set((eb) => ({ status: 'pending', attempts: eb('attempts', '-', 1), locked_until: null, last_error: reason, run_at: new Date(now.getTime() + error.retryAfterMs), updated_at: now }))
          .where('id', '=', job.id)
          .execute();
        return;
      }
      if (job.attempts >= job.maxAttempts) {
        this.logger.error({ jobId: job.id, kind: job.kind, attempts: job.attempts, reason }, 'job failed for good');
        await this.db
          .updateTable('job')
          .set({ status: 'failed', locked_until: null, last_error: reason, updated_at: now })
          .where('id', '=', job.id)
          .execute();
        try {
          await handler.onFinalFailure?.(job, error);
        } catch (hookError) {
          this.logger.error({ err: hookError, jobId: job.id }, 'final-failure hook failed');
        }
        return;
      }
      const delay = this.backoff(job.attempts, error);
      this.logger.warn({ jobId: job.id, kind: job.kind, attempts: job.attempts, retryInMs: delay, reason }, 'job will retry');
      await this.db
        .updateTable('job')
        .set({ status: 'pending', locked_until: null, last_error: reason, run_at: new Date(now.getTime() + delay), updated_at: now })
        .where('id', '=', job.id)
        .execute();
    }
  }

  private backoff(attempts: number, error: unknown): number {
    const ceiling = Math.min(this.opts.maxBackoffMs, this.opts.baseBackoffMs * 2 ** (attempts - 1));
    const jittered = Math.round(ceiling / 2 + (this.opts.random() * ceiling) / 2);
    return error instanceof RetryLaterError ? Math.max(error.retryAfterMs, jittered) : jittered;
  }
}
