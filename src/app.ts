import { readFileSync } from 'node:fs';
import type { Server } from 'restify';
import type { Config } from './config.js';
import { openDatabase, type Db } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { homeFeature } from './features/home/home.bot.js';
import type { BotFeature, Notifier } from './shared/bot-contract.js';
import { systemClock, type Clock } from './shared/clock.js';
import { createLogger, type Logger } from './shared/logger.js';
import { createAdapter } from './teams/adapter.js';
import { createTeamsApp } from './teams/app.js';
import { TeamsNotifier } from './teams/notifier.js';
import { createServer } from './server.js';

export interface DevelopmentHub {
  server: Server;
  db: Db;
  notifier: Notifier;
  listen(): Promise<{ port: number }>;
  close(): Promise<void>;
}

export interface HubOverrides {
  db?: Db;
  clock?: Clock;
  logger?: Logger;
}

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Wires the whole app: database (migrated), features, Teams app, HTTP server.
 * Tests pass their own database, clock and logger; production passes nothing.
 */
export async function createDevelopmentHub(config: Config, overrides: HubOverrides = {}): Promise<DevelopmentHub> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const db = overrides.db ?? (await openDatabase(config.database));
  const ownsDb = !overrides.db;
  await migrateToLatest(db);

  const featureList: BotFeature[] = [];
  const home = homeFeature({
    trustName: 'The Harmony Trust',
    teamName: 'Development Team',
    journeys: featureList.flatMap((f) => f.journeys ?? []),
    describe: async (turn) => ({ firstName: turn.speaker.name.split(' ')[0] ?? '', roles: ['staff'] }),
  });

  const botAppId = config.bot.mode === 'local' ? '' : config.bot.appId;
  const adapter = createAdapter(config.bot);
  const { app, references } = createTeamsApp({
    adapter,
    botAppId,
    db,
    clock,
    logger,
    features: [home, ...featureList],
    welcome: (turn) => home.welcome(turn),
    problem: (turn, reason) => home.problem(turn, reason),
  });
  const notifier = new TeamsNotifier(adapter, botAppId, references, logger);

  const server = createServer({
    db,
    logger,
    tabDir: config.tabDir,
    version,
    processActivity: (req, res) => adapter.process(req, res, (context) => app.run(context).then(() => undefined)),
  });

  return {
    server,
    db,
    notifier,
    listen: () =>
      new Promise((resolve) => {
        server.listen(config.port, config.host, () => {
          const address = server.address();
          logger.info({ port: address.port, mode: config.bot.mode, database: config.database.kind }, 'Development Hub listening');
          resolve({ port: address.port });
        });
      }),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
      });
      if (ownsDb) await db.destroy();
    },
  };
}
