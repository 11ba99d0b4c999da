import { announcementsFeature } from './announcements/announcements.feature.js';
import { communitiesFeature } from './communities/communities.feature.js';
import { comingSoonFeature } from './coming-soon/coming-soon.feature.js';
import { commissionsFeature } from './commissions/commissions.feature.js';
import { cpdFeature } from './cpd/cpd.feature.js';
import type { FeatureFactory } from './feature-module.js';
import { homeFeature } from './home/home.feature.js';
import { inclusionVisitsFeature } from './inclusion-visits/inclusion-visits.feature.js';
import { peopleFeature } from './people/people.feature.js';
import { resourcesFeature } from './resources/resources.feature.js';

/**
 * The features of Development Hub, and nothing else: each builds itself from the FeatureContext
 * (src/features/feature-module.ts) and src/features/assemble.ts merges them. Order only decides the
 * order of journeys on the welcome card; the message router asks every feature's intents.
 */
export const FEATURES: ReadonlyArray<{ name: string; build: FeatureFactory }> = [
  { name: 'home', build: homeFeature },
  { name: 'people', build: peopleFeature },
  { name: 'cpd', build: cpdFeature },
  { name: 'inclusion-visits', build: inclusionVisitsFeature },
  { name: 'communities', build: communitiesFeature },
  { name: 'announcements', build: announcementsFeature },
  { name: 'resources', build: resourcesFeature },
  { name: 'commissions', build: commissionsFeature },
  { name: 'coming-soon', build: comingSoonFeature },
];
