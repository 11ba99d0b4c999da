import type { BackoffPolicy, SendWindow } from './pacing.domain.js';

/**
 * The send pacer's settings and its clock (src/pacing/send-pacer.ts): Teams' limits as configured,
 * and wall-clock time a test can replace with virtual time.
 */
export interface PacingOptions {
  /** Teams' limit for everything the bot sends in the tenant, per second, across all instances. */
  tenantRatePerSecond: number;
  /** The part of it the schedule hands out (the rest absorbs clock skew and network jitter). */
  share: number;
  /** Slots reserved per database round trip (fewer trips vs. slots lost when an instance stops). */
  reserveBatch: number;
  conversationWindows: readonly SendWindow[];
  /** A send that has waited this long is given back to its job as RetryLaterError. */
  maxWaitMs: number;
  /** Backoff after a throttle that named no Retry-After. */
  throttleBackoff: BackoffPolicy;
  /** How soon interactive sends are charged to the shared schedule when no proactive send does it. */
  interactiveFlushMs: number;
  /** A reply waiting for a slot (during a fan-out) goes anyway after this long: replies are never refused. */
  interactiveMaxWaitMs: number;
}

export const defaultPacingOptions: PacingOptions = {
  tenantRatePerSecond: 50,
  share: 0.98,
  reserveBatch: 10,
  conversationWindows: [
    { limit: 7, windowMs: 1_000 },
    { limit: 8, windowMs: 2_000 },
    { limit: 60, windowMs: 30_000 },
    { limit: 1_800, windowMs: 3_600_000 },
  ],
  maxWaitMs: 20_000,
  throttleBackoff: { baseMs: 1_000, maxMs: 60_000 },
  interactiveFlushMs: 1_000,
  interactiveMaxWaitMs: 1_000,
};

/**
 * The pacer's time: wall-clock epoch ms (the shared schedule compares slots written by different
 * processes) and a wait that resolves early when `wake` fires. Not the app's business Clock: a test's
 * frozen Clock must not stop real sends; the pacer's own tests pass a virtual timer instead.
 */
export interface PacerTimer {
  now(): number;
  wait(ms: number, wake: Promise<void>): Promise<void>;
}

export const realPacerTimer: PacerTimer = {
  now: () => Date.now(),
  wait: (ms, wake) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, ms));
      void wake.then(() => {
        clearTimeout(timer);
        resolve();
      });
    }),
};
