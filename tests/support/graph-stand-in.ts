/**
 * Graph stand-in: a local Microsoft Graph v1.0 and Entra ID token service on 127.0.0.1 (random
 * ports) that answers with the documented wire shapes, so the real @microsoft/microsoft-graph-client
 * and @azure/identity can be exercised without the internet.
 *
 * Start and point the app at it:
 *   const graph = await startGraphStandIn();
 *   const connection = createGraphClient(graph.appConfig(), { credentialOptions: { authorityCa: graph.certificatePem } });
 *   ...
 *   await graph.close();
 *
 * Listeners:
 *   graph.graphBaseUrl    http://127.0.0.1:P/v1.0  — Graph routes, plus the App Service managed-identity
 *                         endpoint at graph.identityEndpoint (check header graph.identityHeader)
 *   graph.authorityHost   https://127.0.0.1:Q      — {tenant}/v2.0/.well-known/openid-configuration and
 *                         {tenant}/oauth2/v2.0/token (client_credentials). MSAL requires https, so this
 *                         listener uses a fresh self-signed certificate: trust graph.certificatePem.
 *   The token endpoint accepts graph.tenantId / graph.clientId / graph.clientSecret and issues opaque
 *   tokens; Graph routes answer 401 InvalidAuthenticationToken unless the bearer token was issued
 *   here or allowed with graph.acceptToken(token).
 *
 * Directory data (seed before the app asks):
 *   graph.addUser({ id, displayName, mail?, userPrincipalName? }), graph.removeUser(id)
 *   graph.addGroup({ id, displayName }), graph.addDirectoryRole({ id, displayName })
 *   graph.addMember(groupOrRoleId, memberId), graph.removeMember(…) — members may be users or groups
 *                                             (nesting is followed)
 *   graph.maxPageSize — the server-side page cap applied to $top (default 100, like Graph's default)
 *
 * Routes (route names are what failures and assertions use):
 *   'users.get'                    GET  /v1.0/users/{id}                      ($select honoured; 404 Request_ResourceNotFound)
 *   'users.transitiveMemberOf'     GET  /v1.0/users/{id}/transitiveMemberOf   (groups and directory roles with
 *                                  @odata.type, $top paging with @odata.nextLink + $skiptoken)
 *   'groups.transitiveMembers'     GET  /v1.0/groups/{id}/transitiveMembers   (users and nested groups with
 *                                  @odata.type, same paging; 404 for an unknown group)
 *   'search.query'                 POST /v1.0/search/query (graph.library: the sample URL library; KQL, paging,
 *                                  region for app-only, private items only for their owner's delegated token;
 *                                  graph.library.delayMs delays every answer)
 *   'events.create' / 'events.list' / 'events.get' / 'events.delete'   POST/GET/DELETE /v1.0/users/{id}/events[/{eventId}]
 *                                  (transactionId dedupe on create; graph.calendars holds the events)
 *   'authority.openidConfiguration', 'authority.token' (client_credentials; on-behalf-of for assertions
 *                                  added with graph.addUserAssertion(assertion, userId)), 'managedIdentity.token'
 *   More routes: a route table per area in tests/support/graph-stand-in/<area>-routes.ts (see
 *   directory-routes.ts), registered in the constructor below; or, for one test, graph.addRoute({ name,
 *   method, path: '/v1.0/search/query', handle }). `{name}` segments in `path` become req.params;
 *   handle(req) returns { status, body?, headers? }. Later routes win over earlier ones.
 *   A request no route matches gets 501 naming it, so a missing route is obvious in a failing test.
 *
 * Failures:
 *   graph.failNext('users.get', 2, { status: 429, retryAfter: '1' })  — the next 2 matching requests fail
 *   graph.failNext('*', Infinity, { status: 503 })                    — an outage of every Graph route
 *   { disconnect: true } destroys the socket instead (a network failure). 429/503/504 carry
 *   Retry-After: 0 unless `retryAfter` says otherwise (null: no header). graph.clearFailures() ends them.
 *
 * Records: graph.requests (every request on both listeners: route, method, path, query, headers,
 * authorization, body, status), graph.requestsTo(route), graph.clearRequests().
 */
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { Config } from '../../src/config.js';
import { calendarRoutes, StandInCalendars } from './graph-stand-in/calendar-routes.js';
import { directoryRoutes } from './graph-stand-in/directory-routes.js';
import { searchRoutes, StandInLibrary } from './graph-stand-in/search-routes.js';
import { StandInTeamsApps, teamworkRoutes } from './graph-stand-in/teamwork-routes.js';
import { tokenRoutes } from './graph-stand-in/token-routes.js';
import {
  graphError,
  type GraphRoute,
  type InjectedFailure,
  type Json,
  type RecordedRequest,
  type StandInResponse,
  type StandInState,
  type StandInUser,
} from './graph-stand-in/wire.js';
import { selfSignedCertificate } from './self-signed-certificate.js';

export * from './graph-stand-in/wire.js';

interface CompiledRoute extends GraphRoute {
  pattern: RegExp;
  keys: string[];
}

const defaultFailureBody: Record<number, Json> = {
  429: graphError('TooManyRequests', 'Too many requests.'),
  503: graphError('serviceNotAvailable', 'Service unavailable.'),
  504: graphError('UnknownError', 'Gateway timeout.'),
};
export class GraphStandIn implements StandInState {
  readonly requests: RecordedRequest[] = [];
  readonly issuedTokens: string[] = [];
  readonly tenantId = '00000000-0000-4000-8000-00000000aaaa';
  readonly clientId = '00000000-0000-4000-8000-00000000bbbb';
  readonly clientSecret = `stand-in-secret-${randomUUID()}`;
  readonly identityHeader = `stand-in-identity-${randomUUID()}`;
  maxPageSize = 100;
  /** Outlook calendars behind the events routes (graph-stand-in/calendar-routes.ts). */
  readonly calendars = new StandInCalendars();
  /** The SharePoint library behind search/query (graph-stand-in/search-routes.ts): the sample URL by default. */
  readonly library = new StandInLibrary();
  /** The tenant's app catalogue and per-user installations (graph-stand-in/teamwork-routes.ts). */
  readonly teamsApps = new StandInTeamsApps();
  graphBaseUrl = '';
  authorityHost = '';
  identityEndpoint = '';

  private readonly users = new Map<string, StandInUser>();
  private readonly objects = new Map<string, { type: 'group' | 'directoryRole'; displayName: string }>();
  private readonly members = new Map<string, Set<string>>();
  private readonly accepted = new Set<string>();
  private readonly tokenUsers = new Map<string, string>();
  private readonly assertions = new Map<string, string>();
  private readonly routes: CompiledRoute[] = [];
  private readonly failures = new Map<string, Array<{ remaining: number; failure: InjectedFailure }>>();
  private readonly servers: Server[] = [];

  constructor(readonly certificatePem: string, private readonly certificateKey: string) {
    for (const route of directoryRoutes(this)) this.addRoute(route);
    for (const route of calendarRoutes(this, this.calendars)) this.addRoute(route);
    for (const route of searchRoutes({ userOfToken: (token) => this.tokenUsers.get(token) }, this.library)) this.addRoute(route);
    for (const route of teamworkRoutes(this, this.teamsApps)) this.addRoute(route);
    for (const route of tokenRoutes(this)) this.addRoute(route);
  }

  async listen(): Promise<void> {
    const graph = createHttpServer((req, res) => void this.dispatch('graph', req, res));
    const authority = createHttpsServer({ cert: this.certificatePem, key: this.certificateKey }, (req, res) => void this.dispatch('authority', req, res));
    this.graphBaseUrl = `http://127.0.0.1:${await listenOn(graph)}/v1.0`;
    this.authorityHost = `https://127.0.0.1:${await listenOn(authority)}`;
    this.identityEndpoint = `${new URL(this.graphBaseUrl).origin}/msi/token`;
    this.servers.push(graph, authority);
  }

  /** Graph settings as src/config.ts would produce them for an app registration with a client secret. */
  appConfig(): Pick<Config, 'graph'> {
    return {
      graph: {
        baseUrl: this.graphBaseUrl,
        authorityHost: this.authorityHost,
        identity: { mode: 'secret', clientId: this.clientId, secret: this.clientSecret, tenantId: this.tenantId },
      },
    };
  }

  /** Environment variables that point a whole app (bot in local mode) at this stand-in for Graph. */
  appEnv(): Record<string, string> {
    return {
      GRAPH_BASE_URL: this.graphBaseUrl,
      GRAPH_AUTHORITY_HOST: this.authorityHost,
      GRAPH_CLIENT_ID: this.clientId,
      GRAPH_CLIENT_SECRET: this.clientSecret,
      GRAPH_TENANT_ID: this.tenantId,
    };
  }

  addRoute(route: GraphRoute): void {
    const keys: string[] = [];
    const source = route.path.replace(/[.*+?^${}()|[\]\\]/g, (ch) => (ch === '{' || ch === '}' ? ch : `\\${ch}`)).replace(/\{(\w+)\}/g, (_m, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    this.routes.unshift({ ...route, pattern: new RegExp(`^${source}$`), keys });
  }

  addUser(user: StandInUser): void {
    this.users.set(user.id.toLowerCase(), user);
  }
  removeUser(id: string): void {
    this.users.delete(id.toLowerCase());
  }
  user(id: string): StandInUser | undefined {
    return this.users.get(id.toLowerCase());
  }
  addGroup(group: { id: string; displayName: string }): void {
    this.objects.set(group.id.toLowerCase(), { type: 'group', displayName: group.displayName });
  }
  addDirectoryRole(role: { id: string; displayName: string }): void {
    this.objects.set(role.id.toLowerCase(), { type: 'directoryRole', displayName: role.displayName });
  }
  addMember(containerId: string, memberId: string): void {
    const key = containerId.toLowerCase();
    if (!this.objects.has(key)) throw new Error(`Graph stand-in: add group ${containerId} before its members`);
    const set = this.members.get(key) ?? new Set<string>();
    set.add(memberId.toLowerCase());
    this.members.set(key, set);
  }

  removeMember(containerId: string, memberId: string): void {
    this.members.get(containerId.toLowerCase())?.delete(memberId.toLowerCase());
  }

  /** Groups and roles containing `memberId`, directly or through nested groups, in seeding order. */
  transitiveMemberOf(memberId: string): Array<{ id: string; type: 'group' | 'directoryRole'; displayName: string }> {
    const found = new Set<string>();
    const frontier = [memberId.toLowerCase()];
    while (frontier.length > 0) {
      const current = frontier.pop()!;
      for (const [container, set] of this.members) {
        if (set.has(current) && !found.has(container)) {
          found.add(container);
          frontier.push(container);
        }
      }
    }
    return [...this.objects].filter(([id]) => found.has(id)).map(([id, o]) => ({ id, ...o }));
  }

  /** Users and groups inside `groupId`, directly or through nested groups, in seeding order. */
  transitiveMembers(groupId: string): Array<{ id: string; type: 'user' | 'group'; displayName: string | null; mail?: string | null }> | undefined {
    const root = groupId.toLowerCase();
    if (this.objects.get(root)?.type !== 'group') return undefined;
    const found: string[] = [];
    const frontier = [root];
    while (frontier.length > 0) {
      for (const member of this.members.get(frontier.pop()!) ?? []) {
        if (found.includes(member) || member === root) continue;
        found.push(member);
        if (this.objects.get(member)?.type === 'group') frontier.push(member);
      }
    }
    type Member = { id: string; type: 'user' | 'group'; displayName: string | null; mail?: string | null };
    return found.flatMap((id): Member[] => {
      const user = this.users.get(id);
      if (user) return [{ id: user.id, type: 'user' as const, displayName: user.displayName, mail: user.mail ?? null }];
      const group = this.objects.get(id);
      return group?.type === 'group' ? [{ id, type: 'group' as const, displayName: group.displayName }] : [];
    });
  }

  acceptToken(token: string): void {
    this.accepted.add(token);
  }
  issueToken(userId?: string): string {
    const token = `stand-in-token-${randomUUID()}`;
    this.issuedTokens.push(token);
    if (userId) this.tokenUsers.set(token, userId.toLowerCase());
    return token;
  }
  /** Lets an on-behalf-of exchange of `assertion` (a person's Teams SSO token) issue a Graph token for `userId`. */
  addUserAssertion(assertion: string, userId: string): void {
    this.assertions.set(assertion, userId.toLowerCase());
  }
  userOfAssertion(assertion: string): string | undefined {
    return this.assertions.get(assertion);
  }
  isAcceptedToken(token: string): boolean {
    return this.accepted.has(token) || this.issuedTokens.includes(token);
  }

  failNext(route: string, count: number, failure: InjectedFailure = { status: 503 }): void {
    const queue = this.failures.get(route) ?? [];
    queue.push({ remaining: count, failure });
    this.failures.set(route, queue);
  }
  clearFailures(): void {
    this.failures.clear();
  }

  requestsTo(route: string): RecordedRequest[] {
    return this.requests.filter((r) => r.route === route);
  }
  clearRequests(): void {
    this.requests.length = 0;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      ),
    );
  }

  /** A failure queued for this route, or for '*' (every route that needs a Graph token). */
  private takeFailure(route: CompiledRoute): InjectedFailure | undefined {
    const needsToken = (route.auth ?? ((route.listener ?? 'graph') === 'graph' ? 'bearer' : 'none')) === 'bearer';
    for (const key of needsToken ? [route.name, '*'] : [route.name]) {
      const queue = this.failures.get(key);
      const head = queue?.[0];
      if (!queue || !head) continue;
      head.remaining -= 1;
      if (head.remaining <= 0) queue.shift();
      return head.failure;
    }
    return undefined;
  }

  private async dispatch(listener: 'graph' | 'authority', req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const body = parseBody(req.headers['content-type'], await readBody(req));
    const record: RecordedRequest = {
      listener,
      route: null,
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      authorization: req.headers.authorization,
      body: body instanceof URLSearchParams ? Object.fromEntries(body) : body,
      status: 0,
      startedAt: performance.now(),
      endedAt: Number.NaN,
    };
    this.requests.push(record);
    const send = (response: StandInResponse): void => {
      record.status = response.status;
      const headers: Record<string, string> = { ...response.headers };
      if (response.body !== undefined) headers['content-type'] ??= 'application/json';
      res.writeHead(response.status, headers);
      res.end(response.body === undefined ? undefined : typeof response.body === 'string' ? response.body : JSON.stringify(response.body));
      record.endedAt = performance.now();
    };

    let params: Record<string, string> = {};
    const route = this.routes.find((r) => {
      if ((r.listener ?? 'graph') !== listener || r.method !== record.method) return false;
      const match = r.pattern.exec(url.pathname);
      if (!match) return false;
      params = Object.fromEntries(r.keys.map((key, i) => [key, decodeURIComponent(match[i + 1])]));
      return true;
    });
    if (!route) {
      send({ status: 501, body: graphError('NotImplemented', `The Graph stand-in has no route for ${record.method} ${url.pathname}.`) });
      return;
    }
    record.route = route.name;

    const failure = this.takeFailure(route);
    if (failure?.disconnect) {
      record.status = -1;
      req.socket.destroy();
      return;
    }
    if (failure) {
      const status = failure.status ?? 503;
      const retryAfter = failure.retryAfter === undefined ? ([429, 503, 504].includes(status) ? '0' : null) : failure.retryAfter;
      send({ status, body: failure.body ?? defaultFailureBody[status] ?? graphError('UnknownError', 'Injected failure.'), headers: retryAfter === null ? {} : { 'Retry-After': retryAfter } });
      return;
    }
    if ((route.auth ?? (listener === 'graph' ? 'bearer' : 'none')) === 'bearer') {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token || !this.isAcceptedToken(token)) {
        send({ status: 401, body: graphError('InvalidAuthenticationToken', token ? 'Access token validation failure. Invalid audience.' : 'Access token is empty.') });
        return;
      }
    }
    try {
      send(await route.handle({ method: record.method, path: url.pathname, params, query: url.searchParams, headers: req.headers, body }));
    } catch (error) {
      send({ status: 500, body: graphError('generalException', `Graph stand-in route ${route.name} threw: ${String(error)}`) });
    }
  }
}

export async function startGraphStandIn(): Promise<GraphStandIn> {
  const { cert, key } = selfSignedCertificate();
  const standIn = new GraphStandIn(cert, key);
  await standIn.listen();
  return standIn;
}
function listenOn(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(contentType: string | undefined, raw: string): Json {
  if (raw === '') return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) return new URLSearchParams(raw);
  if (contentType?.includes('json')) {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}
