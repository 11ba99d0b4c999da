import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TRUST_PROFILE } from '../../src/config.js';
import { loadTrustProfile, sampleRosterPath, TrustDataError, type TrustProfile } from '../../src/trust/load-trust-profile.js';
import { ROLES } from '../../src/trust/roles.js';
import { loadRoster } from '../../src/trust/sample-roster.js';

const profilesDir = path.resolve(import.meta.dirname, '../../src/trust/profiles');
const harmonyFile = path.join(profilesDir, 'harmony.json');
const scratch = mkdtempSync(path.join(tmpdir(), 'trust-profile-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes `data` to a scratch file and returns its path. */
function write(name: string, data: unknown): string {
  const file = path.join(scratch, name);
  writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
  return file;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test data edited freely, then validated by the code under test
type Json = any;

const harmonyJson = (): TrustProfile => JSON.parse(readFileSync(harmonyFile, 'utf8')) as TrustProfile;

function loadError(file: string): string {
  try {
    loadTrustProfile(file);
  } catch (error) {
    expect(error).toBeInstanceOf(TrustDataError);
    return (error as Error).message;
  }
  throw new Error(`expected ${file} to be rejected`);
}

/** One sentence: starts with the label and file, ends with a full stop, no second sentence. */
function expectOneSentence(message: string, file: string): void {
  expect(message.startsWith(`Trust profile ${file}: `) || message.startsWith(`Sample roster ${file}: `)).toBe(true);
  expect(message.endsWith('.')).toBe(true);
  expect(message).not.toMatch(/\.\s+\S/);
  expect(message).not.toContain('\n');
}

describe('shipped trust profiles and rosters', () => {
  const files = readdirSync(profilesDir).filter((f) => f.endsWith('.json'));

  it('includes the Harmony profile, which config uses by default', () => {
    expect(files).toContain('harmony.json');
    expect(path.resolve(DEFAULT_TRUST_PROFILE)).toBe(harmonyFile);
  });

  it.each(files)('%s loads, and so does its sample roster', (name) => {
    const file = path.join(profilesDir, name);
    const profile = loadTrustProfile(file);
    const rosterFile = sampleRosterPath(file, profile);
    expect(rosterFile).toBeDefined();
    const roster = loadRoster(rosterFile!, profile);
    // Local mode needs someone of every role to try each journey.
    for (const role of ROLES) expect(roster.people.some((p) => p.roles.includes(role)), role).toBe(true);
  });

  it('holds the Harmony prospectus data', () => {
    const profile = loadTrustProfile(harmonyFile);
    expect(profile.trust).toMatchObject({ name: 'The Harmony Trust', timeZone: 'Europe/London', locale: 'en-GB', teamName: 'Development Team' });
    expect(profile.academies).toHaveLength(14); // "12 Good and 2 improving academies"
    expect(profile.academies.every((a) => a.sample === true)).toBe(true);
    expect(profile.cpd.strands.map((s) => s.id)).toEqual(
      expect.arrayContaining(['leadership', 'raising-attainment', 'curriculum-assessment', 'read-achieve-succeed', 'html', 'eyfs', 'inclusion-send', 'behaviour', 'parental-engagement', 'attendance', 'personal-development']),
    );
    expect(profile.inclusion.visitFocusAreas.map((f) => f.label)).toEqual([
      'Compliance with IRT Policy',
      'Producing all required documents',
      'Managing pupils with medical, physical needs and pastoral needs',
      'Transition issues',
      'Behaviour and exclusions',
    ]);
    expect(profile.bespokeSupport.types.map((t) => t.label)).toEqual([
      'Director of Education intervention',
      'Trust Leader deployment',
      'Academy Improvement Grant',
      'Leadership Development Programme and coaching',
      'School-to-school support for a school outside the trust',
    ]);
    expect(new Set(profile.communities.map((c) => c.kind))).toEqual(new Set(['network', 'hlc', 'workhub', 'peer_inquiry', 'research_team']));
    expect(profile.communities.find((c) => c.id === 'sendco-hub-network')?.name).toBe('SENDCO Hub network');
    const synonymsOf = (term: string) => profile.search.synonyms.find((group) => group.includes(term)) ?? [];
    expect(synonymsOf('NQT')).toContain('ECT');
    expect(synonymsOf('SEN')).toContain('SEND');
    expect(synonymsOf('teaching assistant')).toContain('TA');
    expect(synonymsOf('early years')).toContain('EYFS');
  });

  it('has term dates for this academic year and the next (today is 2026-11-23)', () => {
    const { terms } = loadTrustProfile(harmonyFile);
    const containing = (day: string) => terms.filter((t) => t.starts <= day && day <= t.ends).map((t) => t.name);
    expect(containing('2026-11-23')).toEqual(['Autumn term', 'Autumn 2']);
    expect(containing('2027-06-15')).toEqual(['Summer term', 'Summer 2']);
    expect(containing('2028-01-10')).toEqual(['Spring term', 'Spring 1']);
    expect(containing('2026-12-25')).toEqual([]); // Christmas holidays
    expect(new Set(terms.map((t) => t.academicYear))).toEqual(new Set(['2026-27', '2027-28']));
  });
});

describe('a trust profile with a mistake is refused with one sentence naming the field', () => {
  const cases: Array<{ name: string; change: (p: Json) => void; expected: string }> = [
    {
      name: 'an academy in a hub that does not exist',
      change: (p) => {
        p.academies[2].hubId = 'east';
      },
      expected: 'academies[2].hubId "east" is not one of the hubs (north, central, south).',
    },
    { name: 'a missing trust name', change: (p) => delete p.trust.name, expected: 'trust.name is missing.' },
    {
      name: 'a misspelt top-level field',
      change: (p) => {
        p.academys = p.academies;
      },
      expected: 'academys is not a recognised field (check its spelling).',
    },
    {
      name: 'a community on a strand that does not exist',
      change: (p) => {
        p.communities[0].strandIds = ['phonix'];
      },
      expected: 'communities[0].strandIds[0] "phonix" is not one of the CPD strands (leadership, raising-attainment,',
    },
    {
      name: 'a role favouring a strand that does not exist',
      change: (p) => {
        p.cpd.roleStrands.senco = ['inclusion-send', 'sen'];
      },
      expected: 'cpd.roleStrands.senco[1] "sen" is not one of the CPD strands (leadership,',
    },
    {
      name: 'a community for an audience that does not exist',
      change: (p) => {
        p.communities[1].audienceIds = ['teachers', 'governors'];
      },
      expected: 'communities[1].audienceIds[1] "governors" is not one of the CPD audiences (leaders, teachers, teaching-assistants, support-staff).',
    },
    {
      name: 'a triage channel id that is not a Teams thread id',
      change: (p) => {
        p.inclusion.triageChannel.channelId = 'Inclusion triage';
      },
      expected: 'inclusion.triageChannel.channelId "Inclusion triage" must be a Teams thread id',
    },
    {
      name: 'a triage channel of another kind of team',
      change: (p) => {
        p.inclusion.triageChannel.channelId = '19:abc@thread.skype';
      },
      expected: 'inclusion.triageChannel.channelId "19:abc@thread.skype" is not a channel of the same kind of team',
    },
    { name: 'no triage channel', change: (p) => delete p.inclusion.triageChannel, expected: 'inclusion.triageChannel is missing.' },
    {
      name: 'a retention period under a month',
      change: (p) => {
        p.inclusion.retentionDays = 7;
      },
      expected: 'inclusion.retentionDays',
    },
    { name: 'a role with no group mapping', change: (p) => delete p.roleGroups.admin, expected: 'roleGroups.admin is missing.' },
    {
      name: 'a per-academy role mapped to a trust-wide group',
      change: (p) => {
        p.roleGroups.senco = { groupIds: ['0f8fad5b-d9cb-469f-a165-70867728950e'] };
      },
      expected: 'roleGroups.senco.perAcademy is missing: this role is held for a particular academy',
    },
    {
      name: 'a role the catalogue does not describe',
      change: (p) => {
        p.roles = p.roles.filter((r: { id: string }) => r.id !== 'inclusion_team');
      },
      expected: 'roles must describe every role, but inclusion_team is missing.',
    },
    {
      name: 'a role the app does not know',
      change: (p) => {
        p.cpd.audiences[0].roles = ['headteacher'];
      },
      expected: 'cpd.audiences[0].roles[0] "headteacher" must be one of the roles (staff, senco,',
    },
    {
      name: 'two academies with the same id',
      change: (p) => {
        p.academies[1].id = p.academies[0].id;
      },
      expected: 'academies[1].id "brookside" repeats the id of academies[0].',
    },
    {
      name: 'a group id that is not a GUID',
      change: (p) => {
        p.academies[0].groups.staff = 'brookside-staff';
      },
      expected: 'academies[0].groups.staff "brookside-staff" must be an Entra ID object id',
    },
    {
      name: 'one group used for two academies',
      change: (p) => {
        p.academies[3].groups.leaders = p.academies[0].groups.leaders;
      },
      expected: 'academies[3].groups.leaders "5a000000-0001-4000-8000-000000000002" is already used by academies[0].groups.leaders.',
    },
    {
      name: 'a term that ends before it starts',
      change: (p) => {
        p.terms[0].ends = '2026-08-01';
      },
      expected: 'terms[0].ends 2026-08-01 is before the term starts (2026-09-01).',
    },
    {
      name: 'an impossible date',
      change: (p) => {
        p.terms[1].starts = '2026-02-30';
      },
      expected: 'terms[1].starts "2026-02-30" must be a date written YYYY-MM-DD.',
    },
    {
      name: 'an unknown time zone',
      change: (p) => {
        p.trust.timeZone = 'Europe/Londres';
      },
      expected: 'trust.timeZone "Europe/Londres" must be an IANA time zone such as Europe/London.',
    },
    {
      name: 'an unknown school phase',
      change: (p) => {
        p.academies[5].phase = 'infant';
      },
      expected: 'academies[5].phase "infant" is not one of nursery, primary, secondary, all_through, special, alternative_provision.',
    },
    {
      name: 'a number where a list belongs',
      change: (p) => {
        p.cpd.strands = 3;
      },
      expected: 'cpd.strands must be a list.',
    },
    {
      name: 'no CPD audiences',
      change: (p) => {
        p.cpd.audiences = [];
      },
      expected: 'cpd.audiences must list at least 1 item.',
    },
  ];

  it.each(cases)('$name', ({ name, change, expected }) => {
    const data = harmonyJson() as Json;
    change(data);
    const file = write(`${name.replaceAll(' ', '-')}.json`, data);
    const message = loadError(file);
    expectOneSentence(message, file);
    expect(message).toContain(`: ${expected}`);
  });

  it('refuses a file that is not JSON, or is not there', () => {
    const broken = write('broken.json', '{ "trust": { "id": "x", }');
    const message = loadError(broken);
    expect(message).toMatch(/^Trust profile .*broken\.json is not valid JSON: .+\.$/);
    expect(message).not.toContain('\n');
    const missing = path.join(scratch, 'nowhere.json');
    expect(loadError(missing)).toBe(`Trust profile ${missing} does not exist.`);
  });
});

describe('a sample roster with a mistake is refused with one sentence naming the field', () => {
  const profile = loadTrustProfile(harmonyFile);
  const rosterFile = sampleRosterPath(harmonyFile, profile)!;
  const rosterJson = (): Json => JSON.parse(readFileSync(rosterFile, 'utf8'));

  const cases: Array<{ name: string; change: (r: Json) => void; expected: string }> = [
    {
      name: 'a person at an academy the profile does not have',
      change: (r) => {
        r.people[0].academyId = 'hogwarts';
      },
      expected: 'people[0].academyId "hogwarts" is not one of the academies in the trust profile (brookside,',
    },
    {
      name: 'the same person twice',
      change: (r) => {
        r.people[2].aadObjectId = r.people[0].aadObjectId;
      },
      expected: 'people[2].aadObjectId "b0000000-0000-4000-8000-000000000001" repeats people[0].',
    },
    {
      name: 'a central SENCO with no academy',
      change: (r) => {
        r.people.push({ aadObjectId: '0f8fad5b-d9cb-469f-a165-70867728950e', displayName: 'Nobody', academyId: null, roles: ['senco'] });
      },
      expected: 'people[11].sencoOfAcademyIds must name at least one academy because they hold the senco role and have no academyId.',
    },
    {
      name: 'academies led by someone who is not a leader',
      change: (r) => {
        r.people[0].leaderOfAcademyIds = ['brookside'];
      },
      expected: 'people[0].leaderOfAcademyIds is only meaningful for someone with the academy_leader role.',
    },
    {
      name: 'a roster for another trust',
      change: (r) => {
        r.trustId = 'laurus';
      },
      expected: 'trustId "laurus" does not match the trust profile\'s id "harmony".',
    },
    {
      name: 'a default academy that does not exist',
      change: (r) => {
        r.unknownPeople.academyId = 'nowhere';
      },
      expected: 'unknownPeople.academyId "nowhere" is not one of the academies in the trust profile',
    },
    {
      name: 'a bad email address',
      change: (r) => {
        r.people[1].email = 'tom at harmony';
      },
      expected: 'people[1].email "tom at harmony" must be an email address.',
    },
  ];

  it.each(cases)('$name', ({ name, change, expected }) => {
    const data = rosterJson();
    change(data);
    const file = write(`roster-${name.replaceAll(' ', '-')}.json`, data);
    let message = '';
    try {
      loadRoster(file, profile);
    } catch (error) {
      expect(error).toBeInstanceOf(TrustDataError);
      message = (error as Error).message;
    }
    expectOneSentence(message, file);
    expect(message).toContain(`: ${expected}`);
  });
});
