import type { AdaptiveCard, CardActionRoute } from '../../../shared/bot-contract.js';
import { cardVerb } from '../../../shared/card-verb.js';
import type { Db } from '../../../db/database.js';
import type { PeopleService } from '../../people/people.service.js';
import { registerCard } from '../attendance/attendance.cards.js';
import type { AttendanceService, RegisterView } from '../attendance/attendance.service.js';
import { changeDoneCard, changeFormCard } from '../changes/changes.cards.js';
import type { ChangesService } from '../changes/changes.service.js';
import { feedbackCard, impactCard } from '../evaluation/evaluation.cards.js';
import { describeApplied } from '../evaluation/evaluation.domain.js';
import type { EvaluationService } from '../evaluation/evaluation.service.js';
import { exportCard, recordCard } from '../record/record.cards.js';
import type { RecordService } from '../record/record.service.js';
import { mutedCard } from '../reminders/reminders.cards.js';
import type { ReminderService } from '../reminders/reminders.service.js';
import type { CpdTaxonomy } from '../cpd.taxonomy.js';
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

/** The register card, with the names of whoever marked each entry (from the directory). */
export function registerRenderer(deps: Pick<FollowUpBotDeps, 'people' | 'taxonomy'>): (view: RegisterView) => Promise<AdaptiveCard> {
  const tz = deps.taxonomy.timeZone;
  const markerNames = async (view: RegisterView): Promise<Map<string, string>> => {
    const ids = [...new Set(view.entries.flatMap((e) => (e.markedByAadId ? [e.markedByAadId] : [])))];
    const names = new Map<string, string>();
    for (const id of ids) {
      const person = await deps.people.get(id);
      if (person.ok) names.set(id, person.value.displayName);
    }
    return names;
  };
  return async (view) => registerCard(view, tz, await markerNames(view));
}

/**
 * The buttons of CPD follow-up cards: the register, feedback and impact forms, reminders, the
 * Development Team's session changes, and the CPD record (external CPD, goals, the CSV export).
 * A form that does not pass comes back with the reason and what was typed.
 */
export function followUpActions(deps: FollowUpBotDeps): CardActionRoute[] {
  const tz = deps.taxonomy.timeZone;
  const strands = deps.taxonomy.strands;
  const renderRegister = registerRenderer(deps);
  return [
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
}
