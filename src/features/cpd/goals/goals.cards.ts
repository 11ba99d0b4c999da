import type { AdaptiveCard } from '../../../shared/bot-contract.js';
import { formatLocalDateTime } from '../cpd-time.domain.js';
import { CPD_BOOK_VERB } from '../booking/booking.schemas.js';
import { cap, card, execute, heading, prompt, text, type Element } from '../follow-up/card-parts.js';
import type { GoalSettings, SuggestedCourse } from './goals.service.js';

/** One line per suggested course, with the goal it matches, and a Book button each. */
export function suggestionParts(courses: readonly SuggestedCourse[], timeZone: string): { body: Element[]; actions: Element[] } {
  return {
    body: courses.map((c) => text(`**${c.title}** · ${formatLocalDateTime(c.firstStartsAt, timeZone)}\nMatches your goal: ${cap(c.goalText, 120)}`, { size: 'Small' })),
    actions: courses.map((c, i) => execute(courses.length === 1 ? 'Book' : `Book ${i + 1}`, CPD_BOOK_VERB, { offeringId: c.offeringId }, 'positive')),
  };
}

/** The daily suggestion: new CPD that matches a goal, each course named to the person once only. */
export function goalSuggestionCard(courses: readonly SuggestedCourse[], timeZone: string, settings: GoalSettings): AdaptiveCard {
  const parts = suggestionParts(courses, timeZone);
  return card(
    [
      heading(courses.length === 1 ? 'New CPD for one of your goals' : 'New CPD for your goals', `${settings.title}, as agreed in ${settings.agreedIn}`),
      ...parts.body,
      text('Each course is suggested to you once. Remove a goal in "my cpd" when it no longer applies.', { isSubtle: true, size: 'Small' }),
    ],
    [...parts.actions, prompt('My CPD', 'my cpd')],
  );
}
