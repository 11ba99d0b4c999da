import { sql } from 'kysely';
import { Migrator, type MigrationResultSet } from 'kysely/migration';
import type { Db } from './database.js';
import { migrations } from './migrations/index.js';

/** Kysely's bookkeeping table (its default name), in the connection's search_path. */
const MIGRATION_TABLE = 'kysely_migration';

/**
 * Brings the schema up to date; throws with the failing migration's name if one fails. Returns the
 * names of the migrations it ran (none when the database was already up to date).
 *
 * Nearly every start finds nothing to do, so that is checked first with two cheap queries: the
 * Migrator's own check introspects the whole catalogue (every table and column), 0.35 s of queries on
 * a freshly started PGlite (about 0.1 s of start-up saved, since the first queries pay for compiling
 * PGlite's WASM code paths whichever queries they are). Only an exact match (the same names, no
 * more, no fewer) skips the Migrator; anything else, including a database that holds a migration
 * this build does not know, goes through it and gets its checks and its lock.
 */
export async function migrateToLatest(db: Db): Promise<string[]> {
  if (sameNames(await appliedMigrations(db), Object.keys(migrations))) return [];
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  const failed = result.results?.find((r) => r.status === 'Error');
  if (result.error || failed) {
    const name = failed?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${name} failed: ${String(result.error)}`, { cause: result.error });
  }
  return (result.results ?? []).map((r) => r.migrationName);
}

/** The migrations the database has recorded, or undefined when it has no bookkeeping table yet. */
async function appliedMigrations(db: Db): Promise<string[] | undefined> {
  const table = await sql<{ found: string | null }>`select to_regclass(${MIGRATION_TABLE})::text as found`.execute(db);
  if (!table.rows[0]?.found) return undefined;
  const applied = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
  return applied.rows.map((row) => row.name);
}

function sameNames(applied: readonly string[] | undefined, known: readonly string[]): boolean {
  if (!applied || applied.length !== known.length) return false;
  const have = new Set(applied);
  return have.size === known.length && known.every((name) => have.has(name));
}
