import { sql, type Selectable, type Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { CommissionTable, CommissionUpdateTable } from '../../db/tables/commissions.js';
import { enqueueJob, type NewJob } from '../../jobs/outbox.js';
import type { Clock, IdGenerator } from '../../shared/clock.js';
import { commissionReference, type CommissionStatus, type ExternalSchool, type ImpactMeasure } from './commissions.domain.js';

export interface Commission {
  id: string;
  reference: string;
  academyId: string;
  supportTypeId: string;
  need: string;
  evidence: string;
  externalSchool: ExternalSchool | null;
  measures: ImpactMeasure[];
  assignedStaff: string[];
  startDate: string | null;
  endDate: string | null;
  status: CommissionStatus;
  version: number;
  declineReason: string | null;
  raisedByAadId: string;
  raisedByName: string;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

export type UpdateKind = CommissionUpdateTable['kind'];

export interface CommissionUpdate {
  id: string;
  at: Date;
  byName: string;
  kind: UpdateKind;
  statusAfter: CommissionStatus;
  text: string | null;
}

export interface CommissionChannel {
  academyId: string;
  teamId: string;
  channelId: string;
  entityId: string;
}

export interface NewCommission {
  submissionKey: string;
  academyId: string;
  supportTypeId: string;
  need: string;
  evidence: string;
  externalSchool: ExternalSchool | null;
  raisedByAadId: string;
  raisedByName: string;
}

/** The columns a step may set; version, times, the log and the audit are this repository's business. */
export type CommissionChange = Partial<
  Pick<CommissionTable, 'status' | 'start_date' | 'end_date' | 'decline_reason'> & { measures: ImpactMeasure[]; assigned_staff: string[] }
>;

export interface Decision {
  change: CommissionChange;
  log: { kind: UpdateKind; text: string | null };
  audit: { action: string; details: Record<string, unknown> };
  jobs: (commission: Commission) => NewJob[];
}

type Row = Selectable<CommissionTable>;

function toCommission(row: Row): Commission {
  return {
    id: row.id,
    reference: commissionReference(row.number),
    academyId: row.academy_id,
    supportTypeId: row.support_type_id,
    need: row.need,
    evidence: row.evidence,
    externalSchool: row.external_school,
    measures: row.measures,
    assignedStaff: row.assigned_staff,
    startDate: row.start_date,
    endDate: row.end_date,
    status: row.status,
    version: row.version,
    declineReason: row.decline_reason,
    raisedByAadId: row.raised_by_aad_id,
    raisedByName: row.raised_by_name,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    closedAt: row.closed_at === null ? null : new Date(row.closed_at),
  };
}

export class CommissionRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /**
   * The new commission, its first log entry, its audit entry and its outbox jobs in one transaction.
   * A second press of the same form (same submission key) gets the row that won, unchanged.
   */
  async insert(commission: NewCommission, jobs: (created: Commission) => NewJob[]): Promise<{ commission: Commission; created: boolean }> {
    return this.db.transaction().execute(async (trx) => {
      const now = this.clock.now();
      const row = await trx
        .insertInto('commission')
        .values({
          id: this.ids.newId(),
          submission_key: commission.submissionKey,
          academy_id: commission.academyId,
          support_type_id: commission.supportTypeId,
          need: commission.need,
          evidence: commission.evidence,
          external_school: commission.externalSchool ? JSON.stringify(commission.externalSchool) : null,
          measures: '[]',
          assigned_staff: '[]',
          status: 'requested',
          raised_by_aad_id: commission.raisedByAadId,
          raised_by_name: commission.raisedByName,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.column('submission_key').doNothing())
        .returningAll()
        .executeTakeFirst();
      if (!row) {
        const existing = await trx.selectFrom('commission').selectAll().where('submission_key', '=', commission.submissionKey).executeTakeFirstOrThrow();
        return { commission: toCommission(existing), created: false };
      }
      const created = toCommission(row);
      await this.log(trx, created.id, now, commission.raisedByAadId, commission.raisedByName, { kind: 'raised', text: null }, 'requested');
      await audit(trx, now, commission.raisedByAadId, 'commissions.raised', created.id, { academyId: created.academyId, supportTypeId: created.supportTypeId });
      for (const job of jobs(created)) await enqueueJob(trx, job, this.clock, this.ids);
      return { commission: created, created: true };
    });
  }

  /**
   * Runs `decide` on the current row under a row lock, so two editors take turns: the second sees
   * the first's version and is refused rather than overwriting it. Returns undefined for no such row.
   */
  async change<T>(
    commissionId: string,
    actor: { aadObjectId: string; displayName: string },
    decide: (current: Commission) => Decision | { refuse: T },
  ): Promise<{ commission: Commission; refused?: T } | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('commission').selectAll().where('id', '=', commissionId).forUpdate().executeTakeFirst();
      if (!row) return undefined;
      const current = toCommission(row);
      const decision = decide(current);
      if ('refuse' in decision) return { commission: current, refused: decision.refuse };
      const now = this.clock.now();
      const { measures, assigned_staff, ...columns } = decision.change;
      const closing = columns.status === 'closed' || columns.status === 'declined';
      const updated = await trx
        .updateTable('commission')
        .set({
          ...columns,
          ...(measures ? { measures: JSON.stringify(measures) } : {}),
          ...(assigned_staff ? { assigned_staff: JSON.stringify(assigned_staff) } : {}),
          version: current.version + 1,
          updated_at: now,
          ...(closing ? { closed_at: now } : {}),
        })
        .where('id', '=', commissionId)
        .returningAll()
        .executeTakeFirstOrThrow();
      const after = toCommission(updated);
      await this.log(trx, commissionId, now, actor.aadObjectId, actor.displayName, decision.log, after.status);
      await audit(trx, now, actor.aadObjectId, decision.audit.action, commissionId, { ...decision.audit.details, version: after.version, status: after.status });
      for (const job of decision.jobs(after)) await enqueueJob(trx, job, this.clock, this.ids);
      return { commission: after };
    });
  }

  async find(commissionId: string): Promise<Commission | undefined> {
    const row = await this.db.selectFrom('commission').selectAll().where('id', '=', commissionId).executeTakeFirst();
    return row ? toCommission(row) : undefined;
  }

  /** Commissions of the given academies (all when `academyIds` is undefined), newest first. */
  async list(academyIds: readonly string[] | undefined, limit = 500): Promise<Commission[]> {
    if (academyIds && academyIds.length === 0) return [];
    let query = this.db.selectFrom('commission').selectAll();
    if (academyIds) query = query.where('academy_id', 'in', [...academyIds]);
    const rows = await query.orderBy('created_at', 'desc').orderBy('number', 'desc').limit(limit).execute();
    return rows.map(toCommission);
  }

  async updates(commissionId: string): Promise<CommissionUpdate[]> {
    const rows = await this.db.selectFrom('commission_update').selectAll().where('commission_id', '=', commissionId).orderBy('at').orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, at: new Date(r.at), byName: r.by_name, kind: r.kind, statusAfter: r.status_after as CommissionStatus, text: r.text }));
  }

  async channelOf(academyId: string): Promise<CommissionChannel | undefined> {
    const row = await this.db.selectFrom('commission_channel').selectAll().where('academy_id', '=', academyId).executeTakeFirst();
    return row ? { academyId: row.academy_id, teamId: row.team_id, channelId: row.channel_id, entityId: row.entity_id } : undefined;
  }

  /** The academy's channel, as the tab's configuration page last saved it (audited: it decides where cards go). */
  async linkChannel(channel: CommissionChannel, byAadId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const now = this.clock.now();
      await trx
        .insertInto('commission_channel')
        .values({ academy_id: channel.academyId, team_id: channel.teamId, channel_id: channel.channelId, entity_id: channel.entityId, linked_by_aad_id: byAadId, updated_at: now })
        .onConflict((oc) =>
          oc.column('academy_id').doUpdateSet({ team_id: channel.teamId, channel_id: channel.channelId, entity_id: channel.entityId, linked_by_aad_id: byAadId, updated_at: now }),
        )
        .execute();
      await audit(trx, now, byAadId, 'commissions.channel_linked', channel.academyId, { teamId: channel.teamId, channelId: channel.channelId });
    });
  }

  async count(): Promise<number> {
    const row = await this.db.selectFrom('commission').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    return row.n;
  }

  private async log(
    trx: Transaction<Database>,
    commissionId: string,
    at: Date,
    byAadId: string,
    byName: string,
    entry: { kind: UpdateKind; text: string | null },
    statusAfter: CommissionStatus,
  ): Promise<void> {
    await trx
      .insertInto('commission_update')
      .values({ id: this.ids.newId(), commission_id: commissionId, at, by_aad_id: byAadId, by_name: byName, kind: entry.kind, status_after: statusAfter, text: entry.text })
      .execute();
  }
}

async function audit(trx: Transaction<Database>, at: Date, actorAadId: string, action: string, subjectId: string, details: Record<string, unknown>): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({ at, actor_aad_id: actorAadId, action, subject_type: 'commission', subject_id: subjectId, details: JSON.stringify(details) })
    .execute();
}
