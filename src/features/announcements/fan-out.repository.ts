import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { RecipientStatus } from '../../db/tables/announcements.js';
import type { Clock, IdGenerator } from '../../shared/clock.js';
import { EMPTY_COUNTS, type FanOutCounts } from './announcement-status.domain.js';

export type RecipientTarget = { kind: 'person'; aadObjectId: string } | { kind: 'channel'; teamId: string; channelId: string };

/** How one claimed send ended. */
export type Settlement = { id: string; status: 'sent'; activityId: string } | { id: string; status: Extract<RecipientStatus, 'failed' | 'unreachable'>; reason: string };

export interface ClaimedRecipient {
  id: string;
  target: RecipientTarget;
  claims: number;
}

const INSERT_CHUNK = 500;

/**
 * The durable fan-out: one row per conversation. A worker claims a small batch (pending rows, or
 * rows whose lease ran out because their worker died) with FOR UPDATE SKIP LOCKED, so any number of
 * senders in any number of processes share the work and a row is in one sender's hands at a time.
 * A row marked sent is never claimed again; only rows in flight when a process dies can repeat.
 */
export class FanOutRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Adds recipients; a conversation already listed is left as it is, so expanding twice adds nobody twice. */
  async addRecipients(announcementId: string, targets: readonly RecipientTarget[]): Promise<void> {
    const now = this.clock.now();
    for (let i = 0; i < targets.length; i += INSERT_CHUNK) {
      const rows = targets.slice(i, i + INSERT_CHUNK).map((t) => ({
        id: this.ids.newId(),
        announcement_id: announcementId,
        kind: t.kind,
        target: t.kind === 'person' ? t.aadObjectId : t.channelId,
        team_id: t.kind === 'channel' ? t.teamId : null,
        status: 'pending' as const,
        updated_at: now,
      }));
      await this.db.insertInto('announcement_recipient').values(rows).onConflict((oc) => oc.columns(['announcement_id', 'kind', 'target']).doNothing()).execute();
    }
  }

  async claim(announcementId: string, batch: number, leaseMs: number): Promise<ClaimedRecipient[]> {
    const rows = await this.claimQuery(announcementId, batch, leaseMs).execute();
    return rows.map((r) => ({
      id: r.id,
      claims: r.claims,
      target: r.kind === 'person' ? { kind: 'person', aadObjectId: r.target } : { kind: 'channel', teamId: r.team_id ?? r.target, channelId: r.target },
    }));
  }

  /** The claim as a query (its plan is tested: it must read its batch through the claim index, not sort every pending row). */
  claimQuery(announcementId: string, batch: number, leaseMs: number) {
    const now = this.clock.now();
    return this.db
      .updateTable('announcement_recipient')
      .set((eb) => ({ status: 'sending', lease_until: new Date(now.getTime() + leaseMs), claims: eb('claims', '+', 1), updated_at: now }))
      .where('id', 'in', (qb) =>
        qb
          .selectFrom('announcement_recipient')
          .select('id')
          .where('announcement_id', '=', announcementId)
          .where((eb) => eb.or([eb('status', '=', 'pending'), eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', now)])]))
          .orderBy('kind', 'asc')
          .orderBy('id')
          .limit(batch)
          .modifyEnd(sql`for update skip locked`),
      )
      .returning(['id', 'kind', 'target', 'team_id', 'claims']);
  }

  /**
   * Records how claimed sends ended, a batch in one statement; only from `sending`, so a row recalled
   * or cancelled meanwhile keeps that state.
   */
  async settle(settlements: readonly Settlement[]): Promise<void> {
    if (settlements.length === 0) return;
    const now = this.clock.now();
    const values = sql.join(settlements.map((s) => s.status === 'sent' ? sql`(${s.id}, ${s.status}, ${s.activityId}, ${null})` : sql`(${s.id}, ${s.status}, ${null}, ${s.reason})`));
    await sql`
      update announcement_recipient as r
      set status = v.status, activity_id = v.activity_id, reason = v.reason, lease_until = null, updated_at = ${now},
          sent_at = case when v.status = 'sent' then ${now}::timestamptz else null end
      from (values ${values}) as v(id, status, activity_id, reason)
      where r.id = v.id and r.status = 'sending'`.execute(this.db);
  }

  /**
   * Gives claimed rows back as pending. Throttled or not yet tried: the claim is given back too, so
   * waiting out Retry-After never uses up a recipient's tries; `keepClaim` after a real send error,
   * so a recipient failing every time ends as failed after MAX_CLAIMS.
   */
  async release(ids: readonly string[], options: { keepClaim?: boolean } = {}): Promise<void> {
    if (ids.length === 0) return;
    await this.db
      .updateTable('announcement_recipient')
      .set({ status: 'pending', lease_until: null, claims: options.keepClaim ? sql`claims` : sql`greatest(claims - 1, 0)`, updated_at: this.clock.now() })
      .where('id', 'in', [...ids])
      .where('status', '=', 'sending')
      .execute();
  }

  /** When the first lease of a row still in flight ends (undefined: none in flight). */
  async firstLeaseEnd(announcementId: string): Promise<Date | undefined> {
    const row = await this.db
      .selectFrom('announcement_recipient')
      .select((eb) => eb.fn.min('lease_until').as('at'))
      .where('announcement_id', '=', announcementId)
      .where('status', '=', 'sending')
      .executeTakeFirst();
    return row?.at ? new Date(row.at) : undefined;
  }

  async counts(announcementId: string): Promise<FanOutCounts> {
    const rows = await this.db
      .selectFrom('announcement_recipient')
      .select(['status', sql<number>`count(*)::int`.as('n'), sql<number>`count(*) filter (where claims > 1)::int`.as('repeated')])
      .where('announcement_id', '=', announcementId)
      .groupBy('status')
      .execute();
    const counts: FanOutCounts = { ...EMPTY_COUNTS };
    for (const r of rows) {
      counts[r.status] = r.n;
      if (r.status === 'sent') counts.maybeRepeated = r.repeated;
    }
    return counts;
  }

  /** Why recipients could not be reached, by reason, for the status card. */
  async reasons(announcementId: string): Promise<Array<{ reason: string; n: number }>> {
    return this.db
      .selectFrom('announcement_recipient')
      .select(['reason', sql<number>`count(*)::int`.as('n')])
      .where('announcement_id', '=', announcementId)
      .where('status', 'in', ['failed', 'unreachable'])
      .groupBy('reason')
      .orderBy('n', 'desc')
      .execute()
      .then((rows) => rows.map((r) => ({ reason: r.reason ?? 'unknown', n: r.n })));
  }

  /** A batch of delivered messages to delete (recall). */
  async sentBatch(announcementId: string, batch: number): Promise<Array<{ id: string; target: RecipientTarget; activityId: string }>> {
    const rows = await this.db
      .selectFrom('announcement_recipient')
      .select(['id', 'kind', 'target', 'team_id', 'activity_id'])
      .where('announcement_id', '=', announcementId)
      .where('status', 'in', ['sent', 'sending'])
      .where('activity_id', 'is not', null)
      .limit(batch)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      activityId: r.activity_id!,
      target: r.kind === 'person' ? { kind: 'person', aadObjectId: r.target } : { kind: 'channel', teamId: r.team_id ?? r.target, channelId: r.target },
    }));
  }

  async markRecalled(id: string, reason: string | null): Promise<void> {
    await this.db.updateTable('announcement_recipient').set({ status: 'recalled', reason, updated_at: this.clock.now() }).where('id', '=', id).execute();
  }

  /** Where one person's copy went, for their RSVP or mute press. */
  async personalCopy(announcementId: string, aadObjectId: string): Promise<{ activityId: string | null } | undefined> {
    const row = await this.db
      .selectFrom('announcement_recipient')
      .select('activity_id')
      .where('announcement_id', '=', announcementId)
      .where('kind', '=', 'person')
      .where('target', '=', aadObjectId)
      .executeTakeFirst();
    return row ? { activityId: row.activity_id } : undefined;
  }
}
