import type { JobHandler } from '../../jobs/worker.js';
import type { BotFeature, MessageRoute } from '../../shared/bot-contract.js';
import type { FeatureContext } from '../registry.js';
import { INTENT_THRESHOLD, visitsBot, type VisitIntent } from './visits.bot.js';
import { startVisits, visitJobs } from './visits.jobs.js';
import { VisitRepository } from './visits.repository.js';
import { VisitService } from './visits.service.js';

export interface InclusionVisitsFeature {
  bot: BotFeature;
  /** The intents as score + handle, for a scoring router. */
  intents: VisitIntent[];
  jobs: Record<string, JobHandler>;
  /** Start-up checks: the triage channel warning, waiting channel cards, the retention schedule. */
  start(): Promise<void>;
  visits: VisitService;
}

/** Inclusion Support Visit requests, built from the feature context. */
export function inclusionVisitsFeature(ctx: FeatureContext): InclusionVisitsFeature {
  const visits = new VisitService({
    repository: new VisitRepository(ctx.db, ctx.clock, ctx.ids),
    people: ctx.people,
    profile: ctx.profile,
    clock: ctx.clock,
    logger: ctx.logger,
    kickJobs: () => ctx.kickJobs(),
  });
  const bot = visitsBot({ visits, profile: ctx.profile, ids: ctx.ids, notifier: ctx.notifier });
  const jobDeps = { visits, notifier: ctx.notifier, profile: ctx.profile, db: ctx.db, clock: ctx.clock, ids: ctx.ids, logger: ctx.logger };
  return {
    bot: { journeys: bot.journeys, messages: bot.intents.map(asMessageRoute), actions: bot.actions },
    intents: bot.intents,
    jobs: visitJobs(jobDeps),
    start: () => startVisits(jobDeps),
    visits,
  };
}

/** Today's first-match router: an intent answers when its score clears the threshold. */
function asMessageRoute(intent: VisitIntent): MessageRoute {
  return { name: intent.name, handle: async (turn, text) => (intent.score(text) >= INTENT_THRESHOLD ? intent.handle(turn, text) : null) };
}
