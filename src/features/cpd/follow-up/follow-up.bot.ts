import type { AdaptiveCard, BotReply, CardActionRoute, Intent, Journey, TurnInfo } from '../../../shared/bot-contract.js';
import { cardVerb } from '../../../shared/card-verb.js';
import type { PeopleService } from '../../people/people.service.js';
import { registerCard, registerPickerCard } from '../attendance/attendance.cards.js';
import type { AttendanceService, RegisterView } from '../attendance/attendance.service.js';
import { changeDoneCard, changeFormCard, changePickerCard } from '../changes/changes.cards.js';
import type { ChangesService } from '../changes/changes.service.js';
import { feedbackCard, feedbackPickerCard, impactCard, summaryCard } from '../evaluation/evaluation.cards.js';
import { describeApplied } from '../evaluation/evaluation.domain.js';
import type { EvaluationService } from '../evaluation/evaluation.service.js';
import { exportCard, recordCard } from '../record/record.cards.js';
import type { RecordService } from '../record/record.service.js';
import { mutedCard } from '../reminders/reminders.cards.js';
import type { ReminderService } from '../reminders/reminders.service.js';
import type { CpdTaxonomy } from '../cpd.taxonomy.js';
import type { NormalisedMessage } from '../../../shared/bot-contract.js';
import { changeSessionRequest, feedbackScore, muteRequest, myCpdScore, registerRequest, summaryRequest } from './follow-up-intents.domain.js';
import { changeProblemCard, feedbackProblemCard, invalidFollowUpCard, recordProblemCard, registerProblemCard } from './follow-up.problems.js';
import {
  CPD_CHANGES_CANCEL_VERB,
  CPD_CHANGES_FORM_VERB,
  CPD_CHANGES_MOVE_VERB,
  CPD_FEEDBACK_OPEN_VERB,
  CPD_FEEDBACK_SUBMIT_VERB,
  CPD_GOALS_ADD_VERB,
  CPD_GOALS_CLOSE_VERB,
  CPD_IMPACT_SUBMIT_VERB,
  CPD_RECORD_ADD_EXTERNAL_VERB,
  CPD_RECORD_EXPORT_VERB,
  CPD_REGISTER_OPEN_VERB,
  CPD_REGISTER_SAVE_VERB,
  CPD_REMINDERS_MUTE_VERB,
  cancelOfferingSchema,
  externalSchema,
  feedbackSubmitSchema,
  goalAddSchema,
  goalCloseSchema,
  impactSubmitSchema,
  moveSchema,
  muteSchema,
  registerSaveSchema,
  sessionRefSchema,
} from './follow-up.schemas.js';
import { findSession } from './session-context.js';
import type { Db } from '../../../db/database.js';

export interface FollowUpBotDeps {
  db: Db;
  attendance: AttendanceService;
  evaluation: EvaluationService;
  reminders: ReminderService;
  changes: ChangesService;
  record: RecordService;
  people: PeopleService;
  taxonomy: CpdTaxonomy;
}

export const CPD_MY_CPD_JOURNEY: Journey = { id: 'cpd.my_cpd', title: 'My CPD record', summary: 'Hours by academic year, feedback waiting, goals, a CSV download', prompt: 'my cpd' };
const REGISTER_JOURNEY: Journey = {
  id: 'cpd.register',
  title: 'Take a register',
  summary: 'Mark who came to a session you run',
  prompt: 'register for',
  forRoles: ['development_team'],
};
const SUMMARY_JOURNEY: Journey = {
  id: 'cpd.evaluation_summary',
  title: 'CPD evaluation summary',
  summary: 'Response rates, scores per quality criterion, comments and impact',
  prompt: 'evaluation summary',
  forRoles: ['development_team', 'director_of_education'],
};

const personalOnly = (what: string): BotReply[] => [
  { kind: 'text', text: `Your ${what} is personal, so I only show it in our 1:1 chat. Open a chat with Development Hub and ask there.` },
];
const cardReply = (card: AdaptiveCard): BotReply[] => [{ kind: 'card', card }];

/**
 * Reads the corrected text and, failing that, what was typed: the normaliser may "correct" a word
 * these readers need (csv, attended) towards another word the app knows.
 */
function reading<R extends { score: number }>(read: (text: string) => R, m: NormalisedMessage): R {
  const corrected = read(m.corrected);
  if (corrected.score > 0 || m.corrected === m.text) return corrected;
  return read(m.text);
}
const scoreOf = (read: (text: string) => number) => (m: NormalisedMessage) => Math.max(read(m.corrected), read(m.text));

/** CPD after booking in chat: the register, feedback, impact, "my CPD", reminders, and the Development Team's changes and summary. */
export function cpdFollowUpBot(deps: FollowUpBotDeps): { journeys: Journey[]; intents: Intent[]; actions: CardActionRoute[] } {
  const tz = deps.taxonomy.timeZone;
  const strands = deps.taxonomy.strands;

  const markerNames = async (view: RegisterView): Promise<Map<string, string>> => {
    const ids = [...new Set(view.entries.flatMap((e) => (e.markedByAadId ? [e.markedByAadId] : [])))];
    const names = new Map<string, string>();
    for (const id of ids) {
      const person = await deps.people.get(id);
      if (person.ok) names.set(id, person.value.displayName);
    }
    return names;
  };
  const renderRegister = async (view: RegisterView): Promise<AdaptiveCard> => registerCard(view, tz, await markerNames(view));

  const myCpd = async (turn: TurnInfo): Promise<AdaptiveCard> => {
    const view = await deps.record.view(turn.speaker);
    return view.ok ? recordCard(view.value, { timeZone: tz, strands }) : recordProblemCard(view);
  };

  const intents: Intent[] = [
    {
      name: 'cpd.my_cpd',
      score: scoreOf(myCpdScore),
      suggest: () => ({ title: 'My CPD record', prompt: 'my cpd' }),
      handle: async (turn) => (turn.conversation.scope === 'personal' ? cardReply(await myCpd(turn)) : personalOnly('CPD record')),
    },
    {
      name: 'cpd.register',
      score: (m) => reading(registerRequest, m).score,
      suggest: () => ({ title: 'Take a register', prompt: 'register for' }),
      handle: async (turn, m) => {
        const { words } = reading(registerRequest, m);
        const found = await deps.attendance.findRegisters(turn.speaker, words);
        if (!found.ok) return cardReply(registerProblemCard(found));
        const only = found.value.sessions.length === 1 ? found.value.sessions[0] : undefined;
        if (only) {
          const opened = await deps.attendance.open(turn.speaker, only.sessionId);
          return cardReply(opened.ok ? await renderRegister(opened.value) : registerProblemCard(opened));
        }
        return cardReply(registerPickerCard(found.value.sessions, tz, words.join(' ')));
      },
    },
    {
      name: 'cpd.feedback',
      score: scoreOf(feedbackScore),
      suggest: () => ({ title: 'Give feedback on CPD', prompt: 'feedback' }),
      handle: async (turn) => {
        if (turn.conversation.scope !== 'personal') return personalOnly('feedback');
        const waiting = await deps.evaluation.awaiting(turn.speaker);
        if (!waiting.ok) return cardReply(feedbackProblemCard(waiting));
        const only = waiting.value.length === 1 ? waiting.value[0] : undefined;
        if (only) {
          const form = await deps.evaluation.form(turn.speaker, only.sessionId);
          if (form.ok) return cardReply(feedbackCard(form.value, deps.evaluation.criteria, tz));
        }
        return cardReply(feedbackPickerCard(waiting.value, tz));
      },
    },
    {
      name: 'cpd.evaluation_summary',
      score: (m) => reading(summaryRequest, m).score,
      suggest: () => ({ title: 'CPD evaluation summary', prompt: 'evaluation summary' }),
      handle: async (turn, m) => {
        const { words } = reading(summaryRequest, m);
        const summary = await deps.evaluation.summary(turn.speaker, words);
        return cardReply(summary.ok ? summaryCard(summary.value, tz, words.join(' ')) : feedbackProblemCard(summary));
      },
    },
    {
      name: 'cpd.reminders_mute',
      score: (m) => reading(muteRequest, m).score,
      suggest: () => ({ title: 'Mute CPD reminders', prompt: 'mute reminders' }),
      handle: async (turn, m) => {
        const result = await deps.reminders.setMuted(turn.speaker, reading(muteRequest, m).muted);
        return cardReply(result.ok ? mutedCard(result.value.muted) : recordProblemCard(result));
      },
    },
    {
      name: 'cpd.change_session',
      score: (m) => reading(changeSessionRequest, m).score,
      suggest: () => ({ title: 'Change or cancel a session', prompt: 'cancel session' }),
      handle: async (turn, m) => {
        const { words } = reading(changeSessionRequest, m);
        const found = await deps.changes.find(turn.speaker, words);
        return cardReply(found.ok ? changePickerCard(found.value, tz, words.join(' ')) : changeProblemCard(found));
      },
    },
  ];

  const actions: CardActionRoute[] = [
    cardVerb({
      verb: CPD_REGISTER_OPEN_VERB,
      schema: sessionRefSchema,
      invalid: invalidFollowUpCard,
      call: (turn, d) => deps.attendance.open(turn.speaker, d.sessionId),
      render: renderRegister,
      problem: registerProblemCard,
    }),
    cardVerb({
      verb: CPD_REGISTER_SAVE_VERB,
      schema: registerSaveSchema,
      invalid: invalidFollowUpCard,
      call: (turn, d) => deps.attendance.save(turn.speaker, d.sessionId, d.marks),
      render: renderRegister,
      problem: registerProblemCard,
    }),
    cardVerb({
      verb: CPD_FEEDBACK_OPEN_VERB,
      schema: sessionRefSchema,
      invalid: invalidFollowUpCard,
      call: (turn, d) => deps.evaluation.form(turn.speaker, d.sessionId),
      render: (view) => feedbackCard(view, deps.evaluation.criteria, tz),
      problem: feedbackProblemCard,
    }),
    {
      verb: CPD_FEEDBACK_SUBMIT_VERB,
      handle: async (turn, data) => {
        const parsed = feedbackSubmitSchema.safeParse(data);
        if (!parsed.success) return invalidFollowUpCard();
        const result = await deps.evaluation.submit(turn.speaker, parsed.data);
        if (result.ok) return feedbackCard(result.value, deps.evaluation.criteria, tz);
        // A score or comment that does not pass: the same form, the reason on top, every answer kept.
        if (result.code === 'score_out_of_range' || result.code === 'scores_missing' || result.code === 'text_too_long') {
          const session = await findSession(deps.db, parsed.data.sessionId);
          if (session) {
            const form = await deps.evaluation.form(turn.speaker, session.sessionId);
            if (form.ok) return feedbackCard({ ...form.value, typed: { scores: parsed.data.scores, doDifferently: parsed.data.doDifferently } }, deps.evaluation.criteria, tz, result.message);
          }
        }
        return feedbackProblemCard(result);
      },
    },
    {
      verb: CPD_IMPACT_SUBMIT_VERB,
      handle: async (turn, data) => {
        const parsed = impactSubmitSchema.safeParse(data);
        if (!parsed.success) return invalidFollowUpCard();
        const result = await deps.evaluation.submitImpact(turn.speaker, parsed.data);
        if (result.ok) return impactCard(result.value.session, tz, describeApplied(result.value.applied));
        const session = await findSession(deps.db, parsed.data.sessionId);
        if (session && (result.code === 'scores_missing' || result.code === 'text_too_long')) return impactCard(session, tz, undefined, result.message, parsed.data);
        return feedbackProblemCard(result);
      },
    },
    cardVerb({
      verb: CPD_REMINDERS_MUTE_VERB,
      schema: muteSchema,
      invalid: invalidFollowUpCard,
      call: (turn, d) => deps.reminders.setMuted(turn.speaker, d.muted),
      render: (v) => mutedCard(v.muted),
      problem: recordProblemCard,
    }),
    cardVerb({
      verb: CPD_CHANGES_FORM_VERB,
      schema: sessionRefSchema,
      invalid: invalidFollowUpCard,
      call: (turn, d) => deps.changes.session(turn.speaker, d.sessionId),
      render: (session) => changeFormCard(session, tz),
      problem: changeProblemCard,
    }),
    {
      verb: CPD_CHANGES_MOVE_VERB,
      handle: async (turn, data) => {
        const parsed = moveSchema.safeParse(data);
        if (!parsed.success) return invalidFollowUpCard();
        const { sessionId, ...input } = parsed.data;
        const result = await deps.changes.move(turn.speaker, sessionId, input);
        if (result.ok) return changeDoneCard(result.value, tz);
        const session = result.code === 'not_allowed' ? undefined : await findSession(deps.db, sessionId);
        // The form again with the reason and what was typed, unless the person may not change it at all.
        return session && result.code !== 'offering_cancelled' ? changeFormCard(session, tz, result.message, input) : changeProblemCard(result);
      },
    },
    cardVerb({
      verb: CPD_CHANGES_CANCEL_VERB,
      schema: cancelOfferingSchema,
      invalid: invalidFollowUpCard,
      call: (turn, d) => deps.changes.cancel(turn.speaker, d.sessionId),
      render: (outcome) => changeDoneCard(outcome, tz),
      problem: changeProblemCard,
    }),
    {
      verb: CPD_RECORD_ADD_EXTERNAL_VERB,
      handle: async (turn, data) => {
        const parsed = externalSchema.safeParse(data);
        if (!parsed.success) return invalidFollowUpCard();
        const result = await deps.record.addExternal(turn.speaker, parsed.data);
        if (result.ok) return recordCard(result.value, { timeZone: tz, strands });
        if (result.code !== 'invalid_external') return recordProblemCard(result);
        const view = await deps.record.view(turn.speaker);
        return view.ok ? recordCard(view.value, { timeZone: tz, strands, problem: result.message, typedExternal: parsed.data }) : recordProblemCard(view);
      },
    },
    {
      verb: CPD_GOALS_ADD_VERB,
      handle: async (turn, data) => {
        const parsed = goalAddSchema.safeParse(data);
        if (!parsed.success) return invalidFollowUpCard();
        const result = await deps.record.addGoal(turn.speaker, parsed.data);
        if (result.ok) return recordCard(result.value, { timeZone: tz, strands });
        const view = await deps.record.view(turn.speaker);
        return view.ok ? recordCard(view.value, { timeZone: tz, strands, problem: result.message, typedGoal: parsed.data }) : recordProblemCard(view);
      },
    },
    cardVerb({
      verb: CPD_GOALS_CLOSE_VERB,
      schema: goalCloseSchema,
      invalid: invalidFollowUpCard,
      call: (turn, d) => deps.record.removeGoal(turn.speaker, d.goalId),
      render: (view) => recordCard(view, { timeZone: tz, strands }),
      problem: recordProblemCard,
    }),
    {
      verb: CPD_RECORD_EXPORT_VERB,
      handle: async (turn) => {
        const link = await deps.record.exportLink(turn.speaker);
        return link.ok ? exportCard(link.value.url, link.value.expiresMinutes) : recordProblemCard(link);
      },
    },
  ];

  return { journeys: [CPD_MY_CPD_JOURNEY, REGISTER_JOURNEY, SUMMARY_JOURNEY], intents, actions };
}
