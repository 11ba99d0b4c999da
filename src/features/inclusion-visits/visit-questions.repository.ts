import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { InclusionVisitQuestionTable } from '../../db/tables/inclusion-visits.js';
import { enqueueJob, type NewJob } from '../../jobs/outbox.js';
import type { Clock, IdGenerator } from '../../shared/clock.js';
import { audit } from './visits.repository.js';

/** A question the Inclusion team asked a requester, and the answer once given. Texts are null once erased. */
export interface VisitQuestion {
  id: string;
  visitId: string;
  askedByAadId: string;
  askedByName: string;
  question: string | null;
  askedAt: Date;
  answer: string | null;
  answeredByAadId: string | null;
  answeredAt: Date | null;
}

function toQuestion(row: Selectable<InclusionVisitQuestionTable>): VisitQuestion {
  return {
    id: row.id,
    visitId: row.visit_id,
    askedByAadId: row.asked_by_aad_id,
    askedByName: row.asked_by_name,
    question: row.question,
    askedAt: new Date(row.asked_at),
    answer: row.answer,
    answeredByAadId: row.answered_by_aad_id,
    answeredAt: row.answered_at === null ? null : new Date(row.answered_at),
  };
}

export type AskRefusal = 'closed' | 'not_found';

export class VisitQuestionRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /**
   * Stores a question with its audit entry and outbox job, under the request's row lock so it
   * cannot land on a request that is being closed (or erased) at the same moment. The request's
   * status and version do not change: a question is not a triage step, and no card goes stale.
   */
  async ask(visitId: string, asker: { aadObjectId: string; displayName: string }, question: string, jobs: (q: VisitQuestion) => NewJob[]): Promise<VisitQuestion | AskRefusal> {
    return this.db.transaction().execute(async (trx) => {
      const visit = await trx.selectFrom('inclusion_visit').select(['status', 'erased_at']).where('id', '=', visitId).forUpdate().executeTakeFirst();
      if (!visit) return 'not_found';
      if (visit.status === 'completed' || visit.status === 'declined' || visit.erased_at !== null) return 'closed';
      const now = this.clock.now();
      const row = await trx
        .insertInto('inclusion_visit_question')
        .values({ id: this.ids.newId(), visit_id: visitId, asked_by_aad_id: asker.aadObjectId, asked_by_name: asker.displayName, question, asked_at: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      const asked = toQuestion(row);
      await audit(trx, { at: now, actorAadId: asker.aadObjectId, action: 'visits.question_asked', visitId, details: { questionId: asked.id } });
      for (const job of jobs(asked)) await enqueueJob(trx, job, this.clock, this.ids);
      return asked;
    });
  }

  /**
   * Writes the answer once: the question row is locked, so of two presses (or a retry) one
   * answers and the other gets the question as answered.
   */
  async answer(questionId: string, answererAadId: string, answer: string, jobs: (q: VisitQuestion) => NewJob[]): Promise<{ question: VisitQuestion; answered: boolean } | undefined> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('inclusion_visit_question').selectAll().where('id', '=', questionId).forUpdate().executeTakeFirst();
      if (!row) return undefined;
      if (row.answered_at !== null || row.question === null) return { question: toQuestion(row), answered: false };
      const now = this.clock.now();
      const updated = await trx
        .updateTable('inclusion_visit_question')
        .set({ answer, answered_by_aad_id: answererAadId, answered_at: now })
        .where('id', '=', questionId)
        .returningAll()
        .executeTakeFirstOrThrow();
      const answered = toQuestion(updated);
      await audit(trx, { at: now, actorAadId: answererAadId, action: 'visits.question_answered', visitId: row.visit_id, details: { questionId } });
      for (const job of jobs(answered)) await enqueueJob(trx, job, this.clock, this.ids);
      return { question: answered, answered: true };
    });
  }

  async find(questionId: string): Promise<VisitQuestion | undefined> {
    const row = await this.db.selectFrom('inclusion_visit_question').selectAll().where('id', '=', questionId).executeTakeFirst();
    return row ? toQuestion(row) : undefined;
  }

  /** A request's questions, oldest first. */
  async forVisits(visitIds: readonly string[]): Promise<VisitQuestion[]> {
    if (visitIds.length === 0) return [];
    const rows = await this.db.selectFrom('inclusion_visit_question').selectAll().where('visit_id', 'in', [...visitIds]).orderBy('asked_at').orderBy('id').execute();
    return rows.map(toQuestion);
  }
}
