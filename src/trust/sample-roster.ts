import { z } from 'zod/v4';
import { describeIssue, sentence, type FileProblem } from './describe-issue.js';
import { displayPath, readJsonFile, TrustDataError } from './load-trust-profile.js';
import { objectId, roleSchema, slug, type TrustProfile } from './trust-profile.schema.js';

/**
 * The local sample roster: who is who when the app runs without Microsoft Graph (local mode and
 * the Agents Playground). Someone not listed is ordinary staff of `unknownPeople.academyId`.
 */
const rosterPerson = z.strictObject({
  aadObjectId: objectId,
  displayName: z.string().trim().min(1, { message: 'must not be empty' }),
  email: z.email({ message: 'must be an email address' }).optional(),
  /** The academy they work at; null for central (trust) staff. */
  academyId: slug.nullable(),
  roles: z.array(roleSchema).min(1),
  /** Academies they lead; defaults to [academyId] when they hold academy_leader. */
  leaderOfAcademyIds: z.array(slug).optional(),
  /** Academies they are SENCO for; defaults to [academyId] when they hold senco. */
  sencoOfAcademyIds: z.array(slug).optional(),
  /** What to try as this person, for the README and the local "act as" prompt. */
  actAsHint: z.string().trim().min(1).optional(),
});

export const sampleRosterSchema = z.strictObject({
  $comment: z.string().optional(),
  trustId: slug,
  unknownPeople: z.strictObject({ academyId: slug }),
  people: z.array(rosterPerson).min(1),
});

export type SampleRoster = z.infer<typeof sampleRosterSchema>;
export type RosterPerson = SampleRoster['people'][number];

export function parseRoster(data: unknown, source: string, profile: TrustProfile): SampleRoster {
  const label = `Sample roster ${source}`;
  const parsed = sampleRosterSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) throw new TrustDataError(sentence(label, describeIssue(parsed.error.issues[0])));
  const problem = findRosterProblem(parsed.data, profile);
  if (problem) throw new TrustDataError(sentence(label, problem));
  return parsed.data;
}

/**
 * Loads and checks a sample roster against the profile it belongs to. Throws TrustDataError with
 * one sentence naming the bad field, in the same style as loadTrustProfile.
 */
export function loadRoster(file: string, profile: TrustProfile): SampleRoster {
  return parseRoster(readJsonFile(file, 'Sample roster'), displayPath(file), profile);
}

function findRosterProblem(roster: SampleRoster, profile: TrustProfile): FileProblem | null {
  if (roster.trustId !== profile.trust.id) {
    return { path: ['trustId'], problem: `"${roster.trustId}" does not match the trust profile's id "${profile.trust.id}"` };
  }
  const academies = profile.academies.map((a) => a.id);
  const notAnAcademy = (id: string) => `"${id}" is not one of the academies in the trust profile (${academies.join(', ')})`;
  if (!academies.includes(roster.unknownPeople.academyId)) {
    return { path: ['unknownPeople', 'academyId'], problem: notAnAcademy(roster.unknownPeople.academyId) };
  }
  const ids = new Map<string, number>();
  for (const [index, person] of roster.people.entries()) {
    const at = (...rest: PropertyKey[]): PropertyKey[] => ['people', index, ...rest];
    const key = person.aadObjectId.toLowerCase();
    const earlier = ids.get(key);
    if (earlier !== undefined) return { path: at('aadObjectId'), problem: `"${person.aadObjectId}" repeats people[${earlier}]` };
    ids.set(key, index);
    if (person.academyId !== null && !academies.includes(person.academyId)) {
      return { path: at('academyId'), problem: notAnAcademy(person.academyId) };
    }
    for (const [field, role] of [
      ['leaderOfAcademyIds', 'academy_leader'],
      ['sencoOfAcademyIds', 'senco'],
    ] as const) {
      const listed = person[field];
      const holds = person.roles.includes(role);
      if (listed !== undefined && !holds) {
        return { path: at(field), problem: `is only meaningful for someone with the ${role} role` };
      }
      for (const [i, id] of (listed ?? []).entries()) {
        if (!academies.includes(id)) return { path: at(field, i), problem: notAnAcademy(id) };
      }
      if (holds && (listed ?? (person.academyId === null ? [] : [person.academyId])).length === 0) {
        return { path: at(field), problem: `must name at least one academy because they hold the ${role} role and have no academyId` };
      }
    }
  }
  return null;
}
