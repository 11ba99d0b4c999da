import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { Clock } from '../../../shared/clock.js';
import type { ImpactApplied } from './evaluation.domain.js';

export interface StoredFeedback {
  sessionId: string;
  scores: Record<string, number>;
  doDifferently: string | null;
  submittedAt: Date;
  updatedAt: Date;
}

export interface SessionEvaluationRow {
  sessionId: string;
  sequence: number;
  startsAt: Date;
  attended: number;
  responses: Array<Record<string, number>>;
  comments: string[];
  impact: Array<{ applied: ImpactApplied; pupilChange: string | null }>;
}

export class EvaluationRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async find(sessionId: string, personAadId: string): Promise<StoredFeedback | undefined> {
    const row = await this.db
      .selectFrom('cpd_feedback')
      .selectAll()
      .where('session_id', '=', sessionId)
      .where('person_aad_id', '=', personAadId)
      .executeTakeFirst();
    return row
      ? { sessionId: row.session_id, scores: row.scores, doDifferently: row.do_differently, submittedAt: new Date(row.submitted_at), updatedAt: new Date(row.updated_at) }
      : undefined;
  }

  /** One response per person per session: a second submission inside the window replaces the first. */
  async upsert(sessionId: string, offeringId: string, personAadId: string, scores: Record<string, number>, doDifferently: string | null): Promise<'created' | 'updated'> {
    const now = this.clock.now();
    const result = await sql<{ inserted: boolean }>`
      insert into cpd_feedback (session_id, person_aad_id, offering_id, scores, do_differently, submitted_at, updated_at)
      values (${sessionId}, ${personAadId}, ${offeringId}, ${JSON.stringify(scores)}::jsonb, ${doDifferently}, ${now}, ${now})
      on conflict (session_id, person_aad_id) do update set scores = excluded.scores, do_differently = excluded.do_differently, updated_at = excluded.updated_at
      returning (xmax = 0) as inserted`.execute(this.db);
    return result.rows[0]?.inserted ? 'created' : 'updated';
  }

  async upsertImpact(sessionId: string, offeringId: string, personAadId: string, applied: ImpactApplied, pupilChange: string | null): Promise<void> {
    const now = this.clock.now();
    await this.db
      .insertInto('cpd_impact_check_in')
      .values({ session_id: sessionId, person_aad_id: personAadId, offering_id: offeringId, applied, pupil_change: pupilChange, answered_at: now })
      .onConflict((oc) => oc.columns(['session_id', 'person_aad_id']).doUpdateSet({ applied, pupil_change: pupilChange, answered_at: now }))
      .execute();
  }

  /** Sessions the person attended that still take feedback and have none from them, soonest-closing first. */
  async awaitingFeedback(personAadId: string, endedAfter: Date, now: Date): Promise<string[]> {
    const rows = await sql<{ session_id: string }>`
      select a.session_id from cpd_attendance a
      join cpd_session s on s.id = a.session_id
      where a.person_aad_id = ${personAadId} and a.status = 'present'
        and s.ends_at <= ${now} and s.ends_at > ${endedAfter}
        and not exists (select 1 from cpd_feedback f where f.session_id = a.session_id and f.person_aad_id = a.person_aad_id)
      order by s.ends_at limit 5`.execute(this.db);
    return rows.rows.map((r) => r.session_id);
  }

  /**
   * Per session of the offerings: attendance, every response's scores, the "do differently"
   * comments and impact answers. Never who gave them: the summary is anonymous.
   */
  async sessionEvaluations(offeringIds: readonly string[]): Promise<SessionEvaluationRow[]> {
    if (offeringIds.length === 0) return [];
    const sessions = await this.db
      .selectFrom('cpd_session')
      .select(['id', 'sequence', 'starts_at', 'offering_id'])
      .where('offering_id', 'in', [...offeringIds])
      .orderBy('starts_at')
      .execute();
    const ids = sessions.map((s) => s.id);
    if (ids.length === 0) return [];
    const [attendance, feedback, impact] = await Promise.all([
      this.db.selectFrom('cpd_attendance').select(['session_id']).where('session_id', 'in', ids).where('status', '=', 'present').execute(),
      this.db.selectFrom('cpd_feedback').select(['session_id', 'scores', 'do_differently']).where('session_id', 'in', ids).orderBy('updated_at').execute(),
      this.db.selectFrom('cpd_impact_check_in').select(['session_id', 'applied', 'pupil_change']).where('session_id', 'in', ids).orderBy('answered_at').execute(),
    ]);
    return sessions.map((s) => ({
      sessionId: s.id,
      sequence: s.sequence,
      startsAt: new Date(s.starts_at),
      attended: attendance.filter((a) => a.session_id === s.id).length,
      responses: feedback.filter((f) => f.session_id === s.id).map((f) => f.scores),
      comments: feedback.filter((f) => f.session_id === s.id && f.do_differently).map((f) => f.do_differently!),
      impact: impact.filter((i) => i.session_id === s.id).map((i) => ({ applied: i.applied, pupilChange: i.pupil_change })),
    }));
  }

  /** Offerings of courses whose title has every word, that have had at least one session. */
  async offeringsMatching(words: readonly string[], now: Date): Promise<Array<{ offeringId: string; title: string; label: string }>> {
    const conditions = words.map((w) => sql`c.title ilike ${'%' + w.replace(/[\\%_]/g, (m) => '\\' + m) + '%'}`);
    const rows = await sql<{ offering_id: string; title: string; label: string }>`
      select o.id as offering_id, c.title, o.label from cpd_offering o join cpd_course c on c.id = o.course_id
      where exists (select 1 from cpd_session s where s.offering_id = o.id and s.starts_at <= ${now})
        ${words.length > 0 ? sql`and ${sql.join(conditions, sql` and `)}` : sql``}
      order by (select max(s.starts_at) from cpd_session s where s.offering_id = o.id) desc
      limit 5`.execute(this.db);
    return rows.rows.map((r) => ({ offeringId: r.offering_id, title: r.title, label: r.label }));
  }
}
