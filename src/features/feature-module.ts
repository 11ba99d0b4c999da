import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { GraphConnection } from '../graph/graph-client.js';
import type { JobHandler } from '../jobs/worker.js';
import type {
  AdaptiveCard,
  CardActionRoute,
  Intent,
  IntentSuggestion,
  Journey,
  LinkUnfurlRoute,
  Notifier,
  SearchCommandRoute,
  TurnInfo,
} from '../shared/bot-contract.js';
import type { ApiRoute } from '../shared/api-route.js';
import type { Clock, IdGenerator } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { TrustProfile } from '../trust/trust-profile.schema.js';
import type { PeopleService } from './people/people.service.js';

/** Everything a feature may be built from. Features get ports, never the Teams SDK. */
export interface FeatureContext {
  config: Config;
  profile: TrustProfile;
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  people: PeopleService;
  notifier: Notifier;
  /** Microsoft Graph, when an app identity is configured; undefined in local mode. */
  graph: GraphConnection | undefined;
  /**
   * Microsoft Graph as one person (on-behalf-of their Teams SSO token), when the bot has SSO and an
   * app secret; undefined otherwise.
   */
  personGraph?: ((aadObjectId: string, ssoToken: string) => GraphConnection) | undefined;
  /** Asks the job worker to look for work now rather than at its next poll. */
  kickJobs(): void;
  /** Every journey the assembled features offer (known once all are built; call it during a turn, not while building). */
  journeys(): readonly Journey[];
  /** Names of every feature module being assembled, so a stand-in can step aside for the real feature. */
  featureNames: readonly string[];
}

/**
 * A file handed out through a one-time link (GET /downloads/<path>?token=…): opened from a chat card
 * in the person's browser, where no tab token exists, so the unguessable, short-lived token is the credential.
 */
export interface DownloadRoute {
  /** Path under /downloads/, e.g. `cpd-record.csv`. */
  path: string;
  /** undefined when the token is unknown, expired or used: the edge answers 410 link_expired. */
  handle(token: string): Promise<{ body: string; contentType: string; filename: string } | undefined>;
}

/** The cards the conversation itself needs; exactly one feature (home) provides them. */
export interface ConversationCards {
  welcome(turn: TurnInfo): Promise<AdaptiveCard>;
  problem(turn: TurnInfo, reason: 'unexpected' | 'unknown_action'): AdaptiveCard;
  /** Two or more readings scored close: one button per reading. */
  didYouMean(turn: TurnInfo, options: ReadonlyArray<IntentSuggestion & { intent: string }>): AdaptiveCard;
  /** Nothing scored high enough: say so, and offer the journeys closest to what was asked. */
  notSure(turn: TurnInfo, closest: readonly Journey[]): Promise<AdaptiveCard>;
}

/** What one feature contributes to the app. Everything is optional but the name. */
export interface FeatureModule {
  /** kebab-case, the folder's name: `cpd`, `home`, `people`. */
  name: string;
  intents?: Intent[];
  /** Welcome-card journeys, in the order this feature wants them shown. */
  journeys?: Journey[];
  /** Card verbs; each verb is an exported constant prefixed by the feature (`cpd.book`). */
  actions?: CardActionRoute[];
  /** Durable job kinds this feature runs, by kind (`cpd.calendar_add`). */
  jobs?: Record<string, JobHandler>;
  /** Tab API routes under /api/v1/ (src/shared/api-route.ts). */
  apiRoutes?: ApiRoute[];
  /** One-time-link downloads under /downloads/ (outside the token-checked tab API). */
  downloads?: DownloadRoute[];
  searchCommands?: SearchCommandRoute[];
  /** Link unfurling (composeExtension/queryLink) for its hosts; a host has one owner. */
  linkUnfurlers?: LinkUnfurlRoute[];
  conversation?: ConversationCards;
  /** Fills this feature's empty tables with the trust's sample data (local runs, demos). */
  loadSampleData?(): Promise<void>;
  /**
   * Start-up work once the database is migrated and sample data loaded, before the app takes
   * messages: checks that say plainly what is missing, and scheduling of recurring jobs.
   */
  start?(): Promise<void>;
}

export type FeatureFactory = (ctx: FeatureContext) => FeatureModule;

export type { ApiRoute } from '../shared/api-route.js';
