import type { NewJob } from '../../jobs/outbox.js';
import type { Speaker } from '../../shared/bot-contract.js';
import type { Logger } from '../../shared/logger.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { can } from '../people/people.domain.js';
import type { PeopleService } from '../people/people.service.js';
import { validateQuestionText } from './visit-questions.domain.js';
import type { VisitQuestion, VisitQuestionRepository } from './visit-questions.repository.js';
import type { VisitFailureCode } from './visits.domain.js';
import type { InclusionVisitRequest, VisitRepository } from './visits.repository.js';
import { VISITS_ANSWER_JOB, VISITS_QUESTION_JOB } from './visits.schemas.js';

export interface VisitQuestionServiceDeps {
  visits: VisitRepository;
  questions: VisitQuestionRepository;
  people: PeopleService;
  logger: Logger;
  kickJobs(): void;
}

const notFound = () => fail('not_found', 'There is no visit request or question with that reference that you can see.');

/**
 * The Inclusion team asks the requester a question from the triage card; the requester answers in
 * their 1:1 chat and the answer is posted under the channel card. Only the Inclusion team asks;
 * only the requester answers (anyone else gets "not found"). The request's status does not change.
 */
export class VisitQuestionService {
  constructor(private readonly deps: VisitQuestionServiceDeps) {}

  async ask(speaker: Speaker, visitId: string, text: string): Promise<Result<{ visit: InclusionVisitRequest; question: VisitQuestion }, VisitFailureCode>> {
    const person = await this.deps.people.resolve(speaker);
    if (!person.ok) return person;
    const visit = await this.deps.visits.find(visitId);
    if (!visit || !can(person.value, 'visits.view', { academyId: visit.academyId, requestedByAadObjectId: visit.requesterAadId })) return notFound();
    if (!can(person.value, 'visits.triage')) return fail('not_allowed', 'Only the Inclusion team can ask the requester about a visit request.');
    const question = validateQuestionText('question', text);
    if (!question.ok) return question;
    const asked = await this.deps.questions.ask(visitId, person.value, question.value, (q) => [questionJob(q)]);
    if (asked === 'not_found') return notFound();
    if (asked === 'closed') return fail('illegal_transition', `${visit.reference} is ${visit.status}: questions can be asked only while a request is open.`, { visit });
    this.deps.logger.info({ visitId, questionId: asked.id }, 'visit question asked');
    this.deps.kickJobs();
    return ok({ visit, question: asked });
  }

  async answer(speaker: Speaker, questionId: string, text: string): Promise<Result<{ visit: InclusionVisitRequest; question: VisitQuestion }, VisitFailureCode>> {
    const person = await this.deps.people.resolve(speaker);
    if (!person.ok) return person;
    const found = await this.openTo(person.value.aadObjectId, questionId);
    if (!found) return notFound();
    const answer = validateQuestionText('answer', text);
    if (!answer.ok) return { ...answer, details: { ...answer.details, ...found } };
    const result = await this.deps.questions.answer(questionId, person.value.aadObjectId, answer.value, (q) => [answerJob(q)]);
    if (!result) return notFound();
    if (!result.answered) return fail('question_answered', 'You have already answered this question, so nothing new was sent.', { visit: found.visit, question: result.question });
    this.deps.logger.info({ visitId: found.visit.id, questionId }, 'visit question answered');
    this.deps.kickJobs();
    return ok({ visit: found.visit, question: result.question });
  }

  /** The question and its request, when `aadObjectId` is the requester (the only person who may answer). */
  async openTo(aadObjectId: string, questionId: string): Promise<{ visit: InclusionVisitRequest; question: VisitQuestion } | undefined> {
    const question = await this.deps.questions.find(questionId);
    const visit = question ? await this.deps.visits.find(question.visitId) : undefined;
    if (!question || !visit || visit.requesterAadId !== aadObjectId) return undefined;
    return { visit, question };
  }

  /** The oldest unanswered question on a request, for the requester's view of its card. */
  async firstUnanswered(visitId: string): Promise<VisitQuestion | undefined> {
    return (await this.deps.questions.forVisits([visitId])).find((q) => q.answeredAt === null && q.question !== null);
  }

  find(questionId: string): Promise<VisitQuestion | undefined> {
    return this.deps.questions.find(questionId);
  }

  /** The request as this person may see it (to show the card again with a message), else undefined. */
  async visitFor(speaker: Speaker, visitId: string): Promise<InclusionVisitRequest | undefined> {
    const person = await this.deps.people.resolve(speaker);
    const visit = person.ok ? await this.deps.visits.find(visitId) : undefined;
    if (!person.ok || !visit || !can(person.value, 'visits.view', { academyId: visit.academyId, requestedByAadObjectId: visit.requesterAadId })) return undefined;
    return visit;
  }
}

/** Jobs carry ids only, never the question or answer. */
export function questionJob(q: Pick<VisitQuestion, 'id' | 'visitId'>): NewJob {
  return { kind: VISITS_QUESTION_JOB, payload: { visitId: q.visitId, questionId: q.id }, idempotencyKey: `${VISITS_QUESTION_JOB}:${q.id}` };
}

export function answerJob(q: Pick<VisitQuestion, 'id' | 'visitId'>): NewJob {
  return { kind: VISITS_ANSWER_JOB, payload: { visitId: q.visitId, questionId: q.id }, idempotencyKey: `${VISITS_ANSWER_JOB}:${q.id}` };
}
