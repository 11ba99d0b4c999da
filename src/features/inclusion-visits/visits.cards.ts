import type { AdaptiveCard } from '../../shared/bot-contract.js';
import { renderCard } from '../../shared/cards.js';
import type { TrustProfile } from '../../trust/trust-profile.schema.js';
import { availableTriageActions, OTHER_FOCUS, STATUS_LABELS, TEXT_CAPS, type FieldErrors, type VisitStatus } from './visits.domain.js';
import type { InclusionVisitRequest } from './visits.repository.js';
import type { VisitQuestion } from './visit-questions.repository.js';
import {
  VISITS_ANSWER_VERB,
  VISITS_ASK_VERB,
  VISITS_ASSIGN_VERB,
  VISITS_COMPLETE_VERB,
  VISITS_DECLINE_VERB,
  VISITS_REFRESH_VERB,
  VISITS_SCHEDULE_VERB,
  VISITS_SUBMIT_VERB,
} from './visits.schemas.js';
import formTemplate from './cards/request-form.json' with { type: 'json' };
import listTemplate from './cards/visit-list.json' with { type: 'json' };
import questionTemplate from './cards/question.json' with { type: 'json' };
import channelMissingTemplate from './cards/triage-channel-missing.json' with { type: 'json' };
import visitTemplate from './cards/visit.json' with { type: 'json' };

type Inclusion = Pick<TrustProfile, 'academies' | 'hubs' | 'inclusion'>;

const FORM_FIELDS = ['academyId', 'focusAreaIds', 'otherFocus', 'earlyHelp', 'urgency', 'urgencyReason', 'preferredFrom', 'preferredTo', 'preferredNote', 'contact'] as const;

export interface RequestFormCardInput {
  academies: Array<{ id: string; name: string }>;
  values: Partial<Record<(typeof FORM_FIELDS)[number], string>>;
  errors?: FieldErrors;
  flaggedNames?: string[];
  submissionKey: string;
  today: string;
}

/** The request form, first empty (pre-filled academy and contact), then again with the person's answers and what to fix. */
export function requestFormCard(profile: Inclusion, input: RequestFormCardInput): AdaptiveCard {
  const errors = Object.fromEntries(FORM_FIELDS.map((f) => [f, input.errors?.[f] ?? '']));
  const count = Object.values(errors).filter(Boolean).length;
  return renderCard(formTemplate, {
    values: Object.fromEntries(FORM_FIELDS.map((f) => [f, input.values[f] ?? ''])),
    errors,
    errorSummary: count === 0 ? '' : `Nothing has been sent yet: ${count === 1 ? 'one answer needs' : `${count} answers need`} changing (marked below).`,
    flaggedNames: (input.flaggedNames ?? []).join(', '),
    academyChoices: input.academies.map((a) => ({ title: a.name, value: a.id })),
    focusChoices: [...profile.inclusion.visitFocusAreas.map((f) => ({ title: f.label, value: f.id })), { title: 'Other', value: OTHER_FOCUS }],
    caps: TEXT_CAPS,
    submitVerb: VISITS_SUBMIT_VERB,
    submissionKey: input.submissionKey,
    today: input.today,
  });
}

export interface VisitCardOptions {
  /** Whether to offer the triage buttons (the channel card, an Inclusion team member's view). */
  triage: boolean;
  notice?: string;
  today: string;
  /**
   * Teams ids ('29:…') the card refreshes itself for when shown: each of them sees their own view
   * (the refresh verb); everyone else, and clients without refresh, see this card.
   */
  refreshFor?: readonly string[];
  /** The requester's own view: the oldest unanswered question, with a box to answer it. */
  openQuestion?: VisitQuestion;
}

/** Teams shows a user-specific view to at most 60 people per card. */
export const MAX_REFRESH_USERS = 60;

const STATUS_COLORS: Record<VisitStatus, string> = { submitted: 'Accent', assigned: 'Accent', scheduled: 'Good', completed: 'Good', declined: 'Attention' };

export function visitCard(profile: Inclusion, visit: InclusionVisitRequest, options: VisitCardOptions): AdaptiveCard {
  const actions = options.triage ? availableTriageActions(visit.status) : [];
  const facts: Array<{ title: string; value: string }> = [];
  const fact = (title: string, value: string | null | undefined): void => {
    if (value) facts.push({ title, value });
  };
  fact('Requested by', `${visit.requesterName}, ${visit.createdAt.toISOString().slice(0, 10)}`);
  fact('Focus', focusLabels(profile, visit).join('; '));
  fact('Urgency', `${capitalise(visit.urgency)}${visit.urgencyReason ? `: ${visit.urgencyReason}` : ''}`);
  fact('Preferred dates', preferredDates(visit));
  fact('Contact', visit.contact);
  fact('Assigned to', visit.assigneeName);
  if (visit.scheduledDate) fact('Visit', `${visit.scheduledDate} at ${visit.scheduledTime ?? '?'}${visit.scheduledWith ? ` with ${visit.scheduledWith}` : ''}`);
  fact('Declined because', visit.declineReason);
  fact('Outcome', visit.outcomeNotes);
  fact('Follow-up', visit.followUp);
  fact('Recommended', visit.recommended);
  const card = renderCard(visitTemplate, {
    reference: visit.reference,
    academyName: academyName(profile, visit.academyId),
    hubName: profile.hubs.find((h) => h.id === visit.hubId)?.name ?? visit.hubId,
    statusLabel: STATUS_LABELS[visit.status],
    statusColor: STATUS_COLORS[visit.status],
    notice: options.notice ?? '',
    facts,
    earlyHelp: visit.earlyHelp ?? '',
    erasedNote: visit.erasedAt ? `The details of this request were erased on ${visit.erasedAt.toISOString().slice(0, 10)} under the trust's retention policy.` : '',
    visitId: visit.id,
    version: visit.version,
    today: options.today,
    canAssign: actions.includes('assign'),
    canSchedule: actions.includes('schedule'),
    canComplete: actions.includes('complete'),
    canDecline: actions.includes('decline'),
    // A question is not a status change: the Inclusion team may ask while the request is open.
    canAsk: options.triage && !visit.erasedAt && (visit.status === 'submitted' || visit.status === 'assigned' || visit.status === 'scheduled'),
    askVerb: VISITS_ASK_VERB,
    requesterName: visit.requesterName,
    questionId: options.openQuestion?.question ? options.openQuestion.id : '',
    questionText: options.openQuestion?.question ?? '',
    questionAskedBy: options.openQuestion?.askedByName ?? '',
    answerVerb: VISITS_ANSWER_VERB,
    scheduledDateValue: visit.scheduledDate ?? '',
    scheduledTimeValue: visit.scheduledTime ?? '',
    scheduledWithValue: visit.scheduledWith ?? visit.assigneeName ?? '',
    assignVerb: VISITS_ASSIGN_VERB,
    scheduleVerb: VISITS_SCHEDULE_VERB,
    completeVerb: VISITS_COMPLETE_VERB,
    declineVerb: VISITS_DECLINE_VERB,
  });
  const userIds = [...new Set(options.refreshFor ?? [])].slice(0, MAX_REFRESH_USERS);
  if (userIds.length === 0) return card;
  return { ...card, refresh: { action: { type: 'Action.Execute', title: 'Refresh', verb: VISITS_REFRESH_VERB, data: { visitId: visit.id } }, userIds } };
}

export interface QuestionCardInput {
  visit: InclusionVisitRequest;
  question: VisitQuestion;
  notice?: string;
  answerError?: string;
  answerValue?: string;
}

/** The requester's 1:1 card: the Inclusion team's question and a box to answer it (or the answer once given). */
export function questionCard(profile: Inclusion, input: QuestionCardInput): AdaptiveCard {
  const { visit, question } = input;
  return renderCard(questionTemplate, {
    reference: visit.reference,
    academyName: academyName(profile, visit.academyId),
    askedBy: question.askedByName,
    question: question.question ?? 'This question was erased under the trust\'s retention policy.',
    notice: input.notice ?? '',
    answered: question.answeredAt !== null,
    answer: question.answer ?? '',
    answerError: input.answerError ?? '',
    answerValue: input.answerValue ?? '',
    questionId: question.id,
    answerVerb: VISITS_ANSWER_VERB,
  });
}

/** For the trust admins: the triage channel is not reachable, and what to do about it. */
export function triageChannelMissingCard(profile: Inclusion, waitingCount: number): AdaptiveCard {
  const channel = profile.inclusion.triageChannel;
  return renderCard(channelMissingTemplate, {
    channelName: channel.channelName,
    teamId: channel.teamId,
    channelId: channel.channelId,
    waiting: waitingCount === 0 ? '' : `${waitingCount === 1 ? 'One request is' : `${waitingCount} requests are`} waiting to be posted.`,
  });
}

export interface VisitListCardInput {
  heading: string;
  subheading: string;
  emptyText: string;
  warning?: string;
  visits: InclusionVisitRequest[];
}

export function visitListCard(profile: Inclusion, input: VisitListCardInput): AdaptiveCard {
  return renderCard(listTemplate, {
    heading: input.heading,
    subheading: input.subheading,
    warning: input.warning ?? '',
    emptyText: input.visits.length === 0 ? input.emptyText : '',
    openVerb: VISITS_REFRESH_VERB,
    items: input.visits.map((v) => ({
      visitId: v.id,
      reference: v.reference,
      academyName: academyName(profile, v.academyId),
      statusLabel: STATUS_LABELS[v.status],
      summary: `${capitalise(v.urgency)} · ${focusLabels(profile, v).join('; ')}`,
    })),
  });
}

const capitalise = (value: string): string => value.charAt(0).toUpperCase() + value.slice(1);

export function academyName(profile: Inclusion, academyId: string): string {
  return profile.academies.find((a) => a.id === academyId)?.name ?? academyId;
}

function focusLabels(profile: Inclusion, visit: InclusionVisitRequest): string[] {
  return visit.focusAreaIds.map((id) =>
    id === OTHER_FOCUS ? `Other${visit.otherFocus ? `: ${visit.otherFocus}` : ''}` : (profile.inclusion.visitFocusAreas.find((f) => f.id === id)?.label ?? id),
  );
}

function preferredDates(visit: InclusionVisitRequest): string {
  const range = visit.preferredFrom && visit.preferredTo ? `${visit.preferredFrom} to ${visit.preferredTo}` : visit.preferredFrom ? `from ${visit.preferredFrom}` : visit.preferredTo ? `by ${visit.preferredTo}` : '';
  return [range, visit.preferredNote ?? ''].filter(Boolean).join('; ');
}
