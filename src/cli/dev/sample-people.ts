import { displayPath, loadTrustProfile, sampleRosterPath, TrustDataError, type TrustProfile } from '../../trust/load-trust-profile.js';
import { ROLES } from '../../trust/roles.js';
import { loadRoster, type RosterPerson } from '../../trust/sample-roster.js';

/** Someone the Agents Playground can sign in as: a sample roster person with a short key to type. */
export interface SamplePerson {
  /** What to type after --as: the first name in lower case (the full name when first names repeat). */
  key: string;
  aadObjectId: string;
  displayName: string;
  email: string;
  roles: readonly string[];
  /** "SENCO, Brookside Primary Academy": who they are, in the trust's words. */
  description: string;
  hint: string | undefined;
  /** False for the stand-in used when the trust profile has no sample roster. */
  inRoster: boolean;
}

export interface SamplePeople {
  trustId: string;
  trustName: string;
  trustShortName: string;
  people: SamplePerson[];
  /** Why there is nobody to choose from, when the profile names no roster. */
  missingRosterReason: string | undefined;
}

const slugify = (value: string): string =>
  value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

/**
 * Reads the trust profile the app will run with and the sample roster it names, lazily: only
 * `npm run dev` needs them here. Throws TrustDataError (one sentence naming file and field) when
 * either is wrong; a profile without a roster is allowed and yields `missingRosterReason`.
 */
export function loadSamplePeople(trustProfilePath: string): SamplePeople {
  const profile = loadTrustProfile(trustProfilePath);
  const rosterFile = sampleRosterPath(trustProfilePath, profile);
  if (rosterFile === undefined) {
    return {
      trustId: profile.trust.id,
      trustName: profile.trust.name,
      trustShortName: profile.trust.shortName,
      people: [],
      missingRosterReason: `The trust profile ${displayPath(trustProfilePath)} names no sampleRoster, so there are no sample people to act as.`,
    };
  }
  const roster = loadRoster(rosterFile, profile);
  return {
    trustId: profile.trust.id,
    trustName: profile.trust.name,
    trustShortName: profile.trust.shortName,
    people: samplePeopleFrom(roster.people, profile),
    missingRosterReason: undefined,
  };
}

export function samplePeopleFrom(roster: readonly RosterPerson[], profile: TrustProfile): SamplePerson[] {
  const firstNameCount = new Map<string, number>();
  for (const person of roster) {
    const first = slugify(person.displayName.split(/\s+/)[0] ?? '');
    firstNameCount.set(first, (firstNameCount.get(first) ?? 0) + 1);
  }
  return roster.map((person) => {
    const first = slugify(person.displayName.split(/\s+/)[0] ?? '');
    const key = first && firstNameCount.get(first) === 1 ? first : slugify(person.displayName);
    return {
      key,
      aadObjectId: person.aadObjectId,
      displayName: person.displayName,
      email: person.email ?? `${slugify(person.displayName)}@${profile.trust.id}.example`,
      roles: person.roles,
      description: describePerson(person, profile),
      hint: person.actAsHint,
      inRoster: true,
    };
  });
}

function describePerson(person: RosterPerson, profile: TrustProfile): string {
  const label = (role: string): string => profile.roles.find((r) => r.id === role)?.label ?? role;
  const notable = person.roles.filter((role) => role !== 'staff');
  const roles = (notable.length > 0 ? notable : person.roles).map(label).join(', ');
  const where =
    person.academyId === null
      ? `${profile.trust.shortName} central team`
      : (profile.academies.find((a) => a.id === person.academyId)?.name ?? person.academyId);
  return `${roles}, ${where}`;
}

/**
 * Finds who `--as` names: a key (ellie), a full name (ellie-brightwater or "Ellie Brightwater"),
 * an email, an Entra object id, or a role (senco, academy-leader: the first person holding it).
 * Throws TrustDataError listing the choices when nobody matches.
 */
export function findSamplePerson(people: SamplePeople, wanted: string): SamplePerson {
  if (people.people.length === 0) {
    throw new TrustDataError(people.missingRosterReason ?? 'There are no sample people to act as.');
  }
  const needle = slugify(wanted);
  const lower = wanted.trim().toLowerCase();
  const match =
    people.people.find((p) => p.key === needle) ??
    people.people.find((p) => slugify(p.displayName) === needle) ??
    people.people.find((p) => p.email.toLowerCase() === lower || p.aadObjectId.toLowerCase() === lower) ??
    people.people.find((p) => p.roles.some((role) => slugify(role) === needle && role !== 'staff'));
  if (match) return match;
  const roles = ROLES.filter((role) => role !== 'staff').map(slugify);
  throw new TrustDataError(
    `Nobody in the sample roster is "${wanted}": choose one of ${people.people.map((p) => p.key).join(', ')} ` +
      `or a role (${roles.join(', ')}); npm run dev -- --list-people says who they are.`,
  );
}

/**
 * Who the playground signs in as when `--as` is not given: the first person in the roster, or,
 * without a roster, someone the app does not know (treated as ordinary staff of a sample academy).
 */
export function defaultSamplePerson(people: SamplePeople): SamplePerson {
  return (
    people.people[0] ?? {
      key: 'sam',
      aadObjectId: 'd0000000-0000-4000-8000-000000000001',
      displayName: 'Sam Sample',
      email: `sam.sample@${people.trustId}.example`,
      roles: ['staff'],
      description: `Staff, not in any roster`,
      hint: undefined,
      inRoster: false,
    }
  );
}

/** The table `npm run dev -- --list-people` prints. */
export function formatPeopleList(people: SamplePeople): string {
  if (people.people.length === 0) return people.missingRosterReason ?? 'There are no sample people.';
  const width = Math.max(...people.people.map((p) => p.key.length));
  const lines = [`Sample people of ${people.trustName} (npm run dev -- --as <key>):`, ''];
  for (const person of people.people) {
    lines.push(`  ${person.key.padEnd(width)}  ${person.displayName} (${person.description})`);
    if (person.hint) lines.push(`  ${''.padEnd(width)}  ${person.hint}`);
  }
  lines.push('', 'A role also works: --as senco picks the first SENCO, --as development-team the first of that team.');
  return lines.join('\n');
}
