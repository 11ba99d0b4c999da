import type { Clock } from '../../../shared/clock.js';
import { isBookingOpen, type OfferingDetails, type SeatCount } from '../catalogue/catalogue.domain.js';
import type { CatalogueVersion } from '../catalogue/catalogue.repository.js';
import type { CatalogueService } from '../catalogue/catalogue.service.js';
import type { CpdTaxonomy } from '../cpd.taxonomy.js';
import { CpdSearchIndex, type Asker, type RankedOfferings } from './search.domain.js';
import { understandQuestion, type CpdQuestion, type QuestionContext } from './search-query.domain.js';

/** One offering as a results card shows it. */
export interface OfferingListing {
  details: OfferingDetails;
  seats: SeatCount;
  bookingOpen: boolean;
}

export interface CpdSearchPage {
  question: CpdQuestion;
  /** 'results': matches for the question; 'nothing_found': nothing matched, so `items` is what is on next. */
  kind: 'results' | 'nothing_found';
  items: OfferingListing[];
  /** With 'nothing_found': the nearest courses by topic (typos, synonyms, the same strand), shown before `items`. */
  nearest: OfferingListing[];
  /** 0-based page shown, after clamping to the pages there are. */
  page: number;
  pageCount: number;
  total: number;
  pageSize: number;
}

export interface CpdSearchOptions {
  pageSize?: number;
  /** How long a built index is trusted before the catalogue version is checked again. */
  recheckAfterMs?: number;
  /** Words naming what other features offer ("resources", "network"): not searched as CPD topics. */
  otherTopics?: readonly string[];
}

const ASSESSED = Symbol('assessed');

/** A question read and ranked once (from `CpdSearchService.assess`); what it ranked stays inside. */
export interface CpdAssessment {
  readonly relevance: number;
  readonly [ASSESSED]: { question: CpdQuestion; index: CpdSearchIndex; ranked: RankedOfferings; now: Date };
}

const DEFAULT_PAGE_SIZE = 5;
const NEAREST_COUNT = 3;
const DEFAULT_RECHECK_MS = 5_000;

/**
 * Answers CPD questions. The MiniSearch index is built from the database once and reused; it is
 * rebuilt when an import in this process says the catalogue changed, or when the catalogue's version
 * (counts and last update, one cheap query at most every few seconds) shows another process changed
 * it. A search turn is then: the in-memory ranking plus one seat-count query for the page shown.
 */
export class CpdSearchService {
  private readonly pageSize: number;
  private readonly recheckAfterMs: number;
  private built: { index: CpdSearchIndex; version: CatalogueVersion; checkedAt: number } | undefined;
  private building: Promise<CpdSearchIndex> | undefined;
  private stale = false;
  private readonly context: QuestionContext;

  constructor(
    private readonly catalogue: CatalogueService,
    private readonly taxonomy: CpdTaxonomy,
    private readonly clock: Clock,
    options: CpdSearchOptions = {},
  ) {
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.recheckAfterMs = options.recheckAfterMs ?? DEFAULT_RECHECK_MS;
    this.context = { ...taxonomy, otherTopics: new Set(options.otherTopics ?? []) };
    catalogue.onChange(() => this.invalidate());
  }

  /** Forget the index; the next search rebuilds it. */
  invalidate(): void {
    this.stale = true;
  }

  /**
   * Reads and ranks the text once: its relevance for the router, and what `searchAssessed` shows.
   * A turn that is scored and then answered uses one assessment for both.
   */
  async assess(text: string, asker: Asker): Promise<CpdAssessment> {
    const now = this.clock.now();
    const question = understandQuestion(text, now, this.context);
    const index = await this.index(now);
    const { ranked, relevance } = index.assess(question, asker, now);
    return { relevance, [ASSESSED]: { question, index, ranked, now } };
  }

  /** Null when the text is not recognisably about CPD (so another route or the welcome card answers). */
  async search(text: string, asker: Asker, page = 0): Promise<CpdSearchPage | null> {
    return this.searchAssessed(await this.assess(text, asker), page);
  }

  /** The page for an assessment from `assess` (same rules as `search`). */
  async searchAssessed(assessment: CpdAssessment, page = 0): Promise<CpdSearchPage | null> {
    const { question, index, ranked, now } = assessment[ASSESSED];
    switch (ranked.kind) {
      case 'not_cpd':
        return null;
      case 'no_match': {
        const nearest = index.nearest(question, now, NEAREST_COUNT);
        const shownIds = new Set(nearest.map((o) => o.offering.id));
        const next = index.upcoming(now).filter((o) => !shownIds.has(o.offering.id)).slice(0, this.pageSize - Math.min(nearest.length, 2));
        const listed = await this.listings([...nearest, ...next], now);
        return {
          question,
          kind: 'nothing_found',
          nearest: listed.slice(0, nearest.length),
          items: listed.slice(nearest.length),
          page: 0,
          pageCount: 1,
          total: 0,
          pageSize: this.pageSize,
        };
      }
      case 'matches': {
        const total = ranked.offerings.length;
        const pageCount = Math.max(1, Math.ceil(total / this.pageSize));
        const shown = Math.min(Math.max(0, Math.trunc(page)), pageCount - 1);
        const slice = ranked.offerings.slice(shown * this.pageSize, (shown + 1) * this.pageSize);
        return { question, kind: 'results', items: await this.listings(slice, now), nearest: [], page: shown, pageCount, total, pageSize: this.pageSize };
      }
    }
  }

  private async listings(offerings: OfferingDetails[], now: Date): Promise<OfferingListing[]> {
    const seats = await this.catalogue.seatCounts(offerings.map((o) => o.offering));
    return offerings.map((details) => ({
      details,
      seats: seats.get(details.offering.id)!,
      bookingOpen: isBookingOpen(details, now),
    }));
  }

  private async index(now: Date): Promise<CpdSearchIndex> {
    const built = this.built;
    if (built && !this.stale && now.getTime() - built.checkedAt < this.recheckAfterMs) return built.index;
    // One rebuild at a time; concurrent turns share it.
    this.building ??= this.refresh(now).finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  private async refresh(now: Date): Promise<CpdSearchIndex> {
    const forced = this.stale;
    this.stale = false;
    const version = await this.catalogue.version();
    const current = this.built;
    if (current && !forced && sameVersion(current.version, version)) {
      current.checkedAt = now.getTime();
      return current.index;
    }
    const index = new CpdSearchIndex(await this.catalogue.listOnOffer(now), this.taxonomy);
    this.built = { index, version, checkedAt: now.getTime() };
    return index;
  }
}

function sameVersion(a: CatalogueVersion, b: CatalogueVersion): boolean {
  return a.courses === b.courses && a.offerings === b.offerings && a.sessions === b.sessions && a.lastChange === b.lastChange;
}
