/**
 * What a person asked the resource library for, and the KQL query string that asks Graph for it.
 *
 * Escaping rule: a search term is a run of letters and digits, lower-cased, and nothing else. KQL's
 * operators (AND, OR, NOT, NEAR, ONEAR, XRANK, WORDS) only count in upper case, and every other KQL
 * construct needs punctuation (quotes, parentheses, `:`/`=`/`<`/`>` for property restrictions, `*`
 * for wildcards, a leading `-`/`+` for exclusion), so no term can widen, negate or escape the path
 * restriction the app appends. The only punctuation in the query string is the app's own.
 */

export const RESOURCE_KINDS = ['document', 'video', 'presentation', 'pdf', 'spreadsheet', 'link', 'folder', 'page'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Kinds a person can ask for by name, and the file types that make them (KQL filetype restrictions). */
const KIND_WORDS: Record<string, ResourceKind> = {
  video: 'video', videos: 'video', clip: 'video', clips: 'video', recording: 'video', recordings: 'video',
  presentation: 'presentation', presentations: 'presentation', slides: 'presentation', slide: 'presentation',
  powerpoint: 'presentation', powerpoints: 'presentation', deck: 'presentation', decks: 'presentation',
  pdf: 'pdf', pdfs: 'pdf',
  spreadsheet: 'spreadsheet', spreadsheets: 'spreadsheet', excel: 'spreadsheet',
};

export const KIND_FILE_TYPES: Partial<Record<ResourceKind, readonly string[]>> = {
  video: ['mp4', 'mov', 'm4v', 'webm', 'wmv', 'avi'],
  presentation: ['pptx', 'ppt', 'odp'],
  pdf: ['pdf'],
  spreadsheet: ['xlsx', 'xls', 'csv', 'ods'],
};

/**
 * Words that say "search the library" rather than what to look for. Generic English only; the
 * trust's own names for the library (URL, …) come in through `libraryWords`.
 */
const REQUEST_WORDS = new Set(
  (
    'a an the any some all me my our us we i you find search show get give look looking for on about of in into with ' +
    'to from at by and or not near please can could would where what which is are there have has need want see ' +
    'resource resources library libraries file files document documents doc docs material materials stuff item items ' +
    'share sharing open link links latest new recent recently'
  ).split(' '),
);

export const MAX_TERMS = 12;
export const MAX_TERM_LENGTH = 40;

export interface ResourceQuery {
  /** Lower-case letter/digit terms to search for (may be empty: the most recent items). */
  terms: string[];
  kinds: ResourceKind[];
  /** Some of what was typed was left out (too many words, or words too long). */
  truncated: boolean;
  /** Words of one character were left out. */
  droppedShort: boolean;
}

export interface UnderstandOptions {
  /** The trust's own names for the library ("url", "universal"): not search terms. */
  libraryWords?: ReadonlySet<string>;
}

export function understandResourceQuery(text: string, options: UnderstandOptions = {}): ResourceQuery {
  const words = text.normalize('NFKC').toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const kinds: ResourceKind[] = [];
  const terms: string[] = [];
  let truncated = false;
  let droppedShort = false;
  for (const word of words) {
    const kind = KIND_WORDS[word];
    if (kind) {
      if (!kinds.includes(kind)) kinds.push(kind);
      continue;
    }
    if (REQUEST_WORDS.has(word) || options.libraryWords?.has(word)) continue;
    // A lone letter matches everything and nothing useful; a lone digit ("year 6") is a real term.
    if (word.length < 2 && !/^\p{N}$/u.test(word)) {
      droppedShort = true;
      continue;
    }
    if (word.length > MAX_TERM_LENGTH) {
      truncated = true;
      continue;
    }
    if (terms.includes(word)) continue;
    if (terms.length >= MAX_TERMS) {
      truncated = true;
      continue;
    }
    terms.push(word);
  }
  return { terms, kinds, truncated, droppedShort };
}

/** The query as words a card can show back: "phonics videos". */
export function describeResourceQuery(query: ResourceQuery): string {
  const kindNames: Record<ResourceKind, string> = {
    document: 'documents', video: 'videos', presentation: 'presentations', pdf: 'PDFs', spreadsheet: 'spreadsheets', link: 'links', folder: 'folders', page: 'pages',
  };
  return [...query.terms, ...query.kinds.map((k) => kindNames[k])].join(' ');
}

/** Where searches are allowed to look: the site, or folders inside it. */
export interface SearchScope {
  siteUrl: string;
  paths: readonly string[];
}

/** A URL as a KQL path value: normalised, no trailing slash, and no character that could end the quotes. */
export function kqlPathValue(url: string): string {
  const href = new URL(url).href.replace(/\/+$/, '');
  return href.replace(/["\\]/g, (ch) => encodeURIComponent(ch));
}

export function buildQueryString(query: ResourceQuery, scope: SearchScope): string {
  const parts: string[] = [];
  if (query.terms.length) parts.push(query.terms.join(' '));
  const fileTypes = query.kinds.flatMap((k) => KIND_FILE_TYPES[k] ?? []);
  if (fileTypes.length) parts.push(`(${fileTypes.map((t) => `filetype:${t}`).join(' OR ')})`);
  const paths = scope.paths.length ? scope.paths : [scope.siteUrl];
  const restriction = paths.map((p) => `path:"${kqlPathValue(p)}"`);
  parts.push(restriction.length === 1 ? restriction[0] : `(${restriction.join(' OR ')})`);
  return parts.join(' ');
}

/** Whether a URL lies inside the scope (the same rule as the KQL path restriction: a prefix of the path). */
export function isInScope(url: string, scope: SearchScope): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.protocol !== 'https:') return false;
  const roots = scope.paths.length ? scope.paths : [scope.siteUrl];
  const href = decodeURIComponent(`${target.origin}${target.pathname}`).toLowerCase();
  return roots.some((root) => {
    const prefix = decodeURIComponent(new URL(root).href.replace(/\/+$/, '')).toLowerCase();
    return href === prefix || href.startsWith(`${prefix}/`);
  });
}
