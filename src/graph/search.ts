import { GraphError, RetryHandlerOptions } from '@microsoft/microsoft-graph-client';
import type { GraphConnection } from './graph-client.js';
import { retryAfterSeconds } from './graph-client.js';
import { GraphRequestError } from './graph-request.js';

/**
 * Microsoft Search through Graph (POST /search/query). One request per call, as Graph allows. The
 * caller owns throttling: the library's own retries are switched off for this request, because a
 * message-extension query has 5 seconds in all and only the caller knows how much of it is left.
 */

/** One search request as Graph documents it (searchRequest); the app fills only what it uses. */
export interface GraphSearchRequest {
  entityTypes: ReadonlyArray<'driveItem' | 'listItem'>;
  query: { queryString: string };
  from: number;
  size: number;
  fields?: readonly string[];
  /** Required with application permissions; Graph refuses it with delegated ones. */
  region?: string;
  sortProperties?: ReadonlyArray<{ name: string; isDescending: boolean }>;
}

/** A Graph failure with what throttling needs: the status and how long Graph asked us to wait. */
export class GraphSearchError extends GraphRequestError {
  override name = 'GraphSearchError';

  constructor(
    message: string,
    status: number | null,
    code: string | null,
    readonly retryAfterSeconds: number | null,
    options?: ErrorOptions,
  ) {
    super(message, status, code, options);
  }
}

export interface SearchCallOptions {
  /** Abort the HTTP call after this long (the caller's remaining budget). */
  timeoutMs: number;
}

/** Sends one search request and returns Graph's body untouched (the caller parses it); null for an unreadable body. */
export async function postSearchQuery(graph: GraphConnection, request: GraphSearchRequest, options: SearchCallOptions): Promise<unknown> {
  try {
    return (await graph.client
      .api('/search/query')
      .middlewareOptions([new RetryHandlerOptions(0, 0)])
      .options({ signal: AbortSignal.timeout(Math.max(1, Math.round(options.timeoutMs))) })
      .post({ requests: [request] })) as unknown;
  } catch (error) {
    // A success status whose body is not JSON (a proxy's page): an answer, just not one anyone can read.
    if (error instanceof GraphError && error.statusCode >= 200 && error.statusCode < 300) return null;
    if (error instanceof GraphError && error.statusCode > 0) {
      const wait = retryAfterSeconds(error.headers?.get('Retry-After') ?? null);
      throw new GraphSearchError(`Microsoft Graph search failed with ${error.statusCode} ${error.code ?? ''}`.trim(), error.statusCode, error.code, wait, { cause: error });
    }
    const reason = error instanceof Error ? error.name : 'unknown';
    throw new GraphSearchError(`Microsoft Graph search could not be reached (${reason})`, null, null, null, { cause: error });
  }
}
