import type { Speaker } from '../../shared/bot-contract.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { fail, ok, type Result } from '../../shared/result.js';
import type { SampleRoster } from '../../trust/sample-roster.js';
import type { TrustProfile } from '../../trust/trust-profile.schema.js';
import {
  hasRole,
  ordinaryStaff,
  personFromDirectory,
  personFromRoster,
  roleGroupIndex,
  type DirectoryUser,
  type Person,
  type Role,
} from './people.domain.js';
import type { CachedDirectoryEntry, PeopleRepository } from './people.repository.js';

export type PeopleFailureCode = 'person_not_in_directory' | 'directory_unavailable';

/** Who someone is and what they hold, for every feature's `can()` checks. */
export interface PeopleService {
  readonly directory: 'graph' | 'sample';
  /** The person speaking in a Teams turn. */
  resolve(speaker: Speaker): Promise<Result<Person, PeopleFailureCode>>;
  /** Anyone by Entra ID object id (e.g. the person to notify when a waitlist place frees up). */
  get(aadObjectId: string): Promise<Result<Person, PeopleFailureCode>>;
  /**
   * Everyone holding a role (the trust admins to tell about a missing channel, the Inclusion team
   * whose cards refresh for them), at most `limit`, each once. Trust-wide roles and per-academy ones alike.
   */
  listByRole(role: Role, limit?: number): Promise<Result<PersonSummary[], 'directory_unavailable'>>;
  /** Everyone who works at these academies (their staff groups), at most `limit`, each once: an announcement's audience. */
  listByAcademies(academyIds: readonly string[], limit?: number): Promise<Result<PersonSummary[], 'directory_unavailable'>>;
}

/** Who holds a role: enough to message them or find their Teams id, not a full Person. */
export interface PersonSummary {
  aadObjectId: string;
  displayName: string;
}

/** The port Graph fills: null for an unknown user or group; throws when the directory cannot answer. */
export interface PeopleDirectory {
  findPerson(aadObjectId: string): Promise<{ user: DirectoryUser; groupIds: string[] } | null>;
  /** Users in a group, through nested groups. */
  groupMembers(groupId: string): Promise<Array<{ id: string; displayName: string }> | null>;
}

/** The groups that grant a role: its trust-wide groups, and each academy's group of its kind. */
export function groupsGranting(profile: Pick<TrustProfile, 'academies' | 'roleGroups'>, role: Role): string[] {
  const mapping = profile.roleGroups[role];
  const perAcademy = mapping.perAcademy;
  return [...new Set([...mapping.groupIds, ...(perAcademy ? profile.academies.map((a) => a.groups[perAcademy]) : [])].map((id) => id.toLowerCase()))];
}

const DEFAULT_LIST_LIMIT = 200;

const unidentified = () =>
  fail(
    'person_not_in_directory',
    'Teams did not say who you are (no Entra ID object id), so Development Hub cannot look you up.',
  );

/** Local mode: people come from the sample roster; strangers are ordinary staff of its default academy. */
export function createSamplePeopleService(roster: SampleRoster): PeopleService {
  const listed = new Map(roster.people.map((entry) => [entry.aadObjectId.toLowerCase(), personFromRoster(entry)]));
  // Names Teams gave us for people the roster does not list, so get() can use them later.
  const seenNames = new Map<string, string>();
  const lookup = (aadObjectId: string, name: string | undefined): Person =>
    listed.get(aadObjectId.toLowerCase()) ??
    ordinaryStaff(aadObjectId, name ?? seenNames.get(aadObjectId) ?? 'Staff member', roster.unknownPeople.academyId);
  return {
    directory: 'sample',
    resolve(speaker) {
      if (!speaker.aadObjectId) return Promise.resolve(unidentified());
      if (speaker.name) seenNames.set(speaker.aadObjectId, speaker.name);
      return Promise.resolve(ok(lookup(speaker.aadObjectId, speaker.name || undefined)));
    },
    get(aadObjectId) {
      return Promise.resolve(ok(lookup(aadObjectId, undefined)));
    },
    listByRole(role, limit = DEFAULT_LIST_LIMIT) {
      const holders = [...listed.values()].filter((p) => hasRole(p, role)).slice(0, limit);
      return Promise.resolve(ok(holders.map((p) => ({ aadObjectId: p.aadObjectId, displayName: p.displayName }))));
    },
    listByAcademies(academyIds, limit = DEFAULT_LIST_LIMIT) {
      const wanted = new Set(academyIds);
      const staff = [...listed.values()].filter((p) => p.academyId !== null && wanted.has(p.academyId)).slice(0, limit);
      return Promise.resolve(ok(staff.map((p) => ({ aadObjectId: p.aadObjectId, displayName: p.displayName }))));
    },
  };
}

export interface DirectoryPeopleServiceDeps {
  profile: Pick<TrustProfile, 'academies' | 'roleGroups'>;
  directory: PeopleDirectory;
  repository: PeopleRepository;
  clock: Clock;
  cacheMinutes: number;
  logger: Logger;
}

/**
 * Graph mode: the directory entry and transitive group memberships, cached in the database for
 * `cacheMinutes`. When Graph cannot answer, a cached entry of any age is better than refusing
 * someone the app; with nothing cached the caller gets `directory_unavailable`.
 */
export function createDirectoryPeopleService(deps: DirectoryPeopleServiceDeps): PeopleService {
  const index = roleGroupIndex(deps.profile);
  const maxAgeMs = deps.cacheMinutes * 60_000;
  const toPerson = (entry: CachedDirectoryEntry): Person =>
    personFromDirectory(
      index,
      { id: entry.aadObjectId, displayName: entry.displayName, ...(entry.email ? { email: entry.email } : {}) },
      entry.groupIds,
    );

  async function get(aadObjectId: string): Promise<Result<Person, PeopleFailureCode>> {
    const cached = await deps.repository.findCached(aadObjectId);
    const now = deps.clock.now();
    if (cached && now.getTime() - cached.fetchedAt.getTime() < maxAgeMs) return ok(toPerson(cached));

    let found: Awaited<ReturnType<PeopleDirectory['findPerson']>>;
    try {
      found = await deps.directory.findPerson(aadObjectId);
    } catch (error) {
      if (cached) {
        deps.logger.warn(
          { err: error, aadObjectId, cachedAt: cached.fetchedAt.toISOString() },
          'People directory unavailable: using the cached entry past its expiry',
        );
        return ok(toPerson(cached));
      }
      deps.logger.error({ err: error, aadObjectId }, 'People directory unavailable and nothing cached');
      return fail(
        'directory_unavailable',
        'The staff directory (Microsoft Graph) cannot be reached just now, so Development Hub cannot tell who you are. Please try again in a few minutes.',
      );
    }

    if (!found) {
      if (cached) await deps.repository.forget(aadObjectId);
      return fail(
        'person_not_in_directory',
        'Your account is not in the trust\'s staff directory, so Development Hub cannot tell which academy and roles you have. Ask your IT team to check your account.',
      );
    }
    const entry: CachedDirectoryEntry = {
      aadObjectId,
      displayName: found.user.displayName,
      email: found.user.email ?? null,
      groupIds: [...new Set(found.groupIds.map((id) => id.toLowerCase()))],
      fetchedAt: now,
    };
    await deps.repository.saveCached(entry);
    return ok(toPerson(entry));
  }

  async function membersOf(groupIds: readonly string[], limit: number, logContext: Record<string, unknown>): Promise<Result<PersonSummary[], 'directory_unavailable'>> {
    const found = new Map<string, PersonSummary>();
    try {
      for (const groupId of groupIds) {
        // An unknown group grants nobody; the profile check at start-up is where a typo is caught.
        for (const member of (await deps.directory.groupMembers(groupId)) ?? []) {
          const aadObjectId = member.id.toLowerCase();
          if (!found.has(aadObjectId)) found.set(aadObjectId, { aadObjectId, displayName: member.displayName });
          if (found.size >= limit) return ok([...found.values()]);
        }
      }
    } catch (error) {
      deps.logger.error({ err: error, ...logContext }, 'People directory unavailable: cannot list group members');
      return fail('directory_unavailable', 'The staff directory (Microsoft Graph) cannot be reached just now.');
    }
    return ok([...found.values()]);
  }

  return {
    directory: 'graph',
    resolve(speaker) {
      if (!speaker.aadObjectId) return Promise.resolve(unidentified());
      return get(speaker.aadObjectId);
    },
    get,
    listByRole(role, limit = DEFAULT_LIST_LIMIT) {
      return membersOf(groupsGranting(deps.profile, role), limit, { role });
    },
    listByAcademies(academyIds, limit = DEFAULT_LIST_LIMIT) {
      const groups = deps.profile.academies.filter((a) => academyIds.includes(a.id)).map((a) => a.groups.staff.toLowerCase());
      return membersOf(groups, limit, { academies: academyIds.length });
    },
  };
}
