import type { AdaptiveCard } from '../../shared/bot-contract.js';
import { promptAction, renderCard } from '../../shared/cards.js';
import type { Community, TrustProfile } from '../../trust/trust-profile.schema.js';
import { audienceLabel, hasEnded, membersCsv, nextMeeting } from './communities.domain.js';
import type { CommunityMember, JoinRequest } from './communities.repository.js';
import {
  COMMUNITIES_APPROVE_VERB,
  COMMUNITIES_DECLINE_VERB,
  COMMUNITIES_JOIN_VERB,
  COMMUNITIES_LEAVE_VERB,
  COMMUNITIES_MEMBERS_CSV_VERB,
  COMMUNITIES_MEMBERS_VERB,
} from './communities.schemas.js';
import type { Standing } from './communities.service.js';
import listTemplate from './cards/community-list.json' with { type: 'json' };
import requestTemplate from './cards/join-request.json' with { type: 'json' };
import membersTemplate from './cards/members.json' with { type: 'json' };
import { capitalise } from '../../shared/text.js';

/** A card lists at most this many communities, so it stays well inside Teams' 28 KB. */
export const MAX_LISTED = 8;
/** The member table shows this many rows; the CSV holds everyone up to the card budget. */
const MAX_MEMBER_ROWS = 60;
const CSV_BUDGET = 20_000;

export interface CommunityListInput {
  heading: string;
  subheading?: string;
  notice?: string;
  emptyText?: string;
  communities: readonly Community[];
  standing: Standing;
  mayManage(community: Community): boolean;
  leadNames: ReadonlyMap<string, string>;
  now: Date;
  today: string;
  /** Buttons under the list that send a prompt ("My networks", "CPD for EYFS"). */
  footer?: ReadonlyArray<{ title: string; prompt: string }>;
}

export function communityListCard(profile: TrustProfile, input: CommunityListInput): AdaptiveCard {
  const listed = input.communities.slice(0, MAX_LISTED);
  const more = input.communities.length - listed.length;
  const items = listed.map((c) => {
    const kind = profile.communityKinds.find((k) => k.id === c.kind);
    const member = input.standing.memberOf.has(c.id);
    const requested = input.standing.requested.has(c.id);
    const ended = hasEnded(c, input.today);
    const next = ended ? undefined : nextMeeting(c, input.now, profile.trust.timeZone);
    return {
      id: c.id,
      name: c.name,
      kindLine: `${capitalise(kind?.label ?? c.kind)} · ${c.joining === 'open' ? 'open to join' : 'join by request'}${c.sample ? ' · sample' : ''}`,
      summary: c.summary,
      forLine: audienceLabel(profile, c) + (c.phases.length > 0 ? ` (${c.phases.join(', ').replaceAll('_', ' ')})` : ''),
      leadLine: c.leads.map((id) => input.leadNames.get(id.toLowerCase()) ?? 'a member of the Development Team').join(', ') || `The ${profile.trust.teamName}`,
      meetsLine: c.meets?.summary ?? 'Dates are shared by its leads',
      nextLine: ended ? 'It has finished' : next ? `${next.label} · ${next.place}` : 'Not set yet',
      runsLine: c.starts && c.ends ? `${c.starts} to ${c.ends}` : '',
      channelLine: c.channel ? c.channel.channelName : '',
      standingLine: member ? 'You are a member.' : requested ? 'You asked to join: the leads will decide and I will tell you.' : ended ? 'This one has finished.' : '',
      canJoin: !member && !ended && c.joining === 'open',
      canAsk: !member && !requested && !ended && c.joining === 'by_request',
      canLeave: member,
      canSeeMembers: input.mayManage(c),
    };
  });
  return renderCard(listTemplate, {
    heading: input.heading,
    subheading: [input.subheading ?? '', more > 0 ? `Showing ${listed.length} of ${input.communities.length}: name a topic to narrow it down.` : ''].filter(Boolean).join(' '),
    notice: input.notice ?? '',
    emptyText: items.length === 0 ? (input.emptyText ?? 'Nothing matches.') : '',
    items,
    footer: (input.footer ?? []).map((f) => promptAction(f.title, f.prompt)),
    joinVerb: COMMUNITIES_JOIN_VERB,
    leaveVerb: COMMUNITIES_LEAVE_VERB,
    membersVerb: COMMUNITIES_MEMBERS_VERB,
  });
}

export function joinRequestCard(profile: TrustProfile, community: Community, request: JoinRequest, outcome = ''): AdaptiveCard {
  return renderCard(requestTemplate, {
    communityName: community.name,
    kindLabel: profile.communityKinds.find((k) => k.id === community.kind)?.label ?? 'community',
    requesterName: request.displayName,
    requestId: request.id,
    pending: request.status === 'pending',
    outcome,
    approveVerb: COMMUNITIES_APPROVE_VERB,
    declineVerb: COMMUNITIES_DECLINE_VERB,
  });
}

export function membersCard(community: Community, members: readonly CommunityMember[], asCsv: boolean): AdaptiveCard {
  let csv = asCsv ? membersCsv(community, members) : '';
  let moreLine = !asCsv && members.length > MAX_MEMBER_ROWS ? `And ${members.length - MAX_MEMBER_ROWS} more: press "Members as CSV" for everyone.` : '';
  if (csv.length > CSV_BUDGET) {
    // Cut at a whole line so the CSV stays valid, and say so.
    csv = csv.slice(0, csv.lastIndexOf('\r\n', CSV_BUDGET));
    moreLine = 'The list is longer than a Teams card can hold: these are the first members alphabetically.';
  }
  return renderCard(membersTemplate, {
    communityName: community.name,
    communityId: community.id,
    countLine: members.length === 0 ? 'Nobody has joined yet.' : `${members.length} ${members.length === 1 ? 'member' : 'members'}`,
    members: asCsv ? [] : members.slice(0, MAX_MEMBER_ROWS).map((m) => ({ name: m.displayName, joined: m.joinedAt.toISOString().slice(0, 10) })),
    csv,
    moreLine,
    csvVerb: COMMUNITIES_MEMBERS_CSV_VERB,
    membersVerb: COMMUNITIES_MEMBERS_VERB,
  });
}

