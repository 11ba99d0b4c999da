import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MicrosoftAppCredentials } from 'botframework-connector';
import { ConnectorClient } from 'botframework-connector';
import type { Activity } from 'botbuilder';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { leanActivityCalls } from '../../src/teams/connector-calls.js';
import { isConnectorUnreachable } from '../../src/teams/connector-deadline.js';
import { ConnectorStandIn } from '../support/connector-stand-in.js';

/** Credentials that sign with a fixed token, so the test sees the client's own signing reach the wire. */
class FixedTokenCredentials extends MicrosoftAppCredentials {
  constructor() {
    super('bot-app-id', 'secret');
  }
  override getToken(): Promise<string> {
    return Promise.resolve('fixed-token');
  }
}

/** A connector stand-in for the describe block, and a lean client of it (with or without retries), cleared before each test. */
function leanClientOfStandIn(retries: boolean): { connector: ConnectorStandIn; client: ConnectorClient } {
  const rig = {} as { connector: ConnectorStandIn; client: ConnectorClient };
  beforeAll(async () => {
    rig.connector = await ConnectorStandIn.start();
    rig.client = leanActivityCalls(new ConnectorClient(new FixedTokenCredentials(), { baseUri: rig.connector.serviceUrl }), { timeoutMs: 5000, retries });
  });
  afterAll(async () => {
    await rig.connector.close();
  });
  beforeEach(() => rig.connector.clear());
  return rig;
}

// The reply, send and update calls go out as plain JSON through their own short pipeline; what reaches
// the connector, and what a failure looks like to the app, must be what the generated operations gave.
describe('lean connector calls', () => {
  const rig = leanClientOfStandIn(false);
  const conversationId = 'a:1Zx/odd?id#with spaces';
  const activity = (text: string): Partial<Activity> => ({ type: 'message', text, timestamp: new Date('2026-12-01T10:00:00.000Z'), conversation: { id: conversationId } as Activity['conversation'] });

  it('sends, replies and updates as JSON at the encoded paths, signed, and returns the new id', async () => {
    const sent = await rig.client.conversations.sendToConversation(conversationId, activity('one'));
    const replied = await rig.client.conversations.replyToActivity(conversationId, 'act/1', activity('two'));
    const updated = await rig.client.conversations.updateActivity(conversationId, 'act/1', activity('three'));

    const calls = rig.connector.calls;
    expect(calls.map((c) => [c.method, c.path])).toEqual([
      ['POST', `/v3/conversations/${encodeURIComponent(conversationId)}/activities`],
      ['POST', `/v3/conversations/${encodeURIComponent(conversationId)}/activities/${encodeURIComponent('act/1')}`],
      ['PUT', `/v3/conversations/${encodeURIComponent(conversationId)}/activities/${encodeURIComponent('act/1')}`],
    ]);
    expect(calls.map((c) => c.authorization)).toEqual(['Bearer fixed-token', 'Bearer fixed-token', 'Bearer fixed-token']);
    expect(calls[0].body).toMatchObject({ type: 'message', text: 'one', timestamp: '2026-12-01T10:00:00.000Z' });
    expect(sent.id).toBe(calls[0].resourceId);
    expect(replied.id).toBe(calls[1].resourceId);
    expect(typeof sent.id).toBe('string');
    expect(updated.id).toBeDefined();
  });

  it('raises a throttle as a RestError with its status, Retry-After and the connector error code', async () => {
    rig.connector.failNext(1, { status: 429, retryAfterSeconds: 3 });
    const error = (await rig.client.conversations.sendToConversation(conversationId, activity('x')).catch((e: unknown) => e)) as {
      name: string;
      statusCode: number;
      code: string;
      message: string;
      response: { headers: { get(name: string): string | undefined } };
    };
    expect(error.name).toBe('RestError');
    expect(error.statusCode).toBe(429);
    expect(error.code).toBe('Throttled');
    expect(error.response.headers.get('retry-after')).toBe('3');
    expect(error.message).toBe('stand-in answered 429');
  });

  it('raises 403 and 404 with their status, so the notifier records the person as unreachable', async () => {
    rig.connector.failNext(1, { status: 403 });
    rig.connector.failNext(1, { status: 404 });
    const first = (await rig.client.conversations.replyToActivity(conversationId, 'a', activity('x')).catch((e: unknown) => e)) as { statusCode: number };
    const second = (await rig.client.conversations.updateActivity(conversationId, 'a', activity('x')).catch((e: unknown) => e)) as { statusCode: number };
    expect([first.statusCode, second.statusCode]).toEqual([403, 404]);
  });

  it('refuses a client of another shape instead of sending some other way', () => {
    expect(() => leanActivityCalls({ conversations: {} } as unknown as ConnectorClient, { timeoutMs: 5000, retries: true })).toThrow(/changed shape/);
  });

  it('without retries (proactive sends) makes each call once, a 503 included', async () => {
    rig.connector.failNext(1, { status: 503 });
    const error = (await rig.client.conversations.sendToConversation(conversationId, activity('once')).catch((e: unknown) => e)) as { statusCode: number };
    expect(error.statusCode).toBe(503);
    expect(rig.connector.calls.map((c) => c.status)).toEqual([503]);
  });

  it('sends nothing unsigned in local mode: credentials with no app id add no Authorization header', async () => {
    const local = leanActivityCalls(new ConnectorClient(new MicrosoftAppCredentials('', ''), { baseUri: rig.connector.serviceUrl }), { timeoutMs: 5000, retries: false });
    await local.conversations.sendToConversation(conversationId, activity('local'));
    expect(rig.connector.calls.map((c) => c.authorization ?? null)).toEqual([null]);
  });
});

describe('lean connector calls with retries (replies in a turn)', () => {
  const rig = leanClientOfStandIn(true);
  const conversationId = 'a:retrying';
  const activity = { type: 'message', text: 'hello', conversation: { id: conversationId } } as Partial<Activity>;

  it('waits out a 429 with Retry-After and sends the same signed activity again', async () => {
    rig.connector.failNext(1, { status: 429, retryAfterSeconds: 1 });
    const sent = await rig.client.conversations.replyToActivity(conversationId, 'act-1', activity);
    const calls = rig.connector.calls;
    expect(calls.map((c) => c.status)).toEqual([429, 201]);
    expect(calls[1].at.getTime() - calls[0].at.getTime()).toBeGreaterThanOrEqual(950);
    expect(calls[1].body).toEqual(calls[0].body);
    expect(calls.map((c) => c.authorization)).toEqual(['Bearer fixed-token', 'Bearer fixed-token']);
    expect(sent.id).toBe(calls[1].resourceId);
  });

  it('retries a 503 with backoff and returns the id of the delivered one', async () => {
    rig.connector.failNext(1, { status: 503 });
    const sent = await rig.client.conversations.sendToConversation(conversationId, activity);
    expect(rig.connector.calls.map((c) => c.status)).toEqual([503, 201]);
    expect(sent.id).toBe(rig.connector.calls[1].resourceId);
  });

  it('leaves a 403 alone: it is an answer, not an outage', async () => {
    rig.connector.failNext(1, { status: 403 });
    const error = (await rig.client.conversations.sendToConversation(conversationId, activity).catch((e: unknown) => e)) as { statusCode: number };
    expect(error.statusCode).toBe(403);
    expect(rig.connector.calls.map((c) => c.status)).toEqual([403]);
  });
});

describe('lean connector calls: deadline and proxy', () => {
  const servers: Server[] = [];
  const listen = async (server: Server): Promise<string> => {
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
  afterEach(async () => {
    vi.unstubAllEnvs();
    await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve).closeAllConnections())));
  });

  it('ends a call the connector never answers by the deadline, as unreachable', async () => {
    // Accepts the request and never answers: without a deadline the call would wait forever.
    const silent = await listen(createServer(() => undefined));
    const client = leanActivityCalls(new ConnectorClient(new FixedTokenCredentials(), { baseUri: silent }), { timeoutMs: 300, retries: true });
    const started = Date.now();
    const error = await client.conversations.sendToConversation('a:silent', { type: 'message', text: 'x' }).catch((e: unknown) => e);
    const took = Date.now() - started;
    expect(isConnectorUnreachable(error)).toBe(true);
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(3000);
  });

  it('holds the whole call, retries and their waits included, to one deadline', async () => {
    // Every attempt fails fast with a 503 and each retry waits out the policy's backoff (0.5–1 s,
    // then 1–2 s, then 2–4 s), so the second attempt comes before the deadline and the third after it:
    // only a deadline over the whole call ends it at 1.3 s rather than after 3.5 s or more.
    let attempts = 0;
    const failing = await listen(
      createServer((req, res) => {
        attempts += 1;
        req.resume();
        req.on('end', () => res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"code":"ServiceUnavailable","message":"down"}}'));
      }),
    );
    const client = leanActivityCalls(new ConnectorClient(new FixedTokenCredentials(), { baseUri: failing }), { timeoutMs: 1300, retries: true });
    const started = Date.now();
    const error = await client.conversations.sendToConversation('a:failing', { type: 'message', text: 'x' }).catch((e: unknown) => e);
    const took = Date.now() - started;
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(isConnectorUnreachable(error)).toBe(true);
    expect(took).toBeGreaterThanOrEqual(1250);
    expect(took).toBeLessThan(2500);
  });

  it('goes through the proxy that HTTP_PROXY names, as the client pipeline did', async () => {
    const connector = await ConnectorStandIn.start();
    try {
      const proxied: string[] = [];
      // A forward proxy for plain http: the request line carries the whole target URL.
      const proxy = await listen(
        createServer((req, res) => {
          proxied.push(`${req.method} ${req.url}`);
          const target = new URL(req.url ?? '/');
          const upstream = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          });
          req.pipe(upstream);
        }),
      );
      vi.stubEnv('HTTP_PROXY', proxy);
      vi.stubEnv('NO_PROXY', '');
      const client = leanActivityCalls(new ConnectorClient(new FixedTokenCredentials(), { baseUri: connector.serviceUrl }), { timeoutMs: 5000, retries: false });
      const sent = await client.conversations.sendToConversation('a:proxied', { type: 'message', text: 'via proxy' });
      expect(proxied).toEqual([`POST ${connector.serviceUrl.replace(/\/+$/, '')}/v3/conversations/${encodeURIComponent('a:proxied')}/activities`]);
      expect(sent.id).toBe(connector.calls[0].resourceId);
      expect(connector.calls[0].authorization).toBe('Bearer fixed-token');
    } finally {
      await connector.close();
    }
  });
});
