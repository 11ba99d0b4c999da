import type { AdaptiveCard, CardActionRoute, Intent, Journey, Speaker, TurnInfo } from '../../../shared/bot-contract.js';
import { cardVerb } from '../../../shared/card-verb.js';
import { problemCard, problemCardsFor, type ProblemWording } from '../../../shared/problem-card.js';
import type { Result } from '../../../shared/result.js';
import { bookingCard, myBookingsCard } from './booking.cards.js';
import { isMyBookingsRequest, type BookingFailureCode, type CancelIntent } from './booking.domain.js';
import {
  CPD_BOOK_VERB,
  CPD_BOOKING_CANCEL_VERB,
  CPD_BOOKING_LEAVE_WAITLIST_VERB,
  CPD_BOOKING_REFRESH_VERB,
  CPD_MY_BOOKINGS_REFRESH_VERB,
  bookActionDataSchema,
  bookingChangeDataSchema,
  bookingRefreshDataSchema,
} from './booking.schemas.js';
import type { BookingChange, BookingService, BookingView } from './booking.service.js';
import type { CpdTaxonomy } from '../cpd.taxonomy.js';

export const CPD_MY_BOOKINGS_JOURNEY: Journey = {
  id: 'cpd.my_bookings',
  title: 'My bookings',
  summary: 'Your upcoming CPD places and waitlist places, with cancel buttons',
  prompt: 'my bookings',
};

/** What the "Find CPD" button on an empty "my bookings" card asks. */
const FIND_PROMPT = 'What CPD is on next month?';

export interface CpdBookingFeatureDeps {
  bookings: BookingService;
  taxonomy: CpdTaxonomy;
}

/**
 * Booking CPD from cards: Book, Cancel, Leave waitlist and the automatic refresh, each answering
 * with the card that replaces the one pressed; and "my bookings" in chat.
 */
export const CPD_MY_BOOKINGS_INTENT = 'cpd.my_bookings';

export function cpdBookingFeature(deps: CpdBookingFeatureDeps): { journeys: Journey[]; intents: Intent[]; actions: CardActionRoute[] } {
  const { bookings, taxonomy } = deps;

  const myBookings = async (turn: TurnInfo, notice?: { change: BookingChange; title: string }): Promise<AdaptiveCard> => {
    const view = await bookings.myBookings(turn.speaker);
    if (!view.ok) return bookingProblemCard(view);
    return myBookingsCard(notice ? { ...view.value, notice } : view.value, taxonomy, turn.speaker.id, FIND_PROMPT);
  };

  /** Book and refresh: the data names an offering, the answer is its booking card. */
  const offeringVerb = (
    verb: string,
    schema: typeof bookActionDataSchema,
    call: (speaker: Speaker, offeringId: string) => Promise<Result<BookingView, BookingFailureCode>>,
  ): CardActionRoute =>
    cardVerb({
      verb,
      schema,
      invalid: invalidActionCard,
      call: (turn, data) => call(turn.speaker, data.offeringId),
      render: (view, turn) => bookingCard(view, taxonomy, turn.speaker.id),
      problem: bookingProblemCard,
    });

  /** Cancel and Leave waitlist: the answer replaces the card the button sat on with the same kind of card. */
  const change = (verb: string, intent: CancelIntent): CardActionRoute =>
    cardVerb({
      verb,
      schema: bookingChangeDataSchema,
      invalid: invalidActionCard,
      call: (turn, data) => bookings.cancel(turn.speaker, data.bookingId, intent),
      render: (changed, turn, data) =>
        data.view === 'my_bookings'
          ? myBookings(turn, { change: changed.change, title: changed.details.course.title })
          : bookingCard(changed, taxonomy, turn.speaker.id),
      problem: bookingProblemCard,
    });

  return {
    journeys: [CPD_MY_BOOKINGS_JOURNEY],
    intents: [
      {
        name: CPD_MY_BOOKINGS_INTENT,
        score: (message) => (isMyBookingsRequest(message.corrected) ? 0.95 : 0),
        suggest: () => ({ title: 'My CPD bookings', prompt: 'my bookings' }),
        handle: async (turn) => {
          if (turn.conversation.scope !== 'personal') {
            return [
              {
                kind: 'text',
                text: 'Your bookings are personal, so I only list them in our 1:1 chat. Open a chat with Development Hub and type "my bookings".',
              },
            ];
          }
          return [{ kind: 'card', card: await myBookings(turn) }];
        },
      },
    ],
    actions: [
      offeringVerb(CPD_BOOK_VERB, bookActionDataSchema, (speaker, offeringId) => bookings.book(speaker, offeringId)),
      change(CPD_BOOKING_CANCEL_VERB, 'cancel'),
      change(CPD_BOOKING_LEAVE_WAITLIST_VERB, 'leave_waitlist'),
      offeringVerb(CPD_BOOKING_REFRESH_VERB, bookingRefreshDataSchema, (speaker, offeringId) => bookings.view(speaker, offeringId)),
      { verb: CPD_MY_BOOKINGS_REFRESH_VERB, handle: async (turn) => myBookings(turn) },
    ],
  };
}

function invalidActionCard(): AdaptiveCard {
  return problemCard({
    code: 'invalid_action',
    title: 'That button did not work',
    message: 'The button did not carry a booking Development Hub understands, so nothing was booked or changed.',
    nextStep: 'Ask again in the chat (for example "any phonics training?") or type "my bookings", and use the buttons on the new card.',
  });
}

const PROBLEMS: Record<BookingFailureCode, ProblemWording> = {
  invalid_action: { title: 'That button did not work', nextStep: 'Ask again in the chat and use the buttons on the new card.' },
  offering_not_found: { title: 'Course not found', nextStep: 'Search for the course again (for example "any phonics training?") to get an up-to-date card.' },
  offering_cancelled: { title: 'This course has been cancelled', nextStep: 'Ask me what else is on, or contact the Development Team.' },
  session_past: { title: 'This course has already started', nextStep: 'Ask me what is on next, or contact the Development Team.' },
  booking_closed: { title: 'Booking has closed', nextStep: 'If you still need a place, contact the Development Team; or ask me what else is on.' },
  booking_not_found: { title: 'Booking not found', nextStep: 'Type "my bookings" to see your current places.' },
  not_allowed: { title: 'That is not yours to change', nextStep: 'Type "my bookings" to see and change your own places.' },
  person_not_in_directory: { title: 'Development Hub could not tell who you are', nextStep: 'Ask your IT team to check your account, then try again.' },
  directory_unavailable: { title: 'Please try again in a few minutes', nextStep: 'Nothing was booked or changed. Press the button again shortly.' },
};

/** An expected booking failure as an error card: what happened, what to do, and the stable code. */
export const bookingProblemCard = problemCardsFor(PROBLEMS);
