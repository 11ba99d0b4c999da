import type { Db } from '../../db/database.js';
import { enqueueJob } from '../../jobs/outbox.js';
import type { Clock, IdGenerator } from '../../shared/clock.js';

export interface CommunityMember {
  communityId: string;
  aadObjectId: string;
  displayName: string;
  joinedAt: Date;
}

export interface JoinRequest {
  id: string;
  communityId: string;
  aadObjectId: string;
  displayName: string;
  status: 'pending' | 'approved' | 'declined';
  decidedByAadId: string | null;
}

export const NOTIFY_LEADS_JOB = 'communities.notify_leads';
export const NOTIFY_DECISION_JOB = 'communities.notify_decision';

/** Memberships and join requests; every change writes its audit row in the same transaction. */
export class CommunityRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async membershipsOf(aadObjectId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('community_member').select('community_id').where('aad_object_id', '=', aadObjectId).execute();
    return rows.map((r) => r.community_id);
  }

  async pendingRequestsOf(aadObjectId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('community_join_request')
      .select('community_id')
      .where('aad_object_id', '=', aadObjectId)
      .where('status', '=', 'pending')
      .execute();
    return rows.map((r) => r.community_id);
  }

  async members(communityIds: readonly string[]): Promise<CommunityMember[]> {
    if (communityIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('community_member')
      .selectAll()
      .where('community_id', 'in', [...communityIds])
      .orderBy('display_name')
      .orderBy('aad_object_id')
      .execute();
    return rows.map((r) => ({ communityId: r.community_id, aadObjectId: r.aad_object_id, displayName: r.display_name, joinedAt: new Date(r.joined_at) }));
  }

  /** Joins (or leaves a membership as it is): true when a row was added. Idempotent under races (primary key). */
  async join(communityId: string, person: { aadObjectId: string; displayName: string }, actorAadId: string, via: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const now = this.clock.now();
      const added = await tx
        .insertInto('community_member')
        .values({ community_id: communityId, aad_object_id: person.aadObjectId, display_name: person.displayName, joined_at: now })
        .onConflict((oc) => oc.columns(['community_id', 'aad_object_id']).doNothing())
        .returning('community_id')
        .executeTakeFirst();
      if (!added) return false;
      await tx
        .insertInto('audit_log')
        .values({ at: now, actor_aad_id: actorAadId, action: 'communities.join', subject_type: 'community', subject_id: communityId, details: JSON.stringify({ member: person.aadObjectId, via }) })
        .execute();
      return true;
    });
  }

  async leave(communityId: string, aadObjectId: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const removed = await tx
        .deleteFrom('community_member')
        .where('community_id', '=', communityId)
        .where('aad_object_id', '=', aadObjectId)
        .returning('community_id')
        .executeTakeFirst();
      if (!removed) return false;
      await tx
        .insertInto('audit_log')
        .values({ at: this.clock.now(), actor_aad_id: aadObjectId, action: 'communities.leave', subject_type: 'community', subject_id: communityId, details: JSON.stringify({}) })
        .execute();
      return true;
    });
  }

  /**
   * A pending request and the job telling the leads, in one transaction; the partial unique index
   * makes a second request (double press, two devices) a no-op that returns the open one.
   */
  async request(communityId: string, person: { aadObjectId: string; displayName: string }): Promise<{ request: JoinRequest; created: boolean }> {
    return this.db.transaction().execute(async (tx) => {
      const now = this.clock.now();
      const id = this.ids.newId();
      const inserted = await tx
        .insertInto('community_join_request')
        .values({ id, community_id: communityId, aad_object_id: person.aadObjectId, display_name: person.displayName, status: 'pending', decided_by_aad_id: null, decided_at: null, created_at: now })
        .onConflict((oc) => oc.columns(['community_id', 'aad_object_id']).where('status', '=', 'pending').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted) {
        await tx
          .insertInto('audit_log')
          .values({ at: now, actor_aad_id: person.aadObjectId, action: 'communities.request', subject_type: 'community_join_request', subject_id: id, details: JSON.stringify({ communityId }) })
          .execute();
        await enqueueJob(tx, { kind: NOTIFY_LEADS_JOB, payload: { requestId: id }, idempotencyKey: `${NOTIFY_LEADS_JOB}:${id}` }, this.clock, this.ids);
      }
      const row = await tx
        .selectFrom('community_join_request')
        .selectAll()
        .where('community_id', '=', communityId)
        .where('aad_object_id', '=', person.aadObjectId)
        .where('status', '=', 'pending')
        .executeTakeFirstOrThrow();
      return { request: toRequest(row), created: inserted !== undefined };
    });
  }

  async findRequest(id: string): Promise<JoinRequest | undefined> {
    const row = await this.db.selectFrom('community_join_request').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRequest(row) : undefined;
  }

  /**
   * Decides a pending request once: the status moves only from pending (two leads pressing at once
   * get one decision), an approval adds the member, and the requester's notice is queued, all together.
   */
  async decide(id: string, decision: 'approved' | 'declined', leadAadId: string): Promise<JoinRequest | undefined> {
    return this.db.transaction().execute(async (tx) => {
      const now = this.clock.now();
      const row = await tx
        .updateTable('community_join_request')
        .set({ status: decision, decided_by_aad_id: leadAadId, decided_at: now })
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .returningAll()
        .executeTakeFirst();
      if (!row) return undefined;
      if (decision === 'approved') {
        await tx
          .insertInto('community_member')
          .values({ community_id: row.community_id, aad_object_id: row.aad_object_id, display_name: row.display_name, joined_at: now })
          .onConflict((oc) => oc.columns(['community_id', 'aad_object_id']).doNothing())
          .execute();
      }
      await tx
        .insertInto('audit_log')
        .values({ at: now, actor_aad_id: leadAadId, action: `communities.${decision === 'approved' ? 'approve' : 'decline'}`, subject_type: 'community_join_request', subject_id: id, details: JSON.stringify({ communityId: row.community_id, member: row.aad_object_id }) })
        .execute();
      await enqueueJob(tx, { kind: NOTIFY_DECISION_JOB, payload: { requestId: id }, idempotencyKey: `${NOTIFY_DECISION_JOB}:${id}` }, this.clock, this.ids);
      return toRequest(row);
    });
  }
}

function toRequest(row: { id: string; community_id: string; aad_object_id: string; display_name: string; status: JoinRequest['status']; decided_by_aad_id: string | null }): JoinRequest {
  return { id: row.id, communityId: row.community_id, aadObjectId: row.aad_object_id, displayName: row.display_name, status: row.status, decidedByAadId: row.decided_by_aad_id };
}
