import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  can,
  ordinaryStaff,
  personFromDirectory,
  personFromRoster,
  roleGroupIndex,
  type Action,
  type Person,
  type ResourceFor,
} from '../../../src/features/people/people.domain.js';
import { loadTrustProfile, sampleRosterPath } from '../../../src/trust/load-trust-profile.js';
import { loadRoster } from '../../../src/trust/sample-roster.js';

const profileFile = path.resolve(import.meta.dirname, '../../../src/trust/profiles/harmony.json');
const profile = loadTrustProfile(profileFile);
const roster = loadRoster(sampleRosterPath(profileFile, profile)!, profile);
const index = roleGroupIndex(profile);
const academy = (id: string) => profile.academies.find((a) => a.id === id)!;
const trustGroup = (role: 'development_team' | 'inclusion_team' | 'director_of_education' | 'admin') => profile.roleGroups[role].groupIds[0];

describe('deriving a person from directory group memberships', () => {
  const user = { id: 'c0000000-0000-4000-8000-000000000001', displayName: 'Sam Directory', email: 'sam@harmony.example' };

  it('grants academy roles from each academy\'s groups and trust roles from trust groups', () => {
    const person = personFromDirectory(index, user, [
      academy('larkfield').groups.sencos,
      academy('brookside').groups.leaders,
      academy('brookside').groups.staff,
      trustGroup('development_team'),
      '99999999-0000-4000-8000-000000000000', // a group the profile does not mention
    ]);
    expect(person).toEqual({
      aadObjectId: user.id,
      displayName: 'Sam Directory',
      email: 'sam@harmony.example',
      academyId: 'brookside',
      roles: ['staff', 'senco', 'academy_leader', 'development_team'],
      leaderOfAcademyIds: ['brookside'],
      sencoOfAcademyIds: ['larkfield'],
      source: 'directory',
    });
  });

  it('is ordinary staff with no academy when no mapped group applies', () => {
    const person = personFromDirectory(index, { id: user.id, displayName: 'Sam' }, []);
    expect(person.roles).toEqual(['staff']);
    expect(person.academyId).toBeNull();
    expect(person.email).toBeUndefined();
  });

  it('ignores the case of group ids and the order Graph lists them in', () => {
    const groups = [academy('kingfisher').groups.staff.toUpperCase(), academy('brookside').groups.staff, trustGroup('admin').toUpperCase()];
    const forwards = personFromDirectory(index, user, groups);
    const backwards = personFromDirectory(index, user, [...groups].reverse());
    expect(forwards).toEqual(backwards);
    expect(forwards.academyId).toBe('brookside'); // first in profile order
    expect(forwards.roles).toEqual(['staff', 'admin']);
  });

  it('takes the academy from a leadership group when there is no staff group membership', () => {
    expect(personFromDirectory(index, user, [academy('moorview').groups.leaders]).academyId).toBe('moorview');
  });
});

describe('people from the sample roster', () => {
  const byName = (name: string) => personFromRoster(roster.people.find((p) => p.displayName === name)!);

  it('defaults the academies someone leads or is SENCO for to their own academy', () => {
    expect(byName('Ruth Pennington')).toMatchObject({ academyId: 'brookside', leaderOfAcademyIds: ['brookside'], sencoOfAcademyIds: [] });
    expect(byName('Priya Sandhu-Vale').sencoOfAcademyIds).toEqual(['brookside', 'larkfield']);
    expect(byName('Hannah Wilde')).toMatchObject({ academyId: null, roles: ['staff', 'development_team'], source: 'sample_roster' });
  });

  it('treats a stranger as ordinary staff of the given academy', () => {
    expect(ordinaryStaff('x', 'Visitor', 'brookside')).toEqual({
      aadObjectId: 'x',
      displayName: 'Visitor',
      academyId: 'brookside',
      roles: ['staff'],
      leaderOfAcademyIds: [],
      sencoOfAcademyIds: [],
      source: 'sample_default',
    });
  });
});

describe('can(): who may do what', () => {
  const people: Record<string, Person> = Object.fromEntries(
    roster.people.map((entry) => [entry.displayName.split(' ')[0].toLowerCase(), personFromRoster(entry)]),
  );
  const everyone = Object.keys(people);
  const id = (name: string) => people[name].aadObjectId;

  type Row = { [A in Action]: { action: A; resource: ResourceFor<A>; allowed: string[] } }[Action];
  const matrix: Row[] = [
    { action: 'cpd.book', resource: undefined, allowed: everyone },
    { action: 'cpd.cancel_own', resource: { ownerAadObjectId: id('ellie') }, allowed: ['ellie'] },
    { action: 'cpd.manage_bookings', resource: undefined, allowed: ['hannah', 'owen'] },
    { action: 'cpd.manage_catalogue', resource: undefined, allowed: ['hannah', 'owen'] },
    { action: 'cpd.view_attendees', resource: { academyId: 'brookside' }, allowed: ['ruth', 'hannah', 'catherine', 'owen'] },
    { action: 'cpd.view_attendees', resource: { academyId: null }, allowed: ['hannah', 'catherine', 'owen'] },
    { action: 'communities.join', resource: undefined, allowed: everyone },
    { action: 'communities.manage', resource: undefined, allowed: ['hannah', 'joseph', 'owen'] },
    { action: 'resources.search', resource: undefined, allowed: everyone },
    { action: 'visits.request', resource: { academyId: 'brookside' }, allowed: ['priya', 'ruth'] },
    { action: 'visits.request', resource: { academyId: 'larkfield' }, allowed: ['priya'] },
    { action: 'visits.request', resource: { academyId: 'kingfisher' }, allowed: ['marcus', 'daniel'] },
    { action: 'visits.request', resource: { academyId: 'willowmere' }, allowed: [] },
    { action: 'visits.triage', resource: undefined, allowed: ['joseph'] },
    {
      action: 'visits.view',
      resource: { academyId: 'larkfield', requestedByAadObjectId: id('priya') },
      allowed: ['priya', 'joseph', 'catherine'],
    },
    {
      action: 'visits.view',
      resource: { academyId: 'kingfisher', requestedByAadObjectId: id('marcus') },
      allowed: ['marcus', 'daniel', 'joseph', 'catherine'],
    },
    // Priya is a Brookside SENCO too, but not the requester: she does not see Ruth's request.
    {
      action: 'visits.view',
      resource: { academyId: 'brookside', requestedByAadObjectId: id('ruth') },
      allowed: ['ruth', 'joseph', 'catherine'],
    },
    { action: 'visits.list_open', resource: undefined, allowed: ['joseph', 'catherine'] },
    { action: 'announcements.post', resource: undefined, allowed: ['hannah'] },
    { action: 'commissions.view', resource: { academyId: 'brookside' }, allowed: ['ruth', 'catherine', 'owen'] },
    { action: 'commissions.view', resource: { academyId: 'kingfisher' }, allowed: ['daniel', 'catherine', 'owen'] },
    { action: 'commissions.raise', resource: { academyId: 'kingfisher' }, allowed: ['daniel', 'catherine', 'owen'] },
    { action: 'commissions.manage', resource: undefined, allowed: ['catherine', 'owen'] },
    { action: 'people.act_as', resource: { directory: 'sample' }, allowed: everyone },
    { action: 'people.act_as', resource: { directory: 'graph' }, allowed: [] },
    { action: 'admin.view_audit_log', resource: undefined, allowed: ['owen'] },
    { action: 'admin.manage_settings', resource: undefined, allowed: ['owen'] },
  ];

  it('the matrix below covers every action and every role', () => {
    expect(new Set(matrix.map((row) => row.action))).toEqual(new Set(ACTIONS));
    expect(new Set(Object.values(people).flatMap((p) => p.roles))).toEqual(
      new Set(['staff', 'senco', 'academy_leader', 'development_team', 'inclusion_team', 'director_of_education', 'admin']),
    );
  });

  it.each(matrix.map((row) => [`${row.action} ${JSON.stringify(row.resource ?? {})}`, row] as const))('%s', (_label, row) => {
    const decisions = Object.fromEntries(
      everyone.map((name) => {
        const person = people[name];
        // The rest-parameter signature is exercised for real in the calls below; here each row carries its own resource.
        const allowed = (can as (p: Person, a: Action, r?: unknown) => boolean)(person, row.action, row.resource);
        return [name, allowed];
      }),
    );
    expect(decisions).toEqual(Object.fromEntries(everyone.map((name) => [name, row.allowed.includes(name)])));
  });

  it('reads naturally at call sites', () => {
    const priya = people.priya;
    expect(can(priya, 'cpd.book')).toBe(true);
    expect(can(priya, 'visits.request', { academyId: 'larkfield' })).toBe(true);
    expect(can(priya, 'visits.request', { academyId: 'kingfisher' })).toBe(false);
    expect(can(priya, 'commissions.view', { academyId: 'brookside' })).toBe(false);
  });
});
