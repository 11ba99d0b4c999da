import { createHash } from 'node:crypto';

/**
 * Teams' bot rate limits as the connector stand-in enforces them (Microsoft Learn, "Optimize your bot:
 * rate limiting"): an app-wide rate for everything the bot sends, and per-conversation windows.
 * Written independently of src/pacing/ on purpose, so the pacer is checked against a second
 * implementation, not against itself. Only accepted calls count towards a window; a call over any
 * window is answered 429 with Retry-After (whole seconds, at least 1, as Teams sends it).
 */
export interface LimitWindow {
  limit: number;
  windowMs: number;
}

export interface ConnectorLimitRules {
  /** Every call the bot makes to the connector, whatever the conversation. */
  app?: LimitWindow[];
  /** Sends, replies, updates and deletes into one conversation (a channel thread counts as its channel). */
  conversation?: LimitWindow[];
}

export interface ConnectorCounters {
  /** Calls answered 2xx. */
  accepted: number;
  /** Calls answered 429 by the enforced limits (not by failNext rules). */
  rejected: number;
  /** Accepted deliveries (send or reply) per conversation id. */
  deliveredByConversation: Record<string, number>;
  /**
   * Accepted deliveries that repeat an earlier one: same conversation, same text and attachments.
   * Every message the benches and tests send is unique per conversation, so a repeat is the same
   * activity delivered twice (a job that ran twice, or a retry after a send that had gone through).
   */
  duplicates: number;
  firstAcceptedAt: number | undefined;
  lastAcceptedAt: number | undefined;
  /** Accepted calls in each whole second from the first (where a shortfall is: steady, or in dips). */
  acceptedEachSecond: number[];
  /** Accepted calls per second between the first and the last accepted call. */
  acceptedPerSecond: number;
  /** The most accepted calls seen in any window of the first app rule (or 1 s) — the achieved peak. */
  maxAcceptedInWindow: number;
}

export class ConnectorLimits {
  private rules: ConnectorLimitRules = {};
  private readonly appAccepted: number[] = [];
  private readonly conversationAccepted = new Map<string, number[]>();
  private readonly seenDeliveries = new Set<string>();
  private readonly deliveredByConversation = new Map<string, number>();
  private allAccepted: number[] = [];
  private rejected = 0;
  private duplicates = 0;

  constructor(private readonly now: () => number) {}

  enforce(rules: ConnectorLimitRules): void {
    this.rules = rules;
  }

  /** Seconds to wait when this call would exceed a limit now; undefined when it may pass. */
  check(conversationId: string | undefined, perConversation: boolean): number | undefined {
    const now = this.now();
    let waitMs = 0;
    for (const w of this.rules.app ?? []) waitMs = Math.max(waitMs, overBy(this.appAccepted, w, now));
    if (perConversation && conversationId) {
      const history = this.conversationAccepted.get(conversationId) ?? [];
      for (const w of this.rules.conversation ?? []) waitMs = Math.max(waitMs, overBy(history, w, now));
    }
    if (waitMs <= 0) return undefined;
    this.rejected += 1;
    return Math.max(1, Math.ceil(waitMs / 1000));
  }

  /** Records an accepted call; `delivery` is the body of a send or reply (for the duplicate count). */
  accepted(conversationId: string | undefined, perConversation: boolean, delivery: unknown, deliveredTo = conversationId): void {
    const now = this.now();
    this.appAccepted.push(now);
    this.allAccepted.push(now);
    trim(this.appAccepted, longest(this.rules.app), now);
    if (perConversation && conversationId) {
      const history = this.conversationAccepted.get(conversationId) ?? [];
      history.push(now);
      trim(history, longest(this.rules.conversation), now);
      this.conversationAccepted.set(conversationId, history);
    }
    if (delivery !== undefined && deliveredTo) {
      this.deliveredByConversation.set(deliveredTo, (this.deliveredByConversation.get(deliveredTo) ?? 0) + 1);
      const body = delivery as { text?: unknown; attachments?: unknown };
      const key = `${deliveredTo}\u0000${createHash('sha256').update(JSON.stringify([body.text ?? null, body.attachments ?? null])).digest('hex')}`;
      if (this.seenDeliveries.has(key)) this.duplicates += 1;
      else this.seenDeliveries.add(key);
    }
  }

  counters(): ConnectorCounters {
    const first = this.allAccepted[0];
    const last = this.allAccepted[this.allAccepted.length - 1];
    const spanS = first !== undefined && last !== undefined ? (last - first) / 1000 : 0;
    const windowMs = this.rules.app?.[0]?.windowMs ?? 1000;
    return {
      accepted: this.allAccepted.length,
      rejected: this.rejected,
      deliveredByConversation: Object.fromEntries(this.deliveredByConversation),
      duplicates: this.duplicates,
      firstAcceptedAt: first,
      lastAcceptedAt: last,
      acceptedPerSecond: spanS > 0 ? (this.allAccepted.length - 1) / spanS : 0,
      maxAcceptedInWindow: maxInWindow(this.allAccepted, windowMs),
      acceptedEachSecond: eachSecond(this.allAccepted),
    };
  }

  reset(): void {
    this.appAccepted.length = 0;
    this.conversationAccepted.clear();
    this.seenDeliveries.clear();
    this.deliveredByConversation.clear();
    this.allAccepted = [];
    this.rejected = 0;
    this.duplicates = 0;
  }
}

function eachSecond(times: readonly number[]): number[] {
  const first = times[0];
  if (first === undefined) return [];
  const buckets: number[] = [];
  for (const t of times) {
    const i = Math.floor((t - first) / 1000);
    while (buckets.length <= i) buckets.push(0);
    buckets[i] += 1;
  }
  return buckets;
}

/** How long until one more call fits the window (0 when it fits now). Window = (now - windowMs, now]. */
function overBy(times: readonly number[], w: LimitWindow, now: number): number {
  const inWindow = times.filter((t) => t > now - w.windowMs);
  if (inWindow.length < w.limit) return 0;
  return inWindow[inWindow.length - w.limit] + w.windowMs - now;
}

function longest(windows: LimitWindow[] | undefined): number {
  return Math.max(0, ...(windows ?? []).map((w) => w.windowMs));
}

function trim(times: number[], horizonMs: number, now: number): void {
  let drop = 0;
  while (drop < times.length && times[drop] <= now - horizonMs) drop += 1;
  if (drop > 0) times.splice(0, drop);
}

/** The largest number of times within any half-open window of `windowMs` (two pointers over sorted times). */
function maxInWindow(times: readonly number[], windowMs: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while (times[end] - times[start] >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
