import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { GraphConnection } from '../../graph/graph-client.js';
import { graphPeopleDirectory } from '../../graph/users.js';
import type { Intent } from '../../shared/bot-contract.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { sampleRosterPath, TrustDataError } from '../../trust/load-trust-profile.js';
import { loadRoster } from '../../trust/sample-roster.js';
import type { TrustProfile } from '../../trust/trust-profile.schema.js';
import { cueScore } from '../../shared/router.domain.js';
import type { FeatureContext, FeatureModule } from '../feature-module.js';
import { createPeopleRepository } from './people.repository.js';
import { createDirectoryPeopleService, createSamplePeopleService, type PeopleService } from './people.service.js';

export const PEOPLE_WHO_AM_I_INTENT = 'people.who_am_i';

const WHO_AM_I_CUES = [
  { phrase: 'who am i', weight: 0.9 },
  { phrase: 'my roles', weight: 0.85 },
  { phrase: 'my role', weight: 0.85 },
  { phrase: 'which academy am i', weight: 0.85 },
  { phrase: 'what can i access', weight: 0.7 },
];

/**
 * Built before the other features (they all resolve who is speaking through it): the local sample
 * roster, or Microsoft Graph with a database cache.
 */
export function createPeopleService(
  config: Config,
  profile: TrustProfile,
  db: Db,
  clock: Clock,
  logger: Logger,
  graph: GraphConnection | undefined,
): PeopleService {
  if (config.people.directory === 'sample') {
    const rosterFile = sampleRosterPath(config.trustProfilePath, profile);
    if (!rosterFile) {
      throw new TrustDataError(`Trust profile ${config.trustProfilePath} names no sampleRoster, so PEOPLE_DIRECTORY=sample has nobody to use.`);
    }
    return createSamplePeopleService(loadRoster(rosterFile, profile));
  }
  if (!graph) {
    throw new TrustDataError('PEOPLE_DIRECTORY=graph needs Microsoft Graph: set BOT_ID and BOT_PASSWORD (or GRAPH_CLIENT_ID and GRAPH_CLIENT_SECRET).');
  }
  return createDirectoryPeopleService({
    profile,
    directory: graphPeopleDirectory(graph),
    repository: createPeopleRepository(db),
    clock,
    cacheMinutes: config.people.cacheMinutes,
    logger,
  });
}

/** People in chat: "who am I?" says which roles and academies the app sees for the speaker. */
export function peopleFeature(ctx: FeatureContext): FeatureModule {
  const roleLabels = new Map(ctx.profile.roles.map((r) => [r.id, r.label]));
  const academyNames = new Map(ctx.profile.academies.map((a) => [a.id, a.name]));
  const whoAmI: Intent = {
    name: PEOPLE_WHO_AM_I_INTENT,
    score: (message) => cueScore(message, WHO_AM_I_CUES),
    suggest: () => ({ title: 'Who Development Hub thinks you are', prompt: 'who am I' }),
    handle: async (turn) => {
      const person = await ctx.people.resolve(turn.speaker);
      if (!person.ok) {
        return [{ kind: 'text', text: `I cannot find you in the trust's directory, so I treat you as a visitor. Ask the ${ctx.profile.trust.teamName} if that is wrong.` }];
      }
      const roles = person.value.roles.map((r) => roleLabels.get(r) ?? r).join(', ') || 'no roles';
      const academy = person.value.academyId === null ? 'central staff' : (academyNames.get(person.value.academyId) ?? person.value.academyId);
      return [{ kind: 'text', text: `You are ${person.value.displayName}: ${roles}; ${academy}.` }];
    },
  };
  return { name: 'people', intents: [whoAmI] };
}
