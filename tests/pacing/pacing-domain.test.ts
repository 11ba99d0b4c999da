import { latenessToleranceMs } from '../../src/pacing/pacing.domain.js';
import { describe, expect, it } from 'vitest';
import { parseSendWindows, loadConfig } from '../../src/config.js';
import { ConversationWindows, nextFreeAt, parseRetryAfter, throttlePauseMs, MAX_RETRY_AFTER_MS, THROTTLE_STATUSES } from '../../src/pacing/pacing.domain.js';

describe('per-conversation windows', () => {
  const windows = [
    { limit: 7, windowMs: 1_000 },
    { limit: 8, windowMs: 2_000 },
  ];

  it('lets a send through while every window has room', () => {
    expect(nextFreeAt([0, 100, 200], windows, 300)).toBe(300);
    expect(nextFreeAt([], windows, 5)).toBe(5);
  });

  it('waits for the oldest send of a full window to leave it', () => {
    const seven = [0, 10, 20, 30, 40, 50, 60];
    expect(nextFreeAt(seven, windows, 70)).toBe(1_000);
    // After the eighth send (at 1 000), the 2-second window is the one that holds the ninth back.
    expect(nextFreeAt([...seven, 1_000], windows, 1_000)).toBe(2_000);
  });

  it('a send exactly one window ago no longer counts', () => {
    expect(nextFreeAt([0, 0, 0, 0, 0, 0, 0], [{ limit: 7, windowMs: 1_000 }], 1_000)).toBe(1_000);
  });

  it('remembers conversations only as long as the longest window', () => {
    const held = new ConversationWindows([{ limit: 1, windowMs: 1_000 }]);
    held.record('a', 0);
    expect(held.nextFreeAt('a', 500)).toBe(1_000);
    expect(held.nextFreeAt('b', 500)).toBe(500);
    held.record('b', 70_000); // a sweep (at most once a minute) forgets 'a'
    expect(held.size).toBe(1);
  });
});

describe('throttling', () => {
  it('treats 412, 429, 502, 503 and 504 as throttling, and not 403, 404 or 500', () => {
    expect([412, 429, 502, 503, 504].every((s) => THROTTLE_STATUSES.has(s))).toBe(true);
    expect([403, 404, 500, 400].some((s) => THROTTLE_STATUSES.has(s))).toBe(false);
  });

  it('reads Retry-After as seconds or an HTTP date, and ignores what it cannot read', () => {
    const now = Date.parse('2026-12-01T09:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3_000);
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
    expect(parseRetryAfter('Tue, 01 Dec 2026 09:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Tue, 01 Dec 2026 08:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('honours Retry-After exactly, but caps an absurd one', () => {
    const policy = { baseMs: 1_000, maxMs: 60_000 };
    expect(throttlePauseMs(2_000, 5, policy, () => 0.9)).toBe(2_000);
    expect(throttlePauseMs(86_400_000, 1, policy, () => 0.9)).toBe(MAX_RETRY_AFTER_MS);
    expect(throttlePauseMs(undefined, 1, policy, () => 0)).toBe(500);
    expect(throttlePauseMs(undefined, 10, policy, () => 1)).toBe(60_000);
  });
});

describe('pacing configuration', () => {
  it('reads conversation limits such as 7/1s,60/30s,1800/1h', () => {
    expect(parseSendWindows('7/1s, 8/2s,60/30s,1800/1h,5/500ms,3/2m')).toEqual([
      { limit: 7, windowMs: 1_000 },
      { limit: 8, windowMs: 2_000 },
      { limit: 60, windowMs: 30_000 },
      { limit: 1_800, windowMs: 3_600_000 },
      { limit: 5, windowMs: 500 },
      { limit: 3, windowMs: 120_000 },
    ]);
    expect(parseSendWindows('7 per second')).toBeUndefined();
    expect(parseSendWindows('0/1s')).toBeUndefined();
  });

  it("defaults to Teams' published limits", () => {
    const config = loadConfig({});
    expect(config.sendPacing).toMatchObject({ tenantRatePerSecond: 50, share: 0.98, reserveBatch: 10 });
    expect(config.sendPacing.conversationWindows).toHaveLength(4);
    expect(config.jobConcurrency).toBe(8);
  });

  it('refuses a bad value with one sentence naming the variable', () => {
    expect(() => loadConfig({ SEND_CONVERSATION_LIMITS: 'lots' })).toThrow(/SEND_CONVERSATION_LIMITS is invalid: must be a comma-separated list/);
    expect(() => loadConfig({ SEND_RATE_PER_SECOND: '0' })).toThrow(/SEND_RATE_PER_SECOND is invalid/);
    expect(() => loadConfig({ SEND_RATE_SHARE: '1.5' })).toThrow(/SEND_RATE_SHARE is invalid/);
    // All of the limit leaves nothing for a late timer or network jitter: refused.
    expect(() => loadConfig({ SEND_RATE_SHARE: '1' })).toThrow(/SEND_RATE_SHARE is invalid/);
    expect(() => loadConfig({ JOB_CONCURRENCY: 'many' })).toThrow(/JOB_CONCURRENCY is invalid/);
  });
});

describe('how late a reserved slot may be used', () => {
  /** Most sends in any half-open window of 1 s. */
  const busiestSecond = (times: number[]): number => {
    let best = 0;
    for (let start = 0, end = 0; end < times.length; end += 1) {
      while (times[end] - times[start] >= 1000) start += 1;
      best = Math.max(best, end - start + 1);
    }
    return best;
  };

  it.each([5, 20, 50, 200, 1000])('at %i/s every slot used up to the tolerance late still keeps every second within the limit', (rate) => {
    const share = 0.98;
    const interval = 1000 / (rate * share);
    const tolerance = latenessToleranceMs(rate, share);
    // Worst case for a window: the slots before it as late as allowed, the ones inside on time.
    for (let lateRun = 1; lateRun <= 3 * rate; lateRun += Math.max(1, Math.floor(rate / 10))) {
      const times = Array.from({ length: 4 * rate }, (_, k) => k * interval + (k < lateRun ? tolerance : 0)).sort((a, b) => a - b);
      expect(busiestSecond(times)).toBeLessThanOrEqual(rate);
    }
  });

  it('leaves half the spare for jitter: about 10 ms at share 0.98 whatever the rate', () => {
    expect(latenessToleranceMs(50, 0.98)).toBeCloseTo(1000 / 49 / 2, 6);
    expect(latenessToleranceMs(200, 0.98)).toBeCloseTo((1000 / 196) * 2, 6);
    expect(latenessToleranceMs(5, 0.98)).toBeCloseTo(latenessToleranceMs(500, 0.98), 6);
  });

  it('the bound is tight: twice the tolerance (no room left for jitter) lets a second exceed the limit at a low rate', () => {
    const rate = 5;
    const interval = 1000 / (rate * 0.98);
    const late = 2.2 * latenessToleranceMs(rate, 0.98);
    const times = [late, ...Array.from({ length: 10 }, (_, k) => (k + 1) * interval)];
    expect(busiestSecond(times)).toBeGreaterThan(rate);
  });
});
