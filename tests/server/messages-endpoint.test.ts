import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamsPerson } from '../support/activities.js';
import { isWelcomeCard, startHub, useHub, type HubHarness } from '../support/hub-harness.js';

describe('POST /api/messages with a body that is not an activity', () => {
  const h = useHub();

  it('answers HEAD /api/messages (the Agents Playground probes it) without logging a failure', async () => {
    const before = h.logs.length;
    const answer = await fetch(`${h.baseUrl}/api/messages`, { method: 'HEAD' });
    expect(answer.status).toBe(200);
    expect(h.logs.slice(before).filter((l) => l.level >= 40)).toEqual([]);
  });

  // Was 400 invalid_activity: a body that is not JSON is now refused for its media type before it is read.
  it('refuses a multipart body with 415 unsupported_media_type (only JSON is read)', async () => {
    const boundary = 'xyz';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="type"\r\n\r\nmessage\r\n--${boundary}--\r\n`;

    const answer = await h.postRaw(body, { 'content-type': `multipart/form-data; boundary=${boundary}` });

    expect(answer.status).toBe(415);
    expect(answer.body).toEqual({ error: { code: 'unsupported_media_type', message: expect.any(String) } });
  });

  it.each(['{not json', '{"type":"message",', "{'type':'message'}"])('rejects invalid JSON %j with 400 invalid_body and keeps serving', async (raw) => {
    const before = h.logs.length;

    const answer = await h.postRaw(raw);

    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/json');
    expect(answer.body).toEqual({ error: { code: 'invalid_body', message: expect.any(String) } });
    expect(JSON.stringify(answer.body)).not.toMatch(/\bat .+\.js:\d+/); // no stack trace
    expect(h.logs.slice(before).some((l) => l.level >= 40)).toBe(true);
    expect((await h.get('/healthz')).status).toBe(200);
  });

  it.each([
    ['an array', '[]'],
    ['a string', '"hello"'],
    ['null', 'null'],
    ['an empty body', ''],
    ['an object without type', '{"text":"help"}'],
    ['an empty type', '{"type":""}'],
  ])('rejects JSON that is %s with 400 invalid_activity', async (_label, raw) => {
    const answer = await h.postRaw(raw);

    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: { code: 'invalid_activity', message: expect.any(String) } });
  });

  it.each([
    ['no conversation', { conversation: undefined }],
    ['no sender', { from: undefined }],
    ['no recipient', { recipient: undefined }],
    ['no channelId', { channelId: undefined }],
    ['no serviceUrl', { serviceUrl: undefined }],
    ['a serviceUrl that is not a URL', { serviceUrl: 'not a url' }],
  ])('rejects an activity with %s with 400 invalid_activity, sending nothing', async (_label, overrides) => {
    const activity = h.activities.message({ text: 'help', from: teamsPerson('Broken Envelope'), overrides });
    const before = h.logs.length;

    const answer = await h.post(activity);

    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid_activity');
    expect(h.logs.slice(before).find((l) => l.msg === 'malformed activity rejected')).toBeDefined();
    expect(h.connector.calls).toEqual([]);
  });

  // The code was body_too_large; every 413 now says payload_too_large (src/shared/http-errors.ts).
  it('rejects a body over 1 MB with 413 payload_too_large', async () => {
    const answer = await h.postRaw(JSON.stringify({ type: 'message', text: 'x'.repeat(1024 * 1024) }));
    expect(answer.status).toBe(413);
    expect(answer.body.error.code).toBe('payload_too_large');
  });

  it('still answers activities and /healthz after a run of bad requests', async () => {
    await Promise.all([h.postRaw('{'), h.postRaw('[]'), h.postRaw('{"type":1}')]);
    const person = teamsPerson('After The Storm');

    const answer = await h.post(h.activities.message({ text: 'help', from: person }));

    expect(answer.status).toBe(200);
    expect(isWelcomeCard(h.connector.deliveredCards()[0])).toBe(true);
    const health = await h.get('/healthz');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
  });

  it('answers an unknown route with 404 JSON', async () => {
    const answer = await h.get('/api/nothing-here');
    expect(answer.status).toBe(404);
    expect(answer.body.error.code).toBe('not_found');
  });
});

describe('bot authentication', () => {
  const appId = '6b3b2b7e-6a55-4f3c-9d2e-1c1d2f3a4b5c';

  describe('with BOT_ID and BOT_PASSWORD configured', () => {
    let h: HubHarness;
    beforeAll(async () => {
      // A real deployment names its tenant (Graph tokens come from it); the directory is irrelevant to auth.
      h = await startHub({ env: { BOT_ID: appId, BOT_PASSWORD: 'test-secret-not-real', BOT_TENANT_ID: '11111111-2222-4333-8444-555555555555', PEOPLE_DIRECTORY: 'sample' } });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('runs in MultiTenant mode', () => {
      expect(h.config.bot).toMatchObject({ mode: 'MultiTenant', appId });
    });

    it('rejects an activity without an Authorization header with 401, doing nothing', async () => {
      const person = teamsPerson('No Token');
      const answer = await h.post(h.activities.message({ text: 'help', from: person }));

      expect(answer.status).toBe(401);
      expect(h.connector.calls).toEqual([]);
      const rows = await h.db.selectFrom('conversation_reference').select('key').where('key', '=', `person:${person.aadObjectId}`).execute();
      expect(rows).toEqual([]);
    });

    // Malformed tokens on purpose: for a well-formed JWT botbuilder first downloads the Bot Framework
    // OpenID metadata (login.botframework.com), which this offline machine cannot reach (it answers 500).
    it.each(['Bearer garbage', 'Bearer a.b.c', 'Bearer ', 'Basic dXNlcjpwYXNz', 'garbage'])(
      'rejects an activity whose Authorization is %j with 401',
      async (authorization) => {
        const answer = await h.post(h.activities.message({ text: 'help', from: teamsPerson('Bad Token') }), { authorization });
        expect(answer.status).toBe(401);
        expect(h.connector.calls).toEqual([]);
      },
    );

    it('rejects a card action invoke without a token with 401', async () => {
      const answer = await h.post(h.activities.cardAction({ verb: 'anything', from: teamsPerson('Invoker') }));
      expect(answer.status).toBe(401);
    });
  });

  describe('in local mode (no credentials)', () => {
    let h: HubHarness;
    beforeAll(async () => {
      h = await startHub();
    });
    afterAll(async () => {
      await h?.close();
    });

    it('accepts the same unauthenticated activity and answers it', async () => {
      expect(h.config.bot.mode).toBe('local');
      const answer = await h.post(h.activities.message({ text: 'help', from: teamsPerson('Playground User') }));

      expect(answer.status).toBe(200);
      expect(isWelcomeCard(h.connector.deliveredCards()[0])).toBe(true);
    });
  });
});
