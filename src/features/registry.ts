import type { Config } from '../config.js';
import type { Db } from '../db/database.js';
import type { GraphConnection } from '../graph/graph-client.js';
import type { JobHandler } from '../jobs/worker.js';
import type { BotFeature, Notifier } from '../shared/bot-contract.js';
import type { Clock, IdGenerator } from '../shared/clock.js';
import type { Logger } from '../shared/logger.js';
import type { TrustProfile } from '../trust/trust-profile.schema.js';
import { cpdBookingFeature } from './cpd/booking.bot.js';
import { bookingJobs } from './cpd/booking.jobs.js';
import { BookingRepository } from './cpd/booking.repository.js';
import { BookingService } from './cpd/booking.service.js';
import { calendarJobs } from './cpd/calendar.jobs.js';
import { CalendarRepository } from './cpd/calendar.repository.js';
import { CalendarService, graphCalendarPort } from './cpd/calendar.service.js';
import { askerFromPeople } from './cpd/cpd-asker.js';
import { cpdTaxonomyFromProfile } from './cpd/cpd-taxonomy.js';
import { CatalogueService, loadSampleCatalogue } from './cpd/catalogue.service.js';
import { cpdSearchFeature } from './cpd/search.bot.js';
import { CpdSearchService } from './cpd/search.service.js';
import { inclusionVisitsFeature } from './inclusion-visits/inclusion-visits.feature.js';
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
  /** Start-up checks and scheduling, once the database is migrated. */
  start(): Promise<void>;
}

/** The one place features are assembled; src/app.ts wires the result into Teams, HTTP and jobs. */
export function buildFeatures(ctx: FeatureContext): FeatureSet {
  const taxonomy = cpdTaxonomyFromProfile(ctx.profile);
  const catalogue = CatalogueService.forDatabase(ctx.db, ctx.clock);
  const cpdSearch = new CpdSearchService(catalogue, taxonomy, ctx.clock);
  const bookingRepository = new BookingRepository(ctx.db, ctx.clock, ctx.ids);
  const bookings = new BookingService({
    repository: bookingRepository,
    catalogue,
    people: ctx.people,
    clock: ctx.clock,
    logger: ctx.logger,
    // Without Graph (local mode) bookings skip the Outlook step and the card says so.
    calendarConnected: ctx.graph !== undefined,
    kickJobs: () => ctx.kickJobs(),
  });
  const calendarEvents = new CalendarRepository(ctx.db, ctx.clock, ctx.ids);
  const calendar = ctx.graph
    ? calendarJobs({
        calendar: new CalendarService({
          port: graphCalendarPort(ctx.graph),
          events: calendarEvents,
          bookings: bookingRepository,
          catalogue,
          timeZone: taxonomy.timeZone,
          logger: ctx.logger,
        }),
        events: calendarEvents,
        bookings,
        notifier: ctx.notifier,
        taxonomy,
        logger: ctx.logger,
      })
    : {};

  const cpdBooking = cpdBookingFeature({ bookings, taxonomy });
  const visits = inclusionVisitsFeature(ctx);

  return {
    bot: [
      // "my bookings" is routed before search, so it is never read as a question about CPD;
      // its journey comes after Find CPD on the welcome card.
      { messages: cpdBooking.messages },
      // Before CPD search, so "request an inclusion visit" is not read as a search for inclusion CPD.
      visits.bot,
      cpdSearchFeature({ search: cpdSearch, taxonomy, askerOf: askerFromPeople(ctx.people) }),
      { journeys: cpdBooking.journeys, actions: cpdBooking.actions },
    ],
    jobs: {
      ...bookingJobs({ bookings, notifier: ctx.notifier, taxonomy, logger: ctx.logger }),
      ...calendar,
      ...visits.jobs,
    },
    loadSampleData: async () => {
      const result = await loadSampleCatalogue(catalogue, ctx.clock, taxonomy);
      if (result.loaded) ctx.logger.info({ counts: result.counts }, 'sample CPD catalogue loaded');
    },
    start: () => visits.start(),
  };
}
