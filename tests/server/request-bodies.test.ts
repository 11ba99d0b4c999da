import { gzipSync, deflateSync, brotliCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { teamsPerson } from '../support/activities.js';
import { useHub } from '../support/hub-harness.js';
import { rawRequest, type RawAnswer } from '../support/raw-http.js';

// Bodies as an attacker or a careless client sends them. Teams posts uncompressed UTF-8 JSON; anything
// else gets a 4xx JSON error with a stable code, and the process keeps serving.

describe('POST /api/messages with bodies Teams never sends', () => {
  const h = useHub();
  const activityJson = (): string => JSON.stringify(h.activities.message({ text: 'help', from: teamsPerson('Body Tester') }));

  const expectError = (answer: RawAnswer, status: number, code: string): void => {
    expect(answer.status).toBe(status);
    expect(answer.headers['content-type']).toContain('application/json');
    expect(answer.json).toEqual({ error: { code, message: expect.any(String) } });
    expect(answer.text).not.toMatch(/\bat .+\.js:\d+|Z_DATA_ERROR|zlib/i);
  };
  const stillServing = async (): Promise<void> => {
    expect((await h.get('/healthz')).status).toBe(200);
    expect((await h.post(JSON.parse(activityJson()))).status).toBe(200);
  };

  it.each([
    ['gzip, not gzip at all', 'gzip', () => Buffer.from('this is not gzip')],
    ['gzip, a valid activity', 'gzip', () => gzipSync(activityJson())],
    ['gzip, truncated', 'gzip', () => gzipSync(activityJson()).subarray(0, 20)],
    ['deflate', 'deflate', () => deflateSync(activityJson())],
    ['br', 'br', () => brotliCompressSync(activityJson())],
    ['GZIP in capitals', 'GZIP', () => Buffer.from('garbage')],
    ['two encodings', 'identity, gzip', () => gzipSync(activityJson())],
  ])('refuses content-encoding %s with 415 unsupported_media_type', async (_label, encoding, body) => {
    const answer = await rawRequest(h.baseUrl, { headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body: body() });
    expectError(answer, 415, 'unsupported_media_type');
    await stillServing();
  });

  it('refuses a gzip bomb (51 KB expanding to 50 MB) without inflating it', async () => {
    const bomb = gzipSync(Buffer.from(`{"type":"message","text":"${'a'.repeat(50 * 1024 * 1024)}"}`));
    expect(bomb.length).toBeLessThan(100 * 1024);
    const before = process.memoryUsage().rss;

    const answer = await rawRequest(h.baseUrl, { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: bomb });

    expectError(answer, 415, 'unsupported_media_type');
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
    await stillServing();
  });

  it('accepts content-encoding identity', async () => {
    const answer = await rawRequest(h.baseUrl, { headers: { 'content-type': 'application/json', 'content-encoding': 'identity' }, body: activityJson() });
    expect(answer.status).toBe(200);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['form-urlencoded', 'application/x-www-form-urlencoded'],
    ['octet-stream', 'application/octet-stream'],
    ['JSON in Latin-1', 'application/json; charset=iso-8859-1'],
    ['JSON in UTF-16', 'application/json; charset=utf-16'],
  ])('refuses content-type %s with 415 unsupported_media_type', async (_label, type) => {
    expectError(await rawRequest(h.baseUrl, { headers: { 'content-type': type }, body: activityJson() }), 415, 'unsupported_media_type');
  });

  it('refuses a body with no content-type with 415', async () => {
    expectError(await rawRequest(h.baseUrl, { headers: {}, body: activityJson() }), 415, 'unsupported_media_type');
  });

  it('accepts application/json with charset=utf-8 and vendor +json types', async () => {
    for (const type of ['application/json; charset=utf-8', 'application/json;charset="UTF-8"', 'application/vnd.example+json']) {
      expect((await rawRequest(h.baseUrl, { headers: { 'content-type': type }, body: activityJson() })).status).toBe(200);
    }
  });

  it('answers a Content-Length over 1 MB with 413 before reading the body', async () => {
    const answer = await rawRequest(h.baseUrl, {
      headers: { 'content-type': 'application/json', 'content-length': String(50 * 1024 * 1024) },
      body: '{"type":"message"',
    });
    expectError(answer, 413, 'payload_too_large');
    await stillServing();
  });

  it('answers a chunked body that grows past 1 MB with 413 and stops reading it', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const answer = await rawRequest(h.baseUrl, {
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      body: [Buffer.from('{"type":"message","text":"'), ...Array.from({ length: 40 }, () => chunk)],
    });
    expectError(answer, 413, 'payload_too_large');
    await stillServing();
  });

  it.each([
    ['bytes that are not UTF-8', Buffer.from([0x7b, 0x22, 0x74, 0xff, 0xfe, 0x22, 0x7d])],
    ['a lone UTF-8 continuation byte', Buffer.from('{"type":"message","text":"\x80"}', 'latin1')],
    ['a JSON number too deep to matter', Buffer.from('['.repeat(100_000) + ']'.repeat(100_000))],
  ])('answers %s with a 4xx JSON error', async (_label, body) => {
    const answer = await rawRequest(h.baseUrl, { headers: { 'content-type': 'application/json' }, body });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(['invalid_body', 'invalid_activity']).toContain((answer.json as { error: { code: string } }).error.code);
  });

  it.each(['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])('answers %s /api/messages with 405 method_not_allowed', async (method) => {
    const body = method === 'GET' ? undefined : '{}';
    const answer = await rawRequest(h.baseUrl, { method, headers: { 'content-type': 'application/json', ...(body ? { 'content-length': '2' } : {}) }, body });
    expectError(answer, 405, 'method_not_allowed');
  });

  it('answers a path outside the tab folder with a 4xx JSON code, never server_error', async () => {
    for (const path of ['/tab/../../package.json', '/tab/%2e%2e/%2e%2e/package.json', '/tab/nothing.html']) {
      const answer = await rawRequest(h.baseUrl, { method: 'GET', path });
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect((answer.json as { error: { code: string } }).error.code).not.toBe('server_error');
    }
  });
});
