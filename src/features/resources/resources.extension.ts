import type { LinkUnfurlRoute, SearchCommandAnswer, SearchCommandRoute, SearchResultItem, TurnInfo } from '../../shared/bot-contract.js';
import { resourceCard, resourceCardItem, type CardSettings } from './resources.cards.js';
import { isInScope, understandResourceQuery } from './resource-query.domain.js';
import type { ResourcePage, ResourceSearchFailure, ResourceSearchService, Searcher } from './resources.service.js';

/** The manifest's composeExtensions command id (appPackage/manifest.json). */
export const SEARCH_RESOURCES_COMMAND = 'searchResources';
/** Teams shows at most this many message-extension results at once. */
const MAX_RESULTS = 25;

const FAILURE_TEXT: Record<ResourceSearchFailure, string> = {
  not_configured: 'The Universal Resource Library is not connected to Development Hub yet. Ask your trust IT team.',
  sign_in_required: 'Please sign in to search the Universal Resource Library.',
  not_allowed: 'The library did not let Development Hub search. Try signing in again.',
  busy: 'The resource library is busy. Try again in a minute.',
  unreachable: 'The resource library could not be reached. Try again in a few minutes.',
  rejected: 'That search could not be run. Try fewer or simpler words.',
  unexpected_response: 'The resource library gave an answer Development Hub could not read. Try again.',
};

export interface ResourcesExtensionDeps {
  search: ResourceSearchService;
  card: CardSettings;
  libraryWords: ReadonlySet<string>;
}

async function searcherOf(turn: TurnInfo): Promise<Searcher> {
  return { aadObjectId: turn.speaker.aadObjectId, ssoToken: turn.signIn ? await turn.signIn.token() : undefined };
}

/** "Search the URL" in the compose box: an empty query shows the newest items; each result is a resource card. */
export function resourcesSearchCommand(deps: ResourcesExtensionDeps): SearchCommandRoute {
  const rendered = new WeakMap<ResourcePage['resources'], SearchResultItem[]>();
  return {
    commandId: SEARCH_RESOURCES_COMMAND,
    handle: async (turn, input): Promise<SearchCommandAnswer> => {
      const query = understandResourceQuery(input.text.slice(0, 1000), { libraryWords: deps.libraryWords });
      if (query.terms.length === 0 && query.kinds.length === 0 && query.droppedShort) {
        return { kind: 'message', text: 'Type at least two letters to search the Universal Resource Library.' };
      }
      const size = Math.min(MAX_RESULTS, Math.max(1, input.count || MAX_RESULTS));
      const result = await deps.search.search(await searcherOf(turn), query, Math.max(0, input.skip), size);
      if (!result.ok) return result.code === 'sign_in_required' ? { kind: 'sign_in', title: 'Sign in to search the URL' } : { kind: 'message', text: FAILURE_TEXT[result.code] };
      if (result.value.resources.length === 0) {
        return { kind: 'message', text: query.terms.length ? 'Nothing in the Universal Resource Library matches those words. Try other words.' : 'The Universal Resource Library has nothing to show yet.' };
      }
      // A repeat answered from the search cache hands back the same results: they are rendered once.
      let items = rendered.get(result.value.resources);
      if (!items) {
        items = result.value.resources.map((resource) => {
          const item = resourceCardItem(resource, deps.card);
          return { card: resourceCard(resource, deps.card), preview: { title: `${item.icon} ${item.title}`, text: item.meta } };
        });
        rendered.set(result.value.resources, items);
      }
      return items;
    },
  };
}

/** Pasting a link to a file in the library unfurls it into the same resource card. */
export function resourcesLinkUnfurler(deps: ResourcesExtensionDeps): LinkUnfurlRoute | undefined {
  const settings = deps.search.settings;
  if (!settings) return undefined;
  return {
    hosts: [new URL(settings.scope.siteUrl).hostname],
    unfurl: async (turn, url) => {
      // Only links inside the library; anything else keeps Teams' own preview.
      if (!isInScope(url, settings.scope)) return null;
      const result = await deps.search.findByUrl(await searcherOf(turn), url);
      if (!result.ok || !result.value) return null;
      const item = resourceCardItem(result.value, deps.card);
      return { card: resourceCard(result.value, deps.card), preview: { title: `${item.icon} ${item.title}`, text: item.meta } };
    },
  };
}
