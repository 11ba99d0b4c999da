import type { z, ZodType } from 'zod/v4';
import type { Person } from '../features/people/people.domain.js';
import type { Result } from './result.js';

/** What a tab API handler is given: the signed-in person (from the validated token) and parsed inputs. */
export interface ApiRequest<Body = unknown, Query = unknown, Params = unknown> {
  person: Person;
  body: Body;
  query: Query;
  params: Params;
}

/**
 * A route under /api/v1/ contributed by a feature. The edge authenticates before routing, parses
 * body, query and path parameters with the zod schemas, and turns a failed Result into 4xx JSON
 * `{ error: { code, message } }` (statuses in src/api/api-errors.ts).
 */
export interface ApiRoute {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path under /api/v1/, with `:name` parameters, e.g. `commissions/:id/agree`. */
  path: string;
  body?: ZodType;
  query?: ZodType;
  params?: ZodType;
  /** Status for a success (default 200). */
  successStatus?: number;
  handle(request: ApiRequest): Promise<Result<unknown>>;
}

type Infer<S> = S extends ZodType ? z.infer<S> : undefined;

/** Declares a route with its handler typed by its own schemas. */
export function defineApiRoute<B extends ZodType | undefined = undefined, Q extends ZodType | undefined = undefined, P extends ZodType | undefined = undefined>(spec: {
  method: ApiRoute['method'];
  path: string;
  body?: B;
  query?: Q;
  params?: P;
  successStatus?: number;
  handle(request: ApiRequest<Infer<B>, Infer<Q>, Infer<P>>): Promise<Result<unknown>>;
}): ApiRoute {
  return spec;
}
