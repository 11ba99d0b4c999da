import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createGraphClient,
  createGraphCredential,
  GraphConfigurationError,
  graphScope,
  retryAfterSeconds,
  type GraphConnection,
} from '../../src/graph/graph-client.js';
import { GraphRequestError } from '../../src/graph/graph-request.js';
import { getUser, graphPeopleDirectory, listTransitiveMemberOf } from '../../src/graph/users.js';
import { startGraphStandIn, type GraphStandIn } from '../support/graph-stand-in.js';

const ALICE = '11111111-1111-4111-8111-111111111111';
const ALL_STAFF = '22222222-0000-4000-8000-000000000001';
const BROOKSIDE_STAFF = '22222222-0000-4000-8000-000000000002';
const SENCOS = '22222222-0000-4000-8000-000000000003';
const GLOBAL_READER_ROLE = '33333333-0000-4000-8000-000000000001';

let graph: GraphStandIn;
let connection: GraphConnection;

beforeAll(async () => {
  graph = await startGraphStandIn();
  graph.addUser({ id: ALICE, displayName: 'Alice Example', mail: 'alice@harmony.example', userPrincipalName: 'alice@harmony.example' });
  graph.addGroup({ id: ALL_STAFF, displayName: 'All staff' });
  graph.addGroup({ id: BROOKSIDE_STAFF, displayName: 'Brookside staff' });
  graph.addGroup({ id: SENCOS, displayName: 'Brookside SENCOs' });
  graph.addDirectoryRole({ id: GLOBAL_READER_ROLE, displayName: 'Global Reader' });
  // Alice is in SENCOS directly; SENCOS sits inside BROOKSIDE_STAFF, which sits inside ALL_STAFF.
  graph.addMember(SENCOS, ALICE);
  graph.addMember(BROOKSIDE_STAFF, SENCOS);
  graph.addMember(ALL_STAFF, BROOKSIDE_STAFF);
  graph.addMember(GLOBAL_READER_ROLE, ALICE);
  connection = createGraphClient(graph.appConfig(), {
    credentialOptions: { authorityCa: graph.certificatePem },
    retry: { delaySeconds: 0 },
  });
});

afterAll(async () => {
  await graph.close();
});

afterEach(() => {
  graph.clearFailures();
  graph.clearRequests();
  graph.maxPageSize = 100;
});

describe('Graph client against the stand-in', () => {
  it('gets a user with an app-only token from the client-secret credential, fetching the token once', async () => {
    const fresh = createGraphClient(graph.appConfig(), { credentialOptions: { authorityCa: graph.certificatePem } });
    const first = await getUser(fresh, ALICE);
    const second = await getUser(fresh, ALICE);

    expect(first).toEqual({ id: ALICE, displayName: 'Alice Example', mail: 'alice@harmony.example', userPrincipalName: 'alice@harmony.example' });
    expect(second).toEqual(first);
    const calls = graph.requestsTo('users.get');
    expect(calls).toHaveLength(2);
    expect(calls[0].query.$select).toBe('id,displayName,mail,userPrincipalName');
    expect(calls[0].authorization).toMatch(/^Bearer stand-in-token-/);
    expect(calls[1].authorization).toBe(calls[0].authorization);
    expect(graph.issuedTokens).toContain(calls[0].authorization!.slice('Bearer '.length));
    // The secret went to the authority only, with the Graph .default scope.
    const tokenCalls = graph.requestsTo('authority.token');
    expect(tokenCalls).toHaveLength(1);
    expect(tokenCalls[0].body).toMatchObject({
      grant_type: 'client_credentials',
      client_id: graph.clientId,
      client_secret: graph.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    });
    expect(JSON.stringify(graph.requests.filter((r) => r.listener === 'graph'))).not.toContain(graph.clientSecret);
  });

  it('reuses a token until it nears expiry, then asks the credential again', async () => {
    let now = Date.parse('2026-12-01T09:00:00Z');
    let asked = 0;
    // The stand-in's own credential (its tokens are the ones it accepts), with the expiry on the test's clock.
    const real = createGraphCredential(graph.appConfig(), { authorityCa: graph.certificatePem });
    const credential = {
      getToken: async (scope: string | string[]) => {
        asked += 1;
        const token = await real.getToken(scope);
        return token && { ...token, expiresOnTimestamp: now + 60 * 60_000, refreshAfterTimestamp: undefined };
      },
    };
    const fresh = createGraphClient(graph.appConfig(), { credential, now: () => now });
    await getUser(fresh, ALICE);
    await getUser(fresh, ALICE);
    expect(asked).toBe(1);
    now += 56 * 60_000; // 4 minutes left: too close to expiry to use
    await getUser(fresh, ALICE);
    expect(asked).toBe(2);
    expect(graph.requestsTo('users.get').every((r) => r.authorization?.startsWith('Bearer stand-in-token-'))).toBe(true);
  });

  it('answers null for a user the directory does not know', async () => {
    expect(await getUser(connection, '99999999-9999-4999-8999-999999999999')).toBeNull();
    expect(await listTransitiveMemberOf(connection, '99999999-9999-4999-8999-999999999999')).toBeNull();
    expect(graph.requestsTo('users.get')[0].status).toBe(404);
  });

  it('lists transitive group memberships across pages, keeping groups only', async () => {
    graph.maxPageSize = 1;
    const groups = await listTransitiveMemberOf(connection, ALICE);

    expect(groups?.map((g) => g.id).sort()).toEqual([ALL_STAFF, BROOKSIDE_STAFF, SENCOS].sort());
    expect(groups?.find((g) => g.id === SENCOS)?.displayName).toBe('Brookside SENCOs');
    const pages = graph.requestsTo('users.transitiveMemberOf');
    expect(pages).toHaveLength(4); // three groups and one directory role, one per page
    expect(pages.every((p) => p.status === 200)).toBe(true);
    expect(pages[1].query.$skiptoken).toMatch(/[+/]/); // the opaque token survived URL encoding intact
    expect(pages.every((p) => p.authorization?.startsWith('Bearer '))).toBe(true);
  });

  it('retries 429 honouring Retry-After, then succeeds', async () => {
    graph.failNext('users.get', 2, { status: 429, retryAfter: '0' });
    const user = await getUser(connection, ALICE);

    expect(user?.id).toBe(ALICE);
    const calls = graph.requestsTo('users.get');
    expect(calls.map((c) => c.status)).toEqual([429, 429, 200]);
    expect(calls[2].headers['retry-attempt']).toBe('2');
  });

  it('gives up after the bounded number of retries on a persistent 503', async () => {
    graph.failNext('*', Infinity, { status: 503 });
    const error = await getUser(connection, ALICE).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GraphRequestError);
    expect((error as GraphRequestError).status).toBe(503);
    expect(graph.requestsTo('users.get')).toHaveLength(3); // one try + maxRetries (2)
  });

  it('does not wait for a Retry-After longer than the policy allows', async () => {
    graph.failNext('users.get', 1, { status: 429, retryAfter: '120' });
    const error = await getUser(connection, ALICE).catch((e: unknown) => e);

    expect((error as GraphRequestError).status).toBe(429);
    expect(graph.requestsTo('users.get')).toHaveLength(1);
  });

  it('retries 504 with no Retry-After using its own backoff', async () => {
    const quick = createGraphClient(graph.appConfig(), {
      credentialOptions: { authorityCa: graph.certificatePem },
      retry: { delaySeconds: 0, maxRetries: 1 },
    });
    graph.failNext('users.get', 1, { status: 504, retryAfter: null });
    expect((await getUser(quick, ALICE))?.id).toBe(ALICE);
    expect(graph.requestsTo('users.get').map((c) => c.status)).toEqual([504, 200]);
  });

  it('reports a dropped connection as Graph being unreachable', async () => {
    graph.failNext('users.get', 1, { disconnect: true });
    const error = await getUser(connection, ALICE).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GraphRequestError);
    expect((error as GraphRequestError).status).toBeNull();
  });

  it('fails without calling Graph when the token endpoint rejects the secret', async () => {
    const config = graph.appConfig();
    const wrong = createGraphClient(
      { graph: { ...config.graph, identity: { mode: 'secret', clientId: graph.clientId, secret: 'not-the-secret', tenantId: graph.tenantId } } },
      { credentialOptions: { authorityCa: graph.certificatePem } },
    );
    const error = await getUser(wrong, ALICE).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GraphRequestError);
    expect((error as GraphRequestError).status).toBeNull();
    expect((error as Error).message).toMatch(/AADSTS7000215|client secret/i);
    expect(graph.requestsTo('authority.token').at(-1)!.status).toBe(401);
    expect(graph.requestsTo('users.get')).toHaveLength(0);
  });

  it('refuses to follow a next link that leaves the configured Graph base URL', async () => {
    const OTHER = '44444444-4444-4444-8444-444444444444';
    graph.addUser({ id: OTHER, displayName: 'Other' });
    graph.addRoute({
      name: 'users.transitiveMemberOf.foreign',
      method: 'GET',
      path: `/v1.0/users/${OTHER}/transitiveMemberOf`,
      handle: () => ({ status: 200, body: { value: [], '@odata.nextLink': 'https://evil.example/v1.0/users?$skiptoken=x' } }),
    });
    const error = await listTransitiveMemberOf(connection, OTHER).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/next link outside/);
  });

  it('presents a user and their group ids as a people-directory record', async () => {
    const record = await graphPeopleDirectory(connection).findPerson(ALICE);
    expect(record?.user).toEqual({ id: ALICE, displayName: 'Alice Example', email: 'alice@harmony.example' });
    expect(record?.groupIds.sort()).toEqual([ALL_STAFF, BROOKSIDE_STAFF, SENCOS].sort());
    expect(await graphPeopleDirectory(connection).findPerson('55555555-5555-4555-8555-555555555555')).toBeNull();
  });

  it('authenticates with the user-assigned managed identity on App Service', async () => {
    const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
    process.env.IDENTITY_ENDPOINT = graph.identityEndpoint;
    process.env.IDENTITY_HEADER = graph.identityHeader;
    try {
      const msi = createGraphClient({
        graph: { ...graph.appConfig().graph, identity: { mode: 'managed_identity', clientId: 'aaaaaaaa-0000-4000-8000-000000000001' } },
      });
      expect((await getUser(msi, ALICE))?.displayName).toBe('Alice Example');
      const tokenCall = graph.requestsTo('managedIdentity.token')[0];
      expect(tokenCall.query).toMatchObject({ client_id: 'aaaaaaaa-0000-4000-8000-000000000001', resource: 'https://graph.microsoft.com' });
      expect(graph.requestsTo('users.get')[0].authorization).toMatch(/^Bearer stand-in-token-/);
    } finally {
      for (const [key, value] of [['IDENTITY_ENDPOINT', saved.endpoint], ['IDENTITY_HEADER', saved.header]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});

describe('Graph configuration', () => {
  const graphUrls = { baseUrl: 'https://graph.microsoft.com/v1.0', authorityHost: 'https://login.microsoftonline.com' };

  it('refuses to build a credential in local mode or without a tenant', () => {
    expect(() => createGraphCredential({ graph: { ...graphUrls, identity: { mode: 'none' } } })).toThrow(GraphConfigurationError);
    expect(() =>
      createGraphCredential({ graph: { ...graphUrls, identity: { mode: 'secret', clientId: 'a', secret: 'p', tenantId: undefined } } }),
    ).toThrow(/BOT_TENANT_ID/);
  });

  it('asks for tokens for the Graph cloud in use, and public Graph for anything else', () => {
    expect(graphScope('https://graph.microsoft.com/v1.0')).toBe('https://graph.microsoft.com/.default');
    expect(graphScope('https://graph.microsoft.us/v1.0')).toBe('https://graph.microsoft.us/.default');
    expect(graphScope('http://127.0.0.1:1234/v1.0')).toBe('https://graph.microsoft.com/.default');
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterSeconds('7')).toBe(7);
    expect(retryAfterSeconds(null)).toBeNull();
    expect(retryAfterSeconds('soon')).toBeNull();
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(retryAfterSeconds('Mon, 23 Nov 2026 10:00:30 GMT', now)).toBe(30);
  });
});
