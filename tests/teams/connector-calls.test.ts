import { MicrosoftAppCredentials } from 'botframework-connector';
import { ConnectorClient } from 'botframework-connector';
import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { leanActivityCalls } from '../../src/teams/connector-calls.js';
import { removeConnectorRetry } from '../../src/teams/connector-deadline.js';
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

// The reply, send and update calls go through the client's pipeline as plain JSON; what reaches the
// connector, and what a failure looks like to the app, must be what the generated operations gave.
describe('lean connector calls', () => {
  let connector: ConnectorStandIn;
  let client: ConnectorClient;
  const conversationId = 'a:1Zx/odd?id#with spaces';
  const activity = (text: string): Partial<Activity> => ({ type: 'message', text, timestamp: new Date('2026-12-01T10:00:00.000Z'), conversation: { id: conversationId } as Activity['conversation'] });

  beforeAll(async () => {
    connector = await ConnectorStandIn.start();
    client = leanActivityCalls(removeConnectorRetry(new ConnectorClient(new FixedTokenCredentials(), { baseUri: connector.serviceUrl })));
  });
  afterAll(async () => {
    await connector.close();
  });
  beforeEach(() => connector.clear());

  it('sends, replies and updates as JSON at the encoded paths, signed, and returns the new id', async () => {
    const sent = await client.conversations.sendToConversation(conversationId, activity('one'));
    const replied = await client.conversations.replyToActivity(conversationId, 'act/1', activity('two'));
    const updated = await client.conversations.updateActivity(conversationId, 'act/1', activity('three'));

    const calls = connector.calls;
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
    connector.failNext(1, { status: 429, retryAfterSeconds: 3 });
    const error = (await client.conversations.sendToConversation(conversationId, activity('x')).catch((e: unknown) => e)) as {
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
    connector.failNext(1, { status: 403 });
    connector.failNext(1, { status: 404 });
    const first = (await client.conversations.replyToActivity(conversationId, 'a', activity('x')).catch((e: unknown) => e)) as { statusCode: number };
    const second = (await client.conversations.updateActivity(conversationId, 'a', activity('x')).catch((e: unknown) => e)) as { statusCode: number };
    expect([first.statusCode, second.statusCode]).toEqual([403, 404]);
  });

  it('refuses a client of another shape instead of sending some other way', () => {
    expect(() => leanActivityCalls({ conversations: {} } as unknown as ConnectorClient)).toThrow(/changed shape/);
  });
});
