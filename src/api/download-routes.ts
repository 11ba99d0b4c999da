import type { Request, Response, Server } from 'restify';
import type { DownloadRoute } from '../features/feature-module.js';
import { httpErrorBody, httpErrors } from '../shared/http-errors.js';
import type { Logger } from '../shared/logger.js';

export const DOWNLOAD_PREFIX = '/downloads/';

/**
 * One-time-link downloads (GET /downloads/<path>?token=…), outside /api/v1/: the link is opened from
 * a chat card in the person's browser, which has no tab token, so the short-lived single-use token is
 * the credential. An unknown, used or expired token answers 410 link_expired; logs carry the path only.
 */
export function mountDownloads(server: Server, deps: { downloads: readonly DownloadRoute[]; logger: Logger }): void {
  for (const route of deps.downloads) {
    server.get(`${DOWNLOAD_PREFIX}${route.path}`, async (req: Request, res: Response) => {
      res.header('Cache-Control', 'no-store');
      const token = new URL(req.url ?? '/', 'http://localhost').searchParams.get('token') ?? '';
      try {
        const file = await route.handle(token);
        if (!file) {
          res.status(httpErrors.link_expired.status);
          res.json(httpErrorBody('link_expired'));
          return;
        }
        res.status(200);
        res.header('Content-Type', file.contentType);
        res.header('Content-Disposition', `attachment; filename="${file.filename.replace(/[^A-Za-z0-9._-]/g, '_')}"`);
        res.header('X-Content-Type-Options', 'nosniff');
        res.end(file.body);
      } catch (error) {
        deps.logger.error({ err: error, path: route.path }, 'download failed');
        if (!res.headersSent) {
          res.status(500);
          res.json(httpErrorBody('server_error'));
        }
      }
    });
  }
}

/**
 * POST /_dev/clock {"at": ISO}: moves the app's clock so a demo or the follow-up e2e test reaches
 * "the day before the session" without waiting. Mounted only when config allows DEV_CLOCK_HOOK,
 * which it refuses next to a real bot identity.
 */
export function mountDevClock(server: Server, clock: { set(at: Date): void; now(): Date }): void {
  server.post('/_dev/clock', async (req: Request, res: Response) => {
    const body = (req as unknown as { body?: unknown }).body;
    const raw = typeof body === 'object' && body !== null ? (body as { at?: unknown }).at : undefined;
    const at = typeof raw === 'string' ? new Date(raw) : undefined;
    if (!at || Number.isNaN(at.getTime())) {
      res.status(400);
      res.json(httpErrorBody('invalid_activity'));
      return;
    }
    clock.set(at);
    res.json({ now: clock.now().toISOString() });
  });
}
