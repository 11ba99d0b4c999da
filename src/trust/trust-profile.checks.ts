import type { FileProblem } from './describe-issue.js';
import { ACADEMY_ROLES, ROLES } from './roles.js';
import type { TrustProfile } from './trust-profile.schema.js';

/**
 * Rules a schema cannot express: ids that refer to other entries, ids that must be unique,
 * and a role mapping that covers every role. Returns the first problem, or null.
 */
export function findProfileProblem(profile: TrustProfile): FileProblem | null {
  return (
    uniqueIds(profile) ??
    academyHubs(profile) ??
    communityReferences(profile) ??
    roleStrandReferences(profile) ??
    termDates(profile) ??
    triageChannel(profile) ??
    roleCatalogue(profile) ??
    roleGroups(profile) ??
    uniqueGroupIds(profile)
  );
}

const list = (ids: readonly string[]): string => ids.join(', ');

function firstDuplicate(
  items: ReadonlyArray<{ id: string }>,
  path: PropertyKey[],
  what: string,
): FileProblem | null {
  const seen = new Map<string, number>();
  for (const [index, item] of items.entries()) {
    const earlier = seen.get(item.id);
    if (earlier !== undefined) {
      return { path: [...path, index, 'id'], problem: `"${item.id}" repeats the id of ${what}[${earlier}]` };
    }
    seen.set(item.id, index);
  }
  return null;
}

function uniqueIds(p: TrustProfile): FileProblem | null {
  return (
    firstDuplicate(p.hubs, ['hubs'], 'hubs') ??
    firstDuplicate(p.academies, ['academies'], 'academies') ??
    firstDuplicate(p.cpd.strands, ['cpd', 'strands'], 'cpd.strands') ??
    firstDuplicate(p.cpd.categories, ['cpd', 'categories'], 'cpd.categories') ??
    firstDuplicate(p.cpd.audiences, ['cpd', 'audiences'], 'cpd.audiences') ??
    firstDuplicate(p.terms, ['terms'], 'terms') ??
    firstDuplicate(p.communityKinds, ['communityKinds'], 'communityKinds') ??
    firstDuplicate(p.communities, ['communities'], 'communities') ??
    firstDuplicate(p.inclusion.visitFocusAreas, ['inclusion', 'visitFocusAreas'], 'inclusion.visitFocusAreas') ??
    firstDuplicate(p.bespokeSupport.types, ['bespokeSupport', 'types'], 'bespokeSupport.types')
  );
}

function academyHubs(p: TrustProfile): FileProblem | null {
  const hubs = p.hubs.map((h) => h.id);
  for (const [index, academy] of p.academies.entries()) {
    if (!hubs.includes(academy.hubId)) {
      return { path: ['academies', index, 'hubId'], problem: `"${academy.hubId}" is not one of the hubs (${list(hubs)})` };
    }
  }
  return null;
}

function roleStrandReferences(p: TrustProfile): FileProblem | null {
  const strands = p.cpd.strands.map((s) => s.id);
  for (const [role, strandIds] of Object.entries(p.cpd.roleStrands)) {
    for (const [i, strandId] of (strandIds ?? []).entries()) {
      if (!strands.includes(strandId)) {
        return { path: ['cpd', 'roleStrands', role, i], problem: `"${strandId}" is not one of the CPD strands (${list(strands)})` };
      }
    }
  }
  return null;
}

function communityReferences(p: TrustProfile): FileProblem | null {
  const strands = p.cpd.strands.map((s) => s.id);
  const audiences = p.cpd.audiences.map((a) => a.id);
  const hubs = p.hubs.map((h) => h.id);
  for (const [index, community] of p.communities.entries()) {
    for (const [i, strandId] of community.strandIds.entries()) {
      if (!strands.includes(strandId)) {
        return {
          path: ['communities', index, 'strandIds', i],
          problem: `"${strandId}" is not one of the CPD strands (${list(strands)})`,
        };
      }
    }
    for (const [i, audienceId] of community.audienceIds.entries()) {
      if (!audiences.includes(audienceId)) {
        return {
          path: ['communities', index, 'audienceIds', i],
          problem: `"${audienceId}" is not one of the CPD audiences (${list(audiences)})`,
        };
      }
    }
    if (community.hubId !== undefined && !hubs.includes(community.hubId)) {
      return { path: ['communities', index, 'hubId'], problem: `"${community.hubId}" is not one of the hubs (${list(hubs)})` };
    }
    const problem = communityShape(p, community);
    if (problem) return { path: ['communities', index, ...problem.path], problem: problem.problem };
  }
  return null;
}

/** A community's kind exists; a time-limited kind has dates in order; a channel is of its team's kind. */
function communityShape(p: TrustProfile, community: TrustProfile['communities'][number]): FileProblem | null {
  const kinds = p.communityKinds.map((k) => k.id);
  const kind = p.communityKinds.find((k) => k.id === community.kind);
  if (!kind) return { path: ['kind'], problem: `"${community.kind}" is not one of the community kinds (${list(kinds)})` };
  if (kind.timeLimited && (!community.starts || !community.ends)) {
    return { path: [community.starts ? 'ends' : 'starts'], problem: `a ${kind.label} is time-limited: give its starts and ends dates` };
  }
  if (community.starts && community.ends && community.ends < community.starts) {
    return { path: ['ends'], problem: `${community.ends} is before it starts (${community.starts})` };
  }
  if (community.channel && community.channel.teamId.split('@')[1] !== community.channel.channelId.split('@')[1]) {
    return { path: ['channel', 'channelId'], problem: `"${community.channel.channelId}" is not a channel of the same kind of team as "${community.channel.teamId}"` };
  }
  return null;
}

function termDates(p: TrustProfile): FileProblem | null {
  for (const [index, term] of p.terms.entries()) {
    if (term.ends < term.starts) {
      return { path: ['terms', index, 'ends'], problem: `${term.ends} is before the term starts (${term.starts})` };
    }
  }
  return null;
}

/** The channel must be of the same kind of team (new teams are @thread.tacv2, older ones @thread.skype); the General channel's id is the team id. */
function triageChannel(p: TrustProfile): FileProblem | null {
  const { teamId, channelId } = p.inclusion.triageChannel;
  if (teamId.split('@')[1] !== channelId.split('@')[1]) {
    return { path: ['inclusion', 'triageChannel', 'channelId'], problem: `"${channelId}" is not a channel of the same kind of team as "${teamId}"` };
  }
  return null;
}

function roleCatalogue(p: TrustProfile): FileProblem | null {
  const seen = new Set<string>();
  for (const [index, role] of p.roles.entries()) {
    if (seen.has(role.id)) return { path: ['roles', index, 'id'], problem: `"${role.id}" is listed twice` };
    seen.add(role.id);
  }
  const missing = ROLES.filter((r) => !seen.has(r));
  if (missing.length > 0) {
    return { path: ['roles'], problem: `must describe every role, but ${list(missing)} ${missing.length === 1 ? 'is' : 'are'} missing` };
  }
  return null;
}

function roleGroups(p: TrustProfile): FileProblem | null {
  for (const role of ROLES) {
    const mapping = p.roleGroups[role];
    if (mapping.groupIds.length === 0 && mapping.perAcademy === undefined) {
      return { path: ['roleGroups', role], problem: 'must name groupIds or perAcademy, otherwise nobody can hold this role' };
    }
    if ((ACADEMY_ROLES as readonly string[]).includes(role)) {
      if (mapping.perAcademy === undefined) {
        return {
          path: ['roleGroups', role, 'perAcademy'],
          problem: 'is missing: this role is held for a particular academy, so it must come from each academy\'s groups',
        };
      }
      if (mapping.groupIds.length > 0) {
        return {
          path: ['roleGroups', role, 'groupIds'],
          problem: 'must be empty: a trust-wide group cannot say which academy the role is for',
        };
      }
    }
  }
  return null;
}

/** One group, one meaning: otherwise a membership could not tell which academy or role it grants. */
function uniqueGroupIds(p: TrustProfile): FileProblem | null {
  const seen = new Map<string, string>();
  const claim = (groupId: string, path: PropertyKey[], where: string): FileProblem | null => {
    const key = groupId.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) return { path, problem: `"${groupId}" is already used by ${earlier}` };
    seen.set(key, where);
    return null;
  };
  for (const [index, academy] of p.academies.entries()) {
    for (const kind of ['staff', 'leaders', 'sencos'] as const) {
      const problem = claim(academy.groups[kind], ['academies', index, 'groups', kind], `academies[${index}].groups.${kind}`);
      if (problem) return problem;
    }
  }
  for (const role of ROLES) {
    for (const [i, groupId] of p.roleGroups[role].groupIds.entries()) {
      const problem = claim(groupId, ['roleGroups', role, 'groupIds', i], `roleGroups.${role}`);
      if (problem) return problem;
    }
  }
  return null;
}
