import type { AdaptiveCard, CardActionRoute, TurnInfo } from '../../shared/bot-contract.js';
import type { Failure } from '../../shared/result.js';
import type { TrustProfile } from '../../trust/trust-profile.schema.js';
import type { VisitQuestion } from './visit-questions.repository.js';
import type { VisitQuestionService } from './visit-questions.service.js';
import { questionCard } from './visits.cards.js';
import type { VisitFailureCode } from './visits.domain.js';
import type { InclusionVisitRequest } from './visits.repository.js';
import { answerDataSchema, askDataSchema, VISITS_ANSWER_VERB, VISITS_ASK_VERB } from './visits.schemas.js';

export interface VisitQuestionActionsDeps {
  questions: VisitQuestionService;
  profile: TrustProfile;
  /** The visit card as the triage view shows it, with a notice. */
  showVisit(visit: InclusionVisitRequest, triage: boolean, turn: TurnInfo, notice?: string): AdaptiveCard;
  problemCard(failure: Failure<VisitFailureCode>): AdaptiveCard;
  invalidActionCard(): AdaptiveCard;
}

/** "Ask a question" on the triage card, and the requester's "Send my answer". */
export function visitQuestionActions(deps: VisitQuestionActionsDeps): CardActionRoute[] {
  const { questions, profile } = deps;
  return [
    {
      verb: VISITS_ASK_VERB,
      handle: async (turn, data) => {
        const parsed = askDataSchema.safeParse(data);
        if (!parsed.success) return deps.invalidActionCard();
        const result = await questions.ask(turn.speaker, parsed.data.visitId, parsed.data.question);
        if (result.ok) {
          const { visit } = result.value;
          return deps.showVisit(visit, true, turn, `Question sent to ${visit.requesterName}. Their answer will be posted under this request's card in the channel.`);
        }
        const visit = result.details?.['visit'] as InclusionVisitRequest | undefined;
        if (result.code === 'invalid_request' || result.code === 'illegal_transition') {
          const current = visit ?? (await questions.visitFor(turn.speaker, parsed.data.visitId));
          if (current) return deps.showVisit(current, true, turn, `Nothing was sent. ${result.message}`);
        }
        return deps.problemCard(result);
      },
    },
    {
      verb: VISITS_ANSWER_VERB,
      handle: async (turn, data) => {
        const parsed = answerDataSchema.safeParse(data);
        if (!parsed.success) return deps.invalidActionCard();
        const result = await questions.answer(turn.speaker, parsed.data.questionId, parsed.data.answer);
        if (result.ok) return questionCard(profile, { ...result.value, notice: 'Sent to the Inclusion team. Thank you.' });
        const visit = result.details?.['visit'] as InclusionVisitRequest | undefined;
        const question = result.details?.['question'] as VisitQuestion | undefined;
        if (visit && question && result.code === 'invalid_request') {
          return questionCard(profile, { visit, question, answerError: result.message, answerValue: parsed.data.answer });
        }
        if (visit && question && result.code === 'question_answered') return questionCard(profile, { visit, question, notice: result.message });
        return deps.problemCard(result);
      },
    },
  ];
}
