import type { FeatureContext, FeatureModule } from '../feature-module.js';
import { communitiesBot } from './communities.bot.js';
import { communityJobs } from './communities.jobs.js';
import { CommunityRepository } from './communities.repository.js';
import { CommunityService } from './communities.service.js';
import { CommunityMatcher } from './community-match.domain.js';

/** The communities service, for this feature and for those that read memberships (announcements). */
export function createCommunityService(ctx: FeatureContext): CommunityService {
  return new CommunityService({
    repository: new CommunityRepository(ctx.db, ctx.clock, ctx.ids),
    people: ctx.people,
    profile: ctx.profile,
    clock: ctx.clock,
    logger: ctx.logger,
    kickJobs: () => ctx.kickJobs(),
  });
}

/**
 * Networks, Harmony Learning Communities, workhubs, peer inquiry and research teams: the kinds and
 * the communities come from the trust profile; people browse, join, leave and ask to join in chat,
 * and leads decide requests and see the member list. Named as the trust profile's former
 * `notYetAvailable` entry (`communities`), so that stand-in steps aside.
 */
export function communitiesFeature(ctx: FeatureContext): FeatureModule {
  const communities = createCommunityService(ctx);
  const bot = communitiesBot({ communities, matcher: new CommunityMatcher(ctx.profile), people: ctx.people, profile: ctx.profile, clock: ctx.clock });
  return {
    name: 'communities',
    intents: bot.intents,
    journeys: bot.journeys,
    actions: bot.actions,
    jobs: communityJobs({ communities, notifier: ctx.notifier, people: ctx.people, profile: ctx.profile, logger: ctx.logger }),
  };
}
