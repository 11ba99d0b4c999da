import type { AdaptiveCard, BotReply, CardActionRoute, Intent, Journey, TurnInfo } from '../../shared/bot-contract.js';
import { cardVerb } from '../../shared/card-verb.js';
import { problemCard, problemCardsFor } from '../../shared/problem-card.js';
import type { Clock } from '../../shared/clock.js';
import { RESOURCES_MORE_VERB, RESOURCES_SIGN_IN_INTENT, resourceResultsCard, type CardSettings } from './resources.cards.js';
import { resourceSearchScorer, signInScore, type ResourceIntentVocabulary } from './resources-intents.domain.js';
import { nearbyTopics } from './resource-suggestions.domain.js';
import { understandResourceQuery } from './resource-query.domain.js';
import { resourcesMoreDataSchema } from './resources.schemas.js';
import type { ResourcePage, ResourceSearchFailure, ResourceSearchService, Searcher } from './resources.service.js';

export const RESOURCES_SEARCH_INTENT = 'resources.search';
export const CHAT_PAGE_SIZE = 5;
/** A person is offered the sign-in card once in this long; after that the results card's button is enough. */
const SIGN_IN_OFFER_MS = 12 * 60 * 60 * 1000;

export const RESOURCES_JOURNEY: Journey = {
  id: 'resources.find',
  title: 'Find resources',
  summary: 'Lesson resources, training videos and EEF guidance in the Universal Resource Library',
  prompt: 'resources on vocabulary',
};

export interface ResourcesBotDeps {
  search: ResourceSearchService;
  card: CardSettings;
  vocabulary: ResourceIntentVocabulary;
  /** The trust's own names for the library ("url", "universal"): not search terms. */
  libraryWords: ReadonlySet<string>;
  /** Topics "nothing found" can suggest (the trust's vocabulary). */
  topics: readonly string[];
  shortcuts: ReadonlyArray<{ title: string; url: string }>;
  clock: Clock;
}

/** What each failure code says on a card: the table is exhaustive, so a new code needs its words. */
export const RESOURCE_PROBLEMS = problemCardsFor<ResourceSearchFailure>({
  not_configured: { title: 'The resource library is not connected', nextStep: 'Ask your trust IT team to connect Development Hub to the Universal Resource Library; meanwhile open the URL team in Teams.' },
  sign_in_required: { title: 'Please sign in first', nextStep: 'Press Sign in on the card above, then ask again.' },
  not_allowed: { title: 'The library did not let Development Hub search', nextStep: 'Sign in again, or ask your trust IT team to check Development Hub\'s permission to search SharePoint.' },
  busy: { title: 'The resource library is busy', nextStep: 'Try again in a minute.' },
  unreachable: { title: 'The resource library could not be reached', nextStep: 'Try again in a few minutes; if it keeps happening, tell your trust IT team.' },
  rejected: { title: 'That search could not be run', nextStep: 'Try fewer or simpler words, for example "phonics videos".' },
  unexpected_response: { title: 'The resource library gave an answer Development Hub could not read', nextStep: 'Try again; if it keeps happening, tell your trust IT team.' },
});

export function resourcesBot(deps: ResourcesBotDeps): { intents: Intent[]; actions: CardActionRoute[]; journeys: Journey[] } {
  const scoreSearch = resourceSearchScorer(deps.vocabulary);
  const offeredSignIn = new Map<string, number>();

  const searcherOf = async (turn: TurnInfo): Promise<Searcher> => ({
    aadObjectId: turn.speaker.aadObjectId,
    ssoToken: turn.signIn ? await turn.signIn.token() : undefined,
  });

  // A repeat answered from the search cache hands back the same results: their card is rendered once.
  const rendered = new WeakMap<ResourcePage['resources'], Map<string, AdaptiveCard>>();
  const resultsCard = (page: ResourcePage, pageNumber: number, queryText: string, searcher: Searcher): AdaptiveCard => {
    const offerSignIn = page.searchedAs === 'app' && deps.search.canSearchAsPerson() && searcher.ssoToken === undefined;
    const key = JSON.stringify([pageNumber, queryText, offerSignIn, page.query, page.from, page.total, page.moreAvailable]);
    let cards = rendered.get(page.resources);
    if (!cards) rendered.set(page.resources, (cards = new Map<string, AdaptiveCard>()));
    let card = cards.get(key);
    if (!card) {
      // Nearby topics are shown only when nothing was found; working them out (edit distance over the trust's vocabulary) is skipped otherwise.
      const suggestions = page.resources.length > 0 ? [] : nearbyTopics(page.query.terms, deps.topics);
      card = resourceResultsCard({ page, pageNumber, queryText, suggestions, shortcuts: deps.shortcuts, offerSignIn }, deps.card);
      cards.set(key, card);
    }
    return card;
  };

  /** The sign-in card once per person in a while, when signing in would show them more. */
  const signInOffer = (turn: TurnInfo, page: ResourcePage): BotReply[] => {
    const who = turn.speaker.aadObjectId;
    if (!turn.signIn || !who || page.searchedAs !== 'app' || !deps.search.canSearchAsPerson()) return [];
    const now = deps.clock.now().getTime();
    const last = offeredSignIn.get(who);
    if (last !== undefined && now - last < SIGN_IN_OFFER_MS) return [];
    offeredSignIn.set(who, now);
    return [signInReply()];
  };

  const searchIntent: Intent = {
    name: RESOURCES_SEARCH_INTENT,
    score: (message) => scoreSearch(message),
    suggest: (message) => ({ title: `Resources on ${topicOf(message.corrected)}`, prompt: `resources on ${topicOf(message.corrected)}` }),
    handle: async (turn, message) => {
      const queryText = message.corrected.slice(0, 200);
      const searcher = await searcherOf(turn);
      const result = await deps.search.search(searcher, understandResourceQuery(queryText, { libraryWords: deps.libraryWords }), 0, CHAT_PAGE_SIZE);
      if (!result.ok) {
        if (result.code === 'sign_in_required' && turn.signIn) return [signInReply()];
        return [{ kind: 'card', card: RESOURCE_PROBLEMS(result) }];
      }
      return [{ kind: 'card', card: resultsCard(result.value, 0, queryText, searcher) }, ...signInOffer(turn, result.value)];
    },
  };

  const signInIntent: Intent = {
    name: RESOURCES_SIGN_IN_INTENT,
    score: (message) => signInScore(message),
    suggest: () => ({ title: 'Sign in to the resource library', prompt: 'sign in to the resource library' }),
    handle: async (turn) => {
      if (!turn.signIn || !deps.search.canSearchAsPerson()) {
        return [{ kind: 'text', text: 'Signing in is not available here: resource searches use what everyone in the trust can see.' }];
      }
      if (await turn.signIn.token()) return [{ kind: 'text', text: 'You are already signed in: your resource searches include everything you may open.' }];
      return [signInReply()];
    },
  };

  return {
    journeys: [RESOURCES_JOURNEY],
    intents: [searchIntent, signInIntent],
    actions: [
      cardVerb({
        verb: RESOURCES_MORE_VERB,
        schema: resourcesMoreDataSchema,
        invalid: invalidPagingCard,
        call: async (turn, data) => {
          const searcher = await searcherOf(turn);
          const query = understandResourceQuery(data.query, { libraryWords: deps.libraryWords });
          const result = await deps.search.search(searcher, query, data.page * CHAT_PAGE_SIZE, CHAT_PAGE_SIZE);
          return result.ok ? { ok: true as const, value: { page: result.value, searcher } } : result;
        },
        render: ({ page, searcher }, _turn, data) => resultsCard(page, data.page, data.query, searcher),
        problem: RESOURCE_PROBLEMS,
      }),
    ],
  };
}

export function signInReply(): BotReply {
  return {
    kind: 'sign_in',
    title: 'Sign in',
    text: 'Sign in once so resource searches include the files shared with you. Development Hub only reads what you may already open.',
  };
}

/** "find resources on vocabulary" → "vocabulary". */
function topicOf(text: string): string {
  const match = /\b(?:on|about|for|in)\s+(.+)$/i.exec(text.trim());
  return (match?.[1] ?? text).replace(/[?.!]+$/, '').trim().slice(0, 60) || 'this';
}

function invalidPagingCard(): AdaptiveCard {
  return problemCard({
    code: 'invalid_search_page',
    title: 'That page of resources is not available',
    message: 'The button did not carry a search Development Hub understands, so nothing was searched.',
    nextStep: 'Ask again in the chat, for example "resources on vocabulary".',
  });
}
