import type { AdaptiveCard, BotReply, CardActionRoute, Intent, Journey, Notifier, TurnInfo } from '../../shared/bot-contract.js';
import type { IdGenerator } from '../../shared/clock.js';
import { problemCard, problemCardsFor, type ProblemWording } from '../../shared/problem-card.js';
import type { TrustProfile } from '../../trust/trust-profile.schema.js';
import { can } from '../people/people.domain.js';
import type { TriageInput } from './triage.domain.js';
import { visitQuestionActions } from './visit-questions.bot.js';
import type { VisitQuestion } from './visit-questions.repository.js';
import type { VisitQuestionService } from './visit-questions.service.js';
import { openFiltersFrom, scoreMyVisits, scoreOpenVisits, scoreRequestVisit } from './visits-intents.domain.js';
import { requestFormCard, visitCard, visitListCard } from './visits.cards.js';
import { fieldErrorsOf, type VisitFailureCode } from './visits.domain.js';
import type { InclusionVisitRequest } from './visits.repository.js';
import {
  assignDataSchema,
  completeDataSchema,
  declineDataSchema,
  refreshDataSchema,
  scheduleDataSchema,
  submitDataSchema,
  VISITS_ASSIGN_VERB,
  VISITS_COMPLETE_VERB,
  VISITS_DECLINE_VERB,
  VISITS_REFRESH_VERB,
  VISITS_SCHEDULE_VERB,
  VISITS_SUBMIT_VERB,
} from './visits.schemas.js';
import type { VisitService } from './visits.service.js';

export const VISITS_REQUEST_JOURNEY: Journey = {
  id: 'visits.request',
  title: 'Request an Inclusion Support Visit',
  summary: 'Early help from the Inclusion team for your academy',
  prompt: 'request an inclusion visit',
  forRoles: ['senco', 'academy_leader'],
};
export const VISITS_OPEN_JOURNEY: Journey = {
  id: 'visits.open',
  title: 'Open visit requests',
  summary: 'Inclusion Support Visit requests waiting for triage or a visit',
  prompt: 'open visit requests',
  forRoles: ['inclusion_team', 'director_of_education'],
};

export interface VisitsBotDeps {
  visits: VisitService;
  questions: VisitQuestionService;
  profile: TrustProfile;
  ids: IdGenerator;
  notifier: Notifier;
}

const ONLY_ONE_TO_ONE: BotReply = {
  kind: 'text',
  text: 'Inclusion Support Visit requests hold details about pupils, so I only deal with them in our 1:1 chat. Open a chat with Development Hub and ask there.',
};

export function visitsBot(deps: VisitsBotDeps): { journeys: Journey[]; intents: Intent[]; actions: CardActionRoute[] } {
  const { visits, profile } = deps;
  const card = (c: AdaptiveCard): BotReply[] => [{ kind: 'card', card: c }];

  const showVisit = (visit: InclusionVisitRequest, triage: boolean, turn: TurnInfo, notice?: string, openQuestion?: VisitQuestion): AdaptiveCard =>
    visitCard(profile, visit, {
      triage,
      today: visits.today(),
      ...(notice ? { notice } : {}),
      ...(turn.speaker.id ? { refreshFor: [turn.speaker.id] } : {}),
      ...(openQuestion ? { openQuestion } : {}),
    });

  const intents: Intent[] = [
    {
      name: 'inclusion-visits.request',
      // The corrected text: the shared normaliser has already fixed "inclsuion vist".
      score: (message) => scoreRequestVisit(message.corrected),
      suggest: () => ({ title: VISITS_REQUEST_JOURNEY.title, prompt: VISITS_REQUEST_JOURNEY.prompt }),
      handle: async (turn) => {
        if (turn.conversation.scope !== 'personal') return [ONLY_ONE_TO_ONE];
        const form = await visits.requestForm(turn.speaker);
        if (!form.ok) return card(visitProblemCard(form));
        const { person, academies } = form.value;
        const preferred = academies.find((a) => a.id === person.sencoOfAcademyIds[0]) ?? academies.find((a) => a.id === person.academyId) ?? academies[0];
        return card(
          requestFormCard(profile, {
            academies,
            values: { academyId: academies.length === 1 || preferred ? (preferred?.id ?? '') : '', contact: person.email ?? '', urgency: 'routine' },
            submissionKey: deps.ids.newId(),
            today: visits.today(),
          }),
        );
      },
    },
    {
      name: 'inclusion-visits.mine',
      score: (message) => scoreMyVisits(message.corrected),
      suggest: () => ({ title: 'My visit requests', prompt: 'my visit requests' }),
      handle: async (turn) => {
        if (turn.conversation.scope !== 'personal') return [ONLY_ONE_TO_ONE];
        const mine = await visits.mine(turn.speaker);
        if (!mine.ok) return card(visitProblemCard(mine));
        return card(visitListCard(profile, { heading: 'My visit requests', subheading: 'Inclusion Support Visits you asked for', emptyText: 'You have not requested an Inclusion Support Visit yet. Type "request an inclusion visit" to ask for one.', visits: mine.value.visits }));
      },
    },
    {
      name: 'inclusion-visits.open',
      score: (message) => scoreOpenVisits(message.corrected),
      suggest: (message) => ({ title: VISITS_OPEN_JOURNEY.title, prompt: message.text }),
      handle: async (turn, message) => {
        const filters = openFiltersFrom(message.corrected, { hubs: profile.hubs, focusAreas: profile.inclusion.visitFocusAreas });
        const open = await visits.open(turn.speaker, filters);
        if (!open.ok) return card(visitProblemCard(open));
        const channel = profile.inclusion.triageChannel;
        const connected = await deps.notifier.canReachChannel({ teamId: channel.teamId, channelId: channel.channelId });
        const named = [filters.urgency, profile.hubs.find((h) => h.id === filters.hubId)?.name, profile.inclusion.visitFocusAreas.find((f) => f.id === filters.focusAreaId)?.label].filter(Boolean);
        return card(
          visitListCard(profile, {
            heading: 'Open visit requests',
            subheading: named.length ? `Filtered: ${named.join(', ')}` : 'Most urgent first, then oldest first',
            emptyText: 'No open visit requests match.',
            ...(connected ? {} : { warning: `Development Hub is not installed in the team of the "${channel.channelName}" channel, so new requests cannot be posted there. Add the app to that team; waiting requests are posted when it starts next.` }),
            visits: open.value.visits,
          }),
        );
      },
    },
  ];

  const triage = (parse: (data: unknown) => { visitId: string; version: number; input: TriageInput } | undefined) =>
    async (turn: TurnInfo, data: unknown): Promise<AdaptiveCard> => {
      const parsed = parse(data);
      if (!parsed) return invalidActionCard();
      const result = await visits.triage(turn.speaker, parsed.visitId, parsed.version, parsed.input);
      if (result.ok) return showVisit(result.value.visit, true, turn, changeNotice(result.value.visit));
      const current = result.details?.['visit'] as InclusionVisitRequest | undefined;
      if (current && (result.code === 'stale_card' || result.code === 'illegal_transition')) return showVisit(current, true, turn, result.message);
      if (result.code === 'invalid_request') {
        const now = await visits.view(turn.speaker, parsed.visitId);
        const problems = Object.values(fieldErrorsOf(result)).join(' ');
        if (now.ok) return showVisit(now.value.visit, true, turn, `Nothing was changed. ${problems}`);
      }
      return visitProblemCard(result);
    };

  const actions: CardActionRoute[] = [
    {
      verb: VISITS_SUBMIT_VERB,
      handle: async (turn, data) => {
        const parsed = submitDataSchema.safeParse(data);
        if (!parsed.success) return invalidActionCard();
        const result = await visits.submit(turn.speaker, parsed.data);
        const form = async (extra: { errors?: ReturnType<typeof fieldErrorsOf>; flaggedNames?: string[] }): Promise<AdaptiveCard> => {
          const view = await visits.requestForm(turn.speaker);
          if (!view.ok) return visitProblemCard(view);
          const { submissionKey, namesConfirmed: _confirmed, focusAreaIds, ...values } = parsed.data;
          return requestFormCard(profile, { academies: view.value.academies, values: { ...values, focusAreaIds: focusAreaIds.join(',') }, submissionKey, today: visits.today(), ...extra });
        };
        if (!result.ok) return result.code === 'invalid_request' ? form({ errors: fieldErrorsOf(result) }) : visitProblemCard(result);
        if (result.value.kind === 'names_flagged') return form({ flaggedNames: result.value.names });
        const { visit, created } = result.value;
        const notice = created
          ? `Sent. Your reference is ${visit.reference}. The Inclusion team will pick it up, and I will message you here whenever it changes.`
          : `You already sent this request (${visit.reference}), so nothing new was sent.`;
        return showVisit(visit, false, turn, notice);
      },
    },
    {
      verb: VISITS_ASSIGN_VERB,
      handle: triage((data) => {
        const p = assignDataSchema.safeParse(data);
        return p.success ? { visitId: p.data.visitId, version: p.data.version, input: { action: 'assign', assigneeName: p.data.assigneeName } } : undefined;
      }),
    },
    {
      verb: VISITS_SCHEDULE_VERB,
      handle: triage((data) => {
        const p = scheduleDataSchema.safeParse(data);
        return p.success ? { visitId: p.data.visitId, version: p.data.version, input: { action: 'schedule', scheduledDate: p.data.scheduledDate, scheduledTime: p.data.scheduledTime, scheduledWith: p.data.scheduledWith } } : undefined;
      }),
    },
    {
      verb: VISITS_DECLINE_VERB,
      handle: triage((data) => {
        const p = declineDataSchema.safeParse(data);
        return p.success ? { visitId: p.data.visitId, version: p.data.version, input: { action: 'decline', declineReason: p.data.declineReason } } : undefined;
      }),
    },
    {
      verb: VISITS_COMPLETE_VERB,
      handle: triage((data) => {
        const p = completeDataSchema.safeParse(data);
        return p.success ? { visitId: p.data.visitId, version: p.data.version, input: { action: 'complete', outcomeNotes: p.data.outcomeNotes, followUp: p.data.followUp, recommended: p.data.recommended } } : undefined;
      }),
    },
    {
      verb: VISITS_REFRESH_VERB,
      handle: async (turn, data) => {
        const parsed = refreshDataSchema.safeParse(data);
        if (!parsed.success) return invalidActionCard();
        // Every person's own view, checked here: the Inclusion team gets the triage buttons, the
        // requester a read-only card with the question waiting for them, anyone else "not found".
        const result = await visits.view(turn.speaker, parsed.data.visitId);
        if (!result.ok) return visitProblemCard(result);
        const { visit, viewer } = result.value;
        const openQuestion = viewer.aadObjectId === visit.requesterAadId ? await deps.questions.firstUnanswered(visit.id) : undefined;
        return showVisit(visit, can(viewer, 'visits.triage'), turn, undefined, openQuestion);
      },
    },
    ...visitQuestionActions({ questions: deps.questions, profile, showVisit, problemCard: visitProblemCard, invalidActionCard }),
  ];

  return { journeys: [VISITS_REQUEST_JOURNEY, VISITS_OPEN_JOURNEY], intents, actions };
}

/** What the requester and the channel are told about the latest change. */
export function changeNotice(visit: InclusionVisitRequest): string {
  switch (visit.status) {
    case 'submitted':
      return `${visit.reference} is waiting for the Inclusion team.`;
    case 'assigned':
      return `${visit.reference} is assigned to ${visit.assigneeName ?? 'the Inclusion team'}.`;
    case 'scheduled':
      return `${visit.reference} is scheduled for ${visit.scheduledDate ?? '?'} at ${visit.scheduledTime ?? '?'}.`;
    case 'completed':
      return `${visit.reference} is completed.`;
    case 'declined':
      return `${visit.reference} was declined.`;
  }
}

function invalidActionCard(): AdaptiveCard {
  return problemCard({
    code: 'invalid_action',
    title: 'That button did not work',
    message: 'The button did not carry a visit request Development Hub understands, so nothing was sent or changed.',
    nextStep: 'Type "my visit requests" or "open visit requests" and use the buttons on the new card.',
  });
}

const PROBLEMS: Record<VisitFailureCode, ProblemWording> = {
  invalid_request: { title: 'Some answers need changing', nextStep: 'Change the answers and press the button again.' },
  names_flagged: { title: 'The request may name someone', nextStep: 'Use initials and year group, then send again.' },
  not_allowed: { title: 'That is not something you can do here', nextStep: 'If you think you should be able to, ask your IT team to check your groups.' },
  not_found: { title: 'Visit request not found', nextStep: 'Type "my visit requests" to see your requests.' },
  illegal_transition: { title: 'That change is not possible now', nextStep: 'Open the request again to see what can be done next.' },
  stale_card: { title: 'This card was out of date', nextStep: 'Look at the request as it is now and try again if still needed.' },
  question_answered: { title: 'Already answered', nextStep: 'Type "my visit requests" to see your requests.' },
  person_not_in_directory: { title: 'Development Hub could not tell who you are', nextStep: 'Ask your IT team to check your account, then try again.' },
  directory_unavailable: { title: 'Please try again in a few minutes', nextStep: 'Nothing was sent or changed.' },
};

export const visitProblemCard = problemCardsFor(PROBLEMS);
