import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTabAuthenticator } from '../../../src/api/tab-auth.js';
import { systemClock } from '../../../src/shared/clock.js';
import { EntraStandIn, OTHER_TENANT, strangerKey, TEST_CLIENT_ID, TEST_TENANT } from '../../support/entra-stand-in.js';
import { startHub, type HubHarness } from '../../support/hub-harness.js';
import { api, expectError, ruth } from './commission-fixtures.js';

// Tokens signed by a local key set the stand-in serves as Entra's JWKS; the app fetches it over HTTP.
let entra: EntraStandIn;
let h: HubHarness;
beforeAll(async () => {
  entra = await EntraStandIn.start();
  h = await startHub({ env: { SAMPLE_DATA: 'off', ...entra.env() }, runJobs: false });
});
afterAll(async () => {
  await h?.close();
  await entra?.close();
});

const raw = async (path: string, init: RequestInit = {}) => {
  const response = await fetch(`${h.baseUrl}/api/v1/${path}`, init);
  return { status: response.status, body: (await response.json()) as { error: { code: string; message: string } } };
};

describe('the tab API authenticates before it routes', () => {
  it('answers every path without a token, real or not, with the same 401 token_missing', async () => {
    const answers = await Promise.all([raw('me'), raw('commissions'), raw('no/such/path'), raw('commissions', { method: 'POST' })]);
    for (const answer of answers) expect(answer).toEqual({ status: 401, body: { error: { code: 'token_missing', message: 'Sign in: the request carries no token.' } } });
    // Even a body that is not JSON learns nothing before sign-in.
    const broken = await raw('commissions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' });
    expect(broken.body.error.code).toBe('token_missing');
  });

  it('returns the signed-in person and their roles from GET /api/v1/me', async () => {
    const me = await api(h, entra, ruth, 'GET', 'me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ aadObjectId: ruth.aadObjectId, displayName: 'Ruth Pennington', roles: ['staff', 'academy_leader'], leaderOfAcademyIds: ['brookside'] });
    expect(me.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a token that is not a JWT, expired past the skew, for another app, another tenant or without the scope', async () => {
    const cases: Array<[string, Promise<string> | string, string]> = [
      ['garbage', 'not-a-token', 'token_invalid'],
      ['expired', entra.token({ oid: ruth.aadObjectId }, { expiresInSeconds: -300, notBefore: Math.floor(Date.now() / 1000) - 4000 }), 'token_expired'],
      ['api:// audience (a v1-style aud)', entra.token({ oid: ruth.aadObjectId, aud: `api://devhub.example.net/${TEST_CLIENT_ID}` }), 'token_wrong_audience'],
      ['another tenant', entra.token({ oid: ruth.aadObjectId, tid: OTHER_TENANT, iss: `https://login.microsoftonline.com/${OTHER_TENANT}/v2.0` }), 'token_wrong_tenant'],
      ['tid of another tenant under our issuer', entra.token({ oid: ruth.aadObjectId, tid: OTHER_TENANT }), 'token_wrong_tenant'],
      ['no access_as_user', entra.token({ oid: ruth.aadObjectId, scp: 'User.Read' }), 'token_wrong_scope'],
      ['no scope at all', entra.token({ oid: ruth.aadObjectId, scp: undefined }), 'token_wrong_scope'],
      ['no oid', entra.token({}), 'token_invalid'],
      ['signed by a key Entra never published', entra.token({ oid: ruth.aadObjectId }, { signWith: await strangerKey() }), 'token_invalid'],
    ];
    for (const [what, token, code] of cases) {
      const answer = await api(h, entra, await token, 'GET', 'me');
      expect({ what, status: answer.status, code: answer.body?.error?.code }).toEqual({ what, status: 401, code });
    }
  });

  it('accepts a token just past expiry within the allowed clock skew', async () => {
    const token = await entra.token({ oid: ruth.aadObjectId }, { expiresInSeconds: -60, notBefore: Math.floor(Date.now() / 1000) - 3600 });
    expect((await api(h, entra, token, 'GET', 'me')).status).toBe(200);
  });

  it('logs rejected tokens by code only, never the token', async () => {
    const token = await entra.token({ oid: ruth.aadObjectId, scp: 'User.Read' });
    await api(h, entra, token, 'GET', 'me');
    const line = h.logs.find((l) => l.msg === 'tab token rejected' && l.code === 'token_wrong_scope');
    expect(line).toBeDefined();
    expect(JSON.stringify(h.logs)).not.toContain(token.split('.')[2]);
  });

  it('answers a known path with the wrong method 405 and an unknown one 404, once signed in', async () => {
    expectError(await api(h, entra, ruth, 'DELETE', 'me'), 405, 'method_not_allowed');
    expectError(await api(h, entra, ruth, 'GET', 'no/such/path'), 404, 'not_found');
  });
});

describe('the signing keys', () => {
  it('are cached, refetched when Entra rotates to a new key, and an outage answers 503 auth_keys_unavailable', async () => {
    const keys = await EntraStandIn.start();
    try {
      const auth = createTabAuthenticator(
        { entra: { clientId: TEST_CLIENT_ID, tenantId: TEST_TENANT, authorityHost: keys.authorityHost }, devSignIn: false, teamsAppId: undefined },
        systemClock,
        undefined,
        { keySetCooldownMs: 0 },
      );
      const bearer = async (kid?: string) => `Bearer ${await keys.token({ oid: ruth.aadObjectId }, kid ? { kid } : {})}`;
      expect((await auth.authenticate(await bearer())).ok).toBe(true);
      expect((await auth.authenticate(await bearer())).ok).toBe(true);
      expect(keys.fetches).toBe(1);
      await keys.rotate('key-2');
      expect((await auth.authenticate(await bearer('key-2'))).ok).toBe(true);
      expect(keys.fetches).toBe(2);
      await keys.rotate('key-3');
      keys.failWith = 500;
      const outage = await auth.authenticate(await bearer('key-3'));
      expect(outage.ok ? 'ok' : outage.code).toBe('auth_keys_unavailable');
      // Tokens signed with a key already cached still pass during the outage.
      expect((await auth.authenticate(await bearer('key-1'))).ok).toBe(true);
    } finally {
      await keys.close();
    }
  });
});
