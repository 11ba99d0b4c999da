import { readFileSync } from 'node:fs';
import type { Server } from 'restify';
import { createDevSignIn } from './api/dev-sign-in.js';
import { createTabAuthenticator } from './api/tab-auth.js';
import type { Config } from './config.js';
import { openDatabase, type Db } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { assembleFeatures } from './features/assemble.js';
import type { FeatureFactory } from './features/feature-module.js';
import { createPeopleService } from './features/people/people.feature.js';
import type { PeopleService } from './features/people/people.service.js';
import { FEATURES } from './features/registry.js';
import { DelegatedGraphConnections, delegatedGraphAvailable } from './graph/delegated.js';
import { createGraphClient, type GraphConnection, type GraphCredentialOptions } from './graph/graph-client.js';
import { JobWorker, type JobHandler, type WorkerOptions } from './jobs/worker.js';
import type { Notifier } from './shared/bot-contract.js';
import { createNormaliser } from './shared/message-normaliser.domain.js';
import { adjustableClock, systemClock, uuidGenerator, type Clock, type IdGenerator } from './shared/clock.js';
import { createLogger, type Logger } from './shared/logger.js';
import { createAdapter } from './teams/adapter.js';
import { createTeamsApp } from './teams/app.js';
import { ConversationReferenceStore } from './teams/conversation-references.js';
import { createMessageRouter, type MessageRouter } from './teams/message-router.js';
import { TeamsNotifier } from './teams/notifier.js';
import type { PacerTimer } from './pacing/pacer-options.js';
import { SendPacer } from './pacing/send-pacer.js';
import { TeamsSso } from './teams/sso.js';
import { createServer } from './server.js';
import { loadTrustProfile, type TrustProfile } from './trust/load-trust-profile.js';
import { trustVocabulary } from './trust/trust-vocabulary.js';

export interface DevelopmentHub {
  server: Server;
  db: Db;
  profile: TrustProfile;
  people: PeopleService;
  notifier: Notifier;
  jobs: JobWorker;
  /** How chat messages find their feature (tests ask it for decisions). */
  router: MessageRouter;
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
  /** Options for on-behalf-of credentials (tests: the Graph stand-in's TLS certificate). */
  personGraphOptions?: GraphCredentialOptions;
  /**
   * Feature modules registered after the registry's, built from the same FeatureContext and checked for
   * duplicates like them (the benchmark's echo baseline; tests' stand-ins for features still to come).
   */
  extraFeatures?: ReadonlyArray<{ name: string; build: FeatureFactory }>;
  /** Start the job worker's polling loop on listen (default true; tests drain jobs themselves). */
  runJobs?: boolean;
  jobOptions?: WorkerOptions;
  /** The send pacer's time (tests: virtual, driven by the test's clock); real time by default. */
  pacerTimer?: PacerTimer;
}

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/**
 * Wires the whole app: trust profile → database (migrated, sample data) → people → features →
 * Teams app → HTTP server and job worker. Tests pass their own database, clock, Graph and logger.
 */
export async function createDevelopmentHub(config: Config, overrides: HubOverrides = {}): Promise<DevelopmentHub> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const baseClock = overrides.clock ?? systemClock;
  // Local runs may move time (POST /_dev/clock); config refuses the hook anywhere else.
  const devClock = config.devClockHook ? adjustableClock(baseClock) : undefined;
  const clock: Clock = devClock ?? baseClock;
  const ids = overrides.ids ?? uuidGenerator;
  // Read the trust's data before opening anything, so a bad profile stops the app at once.
  const profile = loadTrustProfile(config.trustProfilePath);
  const graph = overrides.graph ?? (config.graph.identity.mode === 'none' ? undefined : createGraphClient(config));
  // Graph as a person needs the bot's SSO connection (their token) and the app's secret (on-behalf-of).
  const delegated = config.sso.connectionName && delegatedGraphAvailable(config) ? new DelegatedGraphConnections(config, overrides.personGraphOptions) : undefined;

  const db =
    overrides.db ??
    (await openDatabase(config.database, (error) => logger.warn({ err: error }, 'database connection dropped while idle; the pool replaces it')));
  const ownsDb = !overrides.db;
  try {
    await migrateToLatest(db);
    const people = createPeopleService(config, profile, db, clock, logger, graph);

    const botAppId = config.bot.mode === 'local' ? '' : config.bot.appId;
    const adapter = createAdapter(config.bot, config.botEndpoint);
    const sso = new TeamsSso(config.sso.connectionName, logger);
    const references = new ConversationReferenceStore(db, clock);
    const pacer = new SendPacer(db, logger, config.sendPacing, overrides.pacerTimer);
    adapter.onInteractiveSend = (count) => pacer.noteInteractive(count);
    const notifier = new TeamsNotifier(adapter, botAppId, references, pacer, logger);
    const jobHandlers: Record<string, JobHandler> = {};
    const worker = new JobWorker(db, jobHandlers, clock, logger, { concurrency: config.jobConcurrency, ...overrides.jobOptions });
    const features = assembleFeatures([...FEATURES, ...(overrides.extraFeatures ?? [])], {
      config,
      profile,
      db,
      clock,
      ids,
      logger,
      people,
      notifier,
      graph,
      personGraph: delegated && ((aadObjectId, ssoToken) => delegated.forPerson(aadObjectId, ssoToken)),
      kickJobs: () => worker.kick(),
    });
    Object.assign(jobHandlers, features.jobs);
    if (config.loadSampleData) await features.loadSampleData();
    await features.start();

    const router = createMessageRouter({
      intents: features.intents,
      normalise: createNormaliser(trustVocabulary(profile, features.journeys)),
      cards: features.conversation,
      journeys: () => features.journeys,
      logger,
    });
    const { app } = createTeamsApp({
      adapter,
      botAppId,
      logger,
      references,
      actions: features.actions,
      searchCommands: features.searchCommands,
      linkUnfurlers: features.linkUnfurlers,
      sso,
      routeMessage: (turn, text, chosen) => router.route(turn, text, chosen),
      welcome: (turn) => features.conversation.welcome(turn),
      problem: (turn, reason) => features.conversation.problem(turn, reason),
    });

    const devSignIn = config.tab.devSignIn ? createDevSignIn(clock) : undefined;
    const server = createServer({
      db,
      logger,
      tabDir: config.tabDir,
      version,
      api: { routes: features.apiRoutes, auth: createTabAuthenticator(config.tab, clock, devSignIn), people, ...(devSignIn ? { devSignIn } : {}) },
      downloads: features.downloads,
      ...(devClock
        ? {
            devClock: {
              set: (at: Date) => {
                devClock.set(at);
                logger.warn({ now: at.toISOString() }, 'dev clock moved');
                worker.kick();
              },
              now: () => devClock.now(),
            },
          }
        : {}),
      processActivity: (activity, authorization) => adapter.answer(authorization, activity, (context) => app.run(context).then(() => undefined)),
    });

    return {
      server,
      db,
      profile,
      people,
      notifier,
      jobs: worker,
      router,
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
        // Sends still waiting for a slot go back to their jobs (RetryLaterError), so stopping is prompt.
        pacer.close();
        await worker.stop();
        if (ownsDb) await db.destroy();
      },
    };
  } catch (error) {
    if (ownsDb) await db.destroy();
    throw error;
  }
}
