import { GraphError } from '@microsoft/microsoft-graph-client';
import { z } from 'zod/v4';
import type { GraphConnection } from './graph-client.js';

/**
 * A Graph call that did not succeed. `status` is the HTTP status Graph answered with (after any
 * retries), or null when Graph was not reached at all (network, DNS, token endpoint).
 * Callers treat 404 as an answer and everything else as an outage or misconfiguration.
 */
export class GraphRequestError extends Error {
  override name = 'GraphRequestError';

  constructor(
    message: string,
    readonly status: number | null,
    readonly code: string | null,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }

  get isNotFound(): boolean {
    return this.status === 404;
  }
}

/** Runs one Graph call and turns whatever it throws into a GraphRequestError naming `what`. */
export async function graphRequest<T>(what: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (error instanceof GraphError && error.statusCode > 0) {
      throw new GraphRequestError(`Microsoft Graph ${what} failed with ${error.statusCode} ${error.code ?? ''}`.trim(), error.statusCode, error.code, {
        cause: error,
      });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new GraphRequestError(`Microsoft Graph ${what} could not be reached: ${reason}`, null, null, { cause: error });
  }
}

const pageSchema = z.object({
  value: z.array(z.unknown()),
  '@odata.nextLink': z.string().optional(),
});

/**
 * Every item of a collection, following @odata.nextLink until Graph stops sending one.
 * A next link must lie under the configured base URL (so the token is never sent elsewhere);
 * `maxPages` stops a misbehaving server from looping forever.
 */
export async function getAllPages(
  graph: GraphConnection,
  what: string,
  firstPath: string,
  maxPages = 100,
): Promise<unknown[]> {
  const items: unknown[] = [];
  let path: string | undefined = firstPath;
  for (let page = 0; path !== undefined; page++) {
    if (page >= maxPages) throw new GraphRequestError(`Microsoft Graph ${what} returned more than ${maxPages} pages`, null, null);
    const requestPath: string = path;
    const body: unknown = await graphRequest(what, () => graph.client.api(requestPath).get() as Promise<unknown>);
    const parsed = pageSchema.safeParse(body);
    if (!parsed.success) throw new GraphRequestError(`Microsoft Graph ${what} returned an unexpected page shape`, null, null);
    items.push(...parsed.data.value);
    const next = parsed.data['@odata.nextLink'];
    path = next === undefined ? undefined : relativeToBase(graph, next, what);
  }
  return items;
}

/** Graph next links are absolute; the client takes paths relative to its base URL. */
export function relativeToBase(graph: GraphConnection, link: string, what = 'paging'): string {
  const prefix = `${graph.baseUrl}/`;
  if (!link.startsWith(prefix)) {
    throw new GraphRequestError(`Microsoft Graph ${what} sent a next link outside ${graph.baseUrl}`, null, null);
  }
  return `/${link.slice(prefix.length)}`;
}
