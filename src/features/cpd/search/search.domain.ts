import MiniSearch, { type SearchOptions } from 'minisearch';
import { hasSessionBetween, isOnOffer, type OfferingDetails } from '../catalogue/catalogue.domain.js';
import type { CpdTaxonomy } from '../cpd.taxonomy.js';
import type { CpdQuestion } from './search-query.domain.js';
import { fuzzyFrom, isConceptToken, processTerm, SynonymLookup, toQuery, withConceptTokens } from './search-words.domain.js';

export { processTerm, SynonymLookup, type Clause } from './search-words.domain.js';

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

const FIELDS = ['title', 'summary', 'strand', 'audiences', 'category', 'facilitator'] as const;
const TOPIC_FIELD_SET = new Set<string>(['title', 'strand', 'audiences', 'category']);
/** Fields a bare topic ("phonics", no CPD word) is looked for in: what a course is about, not who runs it. */
const BARE_FIELDS = ['title', 'summary', 'strand', 'audiences', 'category'] as const;
const BOOST = { title: 3, strand: 2, audiences: 1.5, category: 1.2, summary: 1, facilitator: 1 };
/** Typo tolerance only where a typo is plausible and a near-miss is unlikely to be another word. */
const FUZZY_MIN_LENGTH = 5;
const PREFIX_MIN_LENGTH = 4;
const BARE_FUZZY_MIN_LENGTH = 6;

/** Role relevance multipliers: an audience matched through a specific role counts more than through "staff". */
const SPECIFIC_AUDIENCE_BOOST = 1.5;
const GENERAL_AUDIENCE_BOOST = 1.15;
const GENERAL_ROLE = 'staff';

export class CpdSearchIndex {
  private readonly index: MiniSearch<CourseDocument>;
  private readonly synonyms: SynonymLookup;
  private readonly audiences: SynonymLookup;

  constructor(
    private readonly catalogue: readonly OfferingDetails[],
    private readonly taxonomy: CpdTaxonomy,
  ) {
    this.synonyms = new SynonymLookup(taxonomy.synonyms);
    this.audiences = new SynonymLookup((taxonomy.audiencePhrases ?? []).map((a) => a.phrases));
    this.index = new MiniSearch<CourseDocument>({
      fields: [...FIELDS],
      storeFields: ['audienceIds', 'strandId'],
      processTerm,
      searchOptions: { boost: BOOST },
    });
    this.index.addAll(courseDocuments(catalogue, taxonomy).map((d) => this.withConcepts(d)));
  }

  /** Each field tagged with its synonym groups' tokens (see withConceptTokens). */
  private withConcepts(doc: CourseDocument): CourseDocument {
    const tag = (text: string): string => withConceptTokens(this.synonyms, text);
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
    return this.evaluate(question, asker, now).ranked;
  }

  /**
   * The ranking, and how sure it is that the message is a CPD question (0..1) for the message
   * router, from one evaluation: a CPD word with matches is near certain; a bare topic that names
   * courses is likely; a typo or a partial match less so; words that match nothing are not CPD.
   */
  assess(question: CpdQuestion, asker: Asker, now: Date): { ranked: RankedOfferings; relevance: number } {
    const evaluated = this.evaluate(question, asker, now);
    return { ranked: evaluated.ranked, relevance: this.relevanceFrom(question, evaluated) };
  }

  private relevanceFrom(question: CpdQuestion, { ranked, strength }: { ranked: RankedOfferings; strength: Strength }): number {
    const explicit = question.asksForCpd || question.window !== undefined;
    if (question.terms.length === 0 && (question.otherTopics.length > 0 || (question.possessive && !question.window))) return 0.45;
    // "resources on vocabulary", "book an inclusion visit": another feature's word is there, so CPD is one reading at most.
    const cap = question.otherTopics.length > 0 ? 0.7 : 1;
    return Math.min(cap, this.relevanceOf(ranked, strength, explicit));
  }

  private relevanceOf(ranked: RankedOfferings, strength: Strength, explicit: boolean): number {
    if (ranked.kind === 'not_cpd') return 0;
    if (explicit) return ranked.kind === 'matches' ? (strength === 'listing' ? 0.85 : 0.9) : 0.6;
    if (ranked.kind === 'no_match') return 0.5;
    return RELEVANCE[strength];
  }

  /**
   * For "nothing found": the courses nearest the question by topic (forgiving typos and word
   * beginnings, any word will do), before what is on next.
   */
  nearest(question: CpdQuestion, now: Date, limit: number): OfferingDetails[] {
    const clauses = this.synonyms.clauses(question.terms);
    if (clauses.length === 0) return [];
    const hits = this.index.search(toQuery(clauses, 'OR'), {
      fuzzy: fuzzyFrom(5),
      prefix: (term) => term.length >= 3 && !isConceptToken(term),
    });
    const strands = new Set(hits.slice(0, 3).map((h) => String(h.strandId)));
    const score = new Map(hits.map((h) => [String(h.id), h.score]));
    return this.catalogue
      .filter((o) => isOnOffer(o, now) && (score.has(o.course.id) || strands.has(o.course.strandId)))
      .sort((a, b) => (score.get(b.course.id) ?? 0) - (score.get(a.course.id) ?? 0) || startOf(a) - startOf(b))
      .slice(0, limit);
  }

  private evaluate(question: CpdQuestion, asker: Asker, now: Date): { ranked: RankedOfferings; strength: Strength } {
    const { rest, audience } = this.audienceOf(question.terms);
    const boostFor = audienceBoost(this.taxonomy, audience ? { roles: [...asker.roles, ...audience.roles], audienceIds: audience.audienceIds } : asker);
    const onOffer = this.catalogue.filter((o) => isOnOffer(o, now));
    const window = question.window;
    const inWindow = window ? onOffer.filter((o) => hasSessionBetween(o, window.from, window.to)) : onOffer;
    const serves = audience ? this.servesAudience(audience) : () => true;
    const none = (asksForCpd: boolean): { ranked: RankedOfferings; strength: Strength } => ({
      ranked: asksForCpd ? { kind: 'no_match' } : { kind: 'not_cpd' },
      strength: 'none',
    });

    if (rest.length === 0) {
      if (!question.asksForCpd && !window && !audience) return none(false);
      // "TA training": courses named for the audience first, then the strands its roles care about.
      const named = audience ? new Map(this.index.search(audience.phrases.join(' '), { fields: ['title'] }).map((h) => [String(h.id), h.score])) : new Map<string, number>();
      const strands = new Set(audience ? audience.roles.flatMap((r) => this.taxonomy.strandsForRoles?.[r] ?? []) : []);
      const listing = inWindow
        .filter(serves)
        .sort(
          (a, b) =>
            (named.get(b.course.id) ?? 0) - (named.get(a.course.id) ?? 0) ||
            Number(strands.has(b.course.strandId)) - Number(strands.has(a.course.strandId)) ||
            boostFor(b.course) - boostFor(a.course) ||
            startOf(a) - startOf(b),
        );
      return listing.length > 0 ? { ranked: { kind: 'matches', offerings: listing }, strength: audience ? 'audience' : 'listing' } : none(true);
    }

    // Without a CPD word ("SEND", "phonics") typos are forgiven only in longer words, never by word
    // beginnings, and every word must match, so chat meant for other features ("send me the minutes")
    // is not read as a course; with one ("any phonics training?") more is forgiven and any word will do.
    const clauses = this.synonyms.clauses(rest);
    const lenient = question.asksForCpd;
    const base: SearchOptions = {
      ...(lenient ? {} : { fields: [...BARE_FIELDS] }),
      prefix: (term) => lenient && term.length >= PREFIX_MIN_LENGTH && !isConceptToken(term),
      boostDocument: (_id, _term, stored) =>
        boostFor({
          audienceIds: (stored?.['audienceIds'] as string[] | undefined) ?? [],
          strandId: (stored?.['strandId'] as string | undefined) ?? '',
        }),
    };
    const fuzzy: SearchOptions = {
      ...base,
      fuzzy: fuzzyFrom(lenient ? FUZZY_MIN_LENGTH : BARE_FUZZY_MIN_LENGTH),
    };
    let strength: Strength = 'topic';
    let hits = this.index.search(toQuery(clauses, 'AND'), base);
    if (hits.length === 0) {
      hits = this.index.search(toQuery(clauses, 'AND'), fuzzy);
      strength = 'fuzzy';
    }
    if (hits.length === 0 && lenient && clauses.length > 1) {
      hits = this.index.search(toQuery(clauses, 'OR'), fuzzy);
      strength = 'partial';
    }
    if (hits.length === 0) return none(question.asksForCpd || audience !== undefined);
    if (strength === 'topic' && !Object.values(hits[0].match).some((fields) => fields.some((f) => TOPIC_FIELD_SET.has(f)))) strength = 'summary';

    const score = new Map(hits.map((h) => [String(h.id), h.score]));
    const weight = (o: OfferingDetails): number => score.get(o.course.id)! * (audience && serves(o) ? SPECIFIC_AUDIENCE_BOOST : 1);
    const ranked = inWindow.filter((o) => score.has(o.course.id)).sort((a, b) => weight(b) - weight(a) || startOf(a) - startOf(b));
    return ranked.length > 0 ? { ranked: { kind: 'matches', offerings: ranked }, strength } : none(true);
  }

  /** Audience phrases in the question ("for SENCOs", "TAs"), taken out of the words to search. */
  private audienceOf(terms: readonly string[]): { rest: string[]; audience: AudienceAsked | undefined } {
    const phrases = this.taxonomy.audiencePhrases ?? [];
    if (phrases.length === 0) return { rest: [...terms], audience: undefined };
    const rest: string[] = [];
    let audience: AudienceAsked | undefined;
    for (const clause of this.audiences.clauses(terms)) {
      if ('word' in clause) {
        rest.push(clause.word);
        continue;
      }
      const found = phrases[clause.group];
      audience = {
        roles: [...(audience?.roles ?? []), ...found.roles],
        audienceIds: [...(audience?.audienceIds ?? []), ...found.audienceIds],
        phrases: [...(audience?.phrases ?? []), ...found.phrases],
      };
    }
    return { rest, audience };
  }

  /** Courses for this audience: by audience id, by an audience its roles belong to, or in a strand its roles care about. */
  private servesAudience(audience: AudienceAsked): (o: OfferingDetails) => boolean {
    const ids = new Set(audience.audienceIds);
    for (const a of this.taxonomy.audiences) if (a.roles.some((r) => r !== GENERAL_ROLE && audience.roles.includes(r))) ids.add(a.id);
    const strands = new Set(audience.roles.flatMap((r) => this.taxonomy.strandsForRoles?.[r] ?? []));
    return (o) => strands.has(o.course.strandId) || o.course.audienceIds.some((id) => ids.has(id));
  }
}

interface AudienceAsked {
  roles: string[];
  audienceIds: string[];
  phrases: string[];
}

type Strength = 'listing' | 'audience' | 'topic' | 'summary' | 'fuzzy' | 'partial' | 'none';

/** Router scores for a bare topic (no CPD word), by how it matched. */
const RELEVANCE: Record<Strength, number> = { listing: 0.85, audience: 0.75, topic: 0.75, summary: 0.65, fuzzy: 0.6, partial: 0.55, none: 0 };

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

