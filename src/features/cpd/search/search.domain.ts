import MiniSearch, { type Query, type SearchOptions } from 'minisearch';
import { stemmer } from 'stemmer';
import { hasSessionBetween, isOnOffer, type OfferingDetails } from '../catalogue/catalogue.domain.js';
import type { CpdTaxonomy } from '../cpd.taxonomy.js';
import { wordsOf } from './date-phrases.domain.js';
import type { CpdQuestion } from './search-query.domain.js';

/**
 * Ranking CPD offerings for a question, over a MiniSearch index of the courses on offer.
 * Pure: the catalogue snapshot, taxonomy, asker and `now` are passed in; the service caches the
 * index between turns.
 */

/** Who is asking, as far as ranking cares. */
export interface Asker {
  roles: readonly string[];
  /** Audiences the directory already knows the person belongs to, if any. */
  audienceIds?: readonly string[];
}

export type RankedOfferings =
  | { kind: 'matches'; offerings: OfferingDetails[] }
  /** A CPD question, but nothing on offer fits it. */
  | { kind: 'no_match' }
  /** Not recognisably about CPD: another route (or the welcome card) should answer. */
  | { kind: 'not_cpd' };

interface CourseDocument {
  id: string;
  title: string;
  summary: string;
  strand: string;
  audiences: string;
  category: string;
  facilitator: string;
  audienceIds: string[];
  strandId: string;
}

const STOP_WORDS = new Set(['the', 'and', 'of', 'to', 'a', 'an', 'in', 'for', 'with', 'on', 'at', 'by', 'from', 'is', 'are', 'be', 'as', 'how', 'your', 'our', 'their', 'this', 'that', 'its']);

/** Lower-cased, apostrophes dropped, stop words removed, Porter-stemmed: the same for index and query. */
export function processTerm(term: string): string | null {
  const word = term.toLowerCase().replace(/[’']/g, '');
  if (!word || STOP_WORDS.has(word)) return null;
  return stemmer(word);
}

const FIELDS = ['title', 'summary', 'strand', 'audiences', 'category', 'facilitator'] as const;
const TOPIC_FIELDS = ['title', 'strand', 'audiences', 'category'] as const;
const BOOST = { title: 3, strand: 2, audiences: 1.5, category: 1.2, summary: 1, facilitator: 1 };
/** Typo tolerance only where a typo is plausible and a near-miss is unlikely to be another word. */
const FUZZY_MIN_LENGTH = 5;
const PREFIX_MIN_LENGTH = 4;

/** Role relevance multipliers: an audience matched through a specific role counts more than through "staff". */
const SPECIFIC_AUDIENCE_BOOST = 1.5;
const GENERAL_AUDIENCE_BOOST = 1.15;
const GENERAL_ROLE = 'staff';

export class CpdSearchIndex {
  private readonly index: MiniSearch<CourseDocument>;
  private readonly synonyms: SynonymLookup;

  constructor(
    private readonly catalogue: readonly OfferingDetails[],
    private readonly taxonomy: CpdTaxonomy,
  ) {
    this.synonyms = new SynonymLookup(taxonomy.synonyms);
    this.index = new MiniSearch<CourseDocument>({
      fields: [...FIELDS],
      storeFields: ['audienceIds', 'strandId'],
      processTerm,
      searchOptions: { boost: BOOST },
    });
    this.index.addAll(courseDocuments(catalogue, taxonomy).map((d) => this.withConcepts(d)));
  }

  /**
   * Marks each field with a token per synonym group it mentions ("early years" and "EYFS" both add the
   * EYFS group's token), so a group in a question matches the phrase itself, not its words scattered
   * about ("early" in "early career" and "years" elsewhere).
   */
  private withConcepts(doc: CourseDocument): CourseDocument {
    const tag = (text: string): string => {
      const concepts = this.synonyms.groupsIn(wordsOf(text)).map(conceptToken);
      return concepts.length > 0 ? `${text} ${concepts.join(' ')}` : text;
    };
    return {
      ...doc,
      title: tag(doc.title),
      summary: tag(doc.summary),
      strand: tag(doc.strand),
      audiences: tag(doc.audiences),
      category: tag(doc.category),
    };
  }

  /** Everything on offer after `now`, soonest first: the "here is what is on next" list. */
  upcoming(now: Date): OfferingDetails[] {
    return this.catalogue.filter((o) => isOnOffer(o, now)).sort((a, b) => startOf(a) - startOf(b));
  }

  rank(question: CpdQuestion, asker: Asker, now: Date): RankedOfferings {
    const boostFor = audienceBoost(this.taxonomy, asker);
    const onOffer = this.catalogue.filter((o) => isOnOffer(o, now));
    const window = question.window;
    const inWindow = window ? onOffer.filter((o) => hasSessionBetween(o, window.from, window.to)) : onOffer;

    if (question.terms.length === 0) {
      if (!question.asksForCpd && !window) return { kind: 'not_cpd' };
      const listing = [...inWindow].sort(
        (a, b) => boostFor(b.course) - boostFor(a.course) || startOf(a) - startOf(b),
      );
      return listing.length > 0 ? { kind: 'matches', offerings: listing } : { kind: 'no_match' };
    }

    // Without a CPD word ("SEND", "phonics") every word must match exactly, and only in the fields that say
    // what a course is about, so chat meant for other features ("send me…", "help") does not become a CPD
    // card. With one ("any phonics training?") typos and word beginnings are forgiven, and if not every
    // word matches, any word will do.
    const clauses = this.synonyms.clauses(question.terms);
    const lenient = question.asksForCpd;
    const options: SearchOptions = {
      ...(lenient ? {} : { fields: [...TOPIC_FIELDS] }),
      fuzzy: (term) => (lenient && term.length >= FUZZY_MIN_LENGTH && !isConceptToken(term) ? 0.2 : false),
      prefix: (term) => lenient && term.length >= PREFIX_MIN_LENGTH && !isConceptToken(term),
      boostDocument: (_id, _term, stored) =>
        boostFor({
          audienceIds: (stored?.['audienceIds'] as string[] | undefined) ?? [],
          strandId: (stored?.['strandId'] as string | undefined) ?? '',
        }),
    };
    let hits = this.index.search(toQuery(clauses, 'AND'), options);
    if (hits.length === 0 && lenient && clauses.length > 1) hits = this.index.search(toQuery(clauses, 'OR'), options);
    if (hits.length === 0) return question.asksForCpd ? { kind: 'no_match' } : { kind: 'not_cpd' };

    const score = new Map(hits.map((h) => [String(h.id), h.score]));
    const ranked = inWindow
      .filter((o) => score.has(o.course.id))
      .sort((a, b) => score.get(b.course.id)! - score.get(a.course.id)! || startOf(a) - startOf(b));
    return ranked.length > 0 ? { kind: 'matches', offerings: ranked } : { kind: 'no_match' };
  }
}

function startOf(o: OfferingDetails): number {
  return o.sessions[0]?.startsAt.getTime() ?? Number.MAX_SAFE_INTEGER;
}

/** One document per course that has something on offer; offerings inherit their course's score. */
function courseDocuments(catalogue: readonly OfferingDetails[], taxonomy: CpdTaxonomy): CourseDocument[] {
  const strands = new Map(taxonomy.strands.map((s) => [s.id, s.name]));
  const audiences = new Map(taxonomy.audiences.map((a) => [a.id, a.label]));
  const categories = new Map(taxonomy.categories.map((c) => [c.id, c.name]));
  const byCourse = new Map<string, CourseDocument>();
  for (const { course } of catalogue) {
    if (byCourse.has(course.id)) continue;
    byCourse.set(course.id, {
      id: course.id,
      title: course.title,
      summary: course.summary,
      strand: strands.get(course.strandId) ?? '',
      audiences: course.audienceIds.map((id) => audiences.get(id) ?? '').join(' · '),
      category: course.categoryId ? (categories.get(course.categoryId) ?? '') : '',
      facilitator: course.facilitator,
      audienceIds: course.audienceIds,
      strandId: course.strandId,
    });
  }
  return [...byCourse.values()];
}

/**
 * How much a course is favoured for this asker (1 = no preference): courses for an audience the
 * person belongs to through a specific role (academy leader → Leaders), or in a strand their role
 * cares about, rank above courses that only match through the general "staff" role.
 */
export function audienceBoost(
  taxonomy: CpdTaxonomy,
  asker: Asker,
): (course: { audienceIds: readonly string[]; strandId: string }) => number {
  const specificRoles = asker.roles.filter((r) => r !== GENERAL_ROLE);
  const specific = new Set(asker.audienceIds ?? []);
  const general = new Set<string>();
  for (const audience of taxonomy.audiences) {
    if (audience.roles.some((r) => specificRoles.includes(r))) specific.add(audience.id);
    else if (asker.roles.includes(GENERAL_ROLE) && audience.roles.includes(GENERAL_ROLE)) general.add(audience.id);
  }
  const strands = new Set(specificRoles.flatMap((r) => taxonomy.strandsForRoles?.[r] ?? []));
  return (course) => {
    if (strands.has(course.strandId) || course.audienceIds.some((id) => specific.has(id))) return SPECIFIC_AUDIENCE_BOOST;
    if (course.audienceIds.some((id) => general.has(id))) return GENERAL_AUDIENCE_BOOST;
    return 1;
  };
}

/** A query clause: one word, or a synonym group (matched through its concept token). */
export type Clause = { word: string } | { group: number };

const CONCEPT_PREFIX = 'zzsyn';

function conceptToken(group: number): string {
  return `${CONCEPT_PREFIX}${group}`;
}

function isConceptToken(term: string): boolean {
  return term.startsWith(CONCEPT_PREFIX);
}

/**
 * Finds the profile's synonym phrases in text by their stems, longest first ("teaching assistants",
 * "TAs" and "TA" are one group; "early years" is the EYFS group rather than two words).
 */
export class SynonymLookup {
  private readonly byStems = new Map<string, number>();
  private readonly longest: number;

  constructor(groups: ReadonlyArray<readonly string[]>) {
    let longest = 1;
    groups.forEach((group, i) => {
      for (const phrase of group) {
        const key = stemKey(wordsOf(phrase));
        if (!key) continue;
        if (!this.byStems.has(key)) this.byStems.set(key, i);
        longest = Math.max(longest, key.split(' ').length);
      }
    });
    this.longest = longest;
  }

  /** The question's words as clauses: synonym phrases become their group, other words stay words. */
  clauses(words: readonly string[]): Clause[] {
    return this.scan(words).map((m) => (m.group === undefined ? { word: m.word } : { group: m.group }));
  }

  /** The synonym groups a text mentions. */
  groupsIn(words: readonly string[]): number[] {
    return [...new Set(this.scan(words).flatMap((m) => (m.group === undefined ? [] : [m.group])))];
  }

  private scan(words: readonly string[]): Array<{ word: string; group?: number }> {
    const found: Array<{ word: string; group?: number }> = [];
    let i = 0;
    while (i < words.length) {
      let length = Math.min(this.longest, words.length - i);
      let group: number | undefined;
      for (; length >= 1; length -= 1) {
        group = this.byStems.get(stemKey(words.slice(i, i + length)));
        if (group !== undefined) break;
      }
      if (group === undefined) {
        found.push({ word: words[i] });
        i += 1;
      } else {
        found.push({ word: words.slice(i, i + length).join(' '), group });
        i += length;
      }
    }
    return found;
  }
}

function stemKey(words: readonly string[]): string {
  return words.map((w) => processTerm(w) ?? w).join(' ');
}

function toQuery(clauses: readonly Clause[], combineWith: 'AND' | 'OR'): Query {
  return { combineWith, queries: clauses.map((c): Query => ('word' in c ? c.word : conceptToken(c.group))) };
}
