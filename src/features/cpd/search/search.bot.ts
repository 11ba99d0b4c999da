import type { AdaptiveCard, CardActionRoute, Intent, Journey, NormalisedMessage, TurnInfo } from '../../../shared/bot-contract.js';
import { cardVerb } from '../../../shared/card-verb.js';
import { problemCard } from '../../../shared/problem-card.js';
import { fail, ok } from '../../../shared/result.js';
import { searchResultsCard } from './search.cards.js';
import type { CpdTaxonomy } from '../cpd.taxonomy.js';
import type { Asker } from './search.domain.js';
import { CPD_SEARCH_MORE_VERB, searchMoreDataSchema } from './search.schemas.js';
import type { CpdAssessment, CpdSearchService } from './search.service.js';

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
  // The router scores every intent, then answers with the winner, giving both calls the same turn and
  // the same message: the question is read and ranked once for the score and the answer. The answer
  // takes the assessment, so a later turn (or a second answer) reads the question afresh.
  const scored = new WeakMap<NormalisedMessage, { turn: TurnInfo; assessment: Promise<CpdAssessment> }>();
  const assess = async (turn: TurnInfo, text: string): Promise<CpdAssessment> => deps.search.assess(text, await deps.askerOf(turn));
  const score = async (message: NormalisedMessage, turn: TurnInfo): Promise<number> => {
    const assessment = assess(turn, message.corrected);
    scored.set(message, { turn, assessment });
    return (await assessment).relevance;
  };
  const assessedFor = (turn: TurnInfo, message: NormalisedMessage): Promise<CpdAssessment> => {
    const known = scored.get(message);
    scored.delete(message);
    return known?.turn === turn ? known.assessment : assess(turn, message.corrected);
  };
  return {
    journeys: [CPD_FIND_JOURNEY],
    intents: [
      {
        name: CPD_SEARCH_INTENT,
        score,
        suggest: (message) => ({ title: `CPD courses on ${topicOf(message.corrected)}`, prompt: `CPD courses on ${topicOf(message.corrected)}` }),
        handle: async (turn, message) => {
          const page = await deps.search.searchAssessed(await assessedFor(turn, message));
          // Chosen from "Did you mean…" for words that match nothing: still a CPD answer, what is on next.
          const answer = page ?? (await deps.search.search('what is on', await deps.askerOf(turn)));
          return answer ? [{ kind: 'card', card: searchResultsCard(answer, deps.taxonomy) }] : [];
        },
      },
    ],
    actions: [
      cardVerb({
        verb: CPD_SEARCH_MORE_VERB,
        schema: searchMoreDataSchema,
        invalid: invalidPagingCard,
        // A page past the end, or a query that no longer reads as a CPD search, is the same dead button.
        call: async (turn, data) => {
          const page = await deps.search.search(data.query, await deps.askerOf(turn), data.page);
          return page ? ok(page) : fail('invalid_search_page', 'That page of results is not available.');
        },
        render: (page) => searchResultsCard(page, deps.taxonomy),
        problem: invalidPagingCard,
      }),
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
