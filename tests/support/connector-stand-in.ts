import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectorLimits, type ConnectorCounters, type ConnectorLimitRules } from './connector-limits.js';

/**
 * A local Bot Connector service: the REST routes of the Bot Framework Connector API
 * (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference)
 * that the app calls, plus the Teams-specific team routes. Used as the activity's `serviceUrl`,
 * it records everything the app sends and can be told to throttle (429 + Retry-After) or fail (503).
 * With `enforceLimits` it also holds the app to Teams' rate limits as Teams does (429 + Retry-After;
 * see connector-limits.ts) and counts accepted, rejected and duplicate deliveries. Control routes
 * for a stand-in in another process (bench/support/connector-process.ts): GET /_stand-in/counters,
 * POST /_stand-in/reset, POST /_stand-in/limits (a ConnectorLimitRules body).
 */

/** Wire JSON as the stand-in received it; tests assert on its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- arbitrary JSON bodies, read only by assertions
export type Json = any;

export type ConnectorRouteKind =
  | 'reply' // POST /v3/conversations/{conversationId}/activities/{activityId}
  | 'send' // POST /v3/conversations/{conversationId}/activities
  | 'update' // PUT /v3/conversations/{conversationId}/activities/{activityId}
  | 'delete' // DELETE /v3/conversations/{conversationId}/activities/{activityId}
  | 'createConversation' // POST /v3/conversations
  | 'members' // GET /v3/conversations/{conversationId}/members
  | 'member' // GET /v3/conversations/{conversationId}/members/{memberId}
  | 'pagedMembers' // GET /v3/conversations/{conversationId}/pagedmembers
  | 'teamDetails' // GET /v3/teams/{teamId}
  | 'teamConversations' // GET /v3/teams/{teamId}/conversations
  | 'unknown';

/** Kinds that deliver an activity into a conversation (what a person would see). */
const DELIVERY_KINDS: ReadonlySet<ConnectorRouteKind> = new Set(['reply', 'send']);
/** Kinds that count towards a conversation's own windows. */
const CONVERSATION_KINDS: ReadonlySet<ConnectorRouteKind> = new Set(['reply', 'send', 'update', 'delete']);

export interface ConnectorCall {
  method: string;
  path: string;
  kind: ConnectorRouteKind;
  conversationId: string | undefined;
  activityId: string | undefined;
  memberId: string | undefined;
  teamId: string | undefined;
  /** The parsed JSON body (an Activity for reply/send/update, ConversationParameters for create). */
  body: Json;
  authorization: string | undefined;
  /** The status the stand-in answered with. */
  status: number;
  /** The id handed back in the ResourceResponse, when there was one. */
  resourceId: string | undefined;
  at: Date;
}

export interface ChannelAccountRecord {
  id: string;
  name?: string;
  aadObjectId?: string;
  email?: string;
  userPrincipalName?: string;
  givenName?: string;
  surname?: string;
  tenantId?: string;
  userRole?: string;
}

export interface FailureRule {
  /** 403: the app was removed or blocked; 404: the conversation is gone; the rest: throttling and outages. */
  status: 403 | 404 | 412 | 429 | 500 | 502 | 503 | 504;
  /** Seconds, sent as the Retry-After header. */
  retryAfterSeconds?: number;
  /** Only calls of this kind are failed (and counted); others pass. */
  kind?: ConnectorRouteKind;
}

interface PendingFailure extends FailureRule {
  remaining: number;
}

interface Waiter {
  predicate: (call: ConnectorCall) => boolean;
  resolve: (call: ConnectorCall) => void;
}

export class ConnectorStandIn {
  readonly calls: ConnectorCall[] = [];
  private readonly failures: PendingFailure[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly members = new Map<string, ChannelAccountRecord[]>();
  private readonly teams = new Map<string, { name: string; aadGroupId?: string; channels: Array<{ id: string; name?: string }> }>();

  private readonly limits: ConnectorLimits;

  private constructor(
    private readonly server: Server,
    /** Base URL ending in '/', exactly as Teams sends `serviceUrl`. */
    readonly serviceUrl: string,
    private readonly now: () => number,
  ) {
    this.limits = new ConnectorLimits(now);
  }

  /** `now`: the stand-in's clock for its rate windows (tests drive it; default the wall clock). */
  static async start(options: { now?: () => number; port?: number; host?: string } = {}): Promise<ConnectorStandIn> {
    const holder: { standIn?: ConnectorStandIn } = {};
    const server = createServer((req, res) => {
      void holder.standIn!.handle(req, res);
    });
    // Many app processes post at once in the benches: keep connections alive rather than refuse them.
    server.keepAliveTimeout = 30_000;
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
    const { port } = server.address() as AddressInfo;
    holder.standIn = new ConnectorStandIn(server, `http://${host}:${port}/`, options.now ?? Date.now);
    return holder.standIn;
  }

  /** Holds every later call to these limits (replaces earlier rules; `{}` stops enforcing). */
  enforceLimits(rules: ConnectorLimitRules): void {
    this.limits.enforce(rules);
  }

  /** Accepted / rejected (429 by the limits) / duplicate counts and the achieved rate since the last reset. */
  counters(): ConnectorCounters {
    return this.limits.counters();
  }

  /** Forgets the counters and the windows' history (not the rules). */
  resetCounters(): void {
    this.limits.reset();
  }

  /** Answer the next `count` matching calls with an error (429 with Retry-After, or 5xx). */
  failNext(count: number, rule: FailureRule): void {
    this.failures.push({ ...rule, remaining: count });
  }

  /** The roster TeamsInfo / GET members returns for a conversation (or a team id). */
  setMembers(conversationId: string, members: ChannelAccountRecord[]): void {
    this.members.set(conversationId, members);
  }

  /** What GET /v3/teams/{teamId} and /conversations return. */
  setTeam(teamId: string, team: { name: string; aadGroupId?: string; channels: Array<{ id: string; name?: string }> }): void {
    this.teams.set(teamId, team);
  }

  /** Activities that reached a conversation (replies and sends answered 2xx), in order. */
  delivered(conversationId?: string): ConnectorCall[] {
    return this.calls.filter(
      (c) => DELIVERY_KINDS.has(c.kind) && c.status < 300 && (conversationId === undefined || c.conversationId === conversationId),
    );
  }

  /** Adaptive Card contents of every delivered activity, in order. */
  deliveredCards(conversationId?: string): Array<Record<string, Json>> {
    return this.delivered(conversationId).flatMap((c) => adaptiveCards(c.body));
  }

  /** Resolves with the first call (already recorded or still to come) that matches. */
  waitFor(predicate: (call: ConnectorCall) => boolean, timeoutMs = 5000): Promise<ConnectorCall> {
    const seen = this.calls.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve: (call) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(call);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const summary = this.calls.map((c) => `${c.method} ${c.path} → ${c.status}`).join('\n  ');
        reject(new Error(`connector stand-in: no matching call within ${timeoutMs} ms; calls so far:\n  ${summary || '(none)'}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  /** Waits for the next delivered activity (reply or send, 2xx) into a conversation. */
  waitForDelivery(conversationId?: string, timeoutMs = 5000): Promise<ConnectorCall> {
    return this.waitFor(
      (c) => DELIVERY_KINDS.has(c.kind) && c.status < 300 && (conversationId === undefined || c.conversationId === conversationId),
      timeoutMs,
    );
  }

  /** Forget recorded calls (not members, teams or pending failures). */
  clear(): void {
    this.calls.length = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? '/', this.serviceUrl);
    if (url.pathname.startsWith('/_stand-in/')) {
      this.control(req.method ?? 'GET', url.pathname, raw, res);
      return;
    }
    const route = matchRoute(req.method ?? 'GET', url.pathname);
    let body: unknown;
    try {
      body = raw.length > 0 ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const call: ConnectorCall = {
      method: req.method ?? 'GET',
      path: url.pathname,
      ...route,
      body,
      authorization: req.headers.authorization,
      status: 0,
      resourceId: undefined,
      at: new Date(this.now()),
    };

    const failure = this.takeFailure(route.kind);
    if (failure) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (failure.retryAfterSeconds !== undefined) headers['retry-after'] = String(failure.retryAfterSeconds);
      const code = failure.status === 429 ? 'Throttled' : 'ServiceError';
      this.answer(res, call, failure.status, { error: { code, message: `stand-in answered ${failure.status}` } }, headers);
      return;
    }
    if (route.kind !== 'unknown') {
      const retryAfter = this.limits.check(conversationRoot(route.conversationId), CONVERSATION_KINDS.has(route.kind));
      if (retryAfter !== undefined) {
        this.answer(res, call, 429, { error: { code: 'Throttled', message: 'Too many requests' } }, { 'content-type': 'application/json', 'retry-after': String(retryAfter) });
        return;
      }
    }

    switch (route.kind) {
      case 'reply':
      case 'send':
      case 'update': {
        if (!isActivityBody(body)) {
          this.answer(res, call, 400, { error: { code: 'BadArgument', message: 'The body is not an activity.' } });
          return;
        }
        const id = route.kind === 'update' ? route.activityId! : `${Date.now()}${Math.floor(Math.random() * 1000)}`;
        call.resourceId = id;
        this.answer(res, call, route.kind === 'update' ? 200 : 201, { id });
        return;
      }
      case 'delete':
        this.answer(res, call, 200, undefined);
        return;
      case 'createConversation': {
        const params = (body ?? {}) as { isGroup?: boolean; channelData?: { channel?: { id?: string } } };
        // Teams returns the existing 1:1 chat id ('a:…'); a channel post gets the channel id plus the new thread id.
        const channelId = params.channelData?.channel?.id;
        const activityId = `${Date.now()}`;
        const id = channelId ? `${channelId};messageid=${activityId}` : `a:${randomUUID().replaceAll('-', '')}`;
        call.resourceId = id;
        this.answer(res, call, 201, { id, activityId, serviceUrl: this.serviceUrl });
        return;
      }
      case 'members':
        this.answer(res, call, 200, this.rosterOf(route.conversationId!));
        return;
      case 'pagedMembers':
        this.answer(res, call, 200, { members: this.rosterOf(route.conversationId!) });
        return;
      case 'member': {
        const member = this.rosterOf(route.conversationId!).find(
          (m) => m.id === route.memberId || m.aadObjectId === route.memberId,
        );
        if (member) this.answer(res, call, 200, member);
        else this.answer(res, call, 404, { error: { code: 'MemberNotFoundInConversation', message: 'The member was not found in the conversation.' } });
        return;
      }
      case 'teamDetails': {
        const team = this.teams.get(route.teamId!);
        if (team) this.answer(res, call, 200, { id: route.teamId, name: team.name, aadGroupId: team.aadGroupId });
        else this.answer(res, call, 404, { error: { code: 'NotFound', message: 'The team was not found.' } });
        return;
      }
      case 'teamConversations': {
        const team = this.teams.get(route.teamId!);
        this.answer(res, call, team ? 200 : 404, team ? { conversations: team.channels } : { error: { code: 'NotFound', message: 'The team was not found.' } });
        return;
      }
      case 'unknown':
        this.answer(res, call, 404, { error: { code: 'NotFound', message: `No connector route for ${call.method} ${call.path}` } });
        return;
    }
  }

  /** A channel thread ('…;messageid=…') has the roster of its channel, as in Teams. */
  private rosterOf(conversationId: string): ChannelAccountRecord[] {
    return this.members.get(conversationId) ?? this.members.get(conversationId.split(';messageid=')[0]) ?? [];
  }

  private takeFailure(kind: ConnectorRouteKind): PendingFailure | undefined {
    const failure = this.failures.find((f) => f.remaining > 0 && (f.kind === undefined || f.kind === kind));
    if (!failure) return undefined;
    failure.remaining -= 1;
    if (failure.remaining === 0) this.failures.splice(this.failures.indexOf(failure), 1);
    return failure;
  }

  private control(method: string, pathname: string, raw: string, res: ServerResponse): void {
    const reply = (status: number, body: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (method === 'GET' && pathname === '/_stand-in/counters') return reply(200, this.counters());
    if (method === 'POST' && pathname === '/_stand-in/reset') {
      this.resetCounters();
      this.clear();
      return reply(200, { ok: true });
    }
    if (method === 'POST' && pathname === '/_stand-in/limits') {
      this.enforceLimits(JSON.parse(raw || '{}') as ConnectorLimitRules);
      return reply(200, { ok: true });
    }
    reply(404, { error: { code: 'NotFound', message: 'unknown stand-in control route' } });
  }

  private answer(res: ServerResponse, call: ConnectorCall, status: number, payload: unknown, headers: Record<string, string> = {}): void {
    call.status = status;
    this.calls.push(call);
    if (status < 300 && call.kind !== 'unknown') {
      this.limits.accepted(conversationRoot(call.conversationId), CONVERSATION_KINDS.has(call.kind), DELIVERY_KINDS.has(call.kind) ? call.body : undefined, call.conversationId);
    }
    const text = payload === undefined ? '' : JSON.stringify(payload);
    res.writeHead(status, { ...(text ? { 'content-type': 'application/json; charset=utf-8' } : {}), ...headers });
    res.end(text);
    for (const waiter of [...this.waiters]) if (waiter.predicate(call)) waiter.resolve(call);
  }
}

type RouteMatch = Pick<ConnectorCall, 'kind' | 'conversationId' | 'activityId' | 'memberId' | 'teamId'>;

function matchRoute(method: string, pathname: string): RouteMatch {
  const parts = pathname.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  const none: RouteMatch = { kind: 'unknown', conversationId: undefined, activityId: undefined, memberId: undefined, teamId: undefined };
  if (parts[0] !== 'v3') return none;
  if (parts[1] === 'conversations') {
    const [, , conversationId, collection, item] = parts;
    if (!conversationId) return method === 'POST' ? { ...none, kind: 'createConversation' } : none;
    const base = { ...none, conversationId };
    if (collection === 'activities') {
      if (!item) return method === 'POST' ? { ...base, kind: 'send' } : base;
      const withId = { ...base, activityId: item };
      if (parts.length > 5) return withId; // e.g. …/activities/{id}/members: not used by the app
      if (method === 'POST') return { ...withId, kind: 'reply' };
      if (method === 'PUT') return { ...withId, kind: 'update' };
      if (method === 'DELETE') return { ...withId, kind: 'delete' };
      return withId;
    }
    if (collection === 'members' && method === 'GET') return item ? { ...base, kind: 'member', memberId: item } : { ...base, kind: 'members' };
    if (collection === 'pagedmembers' && method === 'GET') return { ...base, kind: 'pagedMembers' };
    return base;
  }
  if (parts[1] === 'teams' && parts[2] && method === 'GET') {
    if (parts.length === 3) return { ...none, kind: 'teamDetails', teamId: parts[2] };
    if (parts[3] === 'conversations') return { ...none, kind: 'teamConversations', teamId: parts[2] };
  }
  return none;
}

/** A channel thread ('…;messageid=…') counts towards its channel's windows. */
function conversationRoot(conversationId: string | undefined): string | undefined {
  return conversationId?.split(';messageid=')[0];
}

function isActivityBody(body: unknown): body is { type: string } {
  return typeof body === 'object' && body !== null && typeof (body as { type?: unknown }).type === 'string';
}

/** The Adaptive Cards inside an activity's attachments. */
export function adaptiveCards(activity: unknown): Array<Record<string, Json>> {
  const attachments = (activity as { attachments?: Array<{ contentType?: string; content?: unknown }> } | undefined)?.attachments ?? [];
  return attachments
    .filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive')
    .map((a) => a.content as Record<string, Json>);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
