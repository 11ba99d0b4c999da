import type { AdaptiveCard, BotFeature, Journey, TurnInfo } from '../../../shared/bot-contract.js';
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

/** Finding CPD in chat: a message route for questions and the More/Previous paging verb. */
export function cpdSearchFeature(deps: CpdSearchFeatureDeps): BotFeature {
  return {
    journeys: [CPD_FIND_JOURNEY],
    messages: [
      {
        name: 'cpd.search',
        handle: async (turn, text) => {
          const page = await deps.search.search(text, await deps.askerOf(turn));
          return page ? [{ kind: 'card', card: searchResultsCard(page, deps.taxonomy) }] : null;
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

function invalidPagingCard(): AdaptiveCard {
  return problemCard({
    code: 'invalid_search_page',
    title: 'That page of results is not available',
    message: 'The button did not carry a search Development Hub understands, so no results were loaded.',
    nextStep: 'Ask again in the chat, for example "What CPD is on next month?".',
  });
}
