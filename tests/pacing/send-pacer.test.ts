import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { RetryLaterError } from '../../src/jobs/worker.js';
import type { PacerTimer, PacingOptions } from '../../src/pacing/pacer-options.js';
import { SendPacer, type SendPriority } from '../../src/pacing/send-pacer.js';
import { silentLogger } from '../../src/shared/logger.js';
import { describeOnEachDatabase, type TestDb } from '../support/test-db.js';

/**
 * Virtual time shared by every pacer in a test: a wait moves the clock to the time it waits for
 * (never back), then lets other pacers run. No sleeping: 300 sends at 50/s take milliseconds.
 */
function virtualTime(start = Date.parse('2026-12-01T09:00:00Z'), options: { wakes?: boolean } = {}): PacerTimer & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    wait: async (ms, wake) => {
      // Time moves after the others have had their turn, so a grant is observed at its own time;
      // with `wakes`, not when something woke the pacer meanwhile (a new send), as a real timer is cut short.
      let woken = false;
      if (options.wakes)
        void wake.then(() => {
          woken = true;
        });
      const target = now + Math.max(0, ms);
      await new Promise((resolve) => setImmediate(resolve));
      if (!woken) now = Math.max(now, target);
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

/** Most grants inside any window of `windowMs` (half-open), from grant times. */
function maxInWindow(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while (sorted[end] - sorted[start] >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

const noConversationLimits: Partial<PacingOptions> = { conversationWindows: [] };

describeOnEachDatabase('send pacer on $kind', ({ open }) => {
  // One database per kind (opening one costs seconds on a busy machine); each test starts from an idle schedule.
  let handle: TestDb | undefined;
  let pacers: SendPacer[] = [];
  beforeAll(async () => {
    handle = await open();
  });
  afterAll(async () => {
    await handle?.close();
  });
  afterEach(() => {
    for (const p of pacers) p.close();
    pacers = [];
  });

  async function setup(): Promise<Db> {
    await sql`update send_pacing set next_slot_ms = 0, paused_until_ms = 0`.execute(handle!.db);
    return handle!.db;
  }

  function pacer(db: Db, timer: PacerTimer, options: Partial<PacingOptions> = {}): SendPacer {
    const p = new SendPacer(db, silentLogger, { ...noConversationLimits, ...options }, timer, () => 0.5);
    pacers.push(p);
    return p;
  }

  /** Acquires for each [conversation, priority] at once; returns the grant time of each, in order of the inputs. */
  async function grants(p: SendPacer, timer: PacerTimer, sends: Array<[string, SendPriority?]>): Promise<number[]> {
    return Promise.all(sends.map(async ([conversation, priority]) => (await p.acquire(conversation, priority), timer.now())));
  }

  it('two pacers on one database together stay within the tenant rate, sharing the schedule', async () => {
    const db = await setup();
    const time = virtualTime();
    const a = pacer(db, time, { reserveBatch: 5 });
    const b = pacer(db, time, { reserveBatch: 5 });
    const sends = (prefix: string) => Array.from({ length: 150 }, (_, i): [string] => [`${prefix}-${i}`]);

    const [fromA, fromB] = await Promise.all([grants(a, time, sends('a')), grants(b, time, sends('b'))]);

    const all = [...fromA, ...fromB];
    expect(all).toHaveLength(300);
    expect(maxInWindow(all, 1000)).toBeLessThanOrEqual(50);
    // Both instances got a fair part of the schedule, not one after the other.
    expect(Math.max(...fromA)).toBeGreaterThan(Math.min(...fromB));
    expect(Math.max(...fromB)).toBeGreaterThan(Math.min(...fromA));
    // Every send had a slot of its own: the shared schedule moved on by at least 300 slots.
    const row = await sql<{ next_slot_ms: number }>`select next_slot_ms from send_pacing where id = 'teams'`.execute(db);
    expect(Number(row.rows[0].next_slot_ms) - Date.parse('2026-12-01T09:00:00Z')).toBeGreaterThanOrEqual(300 * a.slotIntervalMs - 1e-6);
    // (What share of the limit two real processes achieve is measured by the bench, in real time:
    // here one pacer's waits move the virtual clock while the other's query is still running.)
  });

  it('one database round trip per batch of slots, not per send', async () => {
    const db = await setup();
    const time = virtualTime();
    const p = pacer(db, time, { reserveBatch: 10 });
    await grants(p, time, Array.from({ length: 40 }, (_, i): [string] => [`c-${i}`]));
    const row = await sql<{ next_slot_ms: number }>`select next_slot_ms from send_pacing where id = 'teams'`.execute(db);
    // 40 sends, batches of 10: a handful of round trips, not 40.
    expect(p.stats().granted).toBe(40);
    expect(p.stats().reservations).toBeLessThanOrEqual(5);
    // The next batch is reserved while sends still queue, so the last one can outrun the queue:
    // the schedule moved on by the 40 slots used and at most one batch less one left unused.
    const moved = (Number(row.rows[0].next_slot_ms) - Date.parse('2026-12-01T09:00:00Z')) / p.slotIntervalMs;
    expect(moved).toBeGreaterThanOrEqual(40 - 1e-6);
    expect(moved).toBeLessThanOrEqual(49 + 1e-6);
  });

  it('a Retry-After seen by one pacer pauses the other too (the shared "paused until")', async () => {
    const db = await setup();
    const time = virtualTime();
    const a = pacer(db, time, { reserveBatch: 1 });
    const b = pacer(db, time, { reserveBatch: 1 });
    await grants(a, time, [['a-0']]);
    const throttledAt = time.now();

    expect(await a.throttled(7_000)).toBe(7_000);
    const [bGrant] = await grants(b, time, [['b-0']]);
    const [aGrant] = await grants(a, time, [['a-1']]);

    expect(bGrant).toBeGreaterThanOrEqual(throttledAt + 7_000);
    expect(aGrant).toBeGreaterThanOrEqual(throttledAt + 7_000);
  });

  it('without Retry-After, throttles in a row back off exponentially (with jitter), and a success resets it', async () => {
    const db = await setup();
    const p = pacer(db, virtualTime(), { throttleBackoff: { baseMs: 1_000, maxMs: 8_000 } });
    // random() is 0.5: equal jitter gives three quarters of the ceiling.
    expect([await p.throttled(undefined), await p.throttled(undefined), await p.throttled(undefined), await p.throttled(undefined), await p.throttled(undefined)]).toEqual([
      750, 1500, 3000, 6000, 6000,
    ]);
    p.succeeded();
    expect(await p.throttled(undefined)).toBe(750);
  });

  it("holds one conversation to its windows (7/1 s, 8/2 s) while other conversations' sends go on", async () => {
    const db = await setup();
    const time = virtualTime();
    const p = pacer(db, time, {
      conversationWindows: [
        { limit: 7, windowMs: 1_000 },
        { limit: 8, windowMs: 2_000 },
      ],
    });
    const sends: Array<[string]> = [...Array.from({ length: 20 }, (): [string] => ['busy']), ...Array.from({ length: 20 }, (_, i): [string] => [`quiet-${i}`])];

    const times = await grants(p, time, sends);

    const busy = times.slice(0, 20);
    expect(maxInWindow(busy, 1_000)).toBeLessThanOrEqual(7);
    expect(maxInWindow(busy, 2_000)).toBeLessThanOrEqual(8);
    // The 20 other conversations did not queue behind the busy one: they were done within a second.
    const start = Math.min(...times);
    expect(Math.max(...times.slice(20)) - start).toBeLessThan(1_000);
  });

  it("a process's notices go before its waiting bulk sends", async () => {
    const db = await setup();
    const time = virtualTime();
    const p = pacer(db, time, { reserveBatch: 2 });
    const order: string[] = [];
    const bulk = Array.from({ length: 10 }, (_, i) => p.acquire(`bulk-${i}`, 'bulk').then(() => order.push(`bulk-${i}`)));
    await new Promise((resolve) => setImmediate(resolve));
    const notice = p.acquire('reminder', 'notice').then(() => order.push('reminder'));

    await Promise.all([...bulk, notice]);

    expect(order.indexOf('reminder')).toBeLessThanOrEqual(3);
    expect(order).toHaveLength(11);
  });

  it('with no sends being paced, interactive sends never wait and are charged to the schedule, so bulk sends leave them that room', async () => {
    const db = await setup();
    const time = virtualTime();
    const p = pacer(db, time, { reserveBatch: 10 });
    const start = time.now();

    // Synchronous: a turn's reply does not wait for anything and makes no database call here.
    for (let i = 0; i < 20; i += 1) expect(p.noteInteractive()).toBeUndefined();
    const times = await grants(p, time, Array.from({ length: 10 }, (_, i): [string, SendPriority] => [`bulk-${i}`, 'bulk']));

    // The first 20 slots stood for the replies already sent: the bulk sends came after them.
    expect(Math.min(...times)).toBeGreaterThanOrEqual(start + 20 * p.slotIntervalMs - 1e-6);
  });

  it("during a fan-out a turn's replies take this process's next slots before queued sends, so no second goes over the limit", async () => {
    const db = await setup();
    const time = virtualTime();
    const p = pacer(db, time);
    const bulkTimes: number[] = [];
    const bulk = Array.from({ length: 120 }, (_, i) => p.acquire(`member-${i}`, 'bulk').then(() => bulkTimes.push(time.now())));
    while (bulkTimes.length < 60) await new Promise((resolve) => setImmediate(resolve));

    // Ten people's replies at one moment, on top of a schedule the fan-out is filling.
    const asked = time.now();
    const waiting = Array.from({ length: 10 }, () => p.noteInteractive(1));
    expect(waiting.every((w) => w instanceof Promise)).toBe(true);
    const replyTimes = await Promise.all(waiting.map(async (w) => (await w, time.now())));
    await Promise.all(bulk);

    // They went first, within ten slots, and the replies and the fan-out together stayed within 50 in any second.
    const lastReply = Math.max(...replyTimes);
    expect(lastReply - asked).toBeLessThanOrEqual(10 * p.slotIntervalMs + 1e-6);
    expect(bulkTimes.filter((t) => t > asked && t < lastReply)).toHaveLength(0);
    expect(maxInWindow([...bulkTimes, ...replyTimes], 1000)).toBeLessThanOrEqual(50);
    expect(p.stats().interactive).toBe(10);
  });

  it('slots left unused at the end of a burst do not make a later reply wait', async () => {
    const db = await setup();
    const time = virtualTime();
    const p = pacer(db, time, { reserveBatch: 10 });
    await grants(p, time, Array.from({ length: 12 }, (_, i): [string, SendPriority] => [`member-${i}`, 'bulk']));
    time.advance(60_000);

    expect(p.noteInteractive(1)).toBeUndefined();
    expect(p.waiting).toBe(0);
  });

  it('a reply is never refused: during a long throttle pause it waits interactiveMaxWaitMs at most, then goes', async () => {
    const db = await setup();
    const time = virtualTime(undefined, { wakes: true });
    const p = pacer(db, time, { interactiveMaxWaitMs: 800 });
    await p.throttled(60_000);
    const bulk = p.acquire('member', 'bulk').catch((e: unknown) => e);
    const start = time.now();

    await p.noteInteractive(1);

    expect(time.now() - start).toBeGreaterThanOrEqual(800);
    expect(time.now() - start).toBeLessThan(2_000);
    p.close();
    expect(await bulk).toBeInstanceOf(RetryLaterError);
  });

  it('bulk alone uses at least 97 % of the tenant limit', async () => {
    const db = await setup();
    const time = virtualTime();
    const p = pacer(db, time);
    const times = await grants(p, time, Array.from({ length: 300 }, (_, i): [string, SendPriority] => [`member-${i}`, 'bulk']));
    const span = (Math.max(...times) - Math.min(...times)) / 1000;
    expect((times.length - 1) / span).toBeGreaterThanOrEqual(50 * 0.97);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(50);
  });

  it('a send that would wait longer than maxWaitMs goes back to its job as RetryLaterError (not counted as an attempt)', async () => {
    const db = await setup();
    const time = virtualTime();
    const p = pacer(db, time, { maxWaitMs: 5_000 });
    await p.throttled(60_000);

    const failure = await p.acquire('late').catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(RetryLaterError);
    expect((failure as RetryLaterError).countsAsAttempt).toBe(false);
    expect((failure as RetryLaterError).retryAfterMs).toBeGreaterThan(50_000);
    expect(p.waiting).toBe(0);
  });

  it('after close, waiting and new sends are handed back to their jobs', async () => {
    const db = await setup();
    const time = virtualTime();
    const p = pacer(db, time);
    await p.throttled(10_000);
    const waiting = p.acquire('w').catch((e: unknown) => e);
    p.close();
    expect(await waiting).toBeInstanceOf(RetryLaterError);
    await expect(p.acquire('x')).rejects.toBeInstanceOf(RetryLaterError);
  });
});
