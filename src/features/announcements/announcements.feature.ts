import { createCommunityService } from '../communities/communities.feature.js';
import type { FeatureContext, FeatureModule } from '../feature-module.js';
import { announcementsBot } from './announcements.bot.js';
import { announcementJobs } from './announcements.jobs.js';
import { AnnouncementRepository } from './announcements.repository.js';
import { AnnouncementService } from './announcements.service.js';
import { FanOutRepository } from './fan-out.repository.js';
import { FanOutService } from './fan-out.service.js';
import { proactiveInstaller } from './proactive-install.js';

/**
 * Development Team announcements: a card form (drafts, preview to the author, send now or later)
 * and a durable, paced fan-out to community channels and 1:1 chats with a live status card, RSVPs,
 * mutes, cancel and recall. Named as the trust profile's former `notYetAvailable` entry.
 */
export function announcementsFeature(ctx: FeatureContext): FeatureModule {
  const repository = new AnnouncementRepository(ctx.db, ctx.clock, ctx.ids);
  const fanOutRepository = new FanOutRepository(ctx.db, ctx.clock, ctx.ids);
  const announcements = new AnnouncementService({
    repository,
    fanOut: fanOutRepository,
    people: ctx.people,
    notifier: ctx.notifier,
    profile: ctx.profile,
    clock: ctx.clock,
    ids: ctx.ids,
    logger: ctx.logger,
    kickJobs: () => ctx.kickJobs(),
  });
  const fanOut = new FanOutService({
    db: ctx.db,
    announcements: repository,
    fanOut: fanOutRepository,
    communities: createCommunityService(ctx),
    people: ctx.people,
    notifier: ctx.notifier,
    install: proactiveInstaller(ctx.config, ctx.graph, ctx.notifier, ctx.logger),
    profile: ctx.profile,
    clock: ctx.clock,
    ids: ctx.ids,
    logger: ctx.logger,
    kickJobs: () => ctx.kickJobs(),
    senders: ctx.config.announcements.senders,
    statusEveryMs: ctx.config.announcements.statusEveryMs,
  });
  const bot = announcementsBot({ announcements, fanOut, profile: ctx.profile });
  return {
    name: 'announcements',
    intents: bot.intents,
    journeys: bot.journeys,
    actions: bot.actions,
    jobs: announcementJobs(fanOut, ctx.logger),
  };
}
