import type { AdaptiveCard } from '../../../shared/bot-contract.js';
import { renderCard } from '../../../shared/cards.js';
import { describeBookingStatus, type BookingStatus } from './booking.domain.js';
import {
  CPD_BOOK_VERB,
  CPD_BOOKING_CANCEL_VERB,
  CPD_BOOKING_LEAVE_WAITLIST_VERB,
  CPD_BOOKING_REFRESH_VERB,
  CPD_MY_BOOKINGS_REFRESH_VERB,
} from './booking.schemas.js';
import type { BookingChange, BookingView, CalendarState, MyBookingsView } from './booking.service.js';
import { describeWhen, describeWhere } from '../catalogue/catalogue.domain.js';
import { offeringCardItem, type OfferingCardItem } from '../search/search.cards.js';
import type { CpdTaxonomy } from '../cpd.taxonomy.js';
import bookingTemplate from './cards/booking.json' with { type: 'json' };
import myBookingsTemplate from './cards/my-bookings.json' with { type: 'json' };

export interface BookingCardData extends OfferingCardItem {
  statusText: string;
  statusStyle: 'good' | 'warning' | 'default';
  notice: string;
  calendarNote: string;
  canBook: boolean;
  canCancel: boolean;
  canLeave: boolean;
  bookingId: string;
  bookVerb: string;
  cancelVerb: string;
  leaveVerb: string;
}

/**
 * The card for one offering as one person sees it: their status (Booked ✓ / Waitlisted #3), what
 * just happened, and the buttons that make sense now. `viewerTeamsId` ('29:…') turns on automatic
 * refresh for that person, so the card shows current seats and status whenever it is shown again.
 */
export function bookingCard(view: BookingView, taxonomy: CpdTaxonomy, viewerTeamsId: string | undefined): AdaptiveCard {
  const item = offeringCardItem({ details: view.details, seats: view.seats, bookingOpen: view.bookingOpen }, taxonomy);
  const booking = view.booking;
  const status: BookingStatus | null = booking?.status ?? null;
  const active = status === 'confirmed' || status === 'waitlisted';
  const data: BookingCardData = {
    ...item,
    statusText: status === null ? '' : describeBookingStatus(status, view.position),
    statusStyle: status === 'confirmed' ? 'good' : status === 'waitlisted' ? 'warning' : 'default',
    notice: noticeFor(view.change, status, view.position, item.title),
    calendarNote: calendarNoteFor(view.calendar),
    canBook: !active && view.bookingOpen,
    canCancel: status === 'confirmed',
    canLeave: status === 'waitlisted',
    bookingId: booking?.id ?? '',
    bookVerb: CPD_BOOK_VERB,
    cancelVerb: CPD_BOOKING_CANCEL_VERB,
    leaveVerb: CPD_BOOKING_LEAVE_WAITLIST_VERB,
  };
  if (!active && status === 'cancelled' && view.bookingOpen) data.bookTitle = `${data.bookTitle} again`;
  if (view.details.offering.status === 'cancelled' || !view.details.course.active) {
    data.closedNote = 'The Development Team has cancelled this course.';
  }
  const card = renderCard(bookingTemplate, data);
  return withRefresh(card, CPD_BOOKING_REFRESH_VERB, { offeringId: view.details.offering.id }, viewerTeamsId);
}

export function noticeFor(change: BookingChange, status: BookingStatus | null, position: number | null, title: string): string {
  switch (change) {
    case 'booked':
      return `You're booked on ${title}.`;
    case 'waitlisted':
      return `${title} is full, so you're on the waitlist at number ${position ?? '?'}. If a place comes up it is yours automatically, and Development Hub will message you.`;
    case 'already_booked':
      return status === 'waitlisted'
        ? `You're already on the waitlist for this (number ${position ?? '?'}), so nothing has changed.`
        : "You're already booked on this, so nothing has changed.";
    case 'cancelled':
      return 'Your place is cancelled. If someone was waiting, it has gone to the next person on the waitlist.';
    case 'left_waitlist':
      return "You've left the waitlist.";
    case 'already_cancelled':
      return 'This booking was already cancelled, so nothing has changed.';
    case 'promoted_meanwhile':
      return "A place came up and was given to you before you pressed Leave waitlist, so you're booked. If you can no longer come, press Cancel my place.";
    case 'promoted':
      return `Good news: a place has come up on ${title} and it's yours. You're booked.`;
    case 'refreshed':
      return status === null ? "You're not booked on this." : '';
  }
}

export function calendarNoteFor(calendar: CalendarState): string {
  switch (calendar) {
    case 'not_connected':
      return "Development Hub isn't connected to Outlook calendars here, so please add the dates to your calendar yourself.";
    case 'pending':
      return 'Adding the dates to your Outlook calendar…';
    case 'added':
      return 'In your Outlook calendar ✓';
    case 'failed':
      return "Development Hub couldn't add this to your Outlook calendar, so please add the dates yourself. Your place is still booked.";
    case 'none':
      return '';
  }
}

export interface MyBookingsCardData {
  heading: string;
  subheading: string;
  notice: string;
  emptyText: string;
  items: Array<{
    title: string;
    when: string;
    where: string;
    statusText: string;
    statusColor: 'Good' | 'Warning';
    bookingId: string;
    canCancel: boolean;
    canLeave: boolean;
  }>;
  cancelVerb: string;
  leaveVerb: string;
  findPrompt: string;
}

/** "My bookings": upcoming places and waitlist places, each with its Cancel / Leave waitlist button. */
export function myBookingsCard(view: MyBookingsView, taxonomy: CpdTaxonomy, viewerTeamsId: string | undefined, findPrompt: string): AdaptiveCard {
  const booked = view.items.filter((i) => i.booking.status === 'confirmed').length;
  const waiting = view.items.length - booked;
  const data: MyBookingsCardData = {
    heading: 'My CPD bookings',
    subheading:
      view.items.length === 0
        ? 'Nothing booked yet'
        : [booked > 0 ? `${booked} booked` : '', waiting > 0 ? `${waiting} on a waitlist` : ''].filter(Boolean).join(' · '),
    notice: view.notice ? listNotice(view.notice.change, view.notice.title) : '',
    emptyText: view.items.length === 0 ? "You have no upcoming CPD bookings or waitlist places. Ask me what's on, for example \"any phonics training?\"" : '',
    items: view.items.map(({ details, booking, position }) => ({
      title: details.course.title,
      when: describeWhen(details.sessions, taxonomy.timeZone),
      where: describeWhere(details.sessions),
      statusText: describeBookingStatus(booking.status, position),
      statusColor: booking.status === 'confirmed' ? 'Good' : 'Warning',
      bookingId: booking.id,
      canCancel: booking.status === 'confirmed',
      canLeave: booking.status === 'waitlisted',
    })),
    cancelVerb: CPD_BOOKING_CANCEL_VERB,
    leaveVerb: CPD_BOOKING_LEAVE_WAITLIST_VERB,
    findPrompt,
  };
  return withRefresh(renderCard(myBookingsTemplate, data), CPD_MY_BOOKINGS_REFRESH_VERB, {}, viewerTeamsId);
}

/** What a Cancel / Leave waitlist pressed on the list did, said above the refreshed list. */
function listNotice(change: BookingChange, title: string): string {
  switch (change) {
    case 'cancelled':
      return `Your place on ${title} is cancelled.`;
    case 'left_waitlist':
      return `You've left the waitlist for ${title}.`;
    case 'already_cancelled':
      return `Your booking for ${title} was already cancelled.`;
    case 'promoted_meanwhile':
      return `A place on ${title} came up and was given to you before you pressed Leave waitlist, so you're booked. If you can no longer come, press Cancel my place.`;
    case 'booked':
    case 'waitlisted':
    case 'already_booked':
    case 'promoted':
    case 'refreshed':
      return '';
  }
}

/**
 * Universal Actions refresh: Teams invokes `verb` when the card is shown to a listed user
 * (trigger "automatic") and replaces the card with the answer. Without a user id it is offered
 * as a manual refresh only.
 */
function withRefresh(card: AdaptiveCard, verb: string, data: Record<string, unknown>, userId: string | undefined): AdaptiveCard {
  return {
    ...card,
    refresh: {
      action: { type: 'Action.Execute', title: 'Refresh', verb, data },
      ...(userId ? { userIds: [userId] } : {}),
    },
  };
}
