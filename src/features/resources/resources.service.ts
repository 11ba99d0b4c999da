import type { GraphConnection } from '../../graph/graph-client.js';
import { GraphSearchError, type GraphSearchRequest } from '../../graph/search.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { parseSearchResponse, type Resource } from './resource-hits.domain.js';
import { buildQueryString, isInScope, kqlPathValue, type ResourceQuery, type SearchScope } from './resource-query.domain.js';

/**
 * Searching the Universal Resource Library through Microsoft Graph: as the person when they have
 * signed in (Graph trims results to what they may open), with the app's own permission when the
 * trust allows it, from a short-lived cache for an identical repeat, and always within a time budget
 * (a message-extension query has 5 seconds in Teams; 429/503 wait for Retry-After only if it fits).
 */

export type ResourceSearchFailure =
  | 'not_configured'
  | 'sign_in_required'
  | 'not_allowed'
  | 'busy'
  | 'unreachable'
  | 'rejected'
  | 'unexpected_response';

export type SearchIdentity = 'delegated' | 'delegated_or_application' | 'application';

export interface ResourceSettings {
  title: string;
  scope: SearchScope;
  region: string;
  identity: SearchIdentity;
  cacheSeconds: number;
}

/** Who is searching: their Entra id and, when they have signed in, their Teams SSO token. */
export interface Searcher {
  aadObjectId: string | undefined;
  ssoToken: string | undefined;
}

export interface ResourcePage {
  query: ResourceQuery;
  resources: Resource[];
  from: number;
  size: number;
  moreAvailable: boolean;
  total: number | undefined;
  /** How Graph was asked: as the person, or with the app's permission (shared content only). */
  searchedAs: 'person' | 'app';
}

export interface ResourceSearchDeps {
  settings: ResourceSettings | undefined;
  /** The app-only Graph connection; undefined in local mode without a Graph stand-in. */
  appGraph: GraphConnection | undefined;
  /** Graph as a person (on-behalf-of); undefined when the app cannot do on-behalf-of. */
  personGraph: ((aadObjectId: string, ssoToken: string) => GraphConnection) | undefined;
  post(graph: GraphConnection, request: GraphSearchRequest, options: { timeoutMs: number }): Promise<unknown>;
  clock: Clock;
  sleep(ms: number): Promise<void>;
  logger: Logger;
  /** The whole time a search may take, retries included (default 4,000 ms: inside Teams' 5 s). */
  budgetMs?: number;
  maxCacheEntries?: number;
}

/** The fields read from each hit (driveItem properties, and list-item fields for pages and links). */
export const SEARCH_FIELDS = ['id', 'name', 'title', 'webUrl', 'fileType', 'lastModifiedDateTime', 'createdBy', 'lastModifiedBy', 'author', 'contentclass'] as const;
export const MAX_PAGE_SIZE = 500;

interface CacheEntry {
  at: number;
  page: Omit<ResourcePage, 'query'>;
}

export class ResourceSearchService {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly budgetMs: number;

  constructor(private readonly deps: ResourceSearchDeps) {
    this.budgetMs = deps.budgetMs ?? 4000;
  }

  get settings(): ResourceSettings | undefined {
    return this.deps.settings;
  }

  /** Whether asking this person to sign in would get them more than they have now. */
  canSearchAsPerson(): boolean {
    return this.deps.personGraph !== undefined && this.deps.settings?.identity !== 'application';
  }

  async search(searcher: Searcher, query: ResourceQuery, from: number, size: number): Promise<Result<ResourcePage, ResourceSearchFailure>> {
    const settings = this.deps.settings;
    if (!settings) return fail('not_configured', 'The resource library is not set up for this trust yet.');
    // With nothing to look for, the newest items are the useful answer.
    const newestFirst = query.terms.length === 0;
    const found = await this.run(searcher, settings, buildQueryString(query, settings.scope), from, size, newestFirst);
    return found.ok ? ok({ ...found.value, query }) : found;
  }

  /** The library item at this URL (a pasted link), or null when search does not know it. */
  async findByUrl(searcher: Searcher, url: string): Promise<Result<Resource | null, ResourceSearchFailure>> {
    const settings = this.deps.settings;
    if (!settings) return fail('not_configured', 'The resource library is not set up for this trust yet.');
    const target = new URL(url);
    const bare = `${target.origin}${target.pathname}`;
    if (!isInScope(bare, settings.scope)) return ok(null);
    const found = await this.run(searcher, settings, `path:"${kqlPathValue(bare)}"`, 0, 5, false);
    if (!found.ok) return found;
    const wanted = normalisedUrl(bare);
    return ok(found.value.resources.find((r) => normalisedUrl(r.webUrl) === wanted) ?? null);
  }

  private async run(
    searcher: Searcher,
    settings: ResourceSettings,
    queryString: string,
    from: number,
    size: number,
    newestFirst: boolean,
  ): Promise<Result<Omit<ResourcePage, 'query'>, ResourceSearchFailure>> {
    const how = this.identityFor(searcher, settings);
    if (!how.ok) return how;
    const start = Math.max(0, Math.trunc(from));
    const count = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.trunc(size)));
    const request: GraphSearchRequest = {
      entityTypes: ['driveItem', 'listItem'],
      query: { queryString },
      from: start,
      size: count,
      fields: SEARCH_FIELDS,
      ...(how.value.as === 'app' ? { region: settings.region } : {}),
      ...(newestFirst ? { sortProperties: [{ name: 'lastModifiedDateTime', isDescending: true }] } : {}),
    };
    const key = `${how.value.cacheKey}\n${queryString}\n${start}\n${count}\n${newestFirst}`;
    const now = this.deps.clock.now().getTime();
    const cached = this.cache.get(key);
    if (cached && now - cached.at < settings.cacheSeconds * 1000) return ok(cached.page);

    const body = await this.send(how.value.graph, request);
    if (!body.ok) return body;
    const parsed = parseSearchResponse(body.value, settings.scope);
    if (!parsed) {
      this.deps.logger.warn({ code: 'unexpected_response' }, 'resource search: Graph answered with an unexpected shape');
      return fail('unexpected_response', 'Microsoft Graph answered the search in a way Development Hub does not understand.');
    }
    const page = { resources: parsed.resources, from: start, size: count, moreAvailable: parsed.moreResultsAvailable, total: parsed.total, searchedAs: how.value.as };
    this.deps.logger.debug({ hits: parsed.resources.length, skipped: parsed.skipped, as: how.value.as, from: start }, 'resource search answered');
    if (settings.cacheSeconds > 0) this.remember(key, { at: now, page });
    return ok(page);
  }

  private identityFor(
    searcher: Searcher,
    settings: ResourceSettings,
  ): Result<{ graph: GraphConnection; as: 'person' | 'app'; cacheKey: string }, ResourceSearchFailure> {
    const { personGraph, appGraph } = this.deps;
    if (settings.identity !== 'application' && personGraph && searcher.ssoToken && searcher.aadObjectId) {
      return ok({ graph: personGraph(searcher.aadObjectId, searcher.ssoToken), as: 'person', cacheKey: `person:${searcher.aadObjectId}` });
    }
    if (settings.identity === 'delegated') {
      return personGraph
        ? fail('sign_in_required', 'Resource search shows only what you may open, so it needs you to sign in first.')
        : fail('not_configured', 'Resource search is set to search as each person, but single sign-on is not set up for the bot.');
    }
    if (!appGraph) return fail('not_configured', 'Development Hub has no Microsoft Graph connection here, so it cannot search the library.');
    return ok({ graph: appGraph, as: 'app', cacheKey: 'app' });
  }

  private async send(graph: GraphConnection, request: GraphSearchRequest): Promise<Result<unknown, ResourceSearchFailure>> {
    const started = this.deps.clock.now().getTime();
    const elapsed = (): number => this.deps.clock.now().getTime() - started;
    for (let attempt = 1; ; attempt++) {
      try {
        return ok(await this.deps.post(graph, request, { timeoutMs: Math.max(200, this.budgetMs - elapsed()) }));
      } catch (error) {
        if (!(error instanceof GraphSearchError)) throw error;
        const status = error.status;
        this.deps.logger.warn({ status, code: error.code, attempt }, 'resource search: Graph call failed');
        if (status === 429 || status === 503 || status === 504) {
          const waitMs = (error.retryAfterSeconds ?? 1) * 1000;
          // Wait only if the retry can still answer inside the budget (with room for the call itself).
          if (attempt < 3 && elapsed() + waitMs + 500 <= this.budgetMs) {
            await this.deps.sleep(waitMs);
            continue;
          }
          return fail('busy', 'The resource library is busy right now.');
        }
        if (status === 401 || status === 403) return fail('not_allowed', 'Microsoft Graph did not allow Development Hub to search the library.');
        if (status !== null && status >= 400 && status < 500) return fail('rejected', 'Microsoft Graph refused the search.');
        if (status === null && isTimeout(error)) return fail('busy', 'The resource library took too long to answer.');
        return fail('unreachable', 'Development Hub could not reach the resource library.');
      }
    }
  }

  private remember(key: string, entry: CacheEntry): void {
    this.cache.delete(key);
    if (this.cache.size >= (this.deps.maxCacheEntries ?? 500)) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, entry);
  }
}

function isTimeout(error: GraphSearchError): boolean {
  const cause = error.cause as { name?: unknown } | undefined;
  return cause?.name === 'TimeoutError' || cause?.name === 'AbortError' || /TimeoutError|AbortError/.test(error.message);
}

function normalisedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return decodeURIComponent(`${parsed.origin}${parsed.pathname}`).replace(/\/+$/, '').toLowerCase();
  } catch {
    return url.toLowerCase();
  }
}
