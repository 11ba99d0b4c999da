import type { FeatureContext, FeatureModule } from '../feature-module.js';
import { commissionRoutes } from './commissions.api.js';
import { commissionsBot } from './commissions.bot.js';
import { commissionJobs } from './commissions.jobs.js';
import { CommissionRepository } from './commissions.repository.js';
import { loadSampleCommissions } from './commissions.samples.js';
import { CommissionService } from './commissions.service.js';
import { CpdUptake } from './cpd-uptake.js';

/**
 * Bespoke-support commissions: raised by academy leaders in their channel's tab, brokered by the
 * Director of Education (measures, assignment, review, impact judgement), announced in Teams. Named
 * as the trust profile's former `notYetAvailable` entry (`commissions`).
 */
export function commissionsFeature(ctx: FeatureContext): FeatureModule {
  const repository = new CommissionRepository(ctx.db, ctx.clock, ctx.ids);
  const service = new CommissionService({ repository, profile: ctx.profile, clock: ctx.clock, ids: ctx.ids, logger: ctx.logger, kickJobs: () => ctx.kickJobs() });
  const uptake = new CpdUptake({ db: ctx.db, people: ctx.people, clock: ctx.clock, logger: ctx.logger, timeZone: ctx.profile.trust.timeZone });
  const teamsAppId = ctx.config.tab.teamsAppId;
  const bot = commissionsBot({ service, people: ctx.people, profile: ctx.profile, teamsAppId });
  return {
    name: 'commissions',
    intents: bot.intents,
    journeys: bot.journeys,
    apiRoutes: commissionRoutes({ service, uptake, repository, profile: ctx.profile }),
    jobs: commissionJobs({ repository, people: ctx.people, notifier: ctx.notifier, profile: ctx.profile, logger: ctx.logger, teamsAppId }),
    loadSampleData: () => loadSampleCommissions({ repository, service, people: ctx.people, profile: ctx.profile, clock: ctx.clock }),
  };
}
