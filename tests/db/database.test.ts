import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { describeOnEachDatabase, POSTGRES_SKIP_REASON, type TestDb } from '../support/test-db.js';

describe('embedded PGlite in DATA_DIR', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'devhub-db-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('migrates a new folder, keeps rows across a reopen, and has nothing left to migrate the second time', async () => {
    const folder = path.join(dataDir, 'nested', 'data'); // created if missing
    const first = await openDatabase({ kind: 'embedded', dataDir: folder });
    try {
      // A folder started from the build's template (dist/pglite-template) holds that build's migrations
      // already; either way every migration is recorded once it has run.
      await migrateToLatest(first);
      const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(first);
      expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(migrations).sort());
      await first
        .insertInto('bot_state')
        .values({ key: 'survivor', document: JSON.stringify({ n: 1 }), etag: 'e1', updated_at: new Date() })
        .execute();
    } finally {
      await first.destroy();
    }

    const second = await openDatabase({ kind: 'embedded', dataDir: folder });
    try {
      expect(await migrateToLatest(second)).toEqual([]);
      const row = await second.selectFrom('bot_state').select(['document', 'etag']).where('key', '=', 'survivor').executeTakeFirst();
      expect(row).toEqual({ document: { n: 1 }, etag: 'e1' });
    } finally {
      await second.destroy();
    }
  }, 60_000);
});

describeOnEachDatabase('the database on $kind', ({ open }) => {
  let testDb: TestDb;
  beforeEach(async () => {
    testDb = await open();
  });
  afterEach(async () => {
    await testDb?.close();
  });

  it('hands back counts as numbers and dates as YYYY-MM-DD, the same on both drivers', async () => {
    const { rows } = await sql<{ n: unknown; d: unknown; at: unknown }>`
      select count(*) as n, date '2026-09-01' as d, timestamptz '2026-09-01T08:30:00Z' as at`.execute(testDb.db);
    expect(rows[0]).toEqual({ n: 1, d: '2026-09-01', at: new Date('2026-09-01T08:30:00Z') });
  });

  it('rolls back a failed transaction completely', async () => {
    await expect(
      testDb.db.transaction().execute(async (trx) => {
        await trx.insertInto('bot_state').values({ key: 'half', document: JSON.stringify({}), etag: 'x', updated_at: new Date() }).execute();
        await trx.insertInto('bot_state').values({ key: 'half', document: JSON.stringify({}), etag: 'y', updated_at: new Date() }).execute();
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await testDb.db.selectFrom('bot_state').select('key').where('key', '=', 'half').execute()).toEqual([]);
  });

  it('keeps concurrent transactions apart: no one sees rows another has not committed', async () => {
    const seenBy: Record<string, string[]> = {};
    const run = (name: string, fail: boolean) =>
      testDb.db.transaction().execute(async (trx) => {
        await trx.insertInto('bot_state').values({ key: name, document: JSON.stringify({}), etag: name, updated_at: new Date() }).execute();
        await new Promise((r) => setTimeout(r, 20));
        seenBy[name] = (await trx.selectFrom('bot_state').select('key').where('key', 'in', ['kept', 'dropped']).orderBy('key').execute()).map(
          (r) => r.key,
        );
        if (fail) throw new Error('gives up');
      });

    const results = await Promise.allSettled([run('dropped', true), run('kept', false)]);

    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(seenBy['kept']).toEqual(['kept']);
    expect(seenBy['dropped']).toEqual(['dropped']);
    const committed = await testDb.db.selectFrom('bot_state').select('key').where('key', 'in', ['kept', 'dropped']).execute();
    expect(committed.map((r) => r.key)).toEqual(['kept']);
  });

  it('enforces the conversation_reference scope check', async () => {
    await expect(
      testDb.db
        .insertInto('conversation_reference')
        .values({
          key: 'bad',
          scope: 'meeting' as 'personal',
          conversation_id: 'c',
          service_url: 'http://x/',
          reference: JSON.stringify({}),
          installed_at: new Date(),
          updated_at: new Date(),
          aad_object_id: null,
          tenant_id: null,
          team_id: null,
          uninstalled_at: null,
        })
        .execute(),
    ).rejects.toThrow(/check constraint/);
  });
});

// Only meaningful against a server: PostgreSQL can drop a connection under the app (failover, restart).
describe.skipIf(POSTGRES_SKIP_REASON !== undefined)(
  `a PostgreSQL server dropping idle connections${POSTGRES_SKIP_REASON ? ` (skipped: ${POSTGRES_SKIP_REASON})` : ''}`,
  () => {
  it('reports the dropped connection and keeps serving instead of crashing the process', async () => {
    const url = process.env.TEST_DATABASE_URL ?? "";
    const dropped: Error[] = [];
    const db = await openDatabase({ kind: 'postgres', url, maxConnections: 2 }, (error) => void dropped.push(error));
    const admin = await openDatabase({ kind: 'postgres', url, maxConnections: 1 });
    try {
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
      await sql`select pg_terminate_backend(${rows[0].pid})`.execute(admin);
      await expect.poll(() => dropped.length, { timeout: 5000 }).toBe(1);
      expect((dropped[0] as Error & { code?: string }).code).toBe('57P01');
      const again = await sql<{ ok: number }>`select 1 as ok`.execute(db);
      expect(again.rows).toEqual([{ ok: 1 }]);
    } finally {
      await db.destroy();
      await admin.destroy();
    }
  });
  },
);
