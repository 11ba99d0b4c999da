import { randomUUID } from 'node:crypto';

/** Time and identity come from here so rules and tests never reach for globals. */
export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  newId(): string;
}

export const systemClock: Clock = { now: () => new Date() };
export const uuidGenerator: IdGenerator = { newId: () => randomUUID() };

/** A clock a test can set and move. */
export function fixedClock(start: Date | string): Clock & { set(at: Date | string): void; advance(ms: number): void } {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set: (at) => {
      current = new Date(at);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
}

/**
 * A clock running at real speed from a moved starting point: the local-only dev hook
 * (DEV_CLOCK_HOOK) sets it so a demo can reach "the day before the session" without waiting.
 */
export function adjustableClock(base: Clock): Clock & { set(at: Date): void } {
  let offsetMs = 0;
  return {
    now: () => new Date(base.now().getTime() + offsetMs),
    set: (at) => {
      offsetMs = at.getTime() - base.now().getTime();
    },
  };
}
