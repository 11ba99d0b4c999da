import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { GraphConnection } from '../graph/graph-client.js';
import type { JobHandler } from '../jobs/worker.js';
import type { BotFeature, Notifier } from '../shared/bot-contract.js';
import type { Clock, IdGenerator } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { TrustProfile } from '../trust/trust-profile.schema.js';
import { askerFromPeople } from './cpd/cpd-asker.js';
import { cpdTaxonomyFromProfile } from './cpd/cpd-taxonomy.js';
import { CatalogueService, loadSampleCatalogue } from './cpd/catalogue.service.js';
import { cpdSearchFeature } from './cpd/search.bot.js';
import { CpdSearchService } from './cpd/search.service.js';
import type { PeopleService } from './people/people.service.js';

/** Everything a feature may be built from. Features get ports, never the Teams SDK. */
export interface FeatureContext {
  config: Config;
  profile: TrustProfile;
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  people: PeopleService;
  notifier: Notifier;
  /** Microsoft Graph, when an app identity is configured; undefined in local mode. */
  graph: GraphConnection | undefined;
  /** Asks the job worker to look for work now rather than at its next poll. */
  kickJobs(): void;
}

export interface FeatureSet {
  /** Bot features in routing order: earlier message routes get the first look at a message. */
  bot: BotFeature[];
  jobs: Record<string, JobHandler>;
  /** Fills an empty database with the trust's sample data (local runs, demos). */
  loadSampleData(): Promise<void>;
}

/** The one place features are assembled; src/app.ts wires the result into Teams, HTTP and jobs. */
export function buildFeatures(ctx: FeatureContext): FeatureSet {
  const taxonomy = cpdTaxonomyFromProfile(ctx.profile);
  const catalogue = CatalogueService.forDatabase(ctx.db, ctx.clock);
  const cpdSearch = new CpdSearchService(catalogue, taxonomy, ctx.clock);

  return {
    bot: [cpdSearchFeature({ search: cpdSearch, taxonomy, askerOf: askerFromPeople(ctx.people) })],
    jobs: {},
    loadSampleData: async () => {
      const result = await loadSampleCatalogue(ctx.db, ctx.clock, taxonomy);
      if (result.loaded) ctx.logger.info({ counts: result.counts }, 'sample CPD catalogue loaded');
    },
  };
}
