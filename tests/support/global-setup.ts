import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import type { TestProject } from 'vitest/node';
import { buildIfStale } from '../../scripts/build-if-stale.mjs';
import { pglitePool } from '../../src/db/pglite-pool.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

/**
 * Creating a PGlite database costs ~3 s; loading a dump costs ~0.3 s. Build one migrated
 * database per test run and let every test start from a copy of it.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  // The browser tests load the built tab: build it when src/tab/ changed since the last build.
  buildIfStale(['tab']);
  // CI must prove the row locks on a real server; a missing URL there is a broken pipeline, not a skip.
  if (process.env.CI && !process.env.TEST_DATABASE_URL) {
    throw new Error('CI is set but TEST_DATABASE_URL is not: the PostgreSQL storage tests would be skipped. Start PostgreSQL (.ci/postgres.sh) and set TEST_DATABASE_URL.');
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'devhub-test-'));
  const pglite = await PGlite.create();
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pglitePool(pglite) }) });
  await migrateToLatest(db);
  const dump = await pglite.dumpDataDir('none');
  const file = path.join(dir, 'template.tar');
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await db.destroy();
  project.provide('pgliteTemplate', file);
  return () => rmSync(dir, { recursive: true, force: true });
}
