/** The fan-out's progress as the author's status card shows it. Pure: counts and times in, words out. */

export interface FanOutCounts {
  pending: number;
  sending: number;
  sent: number;
  failed: number;
  unreachable: number;
  cancelled: number;
  recalled: number;
  /** Sent rows claimed more than once: a worker died mid-send, so the message may have arrived twice. */
  maybeRepeated: number;
}

export const EMPTY_COUNTS: FanOutCounts = { pending: 0, sending: 0, sent: 0, failed: 0, unreachable: 0, cancelled: 0, recalled: 0, maybeRepeated: 0 };

export function totalOf(c: FanOutCounts): number {
  return c.pending + c.sending + c.sent + c.failed + c.unreachable + c.cancelled + c.recalled;
}

/**
 * Time left at the rate achieved so far (sent since the start); undefined until something was sent
 * or when nothing is left. Says "less than a minute" rather than pretending to second precision.
 */
export function timeLeft(counts: FanOutCounts, startedAt: Date | null, now: Date): string | undefined {
  const left = counts.pending + counts.sending;
  if (left === 0 || !startedAt) return undefined;
  const done = counts.sent + counts.failed + counts.unreachable;
  const elapsed = (now.getTime() - startedAt.getTime()) / 1000;
  if (done === 0 || elapsed <= 0) return undefined;
  const seconds = left / (done / elapsed);
  if (seconds < 60) return 'less than a minute';
  const minutes = Math.ceil(seconds / 60);
  return minutes < 90 ? `about ${minutes} minutes` : `about ${Math.round(minutes / 60)} hours`;
}
