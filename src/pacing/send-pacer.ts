import type { Db } from '../db/database.js';
import { RetryLaterError } from '../jobs/worker.js';
import type { Logger } from '../shared/logger.js';
import { defaultPacingOptions, realPacerTimer, type PacerTimer, type PacingOptions } from './pacer-options.js';
import { ConversationWindows, latenessToleranceMs, throttlePauseMs } from './pacing.domain.js';
import { pauseAll, reserveSlots } from './pacing-row.js';
import { nextToGo, type SendPriority, type Waiter } from './waiting-line.js';

export type { SendPriority } from './waiting-line.js';

/**
 * One per process. Holds the proactive sends of this process to the tenant-wide schedule shared in
 * the database (src/pacing/pacing-row.ts), to the per-conversation windows, and to the global pause a
 * throttle wrote. Interactive replies are told to `noteInteractive`: with nothing paced here they go
 * at once and are charged to the shared schedule afterwards; while a fan-out holds slots here they
 * take the next slot ahead of every queued send (never refused, see noteInteractive).
 */
export class SendPacer {
  private readonly opts: PacingOptions;
  private readonly intervalMs: number;
  /** How late a reserved slot may still be used (see dropLateSlots). */
  private readonly toleranceMs: number;
  private readonly windows: ConversationWindows;
  private readonly waiters: Waiter[] = [];
  /** Reserved slot start times (epoch ms), ascending. */
  private slots: number[] = [];
  private pausedUntil = 0;
  private interactiveDebt = 0;
  private consecutiveThrottles = 0;
  private pumping: Promise<void> | undefined;
  private wakeUp: () => void = () => undefined;
  private wake: Promise<void> = this.newWake();
  private flushTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private reserving: Promise<void> | undefined;
  private readonly totals = { granted: 0, droppedLate: 0, reserved: 0, reservations: 0, interactive: 0 };

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    options: Partial<PacingOptions> = {},
    private readonly timer: PacerTimer = realPacerTimer,
    private readonly random: () => number = Math.random,
  ) {
    this.opts = { ...defaultPacingOptions, ...options };
    this.intervalMs = 1000 / (this.opts.tenantRatePerSecond * this.opts.share);
    this.toleranceMs = latenessToleranceMs(this.opts.tenantRatePerSecond, this.opts.share);
    this.windows = new ConversationWindows(this.opts.conversationWindows);
  }

  /** Milliseconds between two slots of the shared schedule. */
  get slotIntervalMs(): number {
    return this.intervalMs;
  }

  /**
   * Resolves when this process may make one proactive call into the conversation (send, update or
   * reply). Throws RetryLaterError when the wait would outlast `maxWaitMs` (the durable job comes back later).
   */
  acquire(conversationId: string, priority: SendPriority = 'notice'): Promise<void> {
    if (this.closed) return Promise.reject(new RetryLaterError('the app is shutting down', 1_000, { countsAsAttempt: false }));
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ conversationId, priority, enqueuedAt: this.nowMs(), resolve, reject });
      this.nudge();
    });
  }

  /**
   * An interactive send (a reply in a turn) is about to be made. With no proactive sends here it
   * goes at once, with no database call, and is charged to the shared schedule later (returns
   * undefined). While this process is pacing sends (a fan-out holds reserved slots), each reply
   * takes the next slot before any queued send, waiting at most until it starts (a few ms): replies
   * on top of a full schedule would push a second over Teams' limit, and that 429 pauses everyone.
   * Never refused: after `interactiveMaxWaitMs`, or when the pacer cannot pace, it goes anyway.
   */
  noteInteractive(count = 1): Promise<void> | undefined {
    this.totals.interactive += count;
    // Slots left over from an earlier burst (reserved ahead, never used) are stale, not a fan-out.
    if (this.waiters.length === 0) this.dropLateSlots(this.nowMs());
    if (this.closed || (this.slots.length === 0 && this.waiters.length === 0)) {
      this.chargeLater(count);
      return undefined;
    }
    const enqueuedAt = this.nowMs();
    const turns = Array.from({ length: count }, () => new Promise<void>((resolve) => this.waiters.push({ conversationId: '', priority: 'interactive', enqueuedAt, resolve, reject: () => resolve() })));
    this.nudge();
    return Promise.all(turns).then(() => undefined);
  }

  private chargeLater(count: number): void {
    this.interactiveDebt += count;
    if (this.flushTimer || this.pumping) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      if (!this.pumping && this.interactiveDebt > 0) void this.chargeDebt();
    }, this.opts.interactiveFlushMs);
    this.flushTimer.unref();
  }

  /** A proactive call went through: the next throttle starts its backoff from the base again. */
  succeeded(): void {
    this.consecutiveThrottles = 0;
  }

  /**
   * The connector throttled a call: pause every instance (the shared row) and this one (its reserved
   * slots before the pause are dropped). Returns the pause in ms, for the job's RetryLaterError.
   */
  async throttled(retryAfterMs: number | undefined): Promise<number> {
    this.consecutiveThrottles += 1;
    const pauseMs = throttlePauseMs(retryAfterMs, this.consecutiveThrottles, this.opts.throttleBackoff, this.random);
    const until = this.nowMs() + pauseMs;
    this.pauseLocally(until);
    await pauseAll(this.db, until);
    this.logger.warn({ pauseMs, consecutive: this.consecutiveThrottles, retryAfter: retryAfterMs !== undefined }, 'connector throttled: all instances pause proactive sends');
    return pauseMs;
  }

  /** Sends waiting in this process (for status and tests). */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Counts since start: slots granted, dropped as too late, reserved (and in how many round trips), interactive sends. */
  stats(): Readonly<{ granted: number; droppedLate: number; reserved: number; reservations: number; interactive: number }> {
    return { ...this.totals };
  }

  /** Stops the flush timer and refuses what still waits (shutdown). */
  close(): void {
    if (!this.closed && this.totals.reserved > 0) this.logger.info({ ...this.totals }, 'send pacer totals');
    this.closed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    for (const w of this.waiters.splice(0)) w.reject(new RetryLaterError('the app is shutting down', 1_000, { countsAsAttempt: false }));
    this.wakeUp();
  }

  private nudge(): void {
    this.wakeUp();
    this.pumping ??= this.pump().finally(() => {
      this.pumping = undefined;
      if (this.waiters.length > 0) this.nudge();
    });
  }

  private async pump(): Promise<void> {
    while (this.waiters.length > 0) {
      const now = this.nowMs();
      this.giveUpOnLongWaits(now);
      if (this.waiters.length === 0) return;
      if (this.pausedUntil > now) {
        await this.sleep(this.pausedUntil - now);
        continue;
      }
      const next = nextToGo(this.waiters, this.windows, now);
      if (typeof next === 'number') {
        // Every waiting conversation is at its limit: wait for the first to free up (or a new waiter).
        await this.sleep(next - now);
        continue;
      }
      this.dropLateSlots(now);
      if (this.slots.length === 0) {
        try {
          await this.reserveSoon(now);
        } catch (error) {
          // The database is unreachable: the waiting sends fail like any outage (their jobs back off).
          this.logger.warn({ err: error }, 'could not reserve send slots');
          for (const w of this.waiters.splice(0)) w.reject(error instanceof Error ? error : new Error('could not reserve send slots'));
        }
        continue;
      }
      // Running low: reserve the next batch while these are used, so no send waits on the round trip.
      if (this.slots.length <= this.opts.reserveBatch / 2 && this.waiters.length > this.slots.length && !this.reserving) this.prefetch(now);
      if (this.slots[0] > now) {
        await this.sleep(this.slots[0] - now);
        continue; // a notice may have arrived meanwhile: pick again
      }
      this.slots.shift();
      this.waiters.splice(this.waiters.indexOf(next), 1);
      if (next.priority !== 'interactive') this.windows.record(next.conversationId, now);
      this.totals.granted += 1;
      next.resolve();
    }
  }

  /** One reservation at a time per process; a second caller shares the one in flight. */
  private reserveSoon(now: number, options: { ahead?: boolean } = {}): Promise<void> {
    this.reserving ??= this.reserve(now, options.ahead ?? false).finally(() => {
      this.reserving = undefined;
    });
    return this.reserving;
  }

  /** A reservation the pump does not wait for; a failure is left to the next one, which does wait. */
  private prefetch(now: number): void {
    this.reserveSoon(now, { ahead: true }).then(
      () => this.wakeUp(),
      (error: unknown) => this.logger.warn({ err: error }, 'could not reserve send slots ahead; will try again'),
    );
  }

  private async reserve(now: number, ahead: boolean): Promise<void> {
    const eligible = this.waiters.filter((w) => this.windows.nextFreeAt(w.conversationId, now) <= now).length;
    // Ahead of need only while sends queue up (a fan-out): then a whole batch, since the senders busy
    // sending come back within it. A slot reserved for no one is lost to every instance, so this is
    // bounded: at a burst's end at most a batch less one goes unused (0.2 s of the schedule at 50/s).
    if (ahead && eligible <= this.slots.length) return;
    const want = ahead ? this.opts.reserveBatch : Math.max(1, Math.min(this.opts.reserveBatch, eligible - this.slots.length));
    const debt = this.interactiveDebt;
    this.interactiveDebt = 0;
    const reservation = await reserveSlots(this.db, want + debt, this.intervalMs, now);
    this.totals.reservations += 1;
    this.totals.reserved += reservation.count;
    this.pauseLocally(reservation.pausedUntilMs);
    // The first `debt` slots stand for interactive sends already made: they are not ours to use.
    for (let i = debt; i < reservation.count; i += 1) this.slots.push(reservation.firstSlotMs + i * this.intervalMs);
  }

  private async chargeDebt(): Promise<void> {
    const debt = this.interactiveDebt;
    this.interactiveDebt = 0;
    try {
      const reservation = await reserveSlots(this.db, debt, this.intervalMs, this.nowMs());
      this.pauseLocally(reservation.pausedUntilMs);
    } catch (error) {
      this.interactiveDebt += debt;
      this.logger.warn({ err: error }, 'could not charge interactive sends to the send schedule; will try again');
    }
  }

  /**
   * A slot used late bunches with the slots after it (maybe another instance's). A slot later than
   * the tolerance is dropped: the time it stood for has passed unused (on a starved event loop this
   * is where throughput goes; the pacer's totals count it).
   */
  private dropLateSlots(now: number): void {
    let late = 0;
    while (late < this.slots.length && this.slots[late] < now - this.toleranceMs) late += 1;
    if (late > 0) this.slots.splice(0, late);
    this.totals.droppedLate += late;
  }

  private pauseLocally(untilMs: number): void {
    if (untilMs <= this.pausedUntil) return;
    this.pausedUntil = untilMs;
    this.slots = this.slots.filter((s) => s >= untilMs);
    this.wakeUp();
  }

  private giveUpOnLongWaits(now: number): void {
    for (const w of [...this.waiters]) {
      if (w.priority === 'interactive') {
        if (now - w.enqueuedAt < this.opts.interactiveMaxWaitMs) continue;
        // A reply is never refused: it goes now, and is charged to the schedule like one made at once.
        this.waiters.splice(this.waiters.indexOf(w), 1);
        this.chargeLater(1);
        w.resolve();
        continue;
      }
      if (now - w.enqueuedAt < this.opts.maxWaitMs) continue;
      this.waiters.splice(this.waiters.indexOf(w), 1);
      const retryAfterMs = Math.max(this.pausedUntil - now, this.intervalMs * this.waiters.length, 1_000);
      w.reject(new RetryLaterError('send pacing: waited too long for a send slot', Math.round(retryAfterMs), { countsAsAttempt: false }));
    }
  }

  private async sleep(ms: number): Promise<void> {
    const wake = this.wake;
    const reply = this.waiters.find((w) => w.priority === 'interactive');
    const bounded = Math.min(ms, this.opts.maxWaitMs, reply ? reply.enqueuedAt + this.opts.interactiveMaxWaitMs - this.nowMs() : Infinity);
    await this.timer.wait(bounded, wake);
  }

  private newWake(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wakeUp = () => {
        resolve();
        this.wake = this.newWake();
      };
    });
  }

  /** Wall-clock epoch ms as the pacer sees it (the notifier reads an HTTP-date Retry-After against it). */
  nowMs(): number {
    return this.timer.now();
  }
}
