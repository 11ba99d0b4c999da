/**
 * Pure rules of send pacing: per-conversation sliding windows, which connector answers are
 * throttling, and how long to back off. No I/O, explicit `now` (epoch ms).
 */

/** At most `limit` sends in any `windowMs` (Teams: 7/1 s, 8/2 s, 60/30 s, 1,800/hour per conversation). */
export interface SendWindow {
  limit: number;
  windowMs: number;
}

export const TEAMS_CONVERSATION_WINDOWS: readonly SendWindow[] = [
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1_800, windowMs: 3_600_000 },
];

/** The statuses Teams uses to say "too much, come back later" (Microsoft Learn: rate limiting for bots). */
export const THROTTLE_STATUSES: ReadonlySet<number> = new Set([412, 429, 502, 503, 504]);

/**
 * The earliest time ≥ now at which one more send keeps every window within its limit, given the
 * times of earlier sends (ascending). A send at t counts in the window (t - windowMs, t].
 */
export function nextFreeAt(sentAt: readonly number[], windows: readonly SendWindow[], now: number): number {
  let at = now;
  for (const w of windows) {
    // Sends still inside the window ending at `now`, oldest first.
    let first = sentAt.length;
    while (first > 0 && sentAt[first - 1] > now - w.windowMs) first -= 1;
    const inWindow = sentAt.length - first;
    if (inWindow >= w.limit) {
      // The window must slide past the (inWindow - limit + 1)-th oldest of them.
      at = Math.max(at, sentAt[first + inWindow - w.limit] + w.windowMs);
    }
  }
  return at;
}

/**
 * The send history of each conversation this process sent to, trimmed to the longest window.
 * Held in memory (not in the database) on purpose, see docs/architecture.md: the sends that can
 * crowd one conversation (a status card updated many times, a channel post and its thread replies)
 * come from one job at a time, which runs in one process.
 */
export class ConversationWindows {
  private readonly sent = new Map<string, number[]>();
  private readonly horizonMs: number;
  private lastSweep = 0;

  constructor(private readonly windows: readonly SendWindow[]) {
    this.horizonMs = Math.max(0, ...windows.map((w) => w.windowMs));
  }

  nextFreeAt(conversationId: string, now: number): number {
    const history = this.sent.get(conversationId);
    return history ? nextFreeAt(history, this.windows, now) : now;
  }

  record(conversationId: string, at: number): void {
    const history = this.sent.get(conversationId) ?? [];
    history.push(at);
    const keep = history.findIndex((t) => t > at - this.horizonMs);
    if (keep > 0) history.splice(0, keep);
    this.sent.set(conversationId, history);
    this.sweep(at);
  }

  /** How many conversations are remembered (bounded by the sends of the last horizon). */
  get size(): number {
    return this.sent.size;
  }

  /** Forgets conversations with nothing inside the longest window, at most once per minute. */
  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [id, history] of this.sent) {
      if (history.length === 0 || history[history.length - 1] <= now - this.horizonMs) this.sent.delete(id);
    }
  }
}

/** A Retry-After beyond this is treated as this: a broken header must not silence the app for a day. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * How long every sender pauses after a throttle: exactly Retry-After when the connector gave one
 * (the shared schedule already spaces the senders that resume, so no jitter is needed there), else
 * exponential in the number of throttles in a row with "equal jitter" (half fixed, half random).
 */
export function throttlePauseMs(retryAfterMs: number | undefined, consecutive: number, policy: BackoffPolicy, random: () => number): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), MAX_RETRY_AFTER_MS);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, consecutive - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * How late a slot may be used and the tenant-wide limit still hold. Slots `d = 1000 / (rate × share)`
 * apart, each used up to `D` late: a 1 s window holds at most ⌊(1000 + D) / d⌋ + 1 sends, which stays
 * within `rate` while `D < d × rate × (1 − share)`, the schedule's spare slots per second. Half of that
 * is used and the other half left for network jitter: 1000 × (1 − share) / (2 × share) ms, ≈ 10 ms at
 * share 0.98 whatever the rate (half an interval at 50/s, two intervals at 200/s, a twentieth at 5/s).
 */
export function latenessToleranceMs(ratePerSecond: number, share: number): number {
  const intervalMs = 1000 / (ratePerSecond * share);
  return (intervalMs * ratePerSecond * (1 - share)) / 2;
}
