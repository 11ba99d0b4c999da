import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { PGLITE_START_PARAMS, pgliteParsers, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import * as newest from '../../src/db/migrations/0033-cpd-book-batch.js';
import { migrations } from '../../src/db/migrations/index.js';
import { pglitePool } from '../../src/db/pglite-pool.js';
import type { Database } from '../../src/db/schema.js';
import { describeOnEachDatabase, type TestDb } from '../support/test-db.js';

const ALL = Object.keys(migrations);
const NEWEST = '0033-cpd-book-batch';

async function recorded(db: Db): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

/** What the newest migration makes. */
async function hasNewest(db: Db): Promise<boolean> {
  const found = await sql<{ found: string | null }>`select to_regprocedure('cpd_book_batch(jsonb)')::text as found`.execute(db);
  return found.rows[0]?.found !== null && found.rows[0]?.found !== undefined;
}

describeOnEachDatabase('migrating on $kind', ({ open }) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await open();
  });
  afterEach(async () => {
    await t?.close();
  });

  it('has nothing to run on an up-to-date database, and leaves its record as it was', async () => {
    expect(await migrateToLatest(t.db)).toEqual([]);
    expect(await recorded(t.db)).toEqual([...ALL].sort());
  });

  it('runs a migration the database has not recorded, and only that one', async () => {
    await newest.down(t.db as unknown as Kysely<unknown>);
    await sql`delete from kysely_migration where name = ${NEWEST}`.execute(t.db);
    expect(await hasNewest(t.db)).toBe(false);

    expect(await migrateToLatest(t.db)).toEqual([NEWEST]);
    expect(await hasNewest(t.db)).toBe(true);
    expect(await recorded(t.db)).toEqual([...ALL].sort());
  });

  it('refuses a database that recorded a migration this build does not know, rather than skipping it', async () => {
    await sql`insert into kysely_migration (name, timestamp) values ('9999-from-a-newer-build', now()::text)`.execute(t.db);
    await expect(migrateToLatest(t.db)).rejects.toThrow(/migration/i);
  });

  it('does not take a record with one name swapped for another as up to date', async () => {
    await sql`update kysely_migration set name = '0099-not-this-build' where name = ${NEWEST}`.execute(t.db);
    await expect(migrateToLatest(t.db)).rejects.toThrow(/migration/i);
  });
});

/** A fresh embedded database from the run's template, migrated, with every query's SQL noted in `seen`. */
async function loggedPglite(): Promise<{ db: Db; seen: string[] }> {
  const pglite = await PGlite.create({ loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]), parsers: pgliteParsers, startParams: PGLITE_START_PARAMS });
  const seen: string[] = [];
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pglitePool(pglite) }), log: (event) => void seen.push(event.query.sql) });
  await migrateToLatest(db); // a template from an older build may lack the newest migrations
  return { db, seen };
}

describe('checking an up-to-date embedded database', () => {
  it('costs two small queries and no catalogue introspection (the Migrator reads every table and column)', async () => {
    const { db, seen } = await loggedPglite();
    try {
      seen.length = 0;
      expect(await migrateToLatest(db)).toEqual([]);
      expect(seen).toHaveLength(2);
      expect(seen.join('\n')).not.toMatch(/pg_catalog|attname|kysely_migration_lock/);
    } finally {
      await db.destroy();
    }
  });

  it('goes through the Migrator, lock and all, when a migration is missing', async () => {
    const { db, seen } = await loggedPglite();
    try {
      await newest.down(db as unknown as Kysely<unknown>);
      await sql`delete from kysely_migration where name = ${NEWEST}`.execute(db);
      seen.length = 0;
      expect(await migrateToLatest(db)).toEqual([NEWEST]);
      expect(seen.join('\n')).toMatch(/kysely_migration_lock/);
    } finally {
      await db.destroy();
    }
  });
});
