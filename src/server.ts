import { existsSync } from 'node:fs';
import restify, { type Request, type Response, type Server } from 'restify';
import { sql } from 'kysely';
import { z } from 'zod/v4';
import { API_PREFIX, mountApi } from './api/api-edge.js';
import { mountDevClock, mountDownloads } from './api/download-routes.js';
import { sendApiError } from './api/api-errors.js';
import type { DevSignIn } from './api/dev-sign-in.js';
import { mountDevSignIn } from './api/dev-sign-in-routes.js';
import type { TabAuthenticator } from './api/tab-auth.js';
import type { Db } from './db/database.js';
import type { PeopleService } from './features/people/people.service.js';
import type { ApiRoute } from './shared/api-route.js';
import { jsonBodyReader } from './json-body.js';
import { codeForStatus, httpErrorBody, httpErrors, type HttpErrorCode } from './shared/http-errors.js';
import { RateLimitedWarning } from './shared/rate-limited-warning.js';
import type { Logger } from './shared/logger.js';
import type { DownloadRoute } from './features/feature-module.js';
import { normaliseActivity, type NormalisedActivity } from './teams/activity-normaliser.js';

/** What the bot side made of one activity (src/teams/adapter.ts). */
export type ActivityAnswer =
  | { kind: 'answered'; status: number; body: unknown }
  | { kind: 'unauthorized'; reason: string }
  | { kind: 'auth_unavailable'; reason: string };

export interface HttpDeps {
  db: Db;
  logger: Logger;
  tabDir: string;
  version: string;
  /** Hands a normalised activity and its Authorization header to the Bot Framework adapter (which checks the token). */
  processActivity(activity: NormalisedActivity, authorization: string): Promise<ActivityAnswer>;
  /** The tab API (/api/v1/*): features' routes, token checks and the people service; absent in tests of the bot edge alone. */
  api?: { routes: readonly ApiRoute[]; auth: TabAuthenticator; people: PeopleService; devSignIn?: DevSignIn };
  /** Milliseconds now, for rate-limiting warnings (tests pass their clock). */
  now?: () => number;
  /** One-time-link downloads under /downloads/ (e.g. the CPD record CSV). */
  downloads?: readonly DownloadRoute[];
  /** Local runs only (DEV_CLOCK_HOOK): moves the app's clock so a demo or e2e test can reach tomorrow. */
  devClock?: { set(at: Date): void; now(): Date };
}

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The envelope every channel (Teams, the Agents Playground) puts on an activity it delivers.
 * Without it a turn cannot be answered (the adapter replies to serviceUrl/conversation.id), so
 * such a body is rejected here with 400 instead of failing inside the turn behind a 200.
 */
const activityEnvelope = z.looseObject({
  type: z.string().min(1),
  serviceUrl: z.url({ protocol: /^https?$/ }),
  channelId: z.string().min(1),
  conversation: z.looseObject({ id: z.string().min(1) }),
  from: z.looseObject({ id: z.string().min(1) }),
  recipient: z.looseObject({ id: z.string().min(1) }),
});

export function jsonError(res: Response, code: HttpErrorCode): void {
  res.status(httpErrors[code].status);
  res.json(httpErrorBody(code));
}

/** The HTTP edge: /api/messages for Teams, /api/v1/* for the tabs, /healthz for App Service, /tab/* for the tab pages. */
export function createServer(deps: HttpDeps): Server {
  const { logger } = deps;
  const now = deps.now ?? Date.now;
  const server = restify.createServer({ name: 'development-hub', handleUncaughtExceptions: false });
  server.use(
    jsonBodyReader(MAX_BODY_BYTES, (req, res, rejection) => {
      // Authentication before anything else under /api/v1/: a caller with no token learns nothing from a body error.
      if (req.path().startsWith(API_PREFIX) && !req.headers.authorization) {
        sendApiError(res, 'token_missing', 'Sign in: the request carries no token.');
        return;
      }
      logger.warn({ path: req.path(), status: httpErrors[rejection.code].status, code: rejection.code, reason: rejection.detail }, 'request rejected');
      jsonError(res, rejection.code);
    }),
  );

  // Restify's own errors (unknown route, wrong method) get the app's error shape and a stable code.
  server.on('restifyError', (req: Request, _res: Response, err: Error & { statusCode?: number }, next: () => void) => {
    const status = err.statusCode ?? 500;
    const code = codeForStatus(status);
    logger.warn({ path: req.path(), method: req.method, status, code }, 'request rejected');
    (err as Error & { toJSON: () => unknown }).toJSON = () => httpErrorBody(code);
    next();
  });

  const rejectedTokens = new RateLimitedWarning(logger, 'bot token rejected', { perMinute: 20, now });
  server.post('/api/messages', async (req: Request, res: Response) => {
    const parsed = activityEnvelope.safeParse(req.body);
    if (!parsed.success) {
      logger.warn({ issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.code}`) }, 'malformed activity rejected');
      jsonError(res, 'invalid_activity');
      return;
    }
    const normalised = normaliseActivity(parsed.data);
    if (!normalised.ok) {
      logger.warn({ issues: [normalised.reason] }, 'malformed activity rejected');
      jsonError(res, 'invalid_activity');
      return;
    }
    const authorization = typeof req.headers.authorization === 'string' ? req.headers.authorization : '';
    let answer: ActivityAnswer;
    try {
      answer = await deps.processActivity(normalised.activity, authorization);
    } catch (error) {
      logger.error({ err: error, activityType: normalised.activity.type }, 'activity processing failed');
      if (!res.headersSent) jsonError(res, 'server_error');
      return;
    }
    switch (answer.kind) {
      case 'answered':
        res.status(answer.status);
        if (answer.body === undefined) res.end();
        else res.json(answer.body);
        return;
      case 'unauthorized':
        rejectedTokens.warn({ code: 'unauthorized', reason: answer.reason, scheme: authorization.split(' ')[0]?.slice(0, 16) ?? '' });
        jsonError(res, 'unauthorized');
        return;
      case 'auth_unavailable':
        logger.error({ code: 'auth_unavailable', reason: answer.reason }, 'bot token could not be checked');
        jsonError(res, 'auth_unavailable');
        return;
    }
  });

  // The Agents Playground (and uptime probes) check the endpoint with HEAD before posting.
  server.head('/api/messages', async (_req: Request, res: Response) => {
    res.send(200);
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    const database = await databaseReachable(deps.db);
    res.status(database ? 200 : 503);
    res.json({ status: database ? 'ok' : 'degraded', database: database ? 'reachable' : 'unreachable', version: deps.version });
  });

  if (deps.api) {
    mountApi(server, { ...deps.api, logger, now });
    if (deps.api.devSignIn) mountDevSignIn(server, { devSignIn: deps.api.devSignIn, people: deps.api.people, logger });
  }
  mountDownloads(server, { downloads: deps.downloads ?? [], logger });
  if (deps.devClock) mountDevClock(server, deps.devClock);

  if (existsSync(deps.tabDir)) {
    server.get('/tab/*', restify.plugins.serveStaticFiles(deps.tabDir));
  } else {
    logger.warn({ tabDir: deps.tabDir }, 'tab folder missing (npm run build:tab): tabs will not be served');
  }
  return server;
}

async function databaseReachable(db: Db): Promise<boolean> {
  try {
    await Promise.race([
      sql`select 1`.execute(db),
      new Promise((_, reject) => setTimeout(() => reject(new Error('database ping timed out')), 2000).unref()),
    ]);
    return true;
  } catch {
    return false;
  }
}
