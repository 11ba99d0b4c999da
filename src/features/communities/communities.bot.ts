import type { AdaptiveCard, BotReply, CardActionRoute, Intent, Journey, NormalisedMessage, TurnInfo } from '../../shared/bot-contract.js';
import { cardVerb } from '../../shared/card-verb.js';
import type { Clock } from '../../shared/clock.js';
import { problemCard, problemCardsFor, type ProblemWording } from '../../shared/problem-card.js';
import type { Community, TrustProfile } from '../../trust/trust-profile.schema.js';
import type { PeopleService } from '../people/people.service.js';
import { communityListCard, joinRequestCard, membersCard, type CommunityListInput } from './communities.cards.js';
import type { CommunityFailureCode } from './communities.domain.js';
import {
  communityDataSchema,
  COMMUNITIES_APPROVE_VERB,
  COMMUNITIES_DECLINE_VERB,
  COMMUNITIES_JOIN_VERB,
  COMMUNITIES_LEAVE_VERB,
  COMMUNITIES_MEMBERS_CSV_VERB,
  COMMUNITIES_MEMBERS_VERB,
  requestDataSchema,
} from './communities.schemas.js';
import type { CommunityService, JoinOutcome, Standing } from './communities.service.js';
import { scoreCommunityMessage } from './community-intents.domain.js';
import type { CommunityMatcher, CommunityReading } from './community-match.domain.js';
import { capitalise } from '../../shared/text.js';

export const COMMUNITIES_JOURNEY: Journey = {
  id: 'communities.browse',
  title: 'Networks and HLCs',
  summary: 'Join a network, HLC, workhub or research team',
  prompt: 'networks',
};

export interface CommunitiesBotDeps {
  communities: CommunityService;
  matcher: CommunityMatcher;
  people: PeopleService;
  profile: TrustProfile;
  clock: Clock;
}

export function communitiesBot(deps: CommunitiesBotDeps): { intents: Intent[]; actions: CardActionRoute[]; journeys: Journey[] } {
  const { communities, matcher, profile } = deps;

  const leadNames = async (list: readonly Community[]): Promise<Map<string, string>> => {
    const ids = [...new Set(list.flatMap((c) => c.leads.map((l) => l.toLowerCase())))];
    const names = await Promise.all(ids.map(async (id) => [id, await deps.people.get(id)] as const));
    return new Map(names.flatMap(([id, r]) => (r.ok ? [[id, r.value.displayName] as [string, string]] : [])));
  };

  const list = async (standing: Standing, shown: readonly Community[], text: Omit<CommunityListInput, 'communities' | 'standing' | 'mayManage' | 'leadNames' | 'now' | 'today'>): Promise<AdaptiveCard> =>
    communityListCard(profile, {
      ...text,
      communities: shown,
      standing,
      mayManage: (c) => communities.mayManage(standing.person, c),
      leadNames: await leadNames(shown.slice(0, 8)),
      now: deps.clock.now(),
      today: communities.today(),
    });

  const kindsTitle = (reading: CommunityReading): string => {
    const kinds = profile.communityKinds.filter((k) => reading.kindIds.includes(k.id));
    return kinds.length > 0 ? kinds.map((k) => capitalise(k.plural)).join(' and ') : 'Networks, HLCs and other communities';
  };

  /** Communities a reading points at: by its words when it has some, else every one of the kinds named. */
  const chosen = (reading: CommunityReading): { matched: Community[]; byWords: boolean } => {
    if (reading.terms.length > 0) return { matched: matcher.find(reading).map((f) => f.community), byWords: true };
    const all = communities.all();
    return { matched: reading.kindIds.length > 0 ? all.filter((c) => reading.kindIds.includes(c.kind)) : [...all], byWords: false };
  };

  const answer = async (turn: TurnInfo, message: NormalisedMessage): Promise<BotReply[]> => {
    const standing = await communities.standing(turn.speaker);
    if (!standing.ok) return [card(communityProblemCard(standing))];
    const reading = matcher.read(message);
    const { matched, byWords } = chosen(reading);
    const topic = reading.terms.join(' ');
    if (reading.verb === 'mine') {
      const mine = communities.all().filter((c) => standing.value.memberOf.has(c.id) || standing.value.requested.has(c.id));
      // "My networks" is what most people call all of theirs: narrow by kind only when that leaves some.
      const ofKind = mine.filter((c) => reading.kindIds.includes(c.kind));
      const narrowed = ofKind.length > 0 && ofKind.length < mine.length;
      return [card(await list(standing.value, narrowed ? ofKind : mine, {
        heading: narrowed ? `My ${kindsTitle(reading).toLowerCase()}` : 'My networks and communities',
        emptyText: 'You have not joined any yet. Type "networks" or "HLCs" to see what there is, or "what is there for EYFS?".',
        footer: [{ title: 'All networks and HLCs', prompt: 'communities' }],
      }))];
    }
    if (reading.verb === 'join' || reading.verb === 'leave' || reading.verb === 'members') {
      const one = byWords ? matcher.single(matcher.find(reading)) : matched.length === 1 ? matched[0] : undefined;
      if (one && reading.verb === 'join') return [card(await joined(turn, one.id))];
      if (one && reading.verb === 'leave') return [card(await left(turn, one.id))];
      if (one && reading.verb === 'members') return [card(await members(turn, one.id, false))];
      const candidates = reading.verb === 'leave' ? matched.filter((c) => standing.value.memberOf.has(c.id)) : matched;
      return [card(await list(standing.value, candidates, {
        heading: reading.verb === 'leave' ? 'Which one do you want to leave?' : 'Which one do you mean?',
        subheading: byWords ? `Matching "${topic}"` : kindsTitle(reading),
        emptyText: reading.verb === 'leave' ? 'You are not a member of one that matches. Type "my networks" to see yours.' : `Nothing matches "${topic}". Type "networks" or "HLCs" to see them all.`,
      }))];
    }
    const forTopic = byWords && topic !== '';
    return [card(await list(standing.value, matched, {
      heading: forTopic ? `${kindsTitle(reading)} for "${topic}"` : kindsTitle(reading),
      subheading: forTopic ? '' : 'Press Join, or Ask to join where the leads decide.',
      emptyText: `No network, HLC or other community matches "${topic}". Type "networks" to see them all.`,
      footer: [
        { title: 'My networks', prompt: 'my networks' },
        ...(forTopic && !reading.mentionsCpd ? [{ title: `CPD for ${topic}`, prompt: `${topic} training` }] : []),
      ],
    }))];
  };

  const joinNotice: Record<JoinOutcome, (c: Community) => string> = {
    joined: (c) => `You joined the ${c.name}.`,
    already_member: (c) => `You are already a member of the ${c.name}.`,
    requested: (c) => `I have asked the leads of the ${c.name}; I will tell you here when they decide.`,
    already_requested: (c) => `You have already asked to join the ${c.name}; the leads have not decided yet.`,
  };

  async function joined(turn: TurnInfo, communityId: string): Promise<AdaptiveCard> {
    const result = await communities.join(turn.speaker, communityId);
    if (!result.ok) return communityProblemCard(result);
    const { community, outcome, standing } = result.value;
    return list(standing, [community], { heading: community.name, notice: joinNotice[outcome](community) });
  }

  async function left(turn: TurnInfo, communityId: string): Promise<AdaptiveCard> {
    const result = await communities.leave(turn.speaker, communityId);
    if (!result.ok) return communityProblemCard(result);
    const { community, standing } = result.value;
    return list(standing, [community], { heading: community.name, notice: `You left the ${community.name}. You can join again at any time.` });
  }

  async function members(turn: TurnInfo, communityId: string, asCsv: boolean): Promise<AdaptiveCard> {
    const result = await communities.members(turn.speaker, communityId);
    return result.ok ? membersCard(result.value.community, result.value.members, asCsv) : communityProblemCard(result);
  }

  const intents: Intent[] = [
    {
      name: 'communities.ask',
      score: (message) => scoreCommunityMessage(matcher, message),
      suggest: (message) => ({ title: COMMUNITIES_JOURNEY.title, prompt: message.text }),
      handle: answer,
    },
  ];

  const decide = (verb: string, decision: 'approved' | 'declined'): CardActionRoute =>
    cardVerb({
      verb,
      schema: requestDataSchema,
      invalid: invalidActionCard,
      call: (turn, data) => communities.decide(turn.speaker, data.requestId, decision),
      render: ({ request, community, decidedNow }) => {
        const word = request.status === 'approved' ? 'approved' : 'declined';
        const outcome = decidedNow
          ? `You ${word} the request. ${request.displayName} will be told.`
          : `This request was already ${word}${request.status === decision ? '' : ' by another lead'}, so nothing changed.`;
        return joinRequestCard(profile, community, request, outcome);
      },
      problem: communityProblemCard,
    });

  const actions: CardActionRoute[] = [
    { verb: COMMUNITIES_JOIN_VERB, handle: async (turn, data) => withCommunity(data, (id) => joined(turn, id)) },
    { verb: COMMUNITIES_LEAVE_VERB, handle: async (turn, data) => withCommunity(data, (id) => left(turn, id)) },
    { verb: COMMUNITIES_MEMBERS_VERB, handle: async (turn, data) => withCommunity(data, (id) => members(turn, id, false)) },
    { verb: COMMUNITIES_MEMBERS_CSV_VERB, handle: async (turn, data) => withCommunity(data, (id) => members(turn, id, true)) },
    decide(COMMUNITIES_APPROVE_VERB, 'approved'),
    decide(COMMUNITIES_DECLINE_VERB, 'declined'),
  ];

  return { intents, actions, journeys: [COMMUNITIES_JOURNEY] };
}

async function withCommunity(data: unknown, run: (communityId: string) => Promise<AdaptiveCard>): Promise<AdaptiveCard> {
  const parsed = communityDataSchema.safeParse(data);
  return parsed.success ? run(parsed.data.communityId) : invalidActionCard();
}

const card = (c: AdaptiveCard): BotReply => ({ kind: 'card', card: c });


function invalidActionCard(): AdaptiveCard {
  return problemCard({
    code: 'invalid_action',
    title: 'That button did not work',
    message: 'The button did not carry a community Development Hub understands, so nothing was changed.',
    nextStep: 'Type "networks" or "my networks" and use the buttons on the new card.',
  });
}

const PROBLEMS: Record<CommunityFailureCode, ProblemWording> = {
  not_found: { title: 'Community not found', nextStep: 'Type "networks" or "HLCs" to see what there is.' },
  not_allowed: { title: 'That is not something you can do here', nextStep: 'Ask the Development Team if you think you should be able to.' },
  community_ended: { title: 'That community has finished', nextStep: 'Type "networks" to see the ones running now.' },
  not_a_member: { title: 'You are not a member', nextStep: 'Type "my networks" to see the communities you belong to.' },
  request_decided: { title: 'Already decided', nextStep: 'Nothing more to do.' },
  person_not_in_directory: { title: 'Development Hub could not tell who you are', nextStep: 'Ask your IT team to check your account, then try again.' },
  directory_unavailable: { title: 'Please try again in a few minutes', nextStep: 'Nothing was changed.' },
};

export const communityProblemCard = problemCardsFor(PROBLEMS);
