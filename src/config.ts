import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod/v4';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The bundled Harmony profile; src/ and dist/ both sit one level below the project root. */
export const DEFAULT_TRUST_PROFILE = path.resolve(here, '..', 'src', 'trust', 'profiles', 'harmony.json');

const emptyToUndefined = (v: unknown): unknown => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().trim().optional());
const url = (example: string) =>
  z.preprocess(emptyToUndefined, z.url({ message: `must be a URL such as ${example}` }).optional());

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  HOST: z.string().default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BOT_ID: optionalString,
  CLIENT_ID: optionalString,
  BOT_PASSWORD: optionalString,
  CLIENT_SECRET: optionalString,
  BOT_TENANT_ID: optionalString,
  TENANT_ID: optionalString,
  BOT_TYPE: z.preprocess(emptyToUndefined, z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional()),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, { message: 'must start with postgres:// or postgresql://' })
      .optional(),
  ),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  TRUST_PROFILE: z.preprocess(emptyToUndefined, z.string().default(DEFAULT_TRUST_PROFILE)),
  SAMPLE_DATA: z.enum(['auto', 'on', 'off']).default('auto'),
  PEOPLE_DIRECTORY: z.enum(['auto', 'graph', 'sample']).default('auto'),
  PEOPLE_CACHE_MINUTES: z.coerce.number().int().min(0).max(24 * 60).default(60),
  GRAPH_CLIENT_ID: optionalString,
  GRAPH_CLIENT_SECRET: optionalString,
  GRAPH_TENANT_ID: optionalString,
  GRAPH_BASE_URL: url('https://graph.microsoft.com/v1.0'),
  GRAPH_AUTHORITY_HOST: url('https://login.microsoftonline.com'),
  TAB_DIR: z.preprocess(emptyToUndefined, z.string().optional()),
  // Teams allows a bot turn ~15 s and an invoke ~5 s: one connector call (retries included) must end well inside that.
  CONNECTOR_TIMEOUT_MS: z.coerce.number().int().min(100).max(15_000).default(4000),
  // The Teams app's manifest id (appPackage/manifest.json "id"): how Graph finds the app to install it for
  // someone, and what deep links from channel cards to the tab name.
  TEAMS_APP_ID: optionalString,
  // on only when the trust has granted TeamsAppInstallation.ReadWriteSelfForUser.All (or ReadWriteForUser.All):
  // announcements then install the app for people who have no chat with it yet, as Company Communicator does.
  PROACTIVE_INSTALL: z.enum(['on', 'off']).default('off'),
  // How many announcement senders run side by side across the app (each is a durable job); the pacer holds the rate.
  ANNOUNCEMENT_SENDERS: z.coerce.number().int().min(1).max(64).default(4),
  // The author's status card is updated at most this often while a send runs.
  ANNOUNCEMENT_STATUS_EVERY_MS: z.coerce.number().int().min(500).max(600_000).default(3000),
  // Teams' limit for everything the bot sends in the tenant (~50/s per app in 2026; it has changed, so it is a knob).
  SEND_RATE_PER_SECOND: z.coerce.number().min(0.1).max(10_000).default(50),
  // The share of it the shared schedule hands out; the rest absorbs clock skew and network jitter between instances.
  SEND_RATE_SHARE: z.coerce.number().min(0.5).max(0.995).default(0.98),
  SEND_RESERVE_BATCH: z.coerce.number().int().min(1).max(100).default(10),
  SEND_CONVERSATION_LIMITS: z
    .string()
    .default('7/1s,8/2s,60/30s,1800/1h')
    .transform((value, ctx) => {
      const windows = parseSendWindows(value);
      if (!windows) ctx.addIssue({ code: 'custom', message: 'must be a comma-separated list of count/window such as 7/1s,60/30s,1800/1h' });
      return windows ?? [];
    }),
  SEND_MAX_WAIT_MS: z.coerce.number().int().min(100).max(600_000).default(20_000),
  JOB_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(8),
  // The tab's Entra app registration (teamsapp.yml writes these): tokens from getAuthToken() are checked against them.
  AAD_APP_CLIENT_ID: optionalString,
  AAD_APP_TENANT_ID: optionalString,
  // Only for other clouds and tests: where the tenant's signing keys are fetched ({host}/{tenant}/discovery/v2.0/keys).
  TAB_AUTHORITY_HOST: url('https://login.microsoftonline.com'),
  // Local runs only: open the tab in a browser as a sample person (refused when the app has production credentials).
  DEV_SIGN_IN: z.enum(['on', 'off']).default('off'),
  // Only for other clouds and tests: where botbuilder reads Bot Framework's OpenID metadata.
  BOT_OPENID_METADATA_URL: url('https://login.botframework.com/v1/.well-known/openidconfiguration'),
  // The Bot Service OAuth connection that gives the bot each person's Teams SSO token (resource search as that person).
  BOT_SSO_CONNECTION: z.preprocess(emptyToUndefined, z.string().trim().max(200).regex(/^[\w .-]+$/, { message: 'must be an OAuth connection name' }).optional()),
  // Only for other clouds and tests: the Bot Framework token service (user tokens, token exchange).
  BOT_OAUTH_URL: url('https://api.botframework.com'),
  // The app's public address (https://devhub.example.org), for links the app gives out such as the CPD record download.
  PUBLIC_BASE_URL: url('https://devhub.example.org'),
  // Local runs only: POST /_dev/clock moves the app's clock (demos, the follow-up e2e test). Refused with a real bot identity.
  DEV_CLOCK_HOOK: z.enum(['on', 'off']).default('off'),
});

export type BotCredentials =
  | { mode: 'local' }
  | { mode: 'MultiTenant' | 'SingleTenant'; appId: string; password: string; tenantId: string | undefined }
  | { mode: 'UserAssignedMSI'; appId: string; tenantId: string };

/** The app-only identity used for Microsoft Graph: the bot's own unless GRAPH_CLIENT_* say otherwise. */
export type GraphIdentity =
  | { mode: 'none' }
  | { mode: 'secret'; clientId: string; secret: string; tenantId: string | undefined }
  | { mode: 'managed_identity'; clientId: string };

export interface Config {
  port: number;
  host: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  bot: BotCredentials;
  database: { kind: 'embedded'; dataDir: string } | { kind: 'postgres'; url: string; maxConnections: number };
  trustProfilePath: string;
  loadSampleData: boolean;
  people: { directory: 'graph' | 'sample'; cacheMinutes: number };
  graph: { baseUrl: string; authorityHost: string; identity: GraphIdentity };
  tabDir: string;
  tab: TabConfig;
  announcements: {
    proactiveInstall: { enabled: boolean; manifestAppId: string | undefined };
    senders: number;
    statusEveryMs: number;
  };
  /** The bot endpoint's outbound calls and token checks. */
  botEndpoint: { connectorTimeoutMs: number; openIdMetadataUrl: string | undefined; oAuthUrl: string | undefined };
  /** Where people reach the app from a browser; local runs default to http://localhost:PORT. */
  publicBaseUrl?: string | undefined;
  /** POST /_dev/clock is mounted (local runs only). */
  devClockHook?: boolean;
  /** Teams single sign-on for the bot: the OAuth connection name, or undefined when SSO is off. */
  sso: { connectionName: string | undefined };
  /** Proactive send pacing (src/pacing/): the tenant-wide rate and each conversation's windows. */
  sendPacing: {
    tenantRatePerSecond: number;
    share: number;
    reserveBatch: number;
    conversationWindows: Array<{ limit: number; windowMs: number }>;
    maxWaitMs: number;
  };
  /** How many durable jobs one instance runs at once. */
  jobConcurrency: number;
}

const WINDOW_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** "7/1s,8/2s,60/30s,1800/1h" → windows; undefined when any part is not count/duration. */
export function parseSendWindows(value: string): Array<{ limit: number; windowMs: number }> | undefined {
  const parts = value.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const windows = parts.map((part) => {
    const match = /^(\d+)\s*\/\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)$/.exec(part);
    if (!match) return undefined;
    const limit = Number(match[1]);
    const windowMs = Number(match[2]) * WINDOW_UNITS[match[3]];
    return limit >= 1 && windowMs >= 1 ? { limit, windowMs } : undefined;
  });
  return windows.every((w) => w !== undefined) ? windows : undefined;
}

/** How the tab API knows who is calling: Entra tokens from TeamsJS, and/or the local development sign-in. */
export interface TabConfig {
  entra: { clientId: string; tenantId: string; authorityHost: string } | undefined;
  devSignIn: boolean;
  teamsAppId: string | undefined;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once. Throws ConfigError with one sentence naming the bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'environment';
    throw new ConfigError(`Environment variable ${field} is invalid: ${issue.message}.`);
  }
  const e = parsed.data;
  const bot = botCredentials(e);
  const local = bot.mode === 'local';
  const directory = e.PEOPLE_DIRECTORY === 'auto' ? (local ? 'sample' : 'graph') : e.PEOPLE_DIRECTORY;
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    bot,
    database: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL, maxConnections: e.DATABASE_POOL_MAX }
      : { kind: 'embedded', dataDir: path.resolve(e.DATA_DIR) },
    trustProfilePath: path.resolve(e.TRUST_PROFILE),
    loadSampleData: e.SAMPLE_DATA === 'on' || (e.SAMPLE_DATA === 'auto' && local),
    people: { directory, cacheMinutes: e.PEOPLE_CACHE_MINUTES },
    graph: {
      baseUrl: (e.GRAPH_BASE_URL ?? 'https://graph.microsoft.com/v1.0').replace(/\/+$/, ''),
      authorityHost: (e.GRAPH_AUTHORITY_HOST ?? 'https://login.microsoftonline.com').replace(/\/+$/, ''),
      identity: graphIdentity(e, bot),
    },
    // The tab as Vite builds it (npm run build:tab, or npm run build); src/ and dist/ both sit one level below the root.
    tabDir: path.resolve(e.TAB_DIR ?? path.resolve(here, '..', 'dist', 'tab')),
    tab: tabConfig(e, bot),
    botEndpoint: { connectorTimeoutMs: e.CONNECTOR_TIMEOUT_MS, openIdMetadataUrl: e.BOT_OPENID_METADATA_URL, oAuthUrl: e.BOT_OAUTH_URL?.replace(/\/+$/, '') },
    sso: { connectionName: e.BOT_SSO_CONNECTION },
    announcements: {
      proactiveInstall: { enabled: e.PROACTIVE_INSTALL === 'on', manifestAppId: e.TEAMS_APP_ID },
      senders: e.ANNOUNCEMENT_SENDERS,
      statusEveryMs: e.ANNOUNCEMENT_STATUS_EVERY_MS,
    },
    sendPacing: {
      tenantRatePerSecond: e.SEND_RATE_PER_SECOND,
      share: e.SEND_RATE_SHARE,
      reserveBatch: e.SEND_RESERVE_BATCH,
      conversationWindows: e.SEND_CONVERSATION_LIMITS,
      maxWaitMs: e.SEND_MAX_WAIT_MS,
    },
    jobConcurrency: e.JOB_CONCURRENCY,
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? (local ? `http://localhost:${e.PORT}` : undefined))?.replace(/\/+$/, ''),
    devClockHook: devClockHook(e.DEV_CLOCK_HOOK, local),
  };
}

function isLoopbackUrl(value: string): boolean {
  const host = new URL(value).hostname;
  return host === 'localhost' || host === '[::1]' || host.startsWith('127.');
}

function tabConfig(e: z.infer<typeof envSchema>, bot: BotCredentials): TabConfig {
  const tenantId = e.AAD_APP_TENANT_ID ?? (bot.mode === 'local' ? undefined : bot.tenantId);
  if (e.AAD_APP_CLIENT_ID && !tenantId) {
    throw new ConfigError('Environment variable AAD_APP_TENANT_ID is missing: AAD_APP_CLIENT_ID is set, so tab sign-in needs the trust\'s tenant id.');
  }
  const devSignIn = e.DEV_SIGN_IN === 'on';
  // Anyone could sign in as anyone: never next to credentials that reach a real tenant.
  // Graph credentials for a stand-in on this machine (what `npm run dev` starts) reach no tenant.
  const realGraph = e.GRAPH_CLIENT_ID && !isLoopbackUrl(e.GRAPH_AUTHORITY_HOST ?? 'https://login.microsoftonline.com');
  const production = [bot.mode !== 'local' && 'BOT_ID', e.AAD_APP_CLIENT_ID && 'AAD_APP_CLIENT_ID', realGraph && 'GRAPH_CLIENT_ID'].filter(Boolean);
  if (devSignIn && production.length > 0) {
    throw new ConfigError(
      `Environment variable DEV_SIGN_IN is refused: it lets anyone open the tab as any sample person, and this app has production credentials (${production.join(', ')}). Use it only for local runs.`,
    );
  }
  return {
    entra: e.AAD_APP_CLIENT_ID && tenantId ? { clientId: e.AAD_APP_CLIENT_ID, tenantId: tenantId.toLowerCase(), authorityHost: (e.TAB_AUTHORITY_HOST ?? 'https://login.microsoftonline.com').replace(/\/+$/, '') } : undefined,
    devSignIn,
    teamsAppId: e.TEAMS_APP_ID,
  };
}

function devClockHook(setting: 'on' | 'off', local: boolean): boolean {
  if (setting === 'off') return false;
  if (!local) throw new ConfigError('Environment variable DEV_CLOCK_HOOK is refused: moving the clock is for local runs only, and a bot identity is configured.');
  return true;
}

function graphIdentity(e: z.infer<typeof envSchema>, bot: BotCredentials): GraphIdentity {
  if (e.GRAPH_CLIENT_ID) {
    if (!e.GRAPH_CLIENT_SECRET) {
      throw new ConfigError('Environment variable GRAPH_CLIENT_SECRET is missing: GRAPH_CLIENT_ID is set, so Graph needs its secret too.');
    }
    return { mode: 'secret', clientId: e.GRAPH_CLIENT_ID, secret: e.GRAPH_CLIENT_SECRET, tenantId: e.GRAPH_TENANT_ID ?? (bot.mode === 'local' ? undefined : bot.tenantId) };
  }
  switch (bot.mode) {
    case 'local':
      return { mode: 'none' };
    case 'UserAssignedMSI':
      return { mode: 'managed_identity', clientId: bot.appId };
    case 'MultiTenant':
    case 'SingleTenant':
      return { mode: 'secret', clientId: bot.appId, secret: bot.password, tenantId: e.GRAPH_TENANT_ID ?? bot.tenantId };
  }
}

function botCredentials(e: z.infer<typeof envSchema>): BotCredentials {
  const appId = e.BOT_ID ?? e.CLIENT_ID;
  const password = e.BOT_PASSWORD ?? e.CLIENT_SECRET;
  const tenantId = e.BOT_TENANT_ID ?? e.TENANT_ID;
  if (!appId) {
    if (password) throw new ConfigError('Environment variable BOT_ID is missing: BOT_PASSWORD is set, so the bot needs its app id too.');
    return { mode: 'local' };
  }
  const type = e.BOT_TYPE ?? (password ? 'MultiTenant' : 'UserAssignedMSI');
  if (type === 'UserAssignedMSI') {
    if (!tenantId) throw new ConfigError('Environment variable BOT_TENANT_ID is missing: a managed-identity bot needs its tenant id.');
    return { mode: 'UserAssignedMSI', appId, tenantId };
  }
  if (!password) throw new ConfigError(`Environment variable BOT_PASSWORD is missing: BOT_TYPE ${type} needs the app's client secret.`);
  if (type === 'SingleTenant' && !tenantId) {
    throw new ConfigError('Environment variable BOT_TENANT_ID is missing: a SingleTenant bot needs its tenant id.');
  }
  return { mode: type, appId, password, tenantId };
}
