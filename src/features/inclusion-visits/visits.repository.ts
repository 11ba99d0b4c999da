import { sql, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { InclusionVisitTable } from '../../db/tables/inclusion-visits.js';
import { enqueueJob, type NewJob } from '../../jobs/outbox.js';
import type { Clock, IdGenerator } from '../../shared/clock.js';
import { visitReference, type Urgency, type VisitDraft, type VisitStatus } from './visits.domain.js';

/** An Inclusion Support Visit request as the service and cards see it. Free text is null once erased. */
export interface InclusionVisitRequest {
  id: string;
  reference: string;
  academyId: string;
  hubId: string;
  requesterAadId: string;
  requesterName: string;
  requesterTeamsId: string | null;
  focusAreaIds: string[];
  otherFocus: string | null;
  earlyHelp: string | null;
  urgency: Urgency;
  urgencyReason: string | null;
  preferredFrom: string | null;
  preferredTo: string | null;
  preferredNote: string | null;
  contact: string | null;
  status: VisitStatus;
  version: number;
  assigneeAadId: string | null;
  assigneeName: string | null;
  scheduledDate: string | null;
  scheduledTime: string | null;
  scheduledWith: string | null;
  declineReason: string | null;
  outcomeNotes: string | null;
  followUp: string | null;
  recommended: string | null;
  channelActivityId: string | null;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
  erasedAt: Date | null;
}

/** One entry of the audit trail: who, when, what; never the free text. */
export interface VisitAuditEntry {
  at: Date;
  actorAadId: string | null;
  action: string;
  visitId: string;
  details: Record<string, unknown>;
}

type Row = Selectable<InclusionVisitTable>;

function toVisit(row: Row): InclusionVisitRequest {
  return {
    id: row.id,
    reference: visitReference(row.number),
    academyId: row.academy_id,
    hubId: row.hub_id,
    requesterAadId: row.requester_aad_id,
    requesterName: row.requester_name,
    requesterTeamsId: row.requester_teams_id,
    focusAreaIds: row.focus_area_ids,
    otherFocus: row.other_focus,
    earlyHelp: row.early_help,
    urgency: row.urgency,
    urgencyReason: row.urgency_reason,
    preferredFrom: row.preferred_from,
    preferredTo: row.preferred_to,
    preferredNote: row.preferred_note,
    contact: row.contact,
    status: row.status,
    version: row.version,
    assigneeAadId: row.assignee_aad_id,
    assigneeName: row.assignee_name,
    scheduledDate: row.scheduled_date,
    scheduledTime: row.scheduled_time,
    scheduledWith: row.scheduled_with,
    declineReason: row.decline_reason,
    outcomeNotes: row.outcome_notes,
    followUp: row.follow_up,
    recommended: row.recommended,
    channelActivityId: row.channel_activity_id,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    closedAt: row.closed_at === null ? null : new Date(row.closed_at),
    erasedAt: row.erased_at === null ? null : new Date(row.erased_at),
  };
}

export interface NewVisit extends VisitDraft {
  submissionKey: string;
  hubId: string;
  requesterAadId: string;
  requesterName: string;
  requesterTeamsId: string | null;
}

/** The columns a triage change may set; version, status times and audit are the unit's business. */
export type VisitUpdate = Partial<
  Pick<
    InclusionVisitTable,
    'status' | 'assignee_aad_id' | 'assignee_name' | 'scheduled_date' | 'scheduled_time' | 'scheduled_with' | 'decline_reason' | 'outcome_notes' | 'follow_up' | 'recommended'
  >
>;

/** Free text erased by retention: everything a person typed. */
const FREE_TEXT = {
  other_focus: null,
  early_help: null,
  urgency_reason: null,
  preferred_note: null,
  contact: null,
  scheduled_with: null,
  decline_reason: null,
  outcome_notes: null,
  follow_up: null,
  recommended: null,
} as const;

export interface OpenFilters {
  hubId?: string;
  urgency?: Urgency;
  focusAreaId?: string;
}

export class VisitRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /**
   * Stores a new request with its audit entry and outbox jobs in one transaction. A second press of
   * the same form (same submission key) meets the unique index and gets the row that won, unchanged.
   */
  async insert(visit: NewVisit, jobs: (visit: InclusionVisitRequest) => NewJob[]): Promise<{ visit: InclusionVisitRequest; created: boolean }> {
    return this.db.transaction().execute(async (trx) => {
      const now = this.clock.now();
      const row = await trx
        .insertInto('inclusion_visit')
        .values({
          id: this.ids.newId(),
          submission_key: visit.submissionKey,
          academy_id: visit.academyId,
          hub_id: visit.hubId,
          requester_aad_id: visit.requesterAadId,
          requester_name: visit.requesterName,
          requester_teams_id: visit.requesterTeamsId,
          focus_area_ids: JSON.stringify(visit.focusAreaIds),
          urgency: visit.urgency,
          preferred_from: visit.preferredFrom,
          preferred_to: visit.preferredTo,
          status: 'submitted',
          other_focus: visit.otherFocus,
          early_help: visit.earlyHelp,
          urgency_reason: visit.urgencyReason,
          preferred_note: visit.preferredNote,
          contact: visit.contact,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('submission_key').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) {
        const existing = await trx.selectFrom('inclusion_visit').selectAll().where('submission_key', '=', visit.submissionKey).executeTakeFirstOrThrow();
        return { visit: toVisit(existing), created: false };
      }
      const created = toVisit(row);
      await audit(trx, { at: now, actorAadId: visit.requesterAadId, action: 'visits.submitted', visitId: created.id, details: { academyId: visit.academyId, urgency: visit.urgency, focusAreaIds: visit.focusAreaIds } });
      for (const job of jobs(created)) await enqueueJob(trx, job, this.clock, this.ids);
      return { visit: created, created: true };
    });
  }

  /**
   * Runs `decide` on the request's current row under a row lock, so two triage presses on the same
   * request take turns: the second sees what the first wrote (and its version) and cannot overwrite
   * it. `decide` returns the update to apply, or a value to hand back unchanged.
   */
  async change<T>(
    visitId: string,
    decide: (current: InclusionVisitRequest) => { update: VisitUpdate; audit: Omit<VisitAuditEntry, 'at' | 'visitId'>; jobs: NewJob[] } | { refuse: T },
  ): Promise<{ visit: InclusionVisitRequest; refused?: T } | undefined> {
    return this.db.transaction().execute(async (trx) => {
      // The lock: everyone changing this request waits here, in arrival order.
      const row = await trx.selectFrom('inclusion_visit').selectAll().where('id', '=', visitId).forUpdate().executeTakeFirst();
      if (!row) return undefined;
      const current = toVisit(row);
      const decision = decide(current);
      if ('refuse' in decision) return { visit: current, refused: decision.refuse };
      const now = this.clock.now();
      const closing = decision.update.status === 'completed' || decision.update.status === 'declined';
      const updated = await trx
        .updateTable('inclusion_visit')
        .set({ ...decision.update, version: current.version + 1, updated_at: now, ...(closing ? { closed_at: now } : {}) })
        .where('id', '=', visitId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, { ...decision.audit, at: now, visitId });
      for (const job of decision.jobs) await enqueueJob(trx, job, this.clock, this.ids);
      return { visit: toVisit(updated) };
    });
  }

  async find(visitId: string): Promise<InclusionVisitRequest | undefined> {
    const row = await this.db.selectFrom('inclusion_visit').selectAll().where('id', '=', visitId).executeTakeFirst();
    return row ? toVisit(row) : undefined;
  }

  async byRequester(aadObjectId: string, limit = 50): Promise<InclusionVisitRequest[]> {
    const rows = await this.db.selectFrom('inclusion_visit').selectAll().where('requester_aad_id', '=', aadObjectId).orderBy('created_at', 'desc').limit(limit).execute();
    return rows.map(toVisit);
  }

  /** Open requests, most urgent first, then oldest first. */
  async open(filters: OpenFilters, limit = 50): Promise<InclusionVisitRequest[]> {
    let query = this.db.selectFrom('inclusion_visit').selectAll().where('status', 'in', ['submitted', 'assigned', 'scheduled']);
    if (filters.hubId) query = query.where('hub_id', '=', filters.hubId);
    if (filters.urgency) query = query.where('urgency', '=', filters.urgency);
    if (filters.focusAreaId) query = query.where(sql<boolean>`focus_area_ids @> ${JSON.stringify([filters.focusAreaId])}::jsonb`);
    const rows = await query.execute();
    const rank = { urgent: 0, soon: 1, routine: 2 } as const;
    return rows
      .map(toVisit)
      .sort((a, b) => rank[a.urgency] - rank[b.urgency] || a.createdAt.getTime() - b.createdAt.getTime())
      .slice(0, limit);
  }

  /** Records the channel card's id once; false when another job posted it first. */
  async setChannelActivity(visitId: string, activityId: string): Promise<boolean> {
    const result = await this.db
      .updateTable('inclusion_visit')
      .set({ channel_activity_id: activityId })
      .where('id', '=', visitId)
      .where('channel_activity_id', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  /** Requests still waiting for their channel card (the app was not installed in the team). */
  async awaitingChannelCard(): Promise<InclusionVisitRequest[]> {
    const rows = await this.db.selectFrom('inclusion_visit').selectAll().where('channel_activity_id', 'is', null).where('erased_at', 'is', null).execute();
    return rows.map(toVisit);
  }

  /** Erases the free text of requests closed before `cutoff`; each erasure is audited. Returns their ids. */
  async eraseClosedBefore(cutoff: Date): Promise<string[]> {
    return this.db.transaction().execute(async (trx) => {
      const now = this.clock.now();
      const rows = await trx
        .updateTable('inclusion_visit')
        .set({ ...FREE_TEXT, erased_at: now, updated_at: now })
        .where('closed_at', '<', cutoff)
        .where('erased_at', 'is', null)
        .returning(['id', 'status'])
        .execute();
      for (const row of rows) await audit(trx, { at: now, actorAadId: null, action: 'visits.erased', visitId: row.id, details: { status: row.status } });
      // Questions and answers are free text about the same pupils: erased with the request.
      if (rows.length > 0) await trx.updateTable('inclusion_visit_question').set({ question: null, answer: null }).where('visit_id', 'in', rows.map((r) => r.id)).execute();
      return rows.map((r) => r.id);
    });
  }

  async auditTrail(visitIds: readonly string[]): Promise<VisitAuditEntry[]> {
    if (visitIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('subject_type', '=', 'inclusion_visit')
      .where('subject_id', 'in', [...visitIds])
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ at: new Date(r.at), actorAadId: r.actor_aad_id, action: r.action, visitId: r.subject_id, details: r.details }));
  }
}

export async function audit(trx: Transaction<Database>, entry: VisitAuditEntry): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      at: entry.at,
      actor_aad_id: entry.actorAadId,
      action: entry.action,
      subject_type: 'inclusion_visit',
      subject_id: entry.visitId,
      details: JSON.stringify(entry.details),
    })
    .execute();
}
