import { readFileSync } from 'node:fs';
import type { Server } from 'restify';
import type { Config } from './config.js';
import { openDatabase, type Db } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { homeFeature } from './features/home/home.bot.js';
import { firstName } from './features/home/home.domain.js';
import { createPeopleRepository } from './features/people/people.repository.js';
import { createDirectoryPeopleService, createSamplePeopleService, type PeopleService } from './features/people/people.service.js';
import { buildFeatures, type FeatureSet } from './features/registry.js';
import { createGraphClient, type GraphConnection } from './graph/graph-client.js';
import { graphPeopleDirectory } from './graph/users.js';
import { JobWorker, type JobHandler, type WorkerOptions } from './jobs/worker.js';
import type { BotFeature, Notifier } from './shared/bot-contract.js';
import { systemClock, uuidGenerator, type Clock, type IdGenerator } from './shared/clock.js';
import { createLogger, type Logger } from './shared/logger.js';
import { createAdapter } from './teams/adapter.js';
import { createTeamsApp } from './teams/app.js';
import { ConversationReferenceStore } from './teams/conversation-references.js';
import { TeamsNotifier } from './teams/notifier.js';
import { createServer } from './server.js';
import { loadTrustProfile, sampleRosterPath, TrustDataError, type TrustProfile } from './trust/load-trust-profile.js';
import { loadRoster } from './trust/sample-roster.js';

export interface DevelopmentHub {
  server: Server;
  db: Db;
  profile: TrustProfile;
  people: PeopleService;
  notifier: Notifier;
  jobs: JobWorker;
  listen(): Promise<{ port: number }>;
  close(): Promise<void>;
}

export interface HubOverrides {
  db?: Db;
  clock?: Clock;
  ids?: IdGenerator;
  logger?: Logger;
  /** A Graph connection built by the caller (tests: the Graph stand-in with its TLS certificate). */
  graph?: GraphConnection;
  /** Extra bot features routed after the app's own (the benchmark's echo baseline). */
  extraFeatures?: BotFeature[];
  /** Start the job worker's polling loop on listen (default true; tests drain jobs themselves). */
  runJobs?: boolean;
  jobOptions?: WorkerOptions;
}

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Wires the whole app: trust profile → database (migrated, sample data) → people → features →
 * Teams app → HTTP server and job worker. Tests pass their own database, clock, Graph and logger.
 */
export async function createDevelopmentHub(config: Config, overrides: HubOverrides = {}): Promise<DevelopmentHub> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const clock = overrides.clock ?? systemClock;
  const ids = overrides.ids ?? uuidGenerator;
  // Read the trust's data before opening anything, so a bad profile stops the app at once.
  const profile = loadTrustProfile(config.trustProfilePath);
  const graph = overrides.graph ?? (config.graph.identity.mode === 'none' ? undefined : createGraphClient(config));

  const db =
    overrides.db ??
    (await openDatabase(config.database, (error) => logger.warn({ err: error }, 'database connection dropped while idle; the pool replaces it')));
  const ownsDb = !overrides.db;
  try {
    await migrateToLatest(db);
    const people = createPeople(config, profile, db, clock, logger, graph);

    const botAppId = config.bot.mode === 'local' ? '' : config.bot.appId;
    const adapter = createAdapter(config.bot);
    const references = new ConversationReferenceStore(db, clock);
    const notifier = new TeamsNotifier(adapter, botAppId, references, logger);
    const jobHandlers: Record<string, JobHandler> = {};
    const worker = new JobWorker(db, jobHandlers, clock, logger, overrides.jobOptions);
    const features: FeatureSet = buildFeatures({
      config,
      profile,
      db,
      clock,
      ids,
      logger,
      people,
      notifier,
      graph,
      kickJobs: () => worker.kick(),
    });
    Object.assign(jobHandlers, features.jobs);
    if (config.loadSampleData) await features.loadSampleData();
    await features.start();

    const botFeatures = [...features.bot, ...(overrides.extraFeatures ?? [])];
    const home = homeFeature({
      trustName: profile.trust.name,
      teamName: profile.trust.teamName,
      journeys: botFeatures.flatMap((f) => f.journeys ?? []),
      describe: async (turn) => {
        const person = await people.resolve(turn.speaker);
        return person.ok
          ? { firstName: firstName(person.value.displayName), roles: person.value.roles }
          : { firstName: firstName(turn.speaker.name), roles: [] };
      },
    });
    const { app } = createTeamsApp({
      adapter,
      botAppId,
      db,
      logger,
      references,
      // Home first: "help" and greetings always reach the welcome card.
      features: [home, ...botFeatures],
      welcome: (turn) => home.welcome(turn),
      problem: (turn, reason) => home.problem(turn, reason),
    });

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
      profile,
      people,
      notifier,
      jobs: worker,
      listen: () =>
        new Promise((resolve) => {
          server.listen(config.port, config.host, () => {
            const address = server.address();
            if (overrides.runJobs ?? true) worker.start();
            logger.info(
              { port: address.port, mode: config.bot.mode, database: config.database.kind, node: process.version },
              'Development Hub listening',
            );
            resolve({ port: address.port });
          });
        }),
      close: async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
        });
        await worker.stop();
        if (ownsDb) await db.destroy();
      },
    };
  } catch (error) {
    if (ownsDb) await db.destroy();
    throw error;
  }
}

function createPeople(
  config: Config,
  profile: TrustProfile,
  db: Db,
  clock: Clock,
  logger: Logger,
  graph: GraphConnection | undefined,
): PeopleService {
  if (config.people.directory === 'sample') {
    const rosterFile = sampleRosterPath(config.trustProfilePath, profile);
    if (!rosterFile) {
      throw new TrustDataError(
        `Trust profile ${config.trustProfilePath} names no sampleRoster, so PEOPLE_DIRECTORY=sample has nobody to use.`,
      );
    }
    return createSamplePeopleService(loadRoster(rosterFile, profile));
  }
  if (!graph) {
    throw new TrustDataError('PEOPLE_DIRECTORY=graph needs Microsoft Graph: set BOT_ID and BOT_PASSWORD (or GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET).');
  }
  return createDirectoryPeopleService({
    profile,
    directory: graphPeopleDirectory(graph),
    repository: createPeopleRepository(db),
    clock,
    cacheMinutes: config.people.cacheMinutes,
    logger,
  });
}
