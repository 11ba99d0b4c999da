import type { AdaptiveCard } from '../../../shared/bot-contract.js';
import { renderCard } from '../../../shared/cards.js';
import { describePlaces, describeSessionPlace, describeWhen, describeWhere } from '../catalogue/catalogue.domain.js';
import type { CpdTaxonomy } from '../cpd.taxonomy.js';
import { formatDay, formatSpan, formatTime } from '../cpd-time.domain.js';
import resultsTemplate from './cards/results.json' with { type: 'json' };
import { describeQuestion } from './search-query.domain.js';
import { CPD_BOOK_VERB, CPD_SEARCH_MORE_VERB } from './search.schemas.js';
import type { CpdSearchPage, OfferingListing } from './search.service.js';

/** One offering on a card; the booking part can reuse it for its own cards. */
export interface OfferingCardItem {
  offeringId: string;
  title: string;
  /** "Read Achieve Succeed · Leaders, Teachers · Spring term cohort" */
  context: string;
  when: string;
  where: string;
  places: string;
  bookable: boolean;
  bookTitle: string;
  /** Why it cannot be booked, or ''. */
  closedNote: string;
  detailsId: string;
  summary: string;
  facilitatorLine: string;
  sessions: Array<{ text: string }>;
}

export interface CpdResultsCardData {
  heading: string;
  subheading: string;
  notice: string;
  /** `section` heads the first item of a group ("Nearest by topic", "On next"), '' elsewhere. */
  items: Array<OfferingCardItem & { section: string }>;
  query: string;
  hasPrevious: boolean;
  hasMore: boolean;
  previousPage: number;
  nextPage: number;
  bookVerb: string;
  moreVerb: string;
}

export function cpdResultsCard(data: CpdResultsCardData): AdaptiveCard {
  return renderCard(resultsTemplate, data);
}

export function offeringCardItem(listing: OfferingListing, taxonomy: CpdTaxonomy): OfferingCardItem {
  const { course, offering, sessions } = listing.details;
  const tz = taxonomy.timeZone;
  const strand = taxonomy.strands.find((s) => s.id === course.strandId)?.name;
  const audiences = course.audienceIds.map((id) => taxonomy.audiences.find((a) => a.id === id)?.label ?? id).join(', ');
  const full = listing.seats.placesLeft <= 0;
  return {
    offeringId: offering.id,
    title: course.title,
    context: [strand, audiences && `for ${audiences}`, offering.label].filter(Boolean).join(' · '),
    when: describeWhen(sessions, tz),
    where: describeWhere(sessions),
    places: describePlaces(listing.seats),
    bookable: listing.bookingOpen,
    bookTitle: full ? 'Join the waitlist' : course.kind === 'programme' ? 'Book the programme' : 'Book',
    closedNote: listing.bookingOpen
      ? ''
      : `Booking closed on ${formatDay(offering.bookingClosesAt, tz)} at ${formatTime(offering.bookingClosesAt, tz)}.`,
    detailsId: `details-${offering.id}`,
    summary: course.summary,
    facilitatorLine: `Led by ${course.facilitator}${course.kind === 'programme' ? ` · one booking covers all ${sessions.length} sessions` : ''}`,
    sessions:
      sessions.length > 1
        ? sessions.map((s) => ({ text: `${s.sequence}. ${formatSpan(s.startsAt, s.endsAt, tz)} · ${describeSessionPlace(s)}` }))
        : [],
  };
}

/** The one card a CPD question gets: the page of matches, or "nothing found" with what is on next. */
export function searchResultsCard(page: CpdSearchPage, taxonomy: CpdTaxonomy): AdaptiveCard {
  const found = page.kind === 'results';
  const section = (label: string) => (listing: OfferingListing, i: number) => ({ ...offeringCardItem(listing, taxonomy), section: i === 0 && !found ? label : '' });
  const items = [...page.nearest.map(section('Nearest by topic')), ...page.items.map(section('On next'))];
  const first = page.page * page.pageSize + 1;
  const last = page.page * page.pageSize + items.length;
  return cpdResultsCard({
    heading: describeQuestion(page.question),
    subheading: found
      ? page.total === 1
        ? '1 match'
        : `${first}–${last} of ${page.total} matches`
      : 'Nothing found',
    notice: found
      ? ''
      : items.length > 0
        ? page.nearest.length > 0
          ? `Nothing on offer matches "${page.question.text}" exactly. Here are the nearest courses by topic, then what is on next:`
          : `Nothing on offer matches "${page.question.text}". Here is what is on next:`
        : `Nothing on offer matches "${page.question.text}", and nothing else is scheduled yet. Please check back soon.`,
    items,
    query: page.question.text,
    hasPrevious: found && page.page > 0,
    hasMore: found && page.page < page.pageCount - 1,
    previousPage: Math.max(0, page.page - 1),
    nextPage: page.page + 1,
    bookVerb: CPD_BOOK_VERB,
    moreVerb: CPD_SEARCH_MORE_VERB,
  });
}
