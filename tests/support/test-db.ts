import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { describe, inject } from 'vitest';
import { PGLITE_START_PARAMS, pgliteParsers, postgresPool, usePortableTypeParsers, type Db } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { pglitePool } from '../../src/db/pglite-pool.js';
import type { Database } from '../../src/db/schema.js';

export interface TestDb {
  db: Db;
  /** 'pglite' always; 'postgres' when TEST_DATABASE_URL points at a real server. */
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

/** A fresh, migrated, empty embedded database (copied from the run's template). */
export async function openPgliteTestDb(): Promise<TestDb> {
  const template = readFileSync(inject('pgliteTemplate'));
  const pglite = await PGlite.create({
    loadDataDir: new Blob([template]),
    parsers: pgliteParsers,
    startParams: PGLITE_START_PARAMS,
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pglitePool(pglite) }) });
  await migrateToLatest(db);
  return { db, kind: 'pglite', close: () => db.destroy() };
}

/**
 * A fresh database on the real PostgreSQL server named by TEST_DATABASE_URL: created for this
 * caller, migrated, and dropped on close.
 */
export async function openPostgresTestDb(adminUrl: string): Promise<TestDb> {
  usePortableTypeParsers();
  const name = `devhub_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const db = new Kysely<Database>({
    // Dropping the database below terminates any connection still closing; the pool just discards it.
    dialect: new PostgresDialect({ pool: postgresPool(url.toString(), 20) }),
  });
  await migrateToLatest(db);
  return {
    db,
    kind: 'postgres',
    close: async () => {
      await db.destroy();
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

export interface TestDatabaseKind {
  kind: 'pglite' | 'postgres';
  open: () => Promise<TestDb>;
  /** Why this kind's tests are skipped on this run (shown in the test name); undefined when they run. */
  skip: string | undefined;
}

/** Why PostgreSQL tests cannot run here, or undefined when TEST_DATABASE_URL names a server. */
export const POSTGRES_SKIP_REASON: string | undefined = process.env.TEST_DATABASE_URL
  ? undefined
  : 'TEST_DATABASE_URL is not set; PGlite runs one transaction at a time, so row locks are only proven on PostgreSQL';

/**
 * The database kinds storage tests must pass on: PGlite always, and PostgreSQL, which is reported as
 * skipped (with the reason) when TEST_DATABASE_URL is not set; in CI that stops the run (global-setup.ts).
 */
export function testDatabaseKinds(): TestDatabaseKind[] {
  const url = process.env.TEST_DATABASE_URL ?? '';
  return [
    { kind: 'pglite', open: openPgliteTestDb, skip: undefined },
    { kind: 'postgres', open: () => openPostgresTestDb(url), skip: POSTGRES_SKIP_REASON },
  ];
}

/** `describe` once per database kind; `$kind` in the title names it, and a skipped kind says why. */
export function describeOnEachDatabase(title: string, body: (kind: TestDatabaseKind) => void, kinds = testDatabaseKinds()): void {
  for (const k of kinds) {
    const name = title.replaceAll('$kind', k.kind) + (k.skip ? ` (skipped: ${k.skip})` : '');
    describe.skipIf(k.skip !== undefined)(name, () => body(k));
  }
}

/** True when the database answers; used by tests that check reachability reporting. */
export async function ping(db: Db): Promise<boolean> {
  await sql`select 1`.execute(db);
  return true;
}
