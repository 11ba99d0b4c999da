import { postSearchQuery } from '../../graph/search.js';
import type { TrustProfile } from '../../trust/trust-profile.schema.js';
import type { FeatureContext, FeatureModule } from '../feature-module.js';
import type { CardSettings } from './resources.cards.js';
import type { ResourceIntentVocabulary } from './resources-intents.domain.js';
import { resourcesBot } from './resources.bot.js';
import { resourcesLinkUnfurler, resourcesSearchCommand } from './resources.extension.js';
import { ResourceSearchService, type ResourceSettings } from './resources.service.js';

/**
 * The Universal Resource Library: SharePoint search through Microsoft Graph, in chat ("resources on
 * vocabulary"), in the compose box (the "Search the URL" message extension) and when a link to a
 * library file is pasted (link unfurling). Where and how it searches is the trust profile's
 * `resources` section; the Graph connection (app-only, or as the person) comes from the context.
 */
export function resourcesFeature(ctx: FeatureContext): FeatureModule {
  const profile = ctx.profile;
  const library = profile.resources;
  const settings: ResourceSettings | undefined = library && {
    title: library.title,
    scope: { siteUrl: library.siteUrl, paths: library.paths },
    region: library.region,
    identity: library.identity,
    cacheSeconds: library.cacheSeconds,
  };
  const search = new ResourceSearchService({
    settings,
    appGraph: ctx.graph,
    personGraph: ctx.personGraph,
    post: postSearchQuery,
    clock: ctx.clock,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    logger: ctx.logger,
  });
  const card: CardSettings = { libraryTitle: library?.title ?? 'Universal Resource Library', locale: profile.trust.locale, timeZone: profile.trust.timeZone };
  const libraryWords = libraryWordsOf(profile);
  const bot = resourcesBot({
    search,
    card,
    vocabulary: vocabularyOf(profile),
    libraryWords,
    topics: topicsOf(profile),
    shortcuts: library?.shortcuts ?? [],
    clock: ctx.clock,
  });
  const unfurler = resourcesLinkUnfurler({ search, card, libraryWords });
  return {
    name: 'resources',
    intents: bot.intents,
    journeys: bot.journeys,
    actions: bot.actions,
    searchCommands: [resourcesSearchCommand({ search, card, libraryWords })],
    ...(unfurler ? { linkUnfurlers: [unfurler] } : {}),
    start: () => {
      if (!library) ctx.logger.warn({ code: 'resources_not_configured' }, 'the trust profile has no resources section: resource search answers that it is not set up');
      else if (!ctx.graph && !ctx.personGraph) ctx.logger.warn({ code: 'resources_no_graph' }, 'no Microsoft Graph connection: resource search answers that it is not connected');
      return Promise.resolve();
    },
  };
}

const isCpdGroup = (group: readonly string[]): boolean => group.some((p) => /^(cpd|training|courses?)$/i.test(p));
const isLibraryGroup = (group: readonly string[]): boolean => group.some((p) => /resource library/i.test(p));

function vocabularyOf(profile: TrustProfile): ResourceIntentVocabulary {
  const own = profile.notYetAvailable.find((e) => e.feature === 'resources');
  return {
    cues: own?.cues ?? ['resources', 'resource'],
    strongCues: own?.strongCues ?? ['resource library', 'find resources'],
    otherFeatureCues: profile.notYetAvailable.filter((e) => e.feature !== 'resources').flatMap((e) => [...e.cues, ...e.strongCues]),
    cpdConcepts: profile.search.synonyms.filter(isCpdGroup).map((g) => g[0].toLowerCase()),
    topicWords: new Set(
      [...profile.search.synonyms.filter((g) => !isCpdGroup(g)).flat(), ...profile.cpd.strands.map((s) => s.name)].flatMap((p) => p.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter((w) => w.length > 1),
    ),
  };
}

/** The library's own names ("URL", "Universal Resource Library"): words that are never search terms. */
function libraryWordsOf(profile: TrustProfile): ReadonlySet<string> {
  const phrases = [profile.resources?.title ?? '', ...profile.search.synonyms.filter(isLibraryGroup).flat()];
  return new Set(phrases.flatMap((p) => p.toLowerCase().split(/[^\p{L}\p{N}]+/u)).filter(Boolean));
}

/** Topics "nothing found" may suggest: the CPD strands and each synonym group's name. */
function topicsOf(profile: TrustProfile): string[] {
  // Strands first: with nothing close to what was typed, they are the broadest places to look.
  return [...profile.cpd.strands.map((s) => s.name), ...profile.search.synonyms.filter((g) => !isCpdGroup(g) && !isLibraryGroup(g)).map((g) => g[0])];
}
