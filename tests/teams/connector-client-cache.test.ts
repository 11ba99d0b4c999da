import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { AuthenticationConstants, ClaimsIdentity, type ConnectorFactory } from 'botframework-connector';
import { describe, expect, it } from 'vitest';
import { CONNECTOR_DEADLINE_POLICY, CONNECTOR_RETRY_POLICY, ConnectorClientCache, withConnectorDeadline } from '../../src/teams/connector-deadline.js';

// botbuilder's own factory, as the adapter gets it: one per turn (and per proactive send), each
// building a new ConnectorClient unless the cache hands back the one already made.
const factory = (appId: string): ConnectorFactory =>
  new ConfigurationBotFrameworkAuthentication({ MicrosoftAppId: appId, MicrosoftAppPassword: 'secret', MicrosoftAppType: 'MultiTenant' }).createConnectorFactory(
    new ClaimsIdentity([{ type: AuthenticationConstants.AudienceClaim, value: appId }, { type: AuthenticationConstants.AppIdClaim, value: appId }], true),
  );

const policies = (client: unknown): string[] =>
  ((client as { client: { pipeline: { getOrderedPolicies(): Array<{ name: string }> } } }).client.pipeline.getOrderedPolicies()).map((p) => p.name);

describe('connector clients are reused across turns', () => {
  it('two factories of the same bot and cloud give the same client for one service URL', async () => {
    const cache = new ConnectorClientCache();
    const first = await withConnectorDeadline(factory('bot-a'), 5_000, { cache }).create('https://smba.trafficmanager.net/uk/', undefined);
    const second = await withConnectorDeadline(factory('bot-a'), 5_000, { cache }).create('https://smba.trafficmanager.net/uk/', undefined);
    expect(second).toBe(first);
    expect(cache.size).toBe(1);
    // The deadline is in its pipeline once, however often it is handed out.
    expect(policies(first).filter((p) => p === CONNECTOR_DEADLINE_POLICY)).toHaveLength(1);
  });

  it('keeps clients apart by service URL, bot, audience and retry setting', async () => {
    const cache = new ConnectorClientCache();
    const base = await withConnectorDeadline(factory('bot-a'), 5_000, { cache }).create('https://smba.trafficmanager.net/uk/', undefined);
    const otherUrl = await withConnectorDeadline(factory('bot-a'), 5_000, { cache }).create('https://smba.trafficmanager.net/emea/', undefined);
    const otherBot = await withConnectorDeadline(factory('bot-b'), 5_000, { cache }).create('https://smba.trafficmanager.net/uk/', undefined);
    const otherAudience = await withConnectorDeadline(factory('bot-a'), 5_000, { cache }).create('https://smba.trafficmanager.net/uk/', 'https://api.botframework.us');
    const proactive = await withConnectorDeadline(factory('bot-a'), 5_000, { cache, retries: false }).create('https://smba.trafficmanager.net/uk/', undefined);
    expect(new Set([base, otherUrl, otherBot, otherAudience, proactive]).size).toBe(5);
    // Turn replies keep botbuilder's retries; proactive sends (paced, retried by their jobs) do not.
    expect(policies(base)).toContain(CONNECTOR_RETRY_POLICY);
    expect(policies(proactive)).not.toContain(CONNECTOR_RETRY_POLICY);
  });

  it('holds a bounded number of clients, the oldest leaving first', async () => {
    const cache = new ConnectorClientCache(2);
    const make = (url: string) => withConnectorDeadline(factory('bot-a'), 5_000, { cache }).create(url, undefined);
    const a = await make('https://a.example/');
    await make('https://b.example/');
    await make('https://c.example/');
    expect(cache.size).toBe(2);
    expect(await make('https://a.example/')).not.toBe(a);
  });

  it('does not keep a client whose credentials could not be made', async () => {
    const cache = new ConnectorClientCache();
    let calls = 0;
    const failing = factory('bot-a');
    failing.create = () => {
      calls += 1;
      return Promise.reject(new Error('no credentials'));
    };
    await expect(withConnectorDeadline(failing, 5_000, { cache }).create('https://a.example/', undefined)).rejects.toThrow('no credentials');
    await expect(withConnectorDeadline(failing, 5_000, { cache }).create('https://a.example/', undefined)).rejects.toThrow('no credentials');
    expect(calls).toBe(2);
    expect(cache.size).toBe(0);
  });
});
