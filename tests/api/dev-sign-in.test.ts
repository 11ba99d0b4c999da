import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { startHub, type HubHarness } from '../support/hub-harness.js';

const RUTH = 'b0000000-0000-4000-8000-000000000006';

describe('the development sign-in', () => {
  it('is off unless asked for, and refused at start next to production credentials', () => {
    expect(loadConfig({}).tab.devSignIn).toBe(false);
    expect(loadConfig({ DEV_SIGN_IN: 'on' }).tab.devSignIn).toBe(true);
    expect(() => loadConfig({ DEV_SIGN_IN: 'on', BOT_ID: 'b', BOT_PASSWORD: 'p' })).toThrow(ConfigError);
    expect(() => loadConfig({ DEV_SIGN_IN: 'on', AAD_APP_CLIENT_ID: 'c', AAD_APP_TENANT_ID: 't' })).toThrow(/production credentials \(AAD_APP_CLIENT_ID\)/);
    const graph = { GRAPH_CLIENT_ID: 'g', GRAPH_CLIENT_SECRET: 's', GRAPH_TENANT_ID: 't' };
    expect(() => loadConfig({ DEV_SIGN_IN: 'on', ...graph })).toThrow(/production credentials \(GRAPH_CLIENT_ID\)/);
    // The Graph stand-in `npm run dev` starts on this machine reaches no tenant.
    expect(loadConfig({ DEV_SIGN_IN: 'on', ...graph, GRAPH_AUTHORITY_HOST: 'http://127.0.0.1:5999', GRAPH_BASE_URL: 'http://127.0.0.1:5999/v1.0' }).tab.devSignIn).toBe(true);
    expect(() => loadConfig({ DEV_SIGN_IN: 'yes' })).toThrow(ConfigError);
  });

  describe('when on (local run)', () => {
    let h: HubHarness;
    beforeAll(async () => {
      h = await startHub({ env: { SAMPLE_DATA: 'off', DEV_SIGN_IN: 'on' }, runJobs: false });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('offers the sample people and signs in as one of them, whose token then works on /api/v1/', async () => {
      const people = (await (await fetch(`${h.baseUrl}/api/dev-sign-in/people`)).json()) as { people: Array<{ aadObjectId: string; displayName: string }> };
      expect(people.people.map((p) => p.displayName)).toContain('Ruth Pennington');
      const signed = await fetch(`${h.baseUrl}/api/dev-sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ aadObjectId: RUTH }) });
      const { token } = (await signed.json()) as { token: string };
      const me = await fetch(`${h.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(((await me.json()) as { displayName: string }).displayName).toBe('Ruth Pennington');
    });

    it('refuses someone not in the roster, a malformed id, and a token signed with any other key', async () => {
      const post = (body: unknown) => fetch(`${h.baseUrl}/api/dev-sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect((await post({ aadObjectId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
      expect((await post({ aadObjectId: 'ruth' })).status).toBe(400);
      const forged = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuer('urn:development-hub:dev-sign-in').setAudience('urn:development-hub:tab').setSubject(RUTH).setExpirationTime('1h').sign(new TextEncoder().encode('x'.repeat(32)));
      const me = await fetch(`${h.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${forged}` } });
      expect(me.status).toBe(401);
      expect(((await me.json()) as { error: { code: string } }).error.code).toBe('token_invalid');
    });
  });

  it('does not exist when off', async () => {
    const h = await startHub({ env: { SAMPLE_DATA: 'off' }, runJobs: false });
    try {
      expect((await fetch(`${h.baseUrl}/api/dev-sign-in/people`)).status).toBe(404);
      // Neither Entra nor the local sign-in configured: a token cannot be checked, which is the server's fault.
      const me = await fetch(`${h.baseUrl}/api/v1/me`, { headers: { authorization: 'Bearer a.b.c' } });
      expect(me.status).toBe(503);
      expect(((await me.json()) as { error: { code: string } }).error.code).toBe('auth_not_configured');
    } finally {
      await h.close();
    }
  });
});
