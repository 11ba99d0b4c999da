import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../../../shared/project-root.js';
import type { Db } from '../../../db/database.js';
import type { Clock } from '../../../shared/clock.js';
import { parseCatalogueCsv, type ImportProblem } from './catalogue-import.domain.js';
import { seatCount, type CatalogueWrite, type CpdOffering, type OfferingDetails, type SeatCount } from './catalogue.domain.js';
import { layOutSampleCatalogue } from './sample-layout.domain.js';
import { CatalogueRepository, type CatalogueVersion, type CatalogueWriteCounts } from './catalogue.repository.js';
import type { CpdTaxonomy } from '../cpd.taxonomy.js';

/** The catalogue use cases other parts of the app (search, booking, the import command) call. */
export class CatalogueService {
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly repository: CatalogueRepository,
    private readonly clock: Clock,
  ) {}

  static forDatabase(db: Db, clock: Clock): CatalogueService {
    return new CatalogueService(new CatalogueRepository(db), clock);
  }

  /** An offering with its course and sessions (whatever its status), or undefined if there is none. */
  getOffering(offeringId: string): Promise<OfferingDetails | undefined> {
    return this.repository.findOffering(offeringId);
  }

  /** Scheduled offerings of active courses whose first session is after `now`, soonest first. */
  listUpcoming(now: Date, limit: number): Promise<OfferingDetails[]> {
    return this.repository.listOnOffer(now, limit);
  }

  /** Everything on offer after `now` (for the search index). */
  listOnOffer(now: Date): Promise<OfferingDetails[]> {
    return this.repository.listOnOffer(now);
  }

  /** Confirmed, waitlisted and places left for each offering, in one query. */
  async seatCounts(offerings: ReadonlyArray<Pick<CpdOffering, 'id' | 'capacity'>>): Promise<Map<string, SeatCount>> {
    const counts = await this.repository.bookingCounts(offerings.map((o) => o.id));
    return new Map(
      offerings.map((o) => {
        const c = counts.get(o.id) ?? { confirmed: 0, waitlisted: 0 };
        return [o.id, seatCount(o, c.confirmed, c.waitlisted)];
      }),
    );
  }

  /** Changes whenever the catalogue does; cheap enough to ask every few seconds. */
  version(): Promise<CatalogueVersion> {
    return this.repository.version();
  }

  isEmpty(): Promise<boolean> {
    return this.repository.isEmpty();
  }

  /** Writes a checked catalogue (all or nothing) and tells in-process listeners (the search index). */
  async importCatalogue(catalogue: CatalogueWrite): Promise<CatalogueWriteCounts> {
    const counts = await this.repository.write(catalogue, this.clock.now());
    for (const listener of this.listeners) listener();
    return counts;
  }

  /** Called after every import in this process; returns a function that stops listening. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export type CatalogueImportOutcome =
  | { ok: true; dryRun: boolean; counts: CatalogueWriteCounts }
  | { ok: false; problems: ImportProblem[] };

/** The CSV import use case: check everything, then write everything in one transaction (or nothing). */
export async function importCatalogueCsv(
  catalogue: CatalogueService,
  csv: string,
  taxonomy: CpdTaxonomy,
  options: { dryRun?: boolean } = {},
): Promise<CatalogueImportOutcome> {
  const parsed = parseCatalogueCsv(csv, taxonomy);
  if (!parsed.ok) return { ok: false, problems: parsed.problems };
  const write = parsed.value;
  if (options.dryRun) {
    return {
      ok: true,
      dryRun: true,
      counts: { courses: write.courses.length, offerings: write.offerings.length, sessions: write.sessions.length, sessionsRemoved: 0 },
    };
  }
  return { ok: true, dryRun: false, counts: await catalogue.importCatalogue(write) };
}

/** The Harmony sample catalogue, read from the sources whether this runs from src/, dist/ or the bundle. */
export const SAMPLE_CATALOGUE_FILE = path.join(projectRoot(import.meta.url), 'src', 'features', 'cpd', 'catalogue', 'samples', 'harmony-catalogue.csv');

/**
 * Loads the sample catalogue into an empty catalogue (and does nothing otherwise), so a local run
 * has courses to find, laid out around the day it is seeded (sample-layout.domain.ts): a few
 * offerings just past, one a week for the next weeks, the rest over the following months.
 */
export async function loadSampleCatalogue(
  catalogue: CatalogueService,
  clock: Clock,
  taxonomy: CpdTaxonomy,
  file: string = SAMPLE_CATALOGUE_FILE,
): Promise<{ loaded: boolean; counts?: CatalogueWriteCounts }> {
  // The app's own service instance, so its listeners (the search index) hear about the load.
  if (!(await catalogue.isEmpty())) return { loaded: false };
  const parsed = parseCatalogueCsv(await readFile(file, 'utf8'), taxonomy);
  if (!parsed.ok) {
    const first = parsed.problems[0];
    throw new Error(`The sample catalogue ${file} is invalid: line ${first?.line} ${first?.field}: ${first?.message}`);
  }
  const counts = await catalogue.importCatalogue(layOutSampleCatalogue(parsed.value, clock.now(), taxonomy.timeZone));
  return { loaded: true, counts };
}
