import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRUST_PROFILE } from '../../../src/config.js';
import {
  defaultSamplePerson,
  findSamplePerson,
  formatPeopleList,
  loadSamplePeople,
  samplePeopleFrom,
} from '../../../src/cli/dev/sample-people.js';
import { loadTrustProfile, TrustDataError } from '../../../src/trust/load-trust-profile.js';
import { ROLES } from '../../../src/trust/roles.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'dev-people-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const harmony = loadSamplePeople(DEFAULT_TRUST_PROFILE);

function notFound(wanted: string): string {
  try {
    findSamplePerson(harmony, wanted);
  } catch (error) {
    expect(error).toBeInstanceOf(TrustDataError);
    return (error as Error).message;
  }
  throw new Error(`expected "${wanted}" not to be found`);
}

describe('sample people for npm run dev', () => {
  it('reads the Harmony roster through the trust profile, with a short unique key each', () => {
    expect(harmony.trustName).toBe('The Harmony Trust');
    expect(harmony.people.length).toBeGreaterThanOrEqual(ROLES.length);
    const keys = harmony.people.map((p) => p.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key).toMatch(/^[a-z0-9-]+$/);
    for (const role of ROLES) expect(harmony.people.some((p) => p.roles.includes(role)), role).toBe(true);
  });

  it('describes each person by their notable role and where they work', () => {
    const ellie = findSamplePerson(harmony, 'ellie');
    expect(ellie.displayName).toBe('Ellie Brightwater');
    expect(ellie.description).toBe('Staff, Brookside Primary Academy');
    expect(findSamplePerson(harmony, 'priya').description).toBe('SENCO, Brookside Primary Academy');
    expect(findSamplePerson(harmony, 'hannah').description).toBe('Development Team, Harmony central team');
  });

  it('finds people by key, full name, email, object id or role', () => {
    const priya = findSamplePerson(harmony, 'priya');
    expect(findSamplePerson(harmony, 'Priya')).toBe(priya);
    expect(findSamplePerson(harmony, 'Priya Sandhu-Vale')).toBe(priya);
    expect(findSamplePerson(harmony, 'priya-sandhu-vale')).toBe(priya);
    expect(findSamplePerson(harmony, priya.email.toUpperCase())).toBe(priya);
    expect(findSamplePerson(harmony, priya.aadObjectId)).toBe(priya);
    expect(findSamplePerson(harmony, 'senco').roles).toContain('senco');
    expect(findSamplePerson(harmony, 'academy-leader').roles).toContain('academy_leader');
    expect(findSamplePerson(harmony, 'director_of_education').roles).toContain('director_of_education');
  });

  it('says who can be chosen when nobody matches', () => {
    const message = notFound('zed');
    expect(message).toMatch(/^Nobody in the sample roster is "zed": choose one of ellie, /);
    expect(message).toContain('senco, academy-leader');
    expect(message).toContain('--list-people');
    // "staff" would match everyone, so it is not a way to choose.
    expect(notFound('staff')).toContain('"staff"');
  });

  it('keys people by full name when first names repeat', () => {
    const profile = loadTrustProfile(DEFAULT_TRUST_PROFILE);
    const person = (id: string, displayName: string) => ({
      aadObjectId: `b0000000-0000-4000-8000-00000000000${id}`,
      displayName,
      academyId: 'brookside',
      roles: ['staff' as const],
    });
    const people = samplePeopleFrom([person('1', 'Sam Lee'), person('2', 'Sam Órla Khan'), person('3', 'Jo Park')], profile);
    expect(people.map((p) => p.key)).toEqual(['sam-lee', 'sam-orla-khan', 'jo']);
    expect(people[1].email).toBe('sam-orla-khan@harmony.example');
  });

  it('defaults to the first person in the roster', () => {
    expect(defaultSamplePerson(harmony)).toBe(harmony.people[0]);
  });

  it('lists everyone with their key, description and what to try', () => {
    const list = formatPeopleList(harmony);
    for (const person of harmony.people) {
      expect(list).toContain(`${person.key} `);
      expect(list).toContain(`${person.displayName} (${person.description})`);
      if (person.hint) expect(list).toContain(person.hint);
    }
  });

  it('works without a roster: an unknown staff member by default, and a clear error for --as', () => {
    const profile = JSON.parse(readFileSync(DEFAULT_TRUST_PROFILE, 'utf8')) as Record<string, unknown>;
    delete profile.sampleRoster;
    const file = path.join(scratch, 'no-roster.json');
    writeFileSync(file, JSON.stringify(profile));
    const people = loadSamplePeople(file);
    expect(people.people).toEqual([]);
    expect(defaultSamplePerson(people)).toMatchObject({ inRoster: false, roles: ['staff'] });
    expect(() => findSamplePerson(people, 'ellie')).toThrow(/names no sampleRoster, so there are no sample people to act as\.$/);
    expect(formatPeopleList(people)).toMatch(/names no sampleRoster/);
  });

  it('refuses a roster that is missing, naming the file', () => {
    const profile = JSON.parse(readFileSync(DEFAULT_TRUST_PROFILE, 'utf8')) as Record<string, unknown>;
    profile.sampleRoster = './missing-roster.json';
    const file = path.join(scratch, 'missing-roster-profile.json');
    writeFileSync(file, JSON.stringify(profile));
    expect(() => loadSamplePeople(file)).toThrow(TrustDataError);
    expect(() => loadSamplePeople(file)).toThrow(/missing-roster\.json does not exist\.$/);
  });
});
