import type { PacerTimer } from '../../src/pacing/pacer-options.js';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Logger } from 'pino';
import { createDevelopmentHub, type DevelopmentHub } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Db } from '../../src/db/database.js';
import type { GraphConnection, GraphCredentialOptions } from '../../src/graph/graph-client.js';
import type { WorkerOptions } from '../../src/jobs/worker.js';
import type { FeatureFactory } from '../../src/features/feature-module.js';
import type { Clock } from '../../src/shared/clock.js';
import { createLogger } from '../../src/shared/logger.js';
import { teamsActivities, SAMPLE_BOT_ID, type ActivityDefaults, type TeamsActivityBuilders } from './activities.js';
import { ConnectorStandIn, type Json } from './connector-stand-in.js';
import { openPgliteTestDb } from './test-db.js';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  /** Parsed JSON when the answer was JSON, otherwise the text ('' for an empty body). */
  body: Json;
}

export interface LogLine {
  level: number;
  msg?: string;
  [key: string]: unknown;
}

export interface HubHarness {
  /** http://127.0.0.1:<port> of the running app. */
  baseUrl: string;
  hub: DevelopmentHub;
  config: Config;
  connector: ConnectorStandIn;
  db: Db;
  /** Activity builders bound to the stand-in (serviceUrl) and the app's bot id. */
  activities: TeamsActivityBuilders;
  /** What the app logged (pino JSON lines), for tests that check a failure was reported. */
  logs: LogLine[];
  /** POSTs an activity to /api/messages as JSON. */
  post(activity: unknown, headers?: Record<string, string>): Promise<HttpAnswer>;
  /** POSTs a raw body to /api/messages (for malformed input). */
  postRaw(body: string, headers?: Record<string, string>): Promise<HttpAnswer>;
  get(path: string): Promise<HttpAnswer>;
  close(): Promise<void>;
}

export interface HubHarnessOptions {
  /** Extra environment for loadConfig (e.g. BOT_ID/BOT_PASSWORD). PORT, HOST and LOG_LEVEL are set for tests. */
  env?: Record<string, string>;
  /** A database to use; by default a fresh PGlite test database that close() destroys. */
  db?: Db;
  clock?: Clock;
  /** Share one connector stand-in between hubs; by default the harness starts (and closes) its own. */
  connector?: ConnectorStandIn;
  activityDefaults?: Partial<ActivityDefaults>;
  /** Microsoft Graph for the app (tests: a client pointed at the Graph stand-in); none by default (local mode). */
  graph?: GraphConnection;
  /** On-behalf-of credential options (the Graph stand-in's TLS certificate), for SSO tests. */
  personGraphOptions?: GraphCredentialOptions;
  /** Start the job worker's polling loop (default true); false lets a test drain jobs with hub.jobs.runDueJobs(). */
  runJobs?: boolean;
  jobOptions?: WorkerOptions;
  /** The send pacer's time; real by default (a frozen business clock must not stop real sends). */
  pacerTimer?: PacerTimer;
  /** Feature modules registered after the registry's, as registry entries. */
  extraFeatures?: ReadonlyArray<{ name: string; build: FeatureFactory }>;
}

/** Starts the whole app (real CloudAdapter + Teams AI Application) on a test database and a connector stand-in. */
export async function startHub(options: HubHarnessOptions = {}): Promise<HubHarness> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'debug', ...options.env });
  const connector = options.connector ?? (await ConnectorStandIn.start());
  const testDb = options.db ? undefined : await openPgliteTestDb();
  const db = options.db ?? testDb!.db;
  const logs: LogLine[] = [];
  // The app's own logger (its redaction policy included), writing into `logs`.
  const logger: Logger = createLogger('debug', { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) });

  const hub = await createDevelopmentHub(config, {
    db,
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.graph ? { graph: options.graph } : {}),
    ...(options.personGraphOptions ? { personGraphOptions: options.personGraphOptions } : {}),
    ...(options.runJobs !== undefined ? { runJobs: options.runJobs } : {}),
    ...(options.jobOptions ? { jobOptions: options.jobOptions } : {}),
    ...(options.pacerTimer ? { pacerTimer: options.pacerTimer } : {}),
    ...(options.extraFeatures ? { extraFeatures: options.extraFeatures } : {}),
  });
  const { port } = await hub.listen();
  const baseUrl = `http://127.0.0.1:${port}`;
  const botId = config.bot.mode === 'local' ? SAMPLE_BOT_ID : config.bot.appId;

  const request = async (path: string, init: RequestInit): Promise<HttpAnswer> => {
    const response = await fetch(`${baseUrl}${path}`, init);
    const text = await response.text();
    let body: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
    return { status: response.status, headers: response.headers, body };
  };
  const postRaw = (body: string, headers: Record<string, string> = {}): Promise<HttpAnswer> =>
    request('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  return {
    baseUrl,
    hub,
    config,
    connector,
    db,
    activities: teamsActivities({ serviceUrl: connector.serviceUrl, botId, ...options.activityDefaults }),
    logs,
    post: (activity, headers) => postRaw(JSON.stringify(activity), headers),
    postRaw,
    get: (path) => request(path, { method: 'GET' }),
    close: async () => {
      await hub.close();
      if (testDb) await testDb.close();
      if (!options.connector) await connector.close();
    },
  };
}

/** The welcome card: schema 1.5, titled Development Hub, offering what the bot can do (never a problem card). */
/** The router's "I'm not sure what you need" card, with at least one journey button. */
export function isNotSureCard(card: Json): boolean {
  if (!card || card.type !== 'AdaptiveCard' || card.version !== '1.5') return false;
  const body = JSON.stringify(card.body ?? []);
  return body.includes("I'm not sure what you need") && body.includes('"prompt"');
}

export function isWelcomeCard(card: Json): boolean {
  if (!card || card.type !== 'AdaptiveCard' || card.version !== '1.5') return false;
  if (card.metadata?.problemCode) return false;
  return JSON.stringify(card.body ?? []).includes('Development Hub') && JSON.stringify(card.body).includes('help');
}

/**
 * One running app for a whole test file or describe block: started before its tests, closed after,
 * with the connector stand-in's record cleared before each test. Returns the harness through a
 * stand-in object, so tests write `h.post(…)` as if it had been started already.
 */
export function useHub(options: HubHarnessOptions = {}): HubHarness {
  let started: HubHarness | undefined;
  beforeAll(async () => {
    started = await startHub(options);
  });
  afterAll(async () => {
    await started?.close();
  });
  beforeEach(() => {
    started?.connector.clear();
  });
  return new Proxy({} as HubHarness, {
    get(_target, property) {
      if (!started) throw new Error('useHub(): the app is started in beforeAll; use it inside a test or hook');
      return Reflect.get(started, property, started) as unknown;
    },
  });
}
