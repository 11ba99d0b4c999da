import type { AdaptiveCard, CardActionRoute, Intent, Journey, TurnInfo } from '../../../shared/bot-contract.js';
import { problemCard } from '../../../shared/problem-card.js';
import { searchResultsCard } from './search.cards.js';
import type { CpdTaxonomy } from '../cpd.taxonomy.js';
import type { Asker } from './search.domain.js';
import { CPD_SEARCH_MORE_VERB, searchMoreDataSchema } from './search.schemas.js';
import type { CpdSearchService } from './search.service.js';

export const CPD_FIND_JOURNEY: Journey = {
  id: 'cpd.find',
  title: 'Find CPD',
  summary: 'Courses, programmes and sessions across the trust',
  prompt: 'What CPD is on next month?',
};

export interface CpdSearchFeatureDeps {
  search: CpdSearchService;
  taxonomy: CpdTaxonomy;
  /** The speaker's roles (and audiences, if the directory knows them), to favour courses meant for them. */
  askerOf(turn: TurnInfo): Promise<Asker>;
}

export const CPD_SEARCH_INTENT = 'cpd.search';

/** Finding CPD in chat: an intent for questions and bare topics, and the More/Previous paging verb. */
export function cpdSearchFeature(deps: CpdSearchFeatureDeps): { journeys: Journey[]; intents: Intent[]; actions: CardActionRoute[] } {
  return {
    journeys: [CPD_FIND_JOURNEY],
    intents: [
      {
        name: CPD_SEARCH_INTENT,
        score: async (message, turn) => deps.search.relevance(message.corrected, await deps.askerOf(turn)),
        suggest: (message) => ({ title: `CPD courses on ${topicOf(message.corrected)}`, prompt: `CPD courses on ${topicOf(message.corrected)}` }),
        handle: async (turn, message) => {
          const page = await deps.search.search(message.corrected, await deps.askerOf(turn));
          // Chosen from "Did you mean…" for words that match nothing: still a CPD answer, what is on next.
          const answer = page ?? (await deps.search.search('what is on', await deps.askerOf(turn)));
          return answer ? [{ kind: 'card', card: searchResultsCard(answer, deps.taxonomy) }] : [];
        },
      },
    ],
    actions: [
      {
        verb: CPD_SEARCH_MORE_VERB,
        handle: async (turn, data): Promise<AdaptiveCard> => {
          const parsed = searchMoreDataSchema.safeParse(data);
          if (!parsed.success) return invalidPagingCard();
          const page = await deps.search.search(parsed.data.query, await deps.askerOf(turn), parsed.data.page);
          return page ? searchResultsCard(page, deps.taxonomy) : invalidPagingCard();
        },
      },
    ],
  };
}

/** "find resources on vocabulary" → "vocabulary": the words after the last "on"/"about"/"for", else the whole text. */
function topicOf(text: string): string {
  const match = /\b(?:on|about|for|in)\s+(.+)$/i.exec(text.trim());
  return (match?.[1] ?? text).replace(/[?.!]+$/, '').trim().slice(0, 60) || 'this';
}

function invalidPagingCard(): AdaptiveCard {
  return problemCard({
    code: 'invalid_search_page',
    title: 'That page of results is not available',
    message: 'The button did not carry a search Development Hub understands, so no results were loaded.',
    nextStep: 'Ask again in the chat, for example "What CPD is on next month?".',
  });
}
