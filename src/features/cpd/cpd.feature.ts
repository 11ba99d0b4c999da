import type { FeatureContext, FeatureModule } from '../feature-module.js';
import { cpdBookingFeature } from './booking/booking.bot.js';
import { bookingJobs } from './booking/booking.jobs.js';
import { BookingRepository } from './booking/booking.repository.js';
import { BookingService } from './booking/booking.service.js';
import { calendarJobs } from './calendar/calendar.jobs.js';
import { CalendarRepository } from './calendar/calendar.repository.js';
import { CalendarService, graphCalendarPort } from './calendar/calendar.service.js';
import { CatalogueService, loadSampleCatalogue } from './catalogue/catalogue.service.js';
import { askerFromPeople } from './cpd.asker.js';
import { cpdTaxonomyFromProfile } from './cpd.taxonomy.js';
import { cpdFollowUp } from './follow-up/follow-up.module.js';
import { coursesSearchCommand } from './search/courses-command.js';
import { cpdSearchFeature } from './search/search.bot.js';
import { CpdSearchService } from './search/search.service.js';

/**
 * CPD: find courses in chat (search/), book and cancel places from cards (booking/), Outlook
 * events for booked sessions (calendar/), over the trust's catalogue (catalogue/).
 */
export function cpdFeature(ctx: FeatureContext): FeatureModule {
  const taxonomy = cpdTaxonomyFromProfile(ctx.profile);
  const catalogue = CatalogueService.forDatabase(ctx.db, ctx.clock);
  const search = new CpdSearchService(catalogue, taxonomy, ctx.clock, { otherTopics: otherFeaturesWords(ctx) });
  const bookingRepository = new BookingRepository(ctx.db, ctx.clock, ctx.ids, { batchPresses: ctx.config.database.kind === 'embedded' ? 'any' : 'same_offering' });
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
  const calendarService = ctx.graph
    ? new CalendarService({
        port: graphCalendarPort(ctx.graph),
        events: calendarEvents,
        bookings: bookingRepository,
        catalogue,
        timeZone: taxonomy.timeZone,
        logger: ctx.logger,
      })
    : undefined;
  const calendar = calendarService
    ? calendarJobs({ calendar: calendarService, events: calendarEvents, bookings, notifier: ctx.notifier, taxonomy, logger: ctx.logger })
    : {};

  const finding = cpdSearchFeature({ search, taxonomy, askerOf: askerFromPeople(ctx.people) });
  // The message extension shows up to 25 results at once, so its search pages by 25.
  const extensionSearch = new CpdSearchService(catalogue, taxonomy, ctx.clock, { otherTopics: otherFeaturesWords(ctx), pageSize: 25 });
  const booking = cpdBookingFeature({ bookings, taxonomy });
  // After booking: reminders, changes, the register, feedback and the CPD record (follow-up/).
  const followUp = cpdFollowUp(ctx, taxonomy, bookingRepository, calendarService);
  return {
    name: 'cpd',
    intents: [...finding.intents, ...booking.intents, ...followUp.intents],
    journeys: [...finding.journeys, ...booking.journeys, ...followUp.journeys],
    actions: [...finding.actions, ...booking.actions, ...followUp.actions],
    searchCommands: [coursesSearchCommand({ search: extensionSearch, taxonomy, askerOf: askerFromPeople(ctx.people) })],
    jobs: { ...bookingJobs({ bookings, notifier: ctx.notifier, taxonomy, logger: ctx.logger }), ...calendar, ...followUp.jobs },
    downloads: followUp.downloads,
    loadSampleData: async () => {
      const result = await loadSampleCatalogue(catalogue, ctx.clock, taxonomy);
      if (result.loaded) ctx.logger.info({ counts: result.counts }, 'sample CPD catalogue loaded');
      await followUp.loadSampleData();
    },
    start: () => followUp.start(),
  };
}

/**
 * Single-word cues of what other features offer ("resources", "network"), and the words of the
 * team's own name ("Development Team"): never searched as CPD topics.
 */
function otherFeaturesWords(ctx: FeatureContext): string[] {
  return [
    ...ctx.profile.notYetAvailable.flatMap((e) => e.cues.filter((c) => !/\s/.test(c)).map((c) => c.toLowerCase())),
    ...ctx.profile.trust.teamName.toLowerCase().split(/\s+/),
  ];
}
