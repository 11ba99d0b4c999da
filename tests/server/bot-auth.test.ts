import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamsPerson } from '../support/activities.js';
import { startBotFrameworkKeys, signToken, channelClaims, type BotFrameworkKeys } from '../support/bot-framework-keys.js';
import { startHub, type HubHarness } from '../support/hub-harness.js';

// botbuilder validates every token; the app only decides what a refusal looks like: 401 with a
// stable code for a bad token, 503 when the signing keys cannot be fetched, never botbuilder's text.

const appId = '6b3b2b7e-6a55-4f3c-9d2e-1c1d2f3a4b5c';
const env = (metadataUrl: string): Record<string, string> => ({
  BOT_ID: appId,
  BOT_PASSWORD: 'test-secret-not-real',
  BOT_TENANT_ID: '11111111-2222-4333-8444-555555555555',
  PEOPLE_DIRECTORY: 'sample',
  BOT_OPENID_METADATA_URL: metadataUrl,
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const noInternals = (text: string): void => {
  expect(text).not.toMatch(/openid|metadata|ECONNREFUSED|FetchError|jwks|\bat .+\.js:\d+|Failed to load/i);
};

describe('bot tokens checked against Bot Framework keys', () => {
  let keys: BotFrameworkKeys;
  let h: HubHarness;
  beforeAll(async () => {
    keys = await startBotFrameworkKeys();
    h = await startHub({ env: env(keys.metadataUrl) });
  });
  afterAll(async () => {
    await h?.close();
    await keys?.close();
  });

  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const cases: Array<[string, () => string]> = [
    ['signed with another key', () => signToken(channelClaims(appId, h.connector.serviceUrl), otherKey, keys.kid)],
    ['an unknown key id', () => signToken(channelClaims(appId, h.connector.serviceUrl), keys.privateKey, 'no-such-kid')],
    ['expired', () => signToken({ ...channelClaims(appId, h.connector.serviceUrl, Date.now() - 7_200_000) }, keys.privateKey, keys.kid)],
    ['for another bot', () => signToken(channelClaims('00000000-0000-4000-8000-000000000999', h.connector.serviceUrl), keys.privateKey, keys.kid)],
    ['from another issuer', () => signToken({ ...channelClaims(appId, h.connector.serviceUrl), iss: 'https://evil.example' }, keys.privateKey, keys.kid)],
    ['with alg none', () => signToken(channelClaims(appId, h.connector.serviceUrl), keys.privateKey, keys.kid, 'none')],
    ['for another serviceUrl', () => signToken(channelClaims(appId, 'https://smba.example/'), keys.privateKey, keys.kid)],
  ];

  it.each(cases)('refuses a well-formed token %s with 401 unauthorized, doing nothing', async (_label, token) => {
    const person = teamsPerson('Token Tester');
    const answer = await h.post(h.activities.message({ text: 'help', from: person }), { authorization: `Bearer ${token()}` });

    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    noInternals(JSON.stringify(answer.body));
    expect(h.connector.calls).toEqual([]);
    const rows = await h.db.selectFrom('conversation_reference').select('key').where('key', '=', `person:${person.aadObjectId}`).execute();
    expect(rows).toEqual([]);
  });

  it('logs each rejected token at warn with the reason, never the token, at most 20 a minute', async () => {
    const before = h.logs.length;
    const token = signToken(channelClaims(appId, h.connector.serviceUrl), otherKey, keys.kid);
    for (let i = 0; i < 30; i += 1) {
      expect((await h.post(h.activities.message({ text: 'help', from: teamsPerson('Flood') }), { authorization: `Bearer ${token}` })).status).toBe(401);
    }
    const lines = h.logs.slice(before).filter((l) => l.msg === 'bot token rejected');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(20);
    expect(lines.every((l) => l.level === 40 && l.code === 'unauthorized' && typeof l.reason === 'string' && l.reason.length > 0)).toBe(true);
    expect(JSON.stringify(h.logs.slice(before))).not.toContain(token.split('.')[2]);
  });
});

describe.each([
  ['cannot be reached (connection refused)', 'refused'],
  ['answers 500', 'failing'],
] as const)('bot tokens when the Bot Framework metadata %s', (_label, outage) => {
  let h: HubHarness;
  let keys: BotFrameworkKeys | undefined;
  beforeAll(async () => {
    let metadataUrl = `http://127.0.0.1:${await closedPort()}/v1/.well-known/openidconfiguration`;
    if (outage === 'failing') {
      keys = await startBotFrameworkKeys();
      keys.mode = 'failing';
      metadataUrl = keys.metadataUrl;
    }
    h = await startHub({ env: env(metadataUrl) });
  });
  afterAll(async () => {
    await h?.close();
    await keys?.close();
  });

  it('answers a well-formed token with 503 auth_unavailable, quoting nothing internal, and logs it', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const token = signToken(channelClaims(appId, h.connector.serviceUrl), privateKey, 'any');
    const before = h.logs.length;

    const started = Date.now();
    const answer = await h.post(h.activities.message({ text: 'help', from: teamsPerson('Unreachable') }), { authorization: `Bearer ${token}` });

    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({ error: { code: 'auth_unavailable', message: expect.any(String) } });
    noInternals(JSON.stringify(answer.body));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(h.connector.calls).toEqual([]);
    const line = h.logs.slice(before).find((l) => l.code === 'auth_unavailable');
    expect(line?.level).toBe(50);
    expect(JSON.stringify(h.logs.slice(before))).not.toContain(token);
  });

  it.each(['Bearer garbage', 'Bearer a.b.c', 'Basic dXNlcjpwYXNz', 'garbage', ''])('still answers a malformed Authorization %j with 401', async (authorization) => {
    const answer = await h.post(h.activities.message({ text: 'help', from: teamsPerson('Bad Token') }), authorization ? { authorization } : {});
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe('unauthorized');
  });
});
