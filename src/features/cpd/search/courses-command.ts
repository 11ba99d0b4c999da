import type { SearchCommandAnswer, SearchCommandRoute, TurnInfo } from '../../../shared/bot-contract.js';
import { renderCard } from '../../../shared/cards.js';
import type { CpdTaxonomy } from '../cpd.taxonomy.js';
import courseTemplate from './cards/course.json' with { type: 'json' };
import type { Asker } from './search.domain.js';
import { offeringCardItem } from './search.cards.js';
import { CPD_BOOK_VERB } from './search.schemas.js';
import type { CpdSearchService } from './search.service.js';

/** The manifest's composeExtensions command id for CPD courses (appPackage/manifest.json). */
export const SEARCH_COURSES_COMMAND = 'searchCourses';

export interface CoursesCommandDeps {
  /** A search service whose page size is the message extension's (25). */
  search: CpdSearchService;
  taxonomy: CpdTaxonomy;
  askerOf(turn: TurnInfo): Promise<Asker>;
}

/**
 * "Find CPD" in the compose box: each result is a course card to share in any chat. Its Book button
 * is an Action.Execute, so it reaches the bot from whatever chat the card is in and books a place for
 * whoever presses it; the answer replaces the card for that person only. An empty query lists what
 * is on next.
 */
export function coursesSearchCommand(deps: CoursesCommandDeps): SearchCommandRoute {
  return {
    commandId: SEARCH_COURSES_COMMAND,
    handle: async (turn, input): Promise<SearchCommandAnswer> => {
      const text = input.text.replace(/\s+/g, ' ').trim().slice(0, 200);
      if (text.length === 1) return { kind: 'message', text: 'Type at least two letters to search CPD courses.' };
      const asker = await deps.askerOf(turn);
      const size = Math.max(1, input.count || 25);
      const page = (await deps.search.search(text || 'what is on', asker, Math.floor(Math.max(0, input.skip) / size))) ?? (await deps.search.search('what is on', asker));
      if (!page) return { kind: 'message', text: 'No CPD is scheduled yet. Please check back soon.' };
      const listings = [...page.nearest, ...page.items];
      if (listings.length === 0) return { kind: 'message', text: 'No CPD is scheduled yet. Please check back soon.' };
      return listings.map((listing) => {
        const item = offeringCardItem(listing, deps.taxonomy);
        return {
          card: renderCard(courseTemplate, { ...item, bookVerb: CPD_BOOK_VERB }),
          preview: { title: item.title, text: `${item.when} · ${item.places}` },
        };
      });
    },
  };
}
