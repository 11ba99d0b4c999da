import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { AnnouncementStatus, AnnouncementTable } from '../../db/tables/announcements.js';
import { enqueueJob } from '../../jobs/outbox.js';
import type { Clock, IdGenerator } from '../../shared/clock.js';
import type { AnnouncementContent, Audience, Delivery } from './announcements.domain.js';
import { ANNOUNCEMENTS_RECALL_JOB, ANNOUNCEMENTS_START_JOB } from './announcements.schemas.js';

export interface Announcement extends AnnouncementContent {
  id: string;
  authorAadId: string;
  authorName: string;
  status: AnnouncementStatus;
  version: number;
  statusCardActivityId: string | null;
  mutedCount: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

type Row = { [K in keyof AnnouncementTable]: unknown } & Record<string, unknown>;

function toAnnouncement(r: Row): Announcement {
  const card = r['status_card'] as { activityId: string } | null;
  return {
    id: r['id'] as string,
    authorAadId: r['author_aad_id'] as string,
    authorName: r['author_name'] as string,
    status: r['status'] as AnnouncementStatus,
    version: r['version'] as number,
    title: r['title'] as string,
    body: r['body'] as string,
    audience: r['audience'] as Audience,
    delivery: r['delivery'] as Delivery,
    event: (r['event'] as AnnouncementContent['event']) ?? null,
    link: (r['link'] as AnnouncementContent['link']) ?? null,
    sendAt: r['send_at'] ? new Date(r['send_at'] as string) : null,
    statusCardActivityId: card?.activityId ?? null,
    mutedCount: r['muted_count'] as number,
    createdAt: new Date(r['created_at'] as string),
    startedAt: r['started_at'] ? new Date(r['started_at'] as string) : null,
    finishedAt: r['finished_at'] ? new Date(r['finished_at'] as string) : null,
  };
}

const audit = (actor: string, action: string, id: string, details: Record<string, unknown>, at: Date) => ({
  at,
  actor_aad_id: actor,
  action,
  subject_type: 'announcement',
  subject_id: id,
  details: JSON.stringify(details),
});

/** Announcements, drafts to recalled; every state change writes its audit row in the same transaction. */
export class AnnouncementRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async find(id: string): Promise<Announcement | undefined> {
    const row = await this.db.selectFrom('announcement').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toAnnouncement(row) : undefined;
  }

  async byAuthor(aadObjectId: string, limit: number): Promise<Announcement[]> {
    const rows = await this.db.selectFrom('announcement').selectAll().where('author_aad_id', '=', aadObjectId).orderBy('updated_at', 'desc').limit(limit).execute();
    return rows.map((r) => toAnnouncement(r));
  }

  /** Announcements that reached this person in their 1:1 chat, newest first (not recalled). */
  async receivedBy(aadObjectId: string, limit: number): Promise<Announcement[]> {
    const rows = await this.db
      .selectFrom('announcement')
      .innerJoin('announcement_recipient as r', 'r.announcement_id', 'announcement.id')
      .selectAll('announcement')
      .where('r.kind', '=', 'person')
      .where('r.target', '=', aadObjectId)
      .where('r.status', '=', 'sent')
      .where('announcement.status', 'in', ['sending', 'sent'])
      .orderBy('r.sent_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => toAnnouncement(r));
  }

  /** Creates the draft on first save, else updates it if the card's version is current; null when stale or no longer a draft. */
  async saveDraft(id: string, version: number, author: { aadObjectId: string; displayName: string }, content: AnnouncementContent): Promise<Announcement | null> {
    const now = this.clock.now();
    const values = {
      title: content.title,
      body: content.body,
      audience: JSON.stringify(content.audience),
      delivery: content.delivery,
      event: content.event ? JSON.stringify(content.event) : null,
      link: content.link ? JSON.stringify(content.link) : null,
      updated_at: now,
    };
    return this.db.transaction().execute(async (tx) => {
      const inserted = await tx
        .insertInto('announcement')
        .values({ id, author_aad_id: author.aadObjectId, author_name: author.displayName, status: 'draft', ...values, created_at: now })
        .onConflict((oc) => oc.column('id').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted) {
        await tx.insertInto('audit_log').values(audit(author.aadObjectId, 'announcements.draft', id, {}, now)).execute();
        return toAnnouncement(inserted);
      }
      const updated = await tx
        .updateTable('announcement')
        .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .where('author_aad_id', '=', author.aadObjectId)
        .where('status', '=', 'draft')
        .where('version', '=', version)
        .returningAll()
        .executeTakeFirst();
      return updated ? toAnnouncement(updated) : null;
    });
  }

  /**
   * Draft → sending (or scheduled) and the start job, in one transaction: the announcement is never
   * "sending" without the job that sends it, nor sent twice by a double press (the status guard).
   */
  async markSending(id: string, version: number, actor: string, sendAt: Date | null): Promise<Announcement | null> {
    return this.db.transaction().execute(async (tx) => {
      const now = this.clock.now();
      const row = await tx
        .updateTable('announcement')
        .set((eb) => ({ status: sendAt ? 'scheduled' : 'sending', send_at: sendAt, updated_at: now, version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .where('status', '=', 'draft')
        .where('version', '=', version)
        .returningAll()
        .executeTakeFirst();
      if (!row) return null;
      await tx.insertInto('audit_log').values(audit(actor, sendAt ? 'announcements.schedule' : 'announcements.send', id, sendAt ? { sendAt: sendAt.toISOString() } : {}, now)).execute();
      await enqueueJob(tx, { kind: ANNOUNCEMENTS_START_JOB, payload: { announcementId: id }, idempotencyKey: `${ANNOUNCEMENTS_START_JOB}:${id}`, ...(sendAt ? { runAt: sendAt } : {}) }, this.clock, this.ids);
      return toAnnouncement(row);
    });
  }

  /** Scheduled → sending when its time comes; true only for the one caller that moved it. */
  async begin(id: string): Promise<boolean> {
    const now = this.clock.now();
    const row = await this.db
      .updateTable('announcement')
      .set({ status: 'sending', started_at: now, updated_at: now })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('status', '=', 'scheduled'), eb.and([eb('status', '=', 'sending'), eb('started_at', 'is', null)])]))
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Cancels a scheduled or running send: pending recipients become cancelled; what is in flight finishes. */
  async cancel(id: string, actor: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const now = this.clock.now();
      const row = await tx
        .updateTable('announcement')
        .set((eb) => ({ status: 'cancelled', finished_at: now, updated_at: now, version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .where('status', 'in', ['scheduled', 'sending'])
        .returning('id')
        .executeTakeFirst();
      if (!row) return false;
      const cancelled = await tx
        .updateTable('announcement_recipient')
        .set({ status: 'cancelled', updated_at: now, lease_until: null })
        .where('announcement_id', '=', id)
        .where('status', '=', 'pending')
        .executeTakeFirst();
      await tx.insertInto('audit_log').values(audit(actor, 'announcements.cancel', id, { cancelledRecipients: Number(cancelled.numUpdatedRows) }, now)).execute();
      return true;
    });
  }

  /** Sending/sent/cancelled → recalled, and the job deleting every delivered message. */
  async recall(id: string, actor: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const now = this.clock.now();
      const row = await tx
        .updateTable('announcement')
        .set((eb) => ({ status: 'recalled', finished_at: now, updated_at: now, version: eb('version', '+', 1) }))
        .where('id', '=', id)
        .where('status', 'in', ['sending', 'sent', 'cancelled'])
        .returning('id')
        .executeTakeFirst();
      if (!row) return false;
      await tx.updateTable('announcement_recipient').set({ status: 'cancelled', updated_at: now }).where('announcement_id', '=', id).where('status', '=', 'pending').execute();
      await tx.insertInto('audit_log').values(audit(actor, 'announcements.recall', id, {}, now)).execute();
      await enqueueJob(tx, { kind: ANNOUNCEMENTS_RECALL_JOB, payload: { announcementId: id, round: 0 }, idempotencyKey: `${ANNOUNCEMENTS_RECALL_JOB}:${id}:0` }, this.clock, this.ids);
      return true;
    });
  }

  /** Sending → sent once nothing is pending or in flight; true only for the one caller that finished it. */
  async finishIfDone(id: string): Promise<boolean> {
    const now = this.clock.now();
    const row = await this.db
      .updateTable('announcement')
      .set({ status: 'sent', finished_at: now, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where((eb) =>
        eb.not(eb.exists(eb.selectFrom('announcement_recipient').select('id').where('announcement_id', '=', id).where('status', 'in', ['pending', 'sending']))),
      )
      .returning('id')
      .executeTakeFirst();
    return row !== undefined;
  }

  async setMutedCount(id: string, muted: number): Promise<void> {
    await this.db.updateTable('announcement').set({ muted_count: muted }).where('id', '=', id).execute();
  }

  async setStatusCard(id: string, activityId: string): Promise<void> {
    await this.db.updateTable('announcement').set({ status_card: JSON.stringify({ activityId }), status_card_at: this.clock.now() }).where('id', '=', id).execute();
  }

  /**
   * Claims the right to update the status card now: at most once per `everyMs` across every worker
   * and process (one conditional UPDATE), so a fast fan-out does not flood the author's chat.
   */
  async claimStatusUpdate(id: string, everyMs: number, force: boolean): Promise<boolean> {
    const now = this.clock.now();
    let query = this.db.updateTable('announcement').set({ status_card_at: now }).where('id', '=', id).where('status_card', 'is not', null);
    if (!force) query = query.where((eb) => eb.or([eb('status_card_at', 'is', null), eb('status_card_at', '<=', new Date(now.getTime() - everyMs))]));
    return (await query.returning('id').executeTakeFirst()) !== undefined;
  }

  async rsvp(id: string, aadObjectId: string, answer: 'going' | 'not_going'): Promise<void> {
    const now = this.clock.now();
    await this.db
      .insertInto('announcement_rsvp')
      .values({ announcement_id: id, aad_object_id: aadObjectId, answer, updated_at: now })
      .onConflict((oc) => oc.columns(['announcement_id', 'aad_object_id']).doUpdateSet({ answer, updated_at: now }))
      .execute();
  }

  async rsvpOf(id: string, aadObjectId: string): Promise<'going' | 'not_going' | undefined> {
    const row = await this.db.selectFrom('announcement_rsvp').select('answer').where('announcement_id', '=', id).where('aad_object_id', '=', aadObjectId).executeTakeFirst();
    return row?.answer;
  }

  async rsvpCounts(id: string): Promise<{ going: number; notGoing: number }> {
    const rows = await this.db.selectFrom('announcement_rsvp').select(['answer', sql<number>`count(*)::int`.as('n')]).where('announcement_id', '=', id).groupBy('answer').execute();
    return { going: rows.find((r) => r.answer === 'going')?.n ?? 0, notGoing: rows.find((r) => r.answer === 'not_going')?.n ?? 0 };
  }

  async setMute(aadObjectId: string, communityId: string, mute: boolean): Promise<void> {
    if (mute) {
      await this.db.insertInto('announcement_mute').values({ aad_object_id: aadObjectId, community_id: communityId, muted_at: this.clock.now() }).onConflict((oc) => oc.columns(['aad_object_id', 'community_id']).doNothing()).execute();
    } else {
      await this.db.deleteFrom('announcement_mute').where('aad_object_id', '=', aadObjectId).where('community_id', '=', communityId).execute();
    }
  }

  async mutedBy(aadObjectId: string): Promise<Set<string>> {
    const rows = await this.db.selectFrom('announcement_mute').select('community_id').where('aad_object_id', '=', aadObjectId).execute();
    return new Set(rows.map((r) => r.community_id));
  }

  /** Who muted which of these communities. */
  async mutesFor(communityIds: readonly string[]): Promise<Array<{ aadObjectId: string; communityId: string }>> {
    if (communityIds.length === 0) return [];
    const rows = await this.db.selectFrom('announcement_mute').select(['aad_object_id', 'community_id']).where('community_id', 'in', [...communityIds]).execute();
    return rows.map((r) => ({ aadObjectId: r.aad_object_id, communityId: r.community_id }));
  }
}
