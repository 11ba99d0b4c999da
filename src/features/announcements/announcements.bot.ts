import type { AdaptiveCard, BotReply, CardActionRoute, Intent, Journey, NormalisedMessage, TurnInfo } from '../../shared/bot-contract.js';
import { cardVerb } from '../../shared/card-verb.js';
import { problemCard, problemCardsFor, type ProblemWording } from '../../shared/problem-card.js';
import type { Failure } from '../../shared/result.js';
import type { TrustProfile } from '../../trust/trust-profile.schema.js';
import { announcementCard, announcementListCard, formCard, formValues } from './announcements.cards.js';
import { describeAudience, fieldErrorsOf, type AnnouncementFailureCode } from './announcements.domain.js';
import type { Announcement } from './announcements.repository.js';
import {
  ANNOUNCEMENTS_CANCEL_VERB,
  ANNOUNCEMENTS_MUTE_VERB,
  ANNOUNCEMENTS_OPEN_VERB,
  ANNOUNCEMENTS_PREVIEW_VERB,
  ANNOUNCEMENTS_RECALL_VERB,
  ANNOUNCEMENTS_RSVP_VERB,
  ANNOUNCEMENTS_SAVE_VERB,
  ANNOUNCEMENTS_SEND_VERB,
  ANNOUNCEMENTS_STATUS_VERB,
  announcementRefSchema,
  formDataSchema,
  muteDataSchema,
  rsvpDataSchema,
  type AnnouncementFormData,
} from './announcements.schemas.js';
import type { AnnouncementService } from './announcements.service.js';
import { scoreMyAnnouncements, scoreNewAnnouncement, scoreRecentAnnouncements } from './announcement-intents.domain.js';
import type { FanOutService } from './fan-out.service.js';
import { capitalise } from '../../shared/text.js';

export const NEW_ANNOUNCEMENT_JOURNEY: Journey = {
  id: 'announcements.new',
  title: 'New announcement',
  summary: 'Post news to networks, HLCs, hubs, academies or roles',
  prompt: 'new announcement',
  forRoles: ['development_team'],
};

export interface AnnouncementsBotDeps {
  announcements: AnnouncementService;
  fanOut: FanOutService;
  profile: TrustProfile;
}

export function announcementsBot(deps: AnnouncementsBotDeps): { intents: Intent[]; actions: CardActionRoute[]; journeys: Journey[] } {
  const { announcements, fanOut, profile } = deps;
  const reply = (card: AdaptiveCard): BotReply[] => [{ kind: 'card', card }];

  const form = (draftId: string, version: number, values: Parameters<typeof formCard>[1]['values'], extra: { errors?: ReturnType<typeof fieldErrorsOf>; notice?: string } = {}): AdaptiveCard =>
    formCard(profile, { draftId, version, values, today: announcements.today(), ...extra });

  const valuesOf = (data: AnnouncementFormData): Parameters<typeof formCard>[1]['values'] => {
    const { draftId: _d, version: _v, communityIds, hubIds, academyIds, roles, ...rest } = data;
    return { ...rest, communityIds: communityIds.join(','), hubIds: hubIds.join(','), academyIds: academyIds.join(','), roles: roles.join(',') };
  };

  /** A form press that did not go through: the form again with the values, or the state it is in now. */
  const formProblem = async (data: AnnouncementFormData, failure: Failure<AnnouncementFailureCode>): Promise<AdaptiveCard> => {
    if (failure.code === 'invalid_announcement') return form(data.draftId, data.version, valuesOf(data), { errors: fieldErrorsOf(failure) });
    const current = failure.details?.['announcement'] as Announcement | undefined;
    if (current && failure.code === 'not_draft') return (await fanOut.statusCardOf(current.id, failure.message)) ?? announcementProblemCard(failure);
    if (current && failure.code === 'stale_card') return form(current.id, current.version, formValues(current), { notice: `${failure.message} Here is the saved draft.` });
    return announcementProblemCard(failure);
  };

  const formVerb = (verb: string, run: (turn: TurnInfo, data: AnnouncementFormData) => Promise<AdaptiveCard>): CardActionRoute => ({
    verb,
    handle: async (turn, data) => {
      const parsed = formDataSchema.safeParse(data);
      return parsed.success ? run(turn, parsed.data) : invalidActionCard();
    },
  });

  const statusOf = async (id: string, notice?: string): Promise<AdaptiveCard> =>
    (await fanOut.statusCardOf(id, notice)) ?? announcementProblemCard({ ok: false, code: 'not_found', message: 'That announcement no longer exists.' });

  const intents: Intent[] = [
    {
      name: 'announcements.new',
      score: (message) => scoreNewAnnouncement(message.words, message.text),
      suggest: () => ({ title: NEW_ANNOUNCEMENT_JOURNEY.title, prompt: NEW_ANNOUNCEMENT_JOURNEY.prompt }),
      handle: async (turn) => {
        const author = await announcements.author(turn.speaker);
        if (!author.ok) return reply(announcementProblemCard(author));
        if (turn.conversation.scope !== 'personal') return [{ kind: 'text', text: 'Write announcements in our 1:1 chat: the preview and the status of the send come to you there.' }];
        return reply(form(announcements.newDraftId(), 0, {}));
      },
    },
    {
      name: 'announcements.mine',
      score: (message) => scoreMyAnnouncements(message.words),
      suggest: () => ({ title: 'My announcements', prompt: 'my announcements' }),
      handle: async (turn) => {
        const mine = await announcements.mine(turn.speaker);
        if (!mine.ok) return received(turn);
        return reply(
          announcementListCard(
            'My announcements',
            mine.value.map((a) => ({
              id: a.id,
              title: a.title || '(no title yet)',
              line: `${a.status === 'draft' ? 'Draft' : capitalise(a.status)} · to ${describeAudience(profile, a.audience)}`,
              button: a.status === 'draft' ? 'Open draft' : 'Status',
              verb: a.status === 'draft' ? ANNOUNCEMENTS_OPEN_VERB : ANNOUNCEMENTS_STATUS_VERB,
            })),
            'No announcements yet.',
            [{ title: 'New announcement', prompt: 'new announcement' }],
          ),
        );
      },
    },
    {
      name: 'announcements.recent',
      score: (message: NormalisedMessage) => scoreRecentAnnouncements(message.words),
      suggest: () => ({ title: 'Latest announcements', prompt: 'latest announcements' }),
      handle: (turn) => received(turn),
    },
  ];

  async function received(turn: TurnInfo): Promise<BotReply[]> {
    const list = await announcements.received(turn.speaker);
    if (!list.ok) return reply(announcementProblemCard(list));
    if (list.value.length === 0) return [{ kind: 'text', text: `No announcements have come to you yet. News from the ${profile.trust.teamName} arrives here and in your networks' channels; type "networks" to join some.` }];
    return list.value.map((a) => ({ kind: 'card', card: announcementCard(profile, { id: a.id, authorName: a.authorName, content: a, copy: 'person' }) }));
  }

  const actions: CardActionRoute[] = [
    formVerb(ANNOUNCEMENTS_SAVE_VERB, async (turn, data) => {
      const saved = await announcements.save(turn.speaker, data);
      if (!saved.ok) return formProblem(data, saved);
      return form(saved.value.id, saved.value.version, valuesOf(data), { notice: 'Draft saved. Type "my announcements" to come back to it.' });
    }),
    formVerb(ANNOUNCEMENTS_PREVIEW_VERB, async (turn, data) => {
      const previewed = await announcements.preview(turn.speaker, data);
      if (!previewed.ok) return formProblem(data, previewed);
      const { announcement, delivered } = previewed.value;
      const notice = delivered ? 'Preview sent to you alone (the next message). Change anything here, then press Send.' : 'Saved, but the preview could not be delivered to your chat; the form is unchanged.';
      return form(announcement.id, announcement.version, valuesOf(data), { notice });
    }),
    formVerb(ANNOUNCEMENTS_SEND_VERB, async (turn, data) => {
      const sent = await announcements.send(turn.speaker, data);
      if (!sent.ok) return formProblem(data, sent);
      const notice = sent.value.sendAt ? 'Scheduled. It will be sent at the time below; you can cancel it until then.' : 'Sending now. A status card follows the send in this chat.';
      return statusOf(sent.value.id, notice);
    }),
    cardVerb({
      verb: ANNOUNCEMENTS_OPEN_VERB,
      schema: announcementRefSchema,
      invalid: invalidActionCard,
      call: (turn, data) => announcements.draft(turn.speaker, data.announcementId),
      render: (a) => form(a.id, a.version, formValues(a)),
      problem: announcementProblemCard,
    }),
    cardVerb({
      verb: ANNOUNCEMENTS_STATUS_VERB,
      schema: announcementRefSchema,
      invalid: invalidActionCard,
      call: (turn, data) => announcements.owned(turn.speaker, data.announcementId),
      render: ({ announcement }) => statusOf(announcement.id),
      problem: announcementProblemCard,
    }),
    cardVerb({
      verb: ANNOUNCEMENTS_CANCEL_VERB,
      schema: announcementRefSchema,
      invalid: invalidActionCard,
      call: (turn, data) => announcements.cancel(turn.speaker, data.announcementId),
      render: (a) => statusOf(a.id, 'Cancelled: nobody else will get it. Those who already have it keep it unless you recall it.'),
      problem: announcementProblemCard,
    }),
    cardVerb({
      verb: ANNOUNCEMENTS_RECALL_VERB,
      schema: announcementRefSchema,
      invalid: invalidActionCard,
      call: (turn, data) => announcements.recall(turn.speaker, data.announcementId),
      render: (a) => statusOf(a.id, 'Recalling: it is being deleted from every chat and channel it reached.'),
      problem: announcementProblemCard,
    }),
    cardVerb({
      verb: ANNOUNCEMENTS_RSVP_VERB,
      schema: rsvpDataSchema,
      invalid: invalidActionCard,
      call: (turn, data) => announcements.rsvp(turn.speaker, data.announcementId, data.answer),
      render: ({ announcement: a, counts }, turn, data) => {
        // In a channel the answered card replaces the card for everyone: show counts, not one person's answer.
        const personal = turn.conversation.scope === 'personal';
        return announcementCard(profile, {
          id: a.id,
          authorName: a.authorName,
          content: a,
          copy: personal ? 'person' : 'channel',
          rsvp: { ...counts, ...(personal ? { mine: data.answer } : {}) },
          ...(personal ? { notice: data.answer === 'going' ? 'Thanks: you are going. Change your mind here at any time.' : "Thanks: you can't go. Change your mind here at any time." } : {}),
        });
      },
      problem: announcementProblemCard,
    }),
    cardVerb({
      verb: ANNOUNCEMENTS_MUTE_VERB,
      schema: muteDataSchema,
      invalid: invalidActionCard,
      call: (turn, data) => announcements.mute(turn.speaker, data.announcementId, data.communityId, data.mute),
      render: async ({ announcement: a, person, muted }, _turn, data) => {
        const name = profile.communities.find((c) => c.id === data.communityId)?.name ?? 'that community';
        const rsvpMine = await announcements.rsvpOf(a.id, person.aadObjectId);
        return announcementCard(profile, {
          id: a.id,
          authorName: a.authorName,
          content: a,
          copy: 'person',
          muted,
          ...(rsvpMine ? { rsvp: { going: 0, notGoing: 0, mine: rsvpMine } } : {}),
          notice: data.mute ? `Muted: you will not get announcements for the ${name}. You stay a member.` : `Unmuted: announcements for the ${name} will reach you again.`,
        });
      },
      problem: announcementProblemCard,
    }),
  ];

  return { intents, actions, journeys: [NEW_ANNOUNCEMENT_JOURNEY] };
}


function invalidActionCard(): AdaptiveCard {
  return problemCard({
    code: 'invalid_action',
    title: 'That button did not work',
    message: 'The button did not carry an announcement Development Hub understands, so nothing was sent or changed.',
    nextStep: 'Type "my announcements" and use the buttons on the new card.',
  });
}

const PROBLEMS: Record<AnnouncementFailureCode, ProblemWording> = {
  invalid_announcement: { title: 'Some answers need changing', nextStep: 'Change them and press the button again.' },
  not_allowed: { title: 'Announcements come from the Development Team', nextStep: 'Send your news to the Development Team or your network leads.' },
  not_found: { title: 'Announcement not found', nextStep: 'Type "my announcements" to see yours.' },
  stale_card: { title: 'This card was out of date', nextStep: 'Type "my announcements" and open it again.' },
  not_draft: { title: 'Already sent', nextStep: 'Type "my announcements" to see its status.' },
  not_cancellable: { title: 'Nothing to cancel', nextStep: 'Press Recall to delete it where it was sent.' },
  not_recallable: { title: 'It cannot be recalled', nextStep: 'Type "my announcements" to see its status.' },
  person_not_in_directory: { title: 'Development Hub could not tell who you are', nextStep: 'Ask your IT team to check your account, then try again.' },
  directory_unavailable: { title: 'Please try again in a few minutes', nextStep: 'Nothing was sent or changed.' },
};

export const announcementProblemCard = problemCardsFor(PROBLEMS);
