import { graphError, type GraphRoute, type Json, type StandInRequest, type StandInResponse } from './wire.js';
import { sampleUrlLibrary, type LibraryItem } from './url-library.js';

/**
 * Microsoft Search: POST /v1.0/search/query over a SharePoint library, as Graph documents it.
 * - Validates the request like Graph: one or more requests, known entityTypes, a queryString,
 *   from ≥ 0, 1 ≤ size ≤ 500; `region` required with an app-only token.
 * - Interprets KQL on its own (words with prefix matching, "phrases", AND/OR/NOT, parentheses,
 *   `-` exclusion, trailing `*` wildcards, property restrictions path:, filetype:, title:, author:),
 *   so an app that failed to escape user text would really widen its results here.
 * - App-only tokens never see private items; a delegated token (on-behalf-of) sees its owner's.
 * - Pages with from/size, answers total and moreResultsAvailable, sorts by relevance or by
 *   sortProperties lastModifiedDateTime, and marks matches in summaries with <c0>…</c0> and <ddd/>.
 *
 * graph.library holds the items (the sample URL library by default); graph.searchDelayMs makes every
 * search answer after a fixed delay (the benchmark's "Graph's own time").
 */
export class StandInLibrary {
  items: LibraryItem[] = sampleUrlLibrary();
  /** Milliseconds each search waits before answering. */
  delayMs = 0;
}

export interface SearchIdentity {
  /** The user a delegated token stands for, or undefined for an app-only token. */
  userOfToken(token: string): string | undefined;
}

const ENTITY_TYPES = new Set(['driveItem', 'listItem', 'list', 'site', 'drive', 'message', 'event', 'chatMessage', 'person', 'externalItem']);

export function searchRoutes(identity: SearchIdentity, library: StandInLibrary): GraphRoute[] {
  return [
    {
      name: 'search.query',
      method: 'POST',
      path: '/v1.0/search/query',
      handle: async (req) => {
        if (library.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, library.delayMs));
        return answer(req, identity, library);
      },
    },
  ];
}

function badRequest(message: string): StandInResponse {
  return { status: 400, body: graphError('BadRequest', message) };
}

function answer(req: StandInRequest, identity: SearchIdentity, library: StandInLibrary): StandInResponse {
  const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
  const user = identity.userOfToken(token);
  const body = req.body;
  if (!body || !Array.isArray(body.requests) || body.requests.length === 0) return badRequest('Requests is required.');
  const value: Json[] = [];
  for (const request of body.requests as Json[]) {
    const types: unknown = request?.entityTypes;
    if (!Array.isArray(types) || types.length === 0 || !types.every((t) => typeof t === 'string' && ENTITY_TYPES.has(t))) return badRequest('SearchRequest Invalid (Invalid entity types)');
    const queryString: unknown = request?.query?.queryString;
    if (typeof queryString !== 'string' || queryString.trim() === '') return badRequest('SearchRequest Invalid (Query string is required)');
    const from = request.from ?? 0;
    const size = request.size ?? 25;
    if (!Number.isInteger(from) || from < 0) return badRequest('SearchRequest Invalid (From must be a non-negative integer)');
    if (!Number.isInteger(size) || size < 1 || size > 500) return badRequest('SearchRequest Invalid (Size must be between 1 and 500)');
    if (user === undefined && typeof request.region !== 'string') return badRequest('SearchRequest Invalid (Region is required when request with application permission.)');
    let predicate: Predicate;
    try {
      predicate = parseKql(queryString);
    } catch (error) {
      return badRequest(`SearchRequest Invalid (${(error as Error).message})`);
    }
    const visible = library.items.filter((item) => item.visibleTo === 'everyone' || (user !== undefined && item.visibleTo.includes(user)));
    const wantsFiles = types.includes('driveItem');
    const wantsListItems = types.includes('listItem');
    const matched = visible
      .filter((item) => (item.kind === 'link' ? wantsListItems : wantsFiles || wantsListItems))
      .map((item, index) => ({ item, index, score: predicate(item) }))
      .filter((m) => m.score > 0);
    const byDate = Array.isArray(request.sortProperties) && request.sortProperties.some((p: Json) => p?.name === 'lastModifiedDateTime');
    matched.sort((a, b) => (byDate ? b.item.modified.localeCompare(a.item.modified) : b.score - a.score || a.index - b.index));
    const page = matched.slice(from, from + size);
    const terms = wordsOf(queryString.replace(/\w+:("[^"]*"|\S+)/g, ' ')).filter((w) => !['and', 'or', 'not', 'near'].includes(w));
    value.push({
      searchTerms: terms,
      hitsContainers: [
        {
          hits: page.map((m, i): unknown => hit(m.item, from + i + 1, terms)),
          total: matched.length,
          moreResultsAvailable: from + size < matched.length,
        },
      ],
    });
  }
  return { status: 200, body: { value, '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.searchResponse)' } };
}

function hit(item: LibraryItem, rank: number, terms: string[]): Json {
  const user = { user: { displayName: item.author } };
  const resource =
    item.kind === 'link'
      ? { '@odata.type': '#microsoft.graph.listItem', id: item.id, webUrl: item.webUrl, lastModifiedDateTime: item.modified, createdBy: user, fields: { title: item.name, contentclass: 'STS_ListItem_Links' } }
      : {
          '@odata.type': '#microsoft.graph.driveItem',
          id: item.id,
          name: item.name,
          webUrl: item.webUrl,
          lastModifiedDateTime: item.modified,
          createdBy: user,
          lastModifiedBy: user,
          parentReference: { siteId: 'harmonytrust.sharepoint.com,0000,1111', driveId: 'b!url' },
          ...(item.kind === 'folder' ? { folder: { childCount: 0 } } : { file: {}, size: 120_000 }),
        };
  return { hitId: item.id, rank, summary: summaryOf(item, terms), resource };
}

/** Graph's summary: the text around the first match, matches in <c0>…</c0>, cuts as <ddd/>. */
function summaryOf(item: LibraryItem, terms: string[]): string {
  const marked = item.text
    .split(' ')
    .map((word) => (terms.some((t) => word.toLowerCase().startsWith(t.replace(/\*$/, ''))) ? `<c0>${word}</c0>` : word))
    .join(' ');
  return `${marked} <ddd/>`;
}

// ---- a small KQL interpreter -------------------------------------------------------------------

/** 0 when the item does not match, otherwise how many terms matched (for ranking). */
type Predicate = (item: LibraryItem) => number;
type Token = { kind: 'open' | 'close' | 'op'; value: string } | { kind: 'term'; value: string; phrase: boolean; property?: string; negated: boolean };

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\()|(\))|(-?)(?:([A-Za-z]+)[:=])?(?:"([^"]*)"|([^\s()"]+)))/gy;
  let rest = query.trim();
  while (rest.length) {
    pattern.lastIndex = 0;
    const match = pattern.exec(rest);
    if (!match) throw new Error(`Unable to parse the query near '${rest.slice(0, 20)}'`);
    rest = rest.slice(match[0].length).trimStart();
    if (match[1]) tokens.push({ kind: 'open', value: '(' });
    else if (match[2]) tokens.push({ kind: 'close', value: ')' });
    else {
      const word = match[6];
      if (word && !match[3] && !match[4] && ['AND', 'OR', 'NOT', 'NEAR', 'ONEAR'].includes(word)) tokens.push({ kind: 'op', value: word });
      else tokens.push({ kind: 'term', value: match[5] ?? word ?? '', phrase: match[5] !== undefined, ...(match[4] ? { property: match[4].toLowerCase() } : {}), negated: match[3] === '-' });
    }
  }
  return tokens;
}

export function parseKql(query: string): Predicate {
  const tokens = tokenize(query);
  let at = 0;
  const peek = (): Token | undefined => tokens[at];
  const orExpr = (): Predicate => {
    const parts = [andExpr()];
    while (peek()?.kind === 'op' && peek()!.value === 'OR') {
      at++;
      parts.push(andExpr());
    }
    return parts.length === 1 ? parts[0] : (item) => Math.max(...parts.map((p) => p(item)));
  };
  const andExpr = (): Predicate => {
    const parts = [unary()];
    for (;;) {
      const next = peek();
      if (!next || next.kind === 'close' || (next.kind === 'op' && next.value === 'OR')) break;
      if (next.kind === 'op' && (next.value === 'AND' || next.value === 'NEAR' || next.value === 'ONEAR')) at++;
      parts.push(unary());
    }
    return parts.length === 1 ? parts[0] : (item) => (parts.every((p) => p(item) > 0) ? parts.reduce((sum, p) => sum + p(item), 0) : 0);
  };
  const unary = (): Predicate => {
    const token = tokens[at++];
    if (!token) throw new Error('Unexpected end of query');
    if (token.kind === 'op' && token.value === 'NOT') {
      const inner = unary();
      return (item) => (inner(item) > 0 ? 0 : 1);
    }
    if (token.kind === 'open') {
      const inner = orExpr();
      if (tokens[at++]?.kind !== 'close') throw new Error('Missing closing parenthesis');
      return inner;
    }
    if (token.kind !== 'term') throw new Error(`Unexpected '${token.value}'`);
    const matches = termMatcher(token);
    return token.negated ? (item) => (matches(item) ? 0 : 1) : (item) => (matches(item) ? 1 : 0);
  };
  const predicate = orExpr();
  if (at < tokens.length) throw new Error(`Unexpected '${tokens[at].value}'`);
  return predicate;
}

function termMatcher(token: Extract<Token, { kind: 'term' }>): (item: LibraryItem) => boolean {
  const value = token.value.toLowerCase();
  switch (token.property) {
    case undefined:
      return token.phrase ? (item) => searchable(item).join(' ').includes(wordsOf(value).join(' ')) : (item) => searchable(item).some((w) => wordMatches(w, value));
    case 'path': {
      const prefix = safeDecode(value).replace(/\/+$/, '');
      return (item) => {
        const url = safeDecode(item.webUrl.toLowerCase());
        return url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`);
      };
    }
    case 'filetype':
    case 'fileextension':
      return (item) => extension(item) === value;
    case 'title':
    case 'filename':
      return (item) => wordsOf(item.name).some((w) => wordMatches(w, value));
    case 'author':
      return (item) => item.author.toLowerCase().includes(value);
    default:
      return () => false;
  }
}

function wordMatches(word: string, term: string): boolean {
  if (term.endsWith('*')) return word.startsWith(term.slice(0, -1));
  const stem = term.length > 3 ? term.replace(/(es|s)$/, '') : term;
  return word === term || word.startsWith(stem);
}

function searchable(item: LibraryItem): string[] {
  return wordsOf(`${item.name} ${item.text}`);
}

function wordsOf(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}*]+/u).filter(Boolean);
}

function extension(item: LibraryItem): string {
  return /\.([a-z0-9]+)$/i.exec(item.name)?.[1]?.toLowerCase() ?? '';
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
