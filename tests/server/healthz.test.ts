import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type HubHarness } from '../support/hub-harness.js';
import { openPgliteTestDb, type TestDb } from '../support/test-db.js';

describe('GET /healthz', () => {
  let testDb: TestDb;
  let h: HubHarness;
  let destroyed = false;
  beforeAll(async () => {
    testDb = await openPgliteTestDb();
    h = await startHub({ db: testDb.db });
  });
  afterAll(async () => {
    await h?.close();
    if (!destroyed) await testDb?.close();
  });

  it('reports ok and a reachable database', async () => {
    const answer = await h.get('/healthz');

    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('application/json');
    expect(answer.body).toMatchObject({ status: 'ok', database: 'reachable', version: expect.any(String) });
  });

  it('reports 503 and an unreachable database once the database is gone, and keeps answering', async () => {
    await testDb.db.destroy();
    destroyed = true;

    const first = await h.get('/healthz');
    const second = await h.get('/healthz');

    expect(first.status).toBe(503);
    expect(first.body).toMatchObject({ status: 'degraded', database: 'unreachable' });
    expect(second.status).toBe(503);
  });
});
