import { describe, expect, it } from 'vitest';
import { needsOwnRetry, withSendRetry, type SendRetryPolicy } from '../../src/teams/send.js';

const throttled = (status: number, retryAfter?: string) =>
  Object.assign(new Error(`HTTP ${status}`), {
    statusCode: status,
    response: { headers: { get: (name: string) => (name === 'retry-after' ? retryAfter : undefined) } },
  });

function policy(): SendRetryPolicy & { waits: number[] } {
  const waits: number[] = [];
  return { attempts: 4, baseDelayMs: 500, maxDelayMs: 1500, random: () => 1, sleep: async (ms) => void waits.push(ms), waits };
}

describe('retrying what the connector client does not', () => {
  it('retries only 412 and 429 without Retry-After', () => {
    expect(needsOwnRetry(throttled(412))).toBe(true);
    expect(needsOwnRetry(throttled(429))).toBe(true);
    expect(needsOwnRetry(throttled(429, '2'))).toBe(false);
    expect(needsOwnRetry(throttled(503))).toBe(false);
    expect(needsOwnRetry(throttled(400))).toBe(false);
    expect(needsOwnRetry(new Error('socket hang up'))).toBe(false);
  });

  it('backs off exponentially up to a ceiling and gives up after the set attempts', async () => {
    const p = policy();
    let calls = 0;
    const failing = async () => {
      calls += 1;
      throw throttled(429);
    };
    await expect(withSendRetry(failing, p)).rejects.toThrow('HTTP 429');
    expect(calls).toBe(4);
    expect(p.waits).toEqual([500, 1000, 1500]);
  });

  it('returns as soon as an attempt succeeds and never retries other errors', async () => {
    const p = policy();
    let calls = 0;
    const result = await withSendRetry(async () => {
      calls += 1;
      if (calls === 1) throw throttled(412);
      return 'sent';
    }, p);
    expect(result).toBe('sent');
    expect(calls).toBe(2);

    let badCalls = 0;
    await expect(
      withSendRetry(async () => {
        badCalls += 1;
        throw throttled(400);
      }, p),
    ).rejects.toThrow('HTTP 400');
    expect(badCalls).toBe(1);
  });
});
