import type { Db } from '../../db/database.js';
import { enqueueJob } from '../../jobs/outbox.js';
import { RetryLaterError } from '../../jobs/worker.js';
import type { AdaptiveCard, MessageTarget, Notifier, ProactiveSendOptions, SendOutcome } from '../../shared/bot-contract.js';
import type { Clock, IdGenerator } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { TrustProfile } from '../../trust/trust-profile.schema.js';
import type { Role } from '../people/people.domain.js';
import type { PeopleService } from '../people/people.service.js';
import type { CommunityService } from '../communities/communities.service.js';
import { announcementCard, statusCard } from './announcements.cards.js';
import type { Announcement, AnnouncementRepository } from './announcements.repository.js';
import { ANNOUNCEMENTS_DELIVER_JOB, ANNOUNCEMENTS_RECALL_JOB } from './announcements.schemas.js';
import type { ClaimedRecipient, FanOutRepository, RecipientTarget, Settlement } from './fan-out.repository.js';
import type { ProactiveInstaller } from './proactive-install.js';

export interface FanOutDeps {
  db: Db;
  announcements: AnnouncementRepository;
  fanOut: FanOutRepository;
  communities: CommunityService;
  people: PeopleService;
  notifier: Notifier;
  install: ProactiveInstaller;
  profile: TrustProfile;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  kickJobs(): void;
  /** How many senders (deliver jobs) share one announcement. */
  senders: number;
  statusEveryMs: number;
}

/** Claims per batch: small, so at most this many sends per sender are in flight when a process dies. */
export const BATCH = 10;
/** A sender hands over to a fresh job after this many batches, well inside the job lease. */
const BATCHES_PER_RUN = 30;
const LEASE_MS = 60_000;
/** A recipient that failed to send this many times (not throttling) is recorded as failed. */
const MAX_CLAIMS = 3;
/** This many failed sends (not throttling) in one batch and the sender backs off as a job. */
const ERRORS_TO_BACK_OFF = 3;
const AUDIENCE_LIMIT = 50_000;
const BULK: ProactiveSendOptions = { priority: 'bulk' };

/**
 * The durable fan-out: expand the audience into recipient rows, send them through the notifier
 * from several senders at once (each a job; rows claimed with SKIP LOCKED), keep the author's
 * status card current (at most every few seconds, across all workers), and recall what was sent.
 */
export class FanOutService {
  /** Each announcement's two card copies, rendered once per version instead of once per batch of sends. */
  private readonly copies = new Map<string, Record<'person' | 'channel', AdaptiveCard>>();

  constructor(private readonly deps: FanOutDeps) {}

  /**
   * The start job: scheduled → sending, recipients listed, the senders queued, the status card
   * posted. The card goes last, so sending starts without waiting for it (its first update comes
   * with the senders' first batches); a crash before it posts runs this again, which adds nobody
   * twice and queues no sender twice.
   */
  async start(announcementId: string): Promise<void> {
    const { deps } = this;
    const begun = await deps.announcements.begin(announcementId);
    const announcement = await deps.announcements.find(announcementId);
    if (!announcement || announcement.status !== 'sending') return;
    const firstRun = begun || announcement.statusCardActivityId === null;
    if (firstRun) {
      const { targets, muted } = await this.audienceOf(announcement);
      await deps.fanOut.addRecipients(announcementId, targets);
      await deps.announcements.setMutedCount(announcementId, muted);
    }
    for (let lane = 0; lane < deps.senders; lane += 1) {
      await enqueueJob(deps.db, { kind: ANNOUNCEMENTS_DELIVER_JOB, payload: { announcementId, lane, round: 0 }, idempotencyKey: `${ANNOUNCEMENTS_DELIVER_JOB}:${announcementId}:${lane}:0` }, deps.clock, deps.ids);
    }
    deps.kickJobs();
    if (firstRun) await this.postStatusCard(announcement);
  }

  /** One sender's run: batches until nothing is left (or its budget is spent, when a fresh job carries on). */
  async deliver(announcementId: string, lane: number, round: number): Promise<void> {
    const { deps } = this;
    for (let batchNo = 0; batchNo < BATCHES_PER_RUN; batchNo += 1) {
      const announcement = await deps.announcements.find(announcementId);
      if (!announcement || announcement.status !== 'sending') return;
      const claimed = await deps.fanOut.claim(announcementId, BATCH, LEASE_MS);
      if (claimed.length === 0) {
        if (await deps.announcements.finishIfDone(announcementId)) {
          await this.refreshStatusCard(announcementId, true);
          return;
        }
        // Rows still in flight: another sender's, or a crashed process's whose lease has not run out.
        // Come back when the first lease ends: when every live sender has finished the rest, a
        // crash's rows would otherwise be left in `sending` and the announcement never finish.
        const leaseEnd = await deps.fanOut.firstLeaseEnd(announcementId);
        if (leaseEnd) throw new RetryLaterError('recipients still in flight', Math.max(1_000, leaseEnd.getTime() - deps.clock.now().getTime() + 100), { countsAsAttempt: false });
        return;
      }
      await this.sendBatch(announcement, claimed);
      await this.refreshStatusCard(announcementId, false);
    }
    await enqueueJob(deps.db, { kind: ANNOUNCEMENTS_DELIVER_JOB, payload: { announcementId, lane, round: round + 1 }, idempotencyKey: `${ANNOUNCEMENTS_DELIVER_JOB}:${announcementId}:${lane}:${round + 1}` }, deps.clock, deps.ids);
    deps.kickJobs();
  }

  private copiesOf(announcement: Announcement): Record<'person' | 'channel', AdaptiveCard> {
    const key = `${announcement.id}:${announcement.version}`;
    let copies = this.copies.get(key);
    if (!copies) {
      const card = (copy: 'person' | 'channel') => announcementCard(this.deps.profile, { id: announcement.id, authorName: announcement.authorName, content: announcement, copy });
      copies = { person: card('person'), channel: card('channel') };
      if (this.copies.size >= 16) this.copies.delete(this.copies.keys().next().value!);
      this.copies.set(key, copies);
    }
    return copies;
  }

  /**
   * A batch's sends all at once, each waiting for its own slot in the pacer: a sender keeps a whole
   * batch in flight rather than one send, so a few senders fill the tenant's rate however long a
   * round trip takes. The batch is already claimed, so what a crash can repeat is unchanged (at most
   * a batch per sender); how each send ended is then written in one statement.
   */
  private async sendBatch(announcement: Announcement, claimed: readonly ClaimedRecipient[]): Promise<void> {
    const { deps } = this;
    const copies = this.copiesOf(announcement);
    // One query for the batch's chats; if it fails, each send looks its own up (and fails on its own).
    await deps.notifier.preparePeople(claimed.flatMap((r) => (r.target.kind === 'person' ? [r.target.aadObjectId] : []))).catch((error: unknown) => {
      deps.logger.warn({ err: error, announcementId: announcement.id, code: 'prepare_people_failed' }, 'batch conversation lookup failed');
    });
    const tried = await Promise.all(
      claimed.map(async (recipient) => {
        try {
          return { recipient, outcome: await this.deliverTo(recipient.target, copies[recipient.target.kind]) };
        } catch (error) {
          return { recipient, outcome: undefined, error };
        }
      }),
    );
    const settled: Settlement[] = [];
    const throttled: string[] = [];
    const retry: string[] = [];
    let retryLater: RetryLaterError | undefined;
    let lastError: unknown;
    let errors = 0;
    for (const t of tried) {
      if (t.outcome) {
        settled.push(t.outcome.kind === 'sent' ? { id: t.recipient.id, status: 'sent', activityId: t.outcome.activityId } : { id: t.recipient.id, status: 'unreachable', reason: t.outcome.reason });
      } else if (t.error instanceof RetryLaterError) {
        // Throttled: the row goes back untouched (its try given back) and the job returns after Retry-After.
        throttled.push(t.recipient.id);
        retryLater ??= t.error;
      } else {
        const status = (t.error as { statusCode?: unknown }).statusCode;
        deps.logger.warn({ announcementId: announcement.id, recipientId: t.recipient.id, status, code: 'announcement_send_error' }, 'announcement send failed');
        if (t.recipient.claims >= MAX_CLAIMS) settled.push({ id: t.recipient.id, status: 'failed', reason: typeof status === 'number' ? `send_error_${status}` : 'send_error' });
        else retry.push(t.recipient.id);
        errors += 1;
        lastError = t.error;
      }
    }
    await deps.fanOut.settle(settled);
    await deps.fanOut.release(retry, { keepClaim: true });
    await deps.fanOut.release(throttled);
    if (retryLater) throw retryLater;
    // The connector is failing for everyone: back off as a job rather than burning every row's tries.
    if (errors >= ERRORS_TO_BACK_OFF) throw lastError instanceof Error ? lastError : new Error('announcement sends failing');
  }

  /**
   * One recipient's send, `bulk` through the pacer so reminders and replies go first. Throttling
   * throws RetryLaterError from the notifier; sendBatch gives the rows back as pending.
   */
  private async deliverTo(target: RecipientTarget, card: AdaptiveCard): Promise<SendOutcome | { kind: 'unreachable'; reason: string }> {
    const { deps } = this;
    const reply = { kind: 'card' as const, card };
    if (target.kind === 'channel') {
      const outcome = await deps.notifier.postToChannel({ teamId: target.teamId, channelId: target.channelId }, reply, BULK);
      return outcome.kind === 'sent' ? outcome : { kind: 'unreachable', reason: outcome.reason === 'no_conversation_reference' ? 'channel_unreachable' : outcome.reason };
    }
    const first = await deps.notifier.sendToPerson(target.aadObjectId, reply, BULK);
    if (first.kind === 'sent' || first.reason !== 'no_conversation_reference') return first;
    const installed = await deps.install(target.aadObjectId);
    if (installed.kind === 'not_installed') return { kind: 'unreachable', reason: installed.reason === 'install_not_permitted' ? 'no_conversation_reference' : installed.reason };
    return deps.notifier.sendToPerson(target.aadObjectId, reply, BULK);
  }

  /** People (by their 1:1 chat) and channels; someone who muted every community that brings them in is left out and counted. */
  private async audienceOf(a: Announcement): Promise<{ targets: RecipientTarget[]; muted: number }> {
    const { deps } = this;
    const targets: RecipientTarget[] = [];
    let muted = 0;
    if (a.delivery !== 'channel') {
      const viaOther = new Set<string>();
      const hubAcademies = deps.profile.academies.filter((x) => a.audience.hubIds.includes(x.hubId)).map((x) => x.id);
      const academies = [...new Set([...hubAcademies, ...a.audience.academyIds])];
      if (academies.length > 0) for (const p of unwrap(await deps.people.listByAcademies(academies, AUDIENCE_LIMIT))) viaOther.add(p.aadObjectId);
      for (const role of a.audience.roles) for (const p of unwrap(await deps.people.listByRole(role as Role, AUDIENCE_LIMIT))) viaOther.add(p.aadObjectId);
      const members = await deps.communities.membersOf(a.audience.communityIds);
      const mutes = new Set((await this.mutesFor(a.audience.communityIds)).map((m) => `${m.aadObjectId}|${m.communityId}`));
      const byPerson = new Map<string, boolean>();
      for (const m of members) byPerson.set(m.aadObjectId, (byPerson.get(m.aadObjectId) ?? false) || !mutes.has(`${m.aadObjectId}|${m.communityId}`));
      const people = new Set(viaOther);
      for (const [person, wanted] of byPerson) {
        if (wanted) people.add(person);
        else if (!viaOther.has(person)) muted += 1;
      }
      for (const aadObjectId of people) targets.push({ kind: 'person', aadObjectId });
    }
    if (a.delivery !== 'personal') {
      const seen = new Set<string>();
      for (const c of deps.profile.communities) {
        if (!a.audience.communityIds.includes(c.id) || !c.channel || seen.has(c.channel.channelId)) continue;
        seen.add(c.channel.channelId);
        targets.push({ kind: 'channel', teamId: c.channel.teamId, channelId: c.channel.channelId });
      }
    }
    return { targets, muted };
  }

  private mutesFor(communityIds: readonly string[]) {
    return this.deps.announcements.mutesFor(communityIds);
  }

  private async postStatusCard(announcement: Announcement): Promise<void> {
    const card = await this.statusCardOf(announcement.id);
    if (!card) return;
    // A notice, not bulk: the author is waiting for it, and it must not queue behind their own fan-out.
    const outcome = await this.deps.notifier.sendToPerson(announcement.authorAadId, { kind: 'card', card });
    if (outcome.kind === 'sent') await this.deps.announcements.setStatusCard(announcement.id, outcome.activityId);
    else this.deps.logger.info({ announcementId: announcement.id, code: outcome.reason }, 'author status card not delivered');
  }

  async statusCardOf(announcementId: string, notice?: string): Promise<AdaptiveCard | undefined> {
    const { deps } = this;
    const announcement = await deps.announcements.find(announcementId);
    if (!announcement) return undefined;
    const [counts, reasons, rsvp] = await Promise.all([deps.fanOut.counts(announcementId), deps.fanOut.reasons(announcementId), deps.announcements.rsvpCounts(announcementId)]);
    return statusCard(deps.profile, { announcement, counts, reasons, rsvp, now: deps.clock.now(), ...(notice ? { notice } : {}) });
  }

  /** Updates the author's status card in place when this worker wins the right to (at most every few seconds unless forced). */
  async refreshStatusCard(announcementId: string, force: boolean, notice?: string): Promise<void> {
    const { deps } = this;
    try {
      if (!(await deps.announcements.claimStatusUpdate(announcementId, deps.statusEveryMs, force))) return;
      const announcement = await deps.announcements.find(announcementId);
      const card = await this.statusCardOf(announcementId, notice);
      if (!announcement?.statusCardActivityId || !card) return;
      await deps.notifier.updateMessage({ kind: 'person', aadObjectId: announcement.authorAadId }, announcement.statusCardActivityId, card, BULK);
    } catch (error) {
      // The status card is a view: failing to update it must never stop or repeat a send.
      if (error instanceof RetryLaterError) return;
      deps.logger.warn({ err: error, announcementId, code: 'status_card_update_failed' }, 'status card not updated');
    }
  }

  /** The recall job: deletes every delivered copy, in batches; waits for sends still in flight. */
  async recall(announcementId: string, round: number): Promise<void> {
    const { deps } = this;
    for (let batchNo = 0; batchNo < BATCHES_PER_RUN; batchNo += 1) {
      const batch = await deps.fanOut.sentBatch(announcementId, BATCH * 5);
      if (batch.length === 0) {
        const counts = await deps.fanOut.counts(announcementId);
        if (counts.sending > 0) throw new RetryLaterError('sends still in flight', 5_000);
        await this.refreshStatusCard(announcementId, true, `Recalled: deleted from ${counts.recalled} ${counts.recalled === 1 ? 'chat or channel' : 'chats and channels'}.`);
        return;
      }
      for (const r of batch) {
        const target: MessageTarget = r.target.kind === 'person' ? { kind: 'person', aadObjectId: r.target.aadObjectId } : { kind: 'channel', channel: { teamId: r.target.teamId, channelId: r.target.channelId } };
        // Paced like the sends; a throttle throws RetryLaterError and this job comes back after the pause.
        const deleted = await deps.notifier.deleteMessage(target, r.activityId, BULK);
        // 404: already gone (deleted by hand, chat removed): recalled all the same.
        const gone = deleted.kind === 'sent' || deleted.reason === 'conversation_gone';
        await deps.fanOut.markRecalled(r.id, gone ? null : 'not_reachable');
      }
    }
    await enqueueJob(deps.db, { kind: ANNOUNCEMENTS_RECALL_JOB, payload: { announcementId, round: round + 1 }, idempotencyKey: `${ANNOUNCEMENTS_RECALL_JOB}:${announcementId}:${round + 1}` }, deps.clock, deps.ids);
    deps.kickJobs();
  }
}

function unwrap<T>(result: { ok: true; value: T[] } | { ok: false; message: string }): T[] {
  // A directory outage must not send to half an audience: the start job fails and retries.
  if (!result.ok) throw new Error(`audience could not be listed: ${result.message}`);
  return result.value;
}
