import type { Request, Response, Server } from 'restify';
import type { ZodType } from 'zod/v4';
import type { PeopleService } from '../features/people/people.service.js';
import type { ApiRoute } from '../shared/api-route.js';
import type { Logger } from '../shared/logger.js';
import { RateLimitedWarning } from '../shared/rate-limited-warning.js';
import { fail, ok, type Result } from '../shared/result.js';
import { sendApiError } from './api-errors.js';
import { matchRoute, type CompiledRoute, compileRoutes } from './api-paths.js';
import type { TabAuthenticator } from './tab-auth.js';

export const API_PREFIX = '/api/v1/';

export interface ApiEdgeDeps {
  routes: readonly ApiRoute[];
  auth: TabAuthenticator;
  people: PeopleService;
  logger: Logger;
  now: () => number;
}

/**
 * /api/v1/* for the tabs. Authentication comes before routing, so without a valid token every path,
 * real or not, answers the same 401 and reveals nothing. Then the person is looked up (roles from the
 * people service, as in chat), the route found, its inputs parsed with its zod schemas, and its Result
 * turned into JSON. Logs carry the route pattern, status and code; never the token, body or names.
 */
export function mountApi(server: Server, deps: ApiEdgeDeps): void {
  const compiled = compileRoutes([meRoute(), ...deps.routes]);
  const rejected = new RateLimitedWarning(deps.logger, 'tab token rejected', { perMinute: 20, now: deps.now });
  const handler = async (req: Request, res: Response): Promise<void> => {
    res.header('Cache-Control', 'no-store');
    const caller = await deps.auth.authenticate(typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined);
    if (!caller.ok) {
      if (caller.code === 'auth_keys_unavailable' || caller.code === 'auth_not_configured') deps.logger.error({ code: caller.code }, 'tab token could not be checked');
      else rejected.warn({ code: caller.code });
      return sendApiError(res, caller.code, caller.message);
    }
    const person = await deps.people.get(caller.value.oid);
    if (!person.ok) {
      deps.logger.warn({ code: person.code }, 'tab caller not resolved');
      return sendApiError(res, person.code, person.message);
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = matchRoute(compiled, req.method ?? 'GET', url.pathname.slice(API_PREFIX.length));
    if (match.kind === 'none') return sendApiError(res, 'not_found', 'There is nothing at this address.');
    if (match.kind === 'wrong_method') return sendApiError(res, 'method_not_allowed', 'This address does not accept that method.');
    const { route, params } = match;
    const inputs = parseInputs(route.route, { params, query: Object.fromEntries(url.searchParams), body: (req as Request & { body?: unknown }).body });
    if (!inputs.ok) return sendApiError(res, inputs.code, inputs.message, inputs.details);
    try {
      const result = await route.route.handle({ person: person.value, ...inputs.value });
      if (result.ok) {
        res.status(route.route.successStatus ?? 200);
        res.json(result.value);
      } else {
        sendApiError(res, result.code, result.message, result.details);
      }
      deps.logger.debug({ route: `${route.route.method} ${route.route.path}`, status: res.statusCode, code: result.ok ? undefined : result.code }, 'tab api');
    } catch (error) {
      deps.logger.error({ err: error, route: `${route.route.method} ${route.route.path}` }, 'tab api handler failed');
      if (!res.headersSent) sendApiError(res, 'server_error', 'The request could not be processed.');
    }
  };
  server.get(`${API_PREFIX}*`, handler);
  server.post(`${API_PREFIX}*`, handler);
  server.put(`${API_PREFIX}*`, handler);
  server.del(`${API_PREFIX}*`, handler);
}

/** GET /api/v1/me: the signed-in person and their roles, for the tab to decide what to offer. */
function meRoute(): ApiRoute {
  return {
    method: 'GET',
    path: 'me',
    handle: async ({ person }) =>
      ok({
        aadObjectId: person.aadObjectId,
        displayName: person.displayName,
        academyId: person.academyId,
        roles: person.roles,
        leaderOfAcademyIds: person.leaderOfAcademyIds,
        sencoOfAcademyIds: person.sencoOfAcademyIds,
      }),
  };
}

function parseInputs(
  route: ApiRoute,
  raw: { params: Record<string, string>; query: Record<string, string>; body: unknown },
): Result<{ params: unknown; query: unknown; body: unknown }, 'invalid_request'> {
  const out: Record<'params' | 'query' | 'body', unknown> = { params: raw.params, query: raw.query, body: raw.body };
  for (const part of ['params', 'query', 'body'] as const) {
    const schema: ZodType | undefined = route[part];
    if (!schema) continue;
    const parsed = schema.safeParse(part === 'body' ? (raw.body ?? {}) : raw[part]);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 10).map((i) => ({ path: [part, ...i.path.map(String)].join('.'), message: i.message }));
      const first = parsed.error.issues[0];
      const where = first.path.length ? ` (${first.path.map(String).join('.')})` : '';
      return fail('invalid_request', `${first.message}${where}.`, { issues });
    }
    out[part] = parsed.data;
  }
  return ok(out);
}

export type { CompiledRoute };
