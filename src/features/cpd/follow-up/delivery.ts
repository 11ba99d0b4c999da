import type { Db } from '../../../db/database.js';
import type { BotReply, Notifier, ProactiveSendOptions } from '../../../shared/bot-contract.js';
import type { Clock } from '../../../shared/clock.js';
import type { Logger } from '../../../shared/logger.js';

export type DeliveryOutcome = 'sent' | 'unreachable' | 'already_done';

/**
 * Sends one proactive CPD message at most once per effect key. The job that calls this is claimed
 * by one worker at a time (FOR UPDATE SKIP LOCKED with a lease); the delivery row written after the
 * send means a retried or re-enqueued job never sends again. Someone who removed the app is recorded
 * as unreachable, not retried. A throttled send throws RetryLaterError from the pacer (the job comes back
 * after the pause without using an attempt); other failures throw, so the job retries with backoff.
 */
export class Delivery {
  constructor(
    private readonly db: Db,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  async done(key: string): Promise<boolean> {
    return (await this.db.selectFrom('cpd_delivery').select('key').where('key', '=', key).executeTakeFirst()) !== undefined;
  }

  /**
   * `notice` for what a person is waiting for (reminders, move and cancel notices), `bulk` for what
   * may wait behind them (feedback requests, impact check-ins): the shared send pacer orders them.
   * Throttling throws RetryLaterError (countsAsAttempt: false) out of the pacer and the job comes back;
   * nothing is recorded, so the retry sends.
   */
  async toPerson(
    key: string,
    kind: string,
    personAadId: string,
    reply: BotReply,
    priority: NonNullable<ProactiveSendOptions['priority']>,
    options: { checked?: boolean } = {},
  ): Promise<DeliveryOutcome> {
    if (!options.checked && (await this.done(key))) return 'already_done';
    const outcome = await this.notifier.sendToPerson(personAadId, reply, { priority });
    if (outcome.kind === 'sent') {
      await this.record(key, kind, personAadId, 'sent', null);
      return 'sent';
    }
    // Final for this message (app removed, blocked, never installed): recorded, so it is never retried.
    await this.record(key, kind, personAadId, 'unreachable', outcome.reason);
    this.logger.info({ kind, personAadId, code: outcome.reason }, 'CPD message undeliverable: recorded, not retried');
    return 'unreachable';
  }

  /** A message that was deliberately not sent (reminders muted, place cancelled): recorded so it is not reconsidered. */
  skip(key: string, kind: string, personAadId: string, reason: string): Promise<void> {
    return this.record(key, kind, personAadId, 'skipped', reason);
  }

  private async record(key: string, kind: string, personAadId: string, outcome: 'sent' | 'unreachable' | 'skipped', reason: string | null): Promise<void> {
    await this.db
      .insertInto('cpd_delivery')
      .values({ key, kind, person_aad_id: personAadId, outcome, reason, at: this.clock.now() })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
  }
}
