import type { Request, Response, Server } from 'restify';
import { z } from 'zod/v4';
import type { PeopleService } from '../features/people/people.service.js';
import type { Logger } from '../shared/logger.js';
import { sendApiError } from './api-errors.js';
import type { DevSignIn } from './dev-sign-in.js';

const signInBody = z.strictObject({ aadObjectId: z.string().regex(/^[0-9a-f-]{36}$/i, { message: 'must be a sample person\'s object id' }) });

/**
 * The local development sign-in's two routes, outside /api/v1/ (they are how a token is got, not
 * used): the sample people to pick from, and a token for one of them. Mounted only when config
 * allows it, and only with the sample directory: with the real directory it would let anyone be anyone.
 */
export function mountDevSignIn(server: Server, deps: { devSignIn: DevSignIn; people: PeopleService; logger: Logger }): void {
  if (deps.people.directory !== 'sample') {
    deps.logger.warn({ code: 'dev_sign_in_refused' }, 'development sign-in needs the sample directory: not mounted');
    return;
  }
  server.get('/api/dev-sign-in/people', async (_req: Request, res: Response) => {
    const people = await deps.people.listByRole('staff', 500);
    if (!people.ok) return sendApiError(res, people.code, people.message);
    res.header('Cache-Control', 'no-store');
    res.json({ people: people.value });
  });
  server.post('/api/dev-sign-in', async (req: Request, res: Response) => {
    const body = signInBody.safeParse((req as Request & { body?: unknown }).body ?? {});
    if (!body.success) return sendApiError(res, 'invalid_request', `aadObjectId ${body.error.issues[0].message}.`);
    const people = await deps.people.listByRole('staff', 500);
    const id = body.data.aadObjectId.toLowerCase();
    if (!people.ok || !people.value.some((p) => p.aadObjectId.toLowerCase() === id)) {
      return sendApiError(res, 'not_found', 'There is no sample person with that id.');
    }
    deps.logger.info({ aadObjectId: id, code: 'dev_sign_in' }, 'development sign-in');
    res.header('Cache-Control', 'no-store');
    res.json(await deps.devSignIn.sign(id));
  });
}
