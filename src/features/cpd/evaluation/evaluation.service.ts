import type { Speaker } from '../../../shared/bot-contract.js';
import { fail, ok, type Result } from '../../../shared/result.js';
import { can } from '../../people/people.domain.js';
import type { AttendanceService } from '../attendance/attendance.service.js';
import { resolvePerson, type FollowUpDeps } from '../follow-up/follow-up.context.js';
import { findSession, type SessionContext } from '../follow-up/session-context.js';
import {
  checkFeedback,
  feedbackClosesAt,
  IMPACT_APPLIED,
  IMPACT_TEXT_MAX,
  summariseCriteria,
  type CriterionSummary,
  type FeedbackFailureCode,
  type ImpactApplied,
} from './evaluation.domain.js';
import { EvaluationRepository, type StoredFeedback } from './evaluation.repository.js';

export interface FeedbackView {
  session: SessionContext;
  existing: StoredFeedback | undefined;
  closesAt: Date;
  /** Set after a submission. */
  saved?: 'created' | 'updated';
  /** Values the person typed, kept on a card that refused them. */
  typed?: { scores: Record<string, unknown>; doDifferently: string };
}

export interface EvaluationSummary {
  title: string;
  label: string;
  sessions: Array<{
    sequence: number;
    startsAt: Date;
    attended: number;
    responses: number;
    criteria: CriterionSummary[];
    comments: string[];
    impact: Array<{ applied: ImpactApplied; pupilChange: string | null }>;
    /** Free text held back because too few answered for it to stay anonymous. */
    withheld: { comments: boolean; impact: boolean };
  }>;
  /** The profile's minimumGroupForComments, for the card to explain a withheld answer. */
  minimumGroup: number;
  overall: { attended: number; responses: number; criteria: CriterionSummary[] };
}

/** Feedback on the trust's quality-assurance criteria, impact check-ins, and the Development Team's summary. */
export class EvaluationService {
  readonly repository: EvaluationRepository;

  constructor(
    private readonly deps: FollowUpDeps,
    private readonly attendance: AttendanceService,
  ) {
    this.repository = new EvaluationRepository(deps.db, deps.clock);
  }

  get criteria() {
    return this.deps.settings.criteria;
  }

  /** The feedback card for a session the person attended (with their earlier answers, if any). */
  async form(speaker: Speaker, sessionId: string): Promise<Result<FeedbackView, FeedbackFailureCode>> {
    const checked = await this.attendedSession(speaker, sessionId);
    if (!checked.ok) return checked;
    const { session, personAadId } = checked.value;
    const closesAt = feedbackClosesAt(session.endsAt, this.deps.settings.feedbackWindowDays);
    if (this.deps.clock.now().getTime() > closesAt.getTime()) {
      return fail('feedback_closed', `Feedback for this session closed ${this.deps.settings.feedbackWindowDays} days after it.`);
    }
    return ok({ session, existing: await this.repository.find(session.sessionId, personAadId), closesAt });
  }

  async submit(
    speaker: Speaker,
    input: { sessionId: string; scores: Record<string, unknown>; doDifferently: string },
  ): Promise<Result<FeedbackView, FeedbackFailureCode>> {
    const person = await resolvePerson(this.deps.people, speaker);
    if (!person.ok) return person;
    const session = await findSession(this.deps.db, input.sessionId);
    if (!session) return fail('session_not_found', 'Development Hub has no CPD session with that reference, so nothing was saved.');
    const personAadId = person.value.aadObjectId;
    const checked = checkFeedback(input, {
      criteria: this.criteria,
      attended: await this.attendance.attended(session.sessionId, personAadId),
      endsAt: session.endsAt,
      windowDays: this.deps.settings.feedbackWindowDays,
      now: this.deps.clock.now(),
    });
    if (!checked.ok) return { ...checked, details: { ...checked.details, typed: { scores: input.scores, doDifferently: input.doDifferently } } };
    const saved = await this.repository.upsert(session.sessionId, session.offeringId, personAadId, checked.value.scores, checked.value.doDifferently);
    this.deps.logger.info({ sessionId: session.sessionId, saved }, 'CPD feedback saved');
    return ok({
      session,
      existing: await this.repository.find(session.sessionId, personAadId),
      closesAt: feedbackClosesAt(session.endsAt, this.deps.settings.feedbackWindowDays),
      saved,
    });
  }

  async submitImpact(
    speaker: Speaker,
    input: { sessionId: string; applied: string; pupilChange: string },
  ): Promise<Result<{ session: SessionContext; applied: ImpactApplied }, FeedbackFailureCode>> {
    const checked = await this.attendedSession(speaker, input.sessionId);
    if (!checked.ok) return checked;
    if (!(IMPACT_APPLIED as readonly string[]).includes(input.applied)) {
      return fail('scores_missing', 'Please say whether you have applied it: yes, partly or not yet.');
    }
    const text = input.pupilChange.trim();
    if (text.length > IMPACT_TEXT_MAX) return fail('text_too_long', `"What changed for pupils?" can be at most ${IMPACT_TEXT_MAX} characters.`);
    const applied = input.applied as ImpactApplied;
    await this.repository.upsertImpact(checked.value.session.sessionId, checked.value.session.offeringId, checked.value.personAadId, applied, text || null);
    return ok({ session: checked.value.session, applied });
  }

  /** Sessions the person attended whose feedback window is open and who have not answered yet. */
  async awaiting(speaker: Speaker): Promise<Result<SessionContext[], FeedbackFailureCode>> {
    const person = await resolvePerson(this.deps.people, speaker);
    if (!person.ok) return person;
    const now = this.deps.clock.now();
    const after = new Date(now.getTime() - this.deps.settings.feedbackWindowDays * 86_400_000);
    const ids = await this.repository.awaitingFeedback(person.value.aadObjectId, after, now);
    const sessions = await Promise.all(ids.map((id) => findSession(this.deps.db, id)));
    return ok(sessions.filter((s): s is SessionContext => s !== undefined));
  }

  /** Per course and session: response rate, mean and spread per criterion, anonymous comments, impact answers. */
  async summary(speaker: Speaker, words: readonly string[]): Promise<Result<EvaluationSummary[], FeedbackFailureCode>> {
    const person = await resolvePerson(this.deps.people, speaker);
    if (!person.ok) return person;
    if (!can(person.value, 'cpd.view_attendees', { academyId: null })) {
      return fail('not_allowed', 'Evaluation summaries are for the Development Team.');
    }
    const offerings = await this.repository.offeringsMatching(words, this.deps.clock.now());
    const rows = await this.repository.sessionEvaluations(offerings.map((o) => o.offeringId));
    const sessions = await Promise.all(rows.map((r) => findSession(this.deps.db, r.sessionId)));
    const minimumGroup = this.deps.settings.minimumGroupForComments;
    return ok(
      offerings.map((o) => {
        const mine = rows.filter((_, i) => sessions[i]?.offeringId === o.offeringId && sessions[i].startsAt.getTime() <= this.deps.clock.now().getTime());
        return {
          title: o.title,
          label: o.label,
          sessions: mine.map((r) => ({
            sequence: r.sequence,
            startsAt: r.startsAt,
            attended: r.attended,
            responses: r.responses.length,
            criteria: summariseCriteria(this.criteria, r.responses),
            // Anonymous is not enough with one or two answers: their free text waits for a group.
            comments: r.responses.length >= minimumGroup ? r.comments : [],
            impact: r.impact.length >= minimumGroup ? r.impact : r.impact.map((i) => ({ applied: i.applied, pupilChange: null })),
            withheld: { comments: r.responses.length < minimumGroup && r.comments.length > 0, impact: r.impact.length < minimumGroup && r.impact.some((i) => i.pupilChange) },
          })),
          minimumGroup,
          overall: {
            attended: mine.reduce((a, r) => a + r.attended, 0),
            responses: mine.reduce((a, r) => a + r.responses.length, 0),
            criteria: summariseCriteria(this.criteria, mine.flatMap((r) => r.responses)),
          },
        };
      }),
    );
  }

  private async attendedSession(speaker: Speaker, sessionId: string): Promise<Result<{ session: SessionContext; personAadId: string }, FeedbackFailureCode>> {
    const person = await resolvePerson(this.deps.people, speaker);
    if (!person.ok) return person;
    const session = await findSession(this.deps.db, sessionId);
    if (!session) return fail('session_not_found', 'Development Hub has no CPD session with that reference.');
    if (!(await this.attendance.attended(sessionId, person.value.aadObjectId))) {
      return fail('not_attended', 'Feedback is for people the register shows as present, and it does not show you at this session.');
    }
    if (this.deps.clock.now().getTime() < session.endsAt.getTime()) return fail('session_not_over', 'This session has not finished yet: feedback opens when it ends.');
    return ok({ session, personAadId: person.value.aadObjectId });
  }
}
