import { existsSync } from 'node:fs';
import restify, { type Request, type Response, type Server } from 'restify';
import { sql } from 'kysely';
import { z } from 'zod/v4';
import type { Db } from './db/database.js';
import type { Logger } from './shared/logger.js';

export interface HttpDeps {
  db: Db;
  logger: Logger;
  tabDir: string;
  version: string;
  /** Hands a parsed activity to the Bot Framework adapter (which checks the token and answers). */
  processActivity(req: Request, res: Response): Promise<void>;
}

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

export function jsonError(res: Response, status: number, code: string, message: string): void {
  res.status(status);
  res.json({ error: { code, message } });
}

/** The HTTP edge: /api/messages for Teams, /healthz for App Service, /tab/* for the tab pages. */
export function createServer(deps: HttpDeps): Server {
  const { logger } = deps;
  const server = restify.createServer({ name: 'development-hub', handleUncaughtExceptions: false });
  // JSON only: every endpoint takes JSON, and restify's multipart parser rests on the deprecated formidable 1.x.
  // (maxBodySize reaches restify's body reader; its typings only omit it.)
  const jsonOptions = { mapParams: false, maxBodySize: 1024 * 1024 };
  server.use(restify.plugins.jsonBodyParser(jsonOptions));

  // Restify's own errors (unparseable JSON, body too large, unknown route) get the app's error shape.
  server.on('restifyError', (req: Request, _res: Response, err: Error & { statusCode?: number; body?: { code?: string } }, next: () => void) => {
    const status = err.statusCode ?? 500;
    const code = status === 404 ? 'not_found' : status === 413 ? 'body_too_large' : status === 400 ? 'invalid_body' : 'server_error';
    logger.warn({ path: req.path(), status, code, reason: err.message }, 'request rejected');
    (err as Error & { toJSON: () => unknown }).toJSON = () => ({
      error: { code, message: status === 400 ? 'The request body is not valid JSON.' : err.message },
    });
    next();
  });

  server.post('/api/messages', async (req: Request, res: Response) => {
    const parsed = activityEnvelope.safeParse(req.body);
    if (!parsed.success) {
      logger.warn({ issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }, 'malformed activity rejected');
      jsonError(res, 400, 'invalid_activity', 'The request body is not a Bot Framework activity.');
      return;
    }
    try {
      await deps.processActivity(req, res);
    } catch (error) {
      logger.error({ err: error }, 'activity processing failed');
      if (!res.headersSent) jsonError(res, 500, 'server_error', 'The activity could not be processed.');
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

  if (existsSync(deps.tabDir)) {
    server.get('/tab/*', restify.plugins.serveStaticFiles(deps.tabDir));
  } else {
    logger.warn({ tabDir: deps.tabDir }, 'tab folder missing: tabs will not be served');
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
