import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DelegatedGraphConnections } from '../../../src/graph/delegated.js';
import { createGraphClient, type GraphConnection } from '../../../src/graph/graph-client.js';
import { postSearchQuery } from '../../../src/graph/search.js';
import { understandResourceQuery } from '../../../src/features/resources/resource-query.domain.js';
import { ResourceSearchService, type ResourceSettings } from '../../../src/features/resources/resources.service.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { createLogger } from '../../../src/shared/logger.js';
import { startGraphStandIn, type GraphStandIn, type Json } from '../../support/graph-stand-in.js';
import { PRIVATE_OWNER_ID, SAMPLE_SITE_URL } from '../../support/graph-stand-in/url-library.js';

const SITE = SAMPLE_SITE_URL;
const settings = (over: Partial<ResourceSettings> = {}): ResourceSettings => ({
  title: 'Universal Resource Library',
  scope: { siteUrl: SITE, paths: [] },
  region: 'GBR',
  identity: 'delegated_or_application',
  cacheSeconds: 60,
  ...over,
});

let graph: GraphStandIn;
let app: GraphConnection;
let people: DelegatedGraphConnections;
const clock = fixedClock('2026-11-23T10:00:00Z');
const slept: number[] = [];
const ASSERTION = 'teams-sso-token-for-ola';

function service(over: Partial<ResourceSettings> = {}, budgetMs?: number): ResourceSearchService {
  return new ResourceSearchService({
    settings: settings(over),
    appGraph: app,
    personGraph: (id, token) => people.forPerson(id, token),
    post: postSearchQuery,
    clock,
    sleep: (ms) => {
      slept.push(ms);
      clock.advance(ms);
      return Promise.resolve();
    },
    logger: createLogger('silent'),
    ...(budgetMs ? { budgetMs } : {}),
  });
}
const q = (text: string) => understandResourceQuery(text);
const sent = (): Json => graph.requestsTo('search.query').at(-1)!.body.requests[0];
const asApp = { aadObjectId: PRIVATE_OWNER_ID, ssoToken: undefined };
const asOla = { aadObjectId: PRIVATE_OWNER_ID, ssoToken: ASSERTION };

beforeAll(async () => {
  graph = await startGraphStandIn();
  graph.addUserAssertion(ASSERTION, PRIVATE_OWNER_ID);
  app = createGraphClient(graph.appConfig(), { credentialOptions: { authorityCa: graph.certificatePem } });
  people = new DelegatedGraphConnections(graph.appConfig(), { authorityCa: graph.certificatePem });
});
afterAll(() => graph.close());
beforeEach(() => {
  graph.clearRequests();
  graph.clearFailures();
  slept.length = 0;
});

describe('searching the URL through Graph', () => {
  it('sends one request: driveItem and listItem, the terms and the site path, fields, from/size and the region when app-only', async () => {
    const result = await service().search(asApp, q('resources on vocabulary'), 0, 5);
    expect(result.ok).toBe(true);
    expect(graph.requestsTo('search.query')).toHaveLength(1);
    expect(sent()).toEqual({
      entityTypes: ['driveItem', 'listItem'],
      query: { queryString: `vocabulary path:"${SITE}"` },
      from: 0,
      size: 5,
      fields: expect.arrayContaining(['name', 'title', 'webUrl', 'lastModifiedDateTime', 'createdBy']),
      region: 'GBR',
    });
    if (!result.ok) return;
    expect(result.value.searchedAs).toBe('app');
    expect(result.value.resources.length).toBe(5);
    expect(result.value.resources.every((r) => r.webUrl.startsWith(SITE))).toBe(true);
    expect(result.value.resources.some((r) => /vocabulary/i.test(r.title))).toBe(true);
    expect(result.value.moreAvailable).toBe(true);
    // Graph's markup is gone from the snippets.
    expect(result.value.resources.map((r) => r.snippet).join(' ')).not.toMatch(/<c0>|<\/c0>|<ddd\/>/);
  });

  it('pages with from/size as Graph does, without repeats, and says when there is no more', async () => {
    const search = service({ cacheSeconds: 0 });
    const seen: string[] = [];
    let page = 0;
    for (;;) {
      const result = await search.search(asApp, q('phonics'), page * 3, 3);
      if (!result.ok) throw new Error(result.code);
      expect(sent().from).toBe(page * 3);
      seen.push(...result.value.resources.map((r) => r.id));
      if (!result.value.moreAvailable) break;
      page++;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThan(6);
  });

  it('caps size at 500 (Graph\'s limit) and never asks for a negative page', async () => {
    await service().search(asApp, q('maths'), -4, 10_000);
    expect(sent()).toMatchObject({ from: 0, size: 500 });
  });

  it.each([
    ['quotes', 'phonics" OR path:"https://harmonytrust.sharepoint.com/sites/HumanResources'],
    ['path:', 'path:https://harmonytrust.sharepoint.com/sites/HumanResources'],
    ['OR', 'phonics OR absence'],
    ['NOT', 'NOT phonics'],
    ['AND/parentheses', '(pay) OR (policy)'],
    ['wildcards', 'pho* abs*'],
    ['NEAR', 'phonics NEAR(3) allowance'],
    ['property restrictions', 'author:HR title:pay filename:policy'],
    ['a leading minus', '-phonics'],
  ])('keeps typed %s inside the path restriction', async (_what, text) => {
    const result = await service({ cacheSeconds: 0 }).search(asApp, q(text), 0, 50);
    const queryString: string = sent().query.queryString;
    // Only the app's own path clause carries punctuation; the typed words are bare lower-case terms.
    expect(queryString.endsWith(`path:"${SITE}"`)).toBe(true);
    expect(queryString.slice(0, -`path:"${SITE}"`.length)).toMatch(/^[\p{L}\p{N} ]*$/u);
    expect(queryString).not.toMatch(/\b(OR|AND|NOT|NEAR)\b/);
    if (result.ok) expect(result.value.resources.every((r) => r.webUrl.startsWith(SITE))).toBe(true);
  });

  it('searches at most 12 words of 1,000-character input, and says so', async () => {
    const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ').slice(0, 1000);
    const query = q(long);
    expect(query.terms).toHaveLength(12);
    expect(query.truncated).toBe(true);
    const result = await service().search(asApp, query, 0, 5);
    expect(result.ok).toBe(true);
    expect(sent().query.queryString.length).toBeLessThan(400);
  });

  it('restricts to folders when the trust names them, and asks for kinds by file type', async () => {
    const folder = `${SITE}/Shared%20Documents/Training%20Videos`;
    const result = await service({ scope: { siteUrl: SITE, paths: [folder, `${SITE}/Shared%20Documents/Phonics`] } }).search(asApp, q('find phonics videos'), 0, 10);
    expect(sent().query.queryString).toBe(`phonics (filetype:mp4 OR filetype:mov OR filetype:m4v OR filetype:webm OR filetype:wmv OR filetype:avi) (path:"${folder}" OR path:"${SITE}/Shared%20Documents/Phonics")`);
    if (!result.ok) throw new Error(result.code);
    expect(result.value.resources.length).toBeGreaterThan(0);
    expect(result.value.resources.every((r) => r.kind === 'video')).toBe(true);
  });

  it('with nothing to look for, asks for the newest items first', async () => {
    const result = await service().search(asApp, q('resources'), 0, 5);
    expect(sent()).toMatchObject({ query: { queryString: `path:"${SITE}"` }, sortProperties: [{ name: 'lastModifiedDateTime', isDescending: true }] });
    if (!result.ok) throw new Error(result.code);
    const dates = result.value.resources.map((r) => r.modified!.getTime());
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
  });
});

describe('as the person, or with the app\'s permission', () => {
  it('searches on-behalf-of a signed-in person: no region, and their private files are included', async () => {
    const result = await service().search(asOla, q('phonics'), 0, 50);
    if (!result.ok) throw new Error(result.code);
    expect(result.value.searchedAs).toBe('person');
    expect(sent().region).toBeUndefined();
    expect(result.value.resources.some((r) => r.title.includes('observation notes'))).toBe(true);
    const obo = graph.requestsTo('authority.token').filter((r) => r.body.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(obo.at(-1)!.body).toMatchObject({ assertion: ASSERTION, requested_token_use: 'on_behalf_of' });
  });

  it('app-only never returns private content', async () => {
    const result = await service({ cacheSeconds: 0 }).search(asApp, q('phonics'), 0, 50);
    if (!result.ok) throw new Error(result.code);
    expect(result.value.resources.some((r) => r.title.includes('observation notes'))).toBe(false);
  });

  it('delegated-only asks for sign-in instead of falling back, and application-only never uses the person\'s token', async () => {
    const refused = await service({ identity: 'delegated' }).search(asApp, q('phonics'), 0, 5);
    expect(refused).toMatchObject({ ok: false, code: 'sign_in_required' });
    expect(graph.requestsTo('search.query')).toHaveLength(0);
    const appOnly = await service({ identity: 'application' }).search(asOla, q('phonics'), 0, 5);
    expect(appOnly.ok && appOnly.value.searchedAs).toBe('app');
  });
});

describe('cache and throttling', () => {
  it('answers an identical repeat from the cache, per person, until it expires', async () => {
    const search = service();
    await search.search(asApp, q('oracy'), 0, 5);
    await search.search(asApp, q('find oracy'), 0, 5);
    expect(graph.requestsTo('search.query')).toHaveLength(1);
    await search.search(asOla, q('oracy'), 0, 5);
    expect(graph.requestsTo('search.query')).toHaveLength(2);
    clock.advance(61_000);
    await search.search(asApp, q('oracy'), 0, 5);
    expect(graph.requestsTo('search.query')).toHaveLength(3);
  });

  it('waits for Retry-After on 429 when it fits the budget, then answers', async () => {
    graph.failNext('search.query', 1, { status: 429, retryAfter: '1' });
    const result = await service({ cacheSeconds: 0 }).search(asApp, q('behaviour'), 0, 5);
    expect(result.ok).toBe(true);
    expect(slept).toEqual([1000]);
    expect(graph.requestsTo('search.query')).toHaveLength(2);
  });

  it('answers busy at once when Retry-After would not fit the 5-second budget', async () => {
    graph.failNext('search.query', 1, { status: 503, retryAfter: '30' });
    const result = await service({ cacheSeconds: 0 }).search(asApp, q('behaviour'), 0, 5);
    expect(result).toMatchObject({ ok: false, code: 'busy' });
    expect(slept).toEqual([]);
  });

  it('gives up as busy when Graph keeps throttling', async () => {
    graph.failNext('search.query', 5, { status: 429, retryAfter: '0' });
    const result = await service({ cacheSeconds: 0 }).search(asApp, q('behaviour'), 0, 5);
    expect(result).toMatchObject({ ok: false, code: 'busy' });
    expect(graph.requestsTo('search.query')).toHaveLength(3);
  });

  it.each([
    [{ status: 403 }, 'not_allowed'],
    [{ status: 400 }, 'rejected'],
    [{ status: 500 }, 'unreachable'],
    [{ disconnect: true }, 'unreachable'],
    [{ status: 200, body: { value: 'not a list' } }, 'unexpected_response'],
    [{ status: 200, body: '<html>proxy</html>' }, 'unexpected_response'],
  ])('turns %j into the failure %s', async (failure, code) => {
    graph.failNext('search.query', 1, failure);
    const result = await service({ cacheSeconds: 0 }).search(asApp, q('behaviour'), 0, 5);
    expect(result).toMatchObject({ ok: false, code });
  });

  it('keeps only hits with a usable https link inside the library from a response with missing fields', async () => {
    graph.failNext('search.query', 1, {
      status: 200,
      body: {
        value: [
          {
            hitsContainers: [
              {
                hits: [
                  { hitId: '1', summary: 'A <c0>good</c0> one<ddd/>', resource: { name: 'Good.docx', webUrl: `${SITE}/Shared%20Documents/Good.docx` } },
                  { hitId: '2', resource: { name: 'No link.docx' } },
                  { hitId: '3', resource: { name: 'Elsewhere.docx', webUrl: 'https://evil.example/x.docx' } },
                  { hitId: '4', resource: { name: 'Script', webUrl: 'javascript:alert(1)' } },
                  { hitId: '5', resource: null },
                  'not an object',
                  { hitId: '6', resource: { webUrl: `${SITE}/Shared%20Documents/Untitled%20thing.mp4`, lastModifiedDateTime: 'not a date' } },
                ],
              },
            ],
          },
        ],
      },
    });
    const result = await service({ cacheSeconds: 0 }).search(asApp, q('good'), 0, 5);
    if (!result.ok) throw new Error(result.code);
    expect(result.value.resources.map((r) => [r.title, r.kind, r.snippet, r.modified])).toEqual([
      ['Good', 'document', 'A good one…', undefined],
      ['Untitled thing', 'video', '', undefined],
    ]);
    expect(result.value.moreAvailable).toBe(false);
  });
});
