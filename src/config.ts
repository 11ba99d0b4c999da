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
  // Only for other clouds and tests: where botbuilder reads Bot Framework's OpenID metadata.
  BOT_OPENID_METADATA_URL: url('https://login.botframework.com/v1/.well-known/openidconfiguration'),
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
  /** The bot endpoint's outbound calls and token checks. */
  botEndpoint: { connectorTimeoutMs: number; openIdMetadataUrl: string | undefined };
  /** Where people reach the app from a browser; local runs default to http://localhost:PORT. */
  publicBaseUrl?: string | undefined;
  /** POST /_dev/clock is mounted (local runs only). */
  devClockHook?: boolean;
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
    tabDir: path.resolve(e.TAB_DIR ?? path.resolve(here, '..', 'src', 'tab', 'public')),
    botEndpoint: { connectorTimeoutMs: e.CONNECTOR_TIMEOUT_MS, openIdMetadataUrl: e.BOT_OPENID_METADATA_URL },
    publicBaseUrl: (e.PUBLIC_BASE_URL ?? (local ? `http://localhost:${e.PORT}` : undefined))?.replace(/\/+$/, ''),
    devClockHook: devClockHook(e.DEV_CLOCK_HOOK, local),
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
