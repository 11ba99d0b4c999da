import { ROLES, type AcademyGroupKind, type Role } from '../../trust/roles.js';
import type { RosterPerson } from '../../trust/sample-roster.js';
import type { TrustProfile } from '../../trust/trust-profile.schema.js';

export type { Role } from '../../trust/roles.js';
export { ROLES } from '../../trust/roles.js';

/** Someone using the app, as the directory (or the local sample roster) describes them. */
export interface Person {
  aadObjectId: string;
  displayName: string;
  email?: string;
  /** The academy they work at (their first, in profile order); null for central staff. */
  academyId: string | null;
  /** Always includes 'staff'; ordered as ROLES. */
  roles: Role[];
  leaderOfAcademyIds: string[];
  sencoOfAcademyIds: string[];
  /** Where this came from: Microsoft Graph, the sample roster, or the roster's default for strangers. */
  source: 'directory' | 'sample_roster' | 'sample_default';
}

export const hasRole = (person: Person, role: Role): boolean => person.roles.includes(role);

function orderedRoles(roles: Iterable<Role>): Role[] {
  const held = new Set<Role>(roles);
  held.add('staff');
  return ROLES.filter((r) => held.has(r));
}

/** Which roles and academies each Entra ID group grants, built once from the trust profile. */
export interface RoleGroupIndex {
  trustGroups: ReadonlyMap<string, readonly Role[]>;
  academyGroups: ReadonlyMap<string, { academyId: string; kind: AcademyGroupKind }>;
  rolesByAcademyGroupKind: ReadonlyMap<AcademyGroupKind, readonly Role[]>;
  academyOrder: readonly string[];
}

export function roleGroupIndex(profile: Pick<TrustProfile, 'academies' | 'roleGroups'>): RoleGroupIndex {
  const trustGroups = new Map<string, Role[]>();
  const rolesByAcademyGroupKind = new Map<AcademyGroupKind, Role[]>();
  for (const role of ROLES) {
    const mapping = profile.roleGroups[role];
    for (const groupId of mapping.groupIds) {
      const key = groupId.toLowerCase();
      trustGroups.set(key, [...(trustGroups.get(key) ?? []), role]);
    }
    if (mapping.perAcademy) {
      rolesByAcademyGroupKind.set(mapping.perAcademy, [...(rolesByAcademyGroupKind.get(mapping.perAcademy) ?? []), role]);
    }
  }
  const academyGroups = new Map<string, { academyId: string; kind: AcademyGroupKind }>();
  for (const academy of profile.academies) {
    for (const kind of ['staff', 'leaders', 'sencos'] as const) {
      academyGroups.set(academy.groups[kind].toLowerCase(), { academyId: academy.id, kind });
    }
  }
  return { trustGroups, academyGroups, rolesByAcademyGroupKind, academyOrder: profile.academies.map((a) => a.id) };
}

export interface DirectoryUser {
  id: string;
  displayName: string;
  email?: string;
}

/**
 * A person from their directory entry and the ids of every group they belong to, directly or
 * through nested groups (Graph transitiveMemberOf). Groups the profile does not mention are ignored.
 */
export function personFromDirectory(index: RoleGroupIndex, user: DirectoryUser, groupIds: readonly string[]): Person {
  const roles = new Set<Role>();
  const academiesByRole = new Map<Role, Set<string>>();
  for (const raw of groupIds) {
    const groupId = raw.toLowerCase();
    for (const role of index.trustGroups.get(groupId) ?? []) roles.add(role);
    const academyGroup = index.academyGroups.get(groupId);
    if (!academyGroup) continue;
    for (const role of index.rolesByAcademyGroupKind.get(academyGroup.kind) ?? []) {
      roles.add(role);
      const set = academiesByRole.get(role) ?? new Set<string>();
      set.add(academyGroup.academyId);
      academiesByRole.set(role, set);
    }
  }
  // Profile order, not membership order, so the same memberships always give the same person.
  const academiesFor = (role: Role): string[] => index.academyOrder.filter((id) => academiesByRole.get(role)?.has(id));
  const leaderOf = academiesFor('academy_leader');
  const sencoOf = academiesFor('senco');
  const staffOf = academiesFor('staff');
  return {
    aadObjectId: user.id,
    displayName: user.displayName,
    ...(user.email ? { email: user.email } : {}),
    academyId: staffOf[0] ?? leaderOf[0] ?? sencoOf[0] ?? null,
    roles: orderedRoles(roles),
    leaderOfAcademyIds: leaderOf,
    sencoOfAcademyIds: sencoOf,
    source: 'directory',
  };
}

export function personFromRoster(entry: RosterPerson): Person {
  const own = entry.academyId === null ? [] : [entry.academyId];
  return {
    aadObjectId: entry.aadObjectId,
    displayName: entry.displayName,
    ...(entry.email ? { email: entry.email } : {}),
    academyId: entry.academyId,
    roles: orderedRoles(entry.roles),
    leaderOfAcademyIds: entry.roles.includes('academy_leader') ? (entry.leaderOfAcademyIds ?? own) : [],
    sencoOfAcademyIds: entry.roles.includes('senco') ? (entry.sencoOfAcademyIds ?? own) : [],
    source: 'sample_roster',
  };
}

/** Local mode: someone the sample roster does not list is ordinary staff of the roster's default academy. */
export function ordinaryStaff(aadObjectId: string, displayName: string, academyId: string): Person {
  return {
    aadObjectId,
    displayName,
    academyId,
    roles: ['staff'],
    leaderOfAcademyIds: [],
    sencoOfAcademyIds: [],
    source: 'sample_default',
  };
}

/**
 * Everything a feature may ask permission for. Add an action here and TypeScript makes you
 * decide it in `decide()` below (the switch is exhaustive and lint-checked).
 */
export const ACTIONS = [
  'cpd.book',
  'cpd.cancel_own',
  'cpd.manage_bookings',
  'cpd.manage_catalogue',
  'cpd.view_attendees',
  'communities.join',
  'communities.manage',
  'resources.search',
  'visits.request',
  'visits.triage',
  'visits.view',
  'visits.list_open',
  'announcements.post',
  'commissions.view',
  'commissions.raise',
  'commissions.manage',
  'people.act_as',
  'admin.view_audit_log',
  'admin.manage_settings',
] as const;

export type Action = (typeof ACTIONS)[number];

/** What each action is about; `undefined` means the action needs no resource. */
export interface ActionResources {
  'cpd.book': undefined;
  'cpd.cancel_own': { ownerAadObjectId: string };
  'cpd.manage_bookings': undefined;
  'cpd.manage_catalogue': undefined;
  /** academyId: whose attendees (null: every academy's). */
  'cpd.view_attendees': { academyId: string | null };
  'communities.join': undefined;
  'communities.manage': undefined;
  'resources.search': undefined;
  'visits.request': { academyId: string };
  'visits.triage': undefined;
  'visits.view': { academyId: string; requestedByAadObjectId: string };
  /** Every academy's open requests, read-only unless the person may also triage. */
  'visits.list_open': undefined;
  'announcements.post': undefined;
  'commissions.view': { academyId: string };
  'commissions.raise': { academyId: string };
  'commissions.manage': undefined;
  /** Acting as someone else is a local-mode convenience: only with the sample directory. */
  'people.act_as': { directory: 'sample' | 'graph' };
  'admin.view_audit_log': undefined;
  'admin.manage_settings': undefined;
}

export type ResourceFor<A extends Action> = ActionResources[A];
type ResourceArgs<A extends Action> = ActionResources[A] extends undefined ? [] : [resource: ActionResources[A]];
type PermissionRequest = { [A in Action]: { action: A; resource: ActionResources[A] } }[Action];

/**
 * The one place that decides who may do what. Every feature asks here, e.g.
 * `can(person, 'visits.request', { academyId })`, and turns `false` into a `not_allowed` failure.
 */
export function can<A extends Action>(person: Person, action: A, ...resource: ResourceArgs<A>): boolean {
  return decide(person, { action, resource: resource[0] } as PermissionRequest);
}

const leads = (p: Person, academyId: string): boolean => p.leaderOfAcademyIds.includes(academyId);
const isSencoOf = (p: Person, academyId: string): boolean => p.sencoOfAcademyIds.includes(academyId);
const anyOf = (p: Person, ...roles: Role[]): boolean => roles.some((r) => p.roles.includes(r));

function decide(p: Person, request: PermissionRequest): boolean {
  switch (request.action) {
    // Every person holds 'staff': the whole workforce can learn, join and search.
    case 'cpd.book':
    case 'communities.join':
    case 'resources.search':
      return true;
    case 'cpd.cancel_own':
      return request.resource.ownerAadObjectId === p.aadObjectId;
    case 'cpd.manage_bookings':
    case 'cpd.manage_catalogue':
      return anyOf(p, 'development_team', 'admin');
    case 'cpd.view_attendees': {
      if (anyOf(p, 'development_team', 'director_of_education', 'admin')) return true;
      const academyId = request.resource.academyId;
      return academyId !== null && leads(p, academyId);
    }
    case 'communities.manage':
      return anyOf(p, 'development_team', 'inclusion_team', 'admin');
    case 'visits.request':
      return isSencoOf(p, request.resource.academyId) || leads(p, request.resource.academyId);
    // A visit request holds context about pupils with SEND: only the Inclusion team triages it, and
    // only the requester, the academy's leaders, the Inclusion team and the Director of Education
    // see it. Administrators and the academy's other SENCOs do not.
    case 'visits.triage':
      return anyOf(p, 'inclusion_team');
    case 'visits.view': {
      const { academyId, requestedByAadObjectId } = request.resource;
      return anyOf(p, 'inclusion_team', 'director_of_education') || requestedByAadObjectId === p.aadObjectId || leads(p, academyId);
    }
    case 'visits.list_open':
      return anyOf(p, 'inclusion_team', 'director_of_education');
    // The issue is plain: announcements are the Development Team's voice, nobody else's.
    case 'announcements.post':
      return anyOf(p, 'development_team');
    case 'commissions.view':
    case 'commissions.raise':
      return anyOf(p, 'director_of_education', 'admin') || leads(p, request.resource.academyId);
    case 'commissions.manage':
      return anyOf(p, 'director_of_education', 'admin');
    case 'people.act_as':
      return request.resource.directory === 'sample';
    case 'admin.view_audit_log':
    case 'admin.manage_settings':
      return anyOf(p, 'admin');
  }
}
