import path from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPeopleRepository } from '../../../src/features/people/people.repository.js';
import { createDirectoryPeopleService, createSamplePeopleService, type PeopleService } from '../../../src/features/people/people.service.js';
import { createGraphClient } from '../../../src/graph/graph-client.js';
import { graphPeopleDirectory } from '../../../src/graph/users.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { loadTrustProfile, sampleRosterPath } from '../../../src/trust/load-trust-profile.js';
import { loadRoster } from '../../../src/trust/sample-roster.js';
import { startGraphStandIn, type GraphStandIn } from '../../support/graph-stand-in.js';
import { describeOnEachDatabase, type TestDb } from '../../support/test-db.js';

const profileFile = path.resolve(import.meta.dirname, '../../../src/trust/profiles/harmony.json');
const profile = loadTrustProfile(profileFile);
const roster = loadRoster(sampleRosterPath(profileFile, profile)!, profile);
const academy = (id: string) => profile.academies.find((a) => a.id === id)!;
const TENANT = '00000000-0000-4000-8000-00000000aaaa';

describe('people in local mode (sample roster)', () => {
  const people = createSamplePeopleService(roster);

  it('resolves someone the roster lists, whatever the case of their object id', async () => {
    const result = await people.resolve({ aadObjectId: 'B0000000-0000-4000-8000-000000000004', name: 'Priya in Teams', tenantId: TENANT });
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({
        displayName: 'Priya Sandhu-Vale',
        academyId: 'brookside',
        roles: ['staff', 'senco'],
        sencoOfAcademyIds: ['brookside', 'larkfield'],
        source: 'sample_roster',
      }),
    });
  });

  it('treats someone not in the roster as ordinary staff of the roster\'s default academy', async () => {
    const stranger = { aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber', tenantId: TENANT };
    const result = await people.resolve(stranger);
    expect(result).toEqual({
      ok: true,
      value: {
        aadObjectId: stranger.aadObjectId,
        displayName: 'Alex Wilber',
        academyId: roster.unknownPeople.academyId,
        roles: ['staff'],
        leaderOfAcademyIds: [],
        sencoOfAcademyIds: [],
        source: 'sample_default',
      },
    });
    // Later lookups by id remember the name Teams gave.
    const later = await people.get(stranger.aadObjectId);
    expect(later.ok && later.value.displayName).toBe('Alex Wilber');
  });

  it('lists who holds a role from the roster: trust-wide and per-academy roles, each person once, up to a limit', async () => {
    const admins = await people.listByRole('admin');
    expect(admins.ok && admins.value.map((p) => p.displayName)).toEqual(roster.people.filter((p) => p.roles.includes('admin')).map((p) => p.displayName));
    expect(admins.ok && admins.value).toHaveLength(1);
    const sencos = await people.listByRole('senco');
    expect(sencos.ok && sencos.value.map((p) => p.aadObjectId).sort()).toEqual(roster.people.filter((p) => p.roles.includes('senco')).map((p) => p.aadObjectId.toLowerCase()).sort());
    const one = await people.listByRole('staff', 1);
    expect(one.ok && one.value).toHaveLength(1);
  });

  it('cannot place someone Teams did not identify', async () => {
    const result = await people.resolve({ aadObjectId: undefined, name: 'Anonymous', tenantId: TENANT });
    expect(result).toMatchObject({ ok: false, code: 'person_not_in_directory' });
  });
});

describeOnEachDatabase('people through Microsoft Graph, cached in $kind', ({ open }) => {
  const SENCO = 'c0000000-0000-4000-8000-000000000001';
  const LEADER = 'c0000000-0000-4000-8000-000000000002';
  const NESTED_SENCO_TEAM = 'd0000000-0000-4000-8000-000000000001';
  const ALL_STAFF = 'd0000000-0000-4000-8000-000000000002';

  let graph: GraphStandIn;
  let testDb: TestDb;
  let people: PeopleService;
  let clock: ReturnType<typeof fixedClock>;
  let logs: Array<{ level: number; msg: string }>;

  beforeAll(async () => {
    graph = await startGraphStandIn();
    for (const group of [academy('larkfield').groups.sencos, academy('larkfield').groups.staff, academy('kingfisher').groups.leaders, academy('kingfisher').groups.staff]) {
      graph.addGroup({ id: group, displayName: `profile group ${group}` });
    }
    graph.addGroup({ id: profile.roleGroups.admin.groupIds[0], displayName: 'Development Hub admins' });
    graph.addGroup({ id: NESTED_SENCO_TEAM, displayName: 'Larkfield inclusion team' });
    graph.addGroup({ id: ALL_STAFF, displayName: 'All staff (not in the profile)' });
  });
  afterAll(async () => {
    await graph.close();
  });

  beforeEach(async () => {
    testDb = await open();
    clock = fixedClock('2026-11-23T09:00:00Z');
    logs = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(JSON.parse(line) as { level: number; msg: string }) });
    // The SENCO's academy roles come only through nesting: SENCO ∈ team ∈ Larkfield SENCOs ∈ Larkfield staff.
    graph.addUser({ id: SENCO, displayName: 'Sasha Nested', mail: 'sasha@harmony.example' });
    graph.addMember(NESTED_SENCO_TEAM, SENCO);
    graph.addMember(academy('larkfield').groups.sencos, NESTED_SENCO_TEAM);
    graph.addMember(academy('larkfield').groups.staff, academy('larkfield').groups.sencos);
    graph.addMember(ALL_STAFF, SENCO);
    graph.maxPageSize = 2; // four groups: two pages
    people = createDirectoryPeopleService({
      profile,
      directory: graphPeopleDirectory(
        createGraphClient(graph.appConfig(), { credentialOptions: { authorityCa: graph.certificatePem }, retry: { delaySeconds: 0 } }),
      ),
      repository: createPeopleRepository(testDb.db),
      clock,
      cacheMinutes: 60,
      logger,
    });
  });
  afterEach(async () => {
    graph.clearFailures();
    graph.clearRequests();
    await testDb.close();
  });

  const speaker = (aadObjectId: string) => ({ aadObjectId, name: 'Teams name', tenantId: TENANT });

  it('derives roles and academy from nested group memberships across pages, and caches them', async () => {
    const result = await people.resolve(speaker(SENCO));

    expect(result).toEqual({
      ok: true,
      value: {
        aadObjectId: SENCO,
        displayName: 'Sasha Nested',
        email: 'sasha@harmony.example',
        academyId: 'larkfield',
        roles: ['staff', 'senco'],
        leaderOfAcademyIds: [],
        sencoOfAcademyIds: ['larkfield'],
        source: 'directory',
      },
    });
    expect(graph.requestsTo('users.get')).toHaveLength(1);
    expect(graph.requestsTo('users.transitiveMemberOf')).toHaveLength(2);
    const row = await testDb.db.selectFrom('person_directory_cache').selectAll().where('aad_object_id', '=', SENCO).executeTakeFirstOrThrow();
    expect(row.group_ids).toHaveLength(4);
    expect(new Date(row.fetched_at).toISOString()).toBe('2026-11-23T09:00:00.000Z');
  });

  it('lists who holds a role from the groups that grant it, through nesting and across pages, users only, each once', async () => {
    const ADMIN = 'c0000000-0000-4000-8000-000000000009';
    const DEPUTY = 'c0000000-0000-4000-8000-00000000000a';
    const DEPUTIES = 'd0000000-0000-4000-8000-000000000003';
    const adminGroup = profile.roleGroups.admin.groupIds[0];
    graph.addUser({ id: ADMIN, displayName: 'Ada Admin', mail: 'ada@harmony.example' });
    graph.addUser({ id: DEPUTY, displayName: 'Dee Deputy' });
    graph.addGroup({ id: DEPUTIES, displayName: 'Deputy admins' });
    graph.addMember(adminGroup, ADMIN);
    graph.addMember(adminGroup, DEPUTIES); // a nested group: its users count, the group itself does not
    graph.addMember(DEPUTIES, DEPUTY);
    graph.addMember(DEPUTIES, ADMIN); // the same person twice
    try {
      const admins = await people.listByRole('admin');
      expect(admins).toEqual({ ok: true, value: [{ aadObjectId: ADMIN, displayName: 'Ada Admin' }, { aadObjectId: DEPUTY, displayName: 'Dee Deputy' }] });
      expect(graph.requestsTo('groups.transitiveMembers')).toHaveLength(2); // three members, pages of two
      // A per-academy role: Larkfield's SENCO group, through its nested team; groups the directory does not know grant nobody.
      const sencos = await people.listByRole('senco');
      expect(sencos.ok && sencos.value.map((p) => p.aadObjectId)).toEqual([SENCO]);
      expect(await people.listByRole('admin', 1)).toEqual({ ok: true, value: [{ aadObjectId: ADMIN, displayName: 'Ada Admin' }] });
    } finally {
      graph.removeMember(adminGroup, ADMIN);
      graph.removeMember(adminGroup, DEPUTIES);
    }
  });

  it('says the directory is unavailable when Graph cannot list a group', async () => {
    graph.failNext('groups.transitiveMembers', Infinity, { status: 503 });
    expect(await people.listByRole('admin')).toMatchObject({ ok: false, code: 'directory_unavailable' });
  });

  it('answers from the cache without calling Graph again until the entry expires', async () => {
    await people.resolve(speaker(SENCO));
    clock.advance(59 * 60_000);
    const cached = await people.get(SENCO);
    expect(cached.ok && cached.value.roles).toEqual(['staff', 'senco']);
    expect(graph.requestsTo('users.get')).toHaveLength(1);

    // Past expiry Graph is asked again, and a new membership shows up.
    graph.addMember(profile.roleGroups.admin.groupIds[0], SENCO);
    clock.advance(2 * 60_000);
    const refreshed = await people.resolve(speaker(SENCO));
    expect(refreshed.ok && refreshed.value.roles).toEqual(['staff', 'senco', 'admin']);
    expect(graph.requestsTo('users.get')).toHaveLength(2);
    graph.removeMember(profile.roleGroups.admin.groupIds[0], SENCO);
  });

  it('uses the stale entry, and says so in the log, when Graph is down', async () => {
    await people.resolve(speaker(SENCO));
    clock.advance(3 * 60 * 60_000);
    graph.failNext('*', Infinity, { status: 503 });

    const result = await people.resolve(speaker(SENCO));
    expect(result.ok && result.value.sencoOfAcademyIds).toEqual(['larkfield']);
    expect(graph.requestsTo('users.get').filter((r) => r.status === 503)).toHaveLength(3);
    expect(logs.some((l) => l.level === 40 && /cached entry past its expiry/.test(l.msg))).toBe(true);
  });

  it('reports the directory unavailable when Graph is down and nothing is cached', async () => {
    graph.addUser({ id: LEADER, displayName: 'Lee Leader' });
    graph.failNext('*', Infinity, { disconnect: true });

    const result = await people.resolve(speaker(LEADER));
    expect(result).toMatchObject({ ok: false, code: 'directory_unavailable' });
    expect(await testDb.db.selectFrom('person_directory_cache').selectAll().execute()).toEqual([]);
    expect(logs.some((l) => l.level === 50)).toBe(true);
  });

  it('refuses someone the directory does not know, without caching anything', async () => {
    const result = await people.resolve(speaker('c0000000-0000-4000-8000-0000000000ff'));
    expect(result).toMatchObject({ ok: false, code: 'person_not_in_directory' });
    expect(graph.requestsTo('users.get')[0].status).toBe(404);
    expect(await testDb.db.selectFrom('person_directory_cache').selectAll().execute()).toEqual([]);
  });

  it('forgets someone removed from the directory once their entry expires', async () => {
    graph.addUser({ id: LEADER, displayName: 'Lee Leader' });
    graph.addMember(academy('kingfisher').groups.leaders, LEADER);
    const first = await people.resolve(speaker(LEADER));
    expect(first.ok && first.value).toMatchObject({ academyId: 'kingfisher', leaderOfAcademyIds: ['kingfisher'], roles: ['staff', 'academy_leader'] });

    graph.removeUser(LEADER);
    clock.advance(61 * 60_000);
    expect(await people.resolve(speaker(LEADER))).toMatchObject({ ok: false, code: 'person_not_in_directory' });
    expect(await testDb.db.selectFrom('person_directory_cache').selectAll().where('aad_object_id', '=', LEADER).execute()).toEqual([]);
  });
});
