import type { FeatureContext, FeatureModule } from '../feature-module.js';
import { visitsBot } from './visits.bot.js';
import { VisitQuestionRepository } from './visit-questions.repository.js';
import { VisitQuestionService } from './visit-questions.service.js';
import { startVisits, visitJobs } from './visits.jobs.js';
import { VisitRepository } from './visits.repository.js';
import { VisitService } from './visits.service.js';

/**
 * Inclusion Support Visit requests: a SENCO's request card, triage by the Inclusion team in their
 * channel, the requester kept informed. Named as the trust profile's `notYetAvailable` entry
 * (`inclusion-visits`), so that stand-in steps aside once this module is registered.
 */
export function inclusionVisitsFeature(ctx: FeatureContext): FeatureModule {
  const repository = new VisitRepository(ctx.db, ctx.clock, ctx.ids);
  const visits = new VisitService({
    repository,
    people: ctx.people,
    profile: ctx.profile,
    clock: ctx.clock,
    logger: ctx.logger,
    kickJobs: () => ctx.kickJobs(),
  });
  const questions = new VisitQuestionService({
    visits: repository,
    questions: new VisitQuestionRepository(ctx.db, ctx.clock, ctx.ids),
    people: ctx.people,
    logger: ctx.logger,
    kickJobs: () => ctx.kickJobs(),
  });
  const bot = visitsBot({ visits, questions, profile: ctx.profile, ids: ctx.ids, notifier: ctx.notifier });
  const jobDeps = { visits, questions, people: ctx.people, notifier: ctx.notifier, profile: ctx.profile, db: ctx.db, clock: ctx.clock, ids: ctx.ids, logger: ctx.logger };
  return {
    name: 'inclusion-visits',
    intents: bot.intents,
    journeys: bot.journeys,
    actions: bot.actions,
    jobs: visitJobs(jobDeps),
    // The triage-channel warning, waiting channel cards and the retention schedule, once migrated.
    start: () => startVisits(jobDeps),
  };
}
