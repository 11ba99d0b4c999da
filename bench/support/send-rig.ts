import { Kysely, PostgresDialect } from 'kysely';
import { postgresPool, usePortableTypeParsers } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { buildApp, freshPostgresDatabase, pacerTotals, startConnectorProcess, type AppProcess, type ConnectorProcess } from './processes.js';

/**
 * What the benches of proactive sending (pacing, announcements, reminders) each start from: the
 * production build, a fresh migrated PostgreSQL database (several processes cannot share PGlite),
 * and the connector stand-in in its own process enforcing `limitPerSecond` app-wide and Teams'
 * per-conversation windows. The bench seeds the database and starts its app processes into `apps`;
 * `stop()` ends them, prints each one's pacer totals, and removes the database.
 */
export interface SendRig {
  database: { url: string; name: string };
  db: Kysely<Database>;
  connector: ConnectorProcess;
  apps: AppProcess[];
  stop(options?: { totalsNote?: string }): Promise<void>;
}

export const TEAMS_CONVERSATION_LIMITS = '7/1s,8/2s,60/30s,1800/1h';

/** Undefined (the bench says it was not run) without BENCH_DATABASE_URL or TEST_DATABASE_URL. */
export async function startSendRig(limitPerSecond: number): Promise<SendRig | undefined> {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    console.log('Not run: set BENCH_DATABASE_URL or TEST_DATABASE_URL to a PostgreSQL server (several processes cannot share PGlite).\n\nOverall: FAIL');
    return undefined;
  }
  buildApp();
  usePortableTypeParsers();
  const database = await freshPostgresDatabase(adminUrl);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: postgresPool(database.url, 4) }) });
  const dropDatabase = async (): Promise<void> => {
    await db.destroy();
    await database.drop();
  };
  let connector: ConnectorProcess | undefined;
  try {
    connector = await startConnectorProcess({ app: `${limitPerSecond}/1s`, conversation: TEAMS_CONVERSATION_LIMITS });
    await migrateToLatest(db);
  } catch (error) {
    await connector?.stop();
    await dropDatabase();
    throw error;
  }
  const rig: SendRig = {
    database,
    db,
    connector,
    apps: [],
    stop: async (options = {}) => {
      for (const app of rig.apps) await app.kill('SIGTERM');
      for (const app of rig.apps) {
        const totals = pacerTotals(app);
        if (totals) console.log(options.totalsNote ? `${totals} (${options.totalsNote})` : totals);
      }
      await rig.connector.stop();
      await dropDatabase();
    },
  };
  return rig;
}
