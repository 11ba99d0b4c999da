import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { pgliteTemplateDir, prepareDataDir } from './pglite-data-dir.js';
import { pglitePool } from './pglite-pool.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export type DatabaseTarget =
  | { kind: 'embedded'; dataDir: string | undefined }
  | { kind: 'postgres'; url: string; maxConnections: number };

// Both drivers hand back the same JS shapes: counts as numbers, `date` as 'YYYY-MM-DD'.
const INT8_OID = 20;
const DATE_OID = 1082;

/** Makes `pg` parse values as PGlite does (idempotent; called before any pg pool is made). */
export function usePortableTypeParsers(): void {
  pg.types.setTypeParser(INT8_OID, (value: string) => Number.parseInt(value, 10));
  pg.types.setTypeParser(DATE_OID, (value: string) => value);
}

/** PGlite's parsers for the same types. */
export const pgliteParsers = { [DATE_OID]: (value: string) => value };

/**
 * A `pg` pool that survives the server dropping an idle connection (a failover, a restart, an
 * administrator's terminate): the pool discards that client and reports it here. Without a
 * listener, pg re-emits the error as an unhandled 'error' event and the process exits.
 */
export function postgresPool(url: string, max: number, onIdleClientError: (error: Error) => void = () => undefined): pg.Pool {
  usePortableTypeParsers();
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', onIdleClientError);
  return pool;
}

/**
 * PGlite's own start parameters, plus a smaller buffer pool. PostgreSQL's default 128 MB of
 * shared_buffers is allocated in the WASM heap and, once touched, stays resident (the heap never
 * shrinks); a trust's whole database is a few MB, so 16 MB holds all of it (measured: a reopened
 * folder 331 MB → 203 MB RSS, bare PGlite).
 */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/**
 * Opens the database: embedded PGlite persisted in `dataDir` (memory when undefined),
 * or a PostgreSQL server through `pg`. The caller owns the handle and must `destroy()` it,
 * because an open PGlite keeps Node from exiting.
 */
export async function openDatabase(target: DatabaseTarget, onIdleClientError?: (error: Error) => void): Promise<Db> {
  if (target.kind === 'postgres') {
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool: postgresPool(target.url, target.maxConnections, onIdleClientError) }) });
  }
  if (target.dataDir) prepareDataDir(target.dataDir, pgliteTemplateDir());
  const pglite = await PGlite.create({
    ...(target.dataDir ? { dataDir: target.dataDir } : {}),
    parsers: pgliteParsers,
    startParams: PGLITE_START_PARAMS,
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: pglitePool(pglite) }) });
}
