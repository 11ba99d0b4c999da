import { fail, ok, type Failure, type Result } from '../../../shared/result.js';

/**
 * Booking rules as plain values. The repository locks the offering and hands the current state in;
 * these functions decide; the service writes what they decided inside the same transaction.
 */

export type BookingStatus = 'confirmed' | 'waitlisted' | 'cancelled';

export interface Booking {
  id: string;
  offeringId: string;
  personAadId: string;
  personName: string;
  personEmail: string | null;
  personTeamsId: string | null;
  status: BookingStatus;
  /** Database-assigned arrival order; the waitlist is served in this order. */
  arrivalSeq: number;
  createdAt: Date;
  updatedAt: Date;
  cancelledAt: Date | null;
}

/** What booking needs to know about an offering, read with its row locked. */
export interface OfferingForBooking {
  id: string;
  capacity: number;
  bookingClosesAt: Date;
  status: 'scheduled' | 'cancelled';
  courseActive: boolean;
  /** Start of the first session; undefined when the offering has no sessions (yet). */
  firstStartsAt: Date | undefined;
}

export type BookingFailureCode =
  | 'invalid_action'
  | 'offering_not_found'
  | 'offering_cancelled'
  | 'session_past'
  | 'booking_closed'
  | 'booking_not_found'
  | 'not_allowed'
  | 'person_not_in_directory'
  | 'directory_unavailable';

export type BookingFailure = Failure<BookingFailureCode>;

/**
 * Whether a new booking may be made now, and as what. Seat free → confirmed; full → waitlisted.
 * `confirmed` is the count of confirmed places, read under the offering's row lock.
 */
export function decideNewBooking(
  offering: OfferingForBooking,
  confirmed: number,
  now: Date,
): Result<'confirmed' | 'waitlisted', BookingFailureCode> {
  if (offering.status === 'cancelled' || !offering.courseActive) {
    return fail('offering_cancelled', 'This course has been cancelled, so it can no longer be booked.');
  }
  if (offering.firstStartsAt === undefined) {
    return fail('booking_closed', 'This course has no dates yet, so it cannot be booked.');
  }
  if (offering.firstStartsAt.getTime() <= now.getTime()) {
    return fail('session_past', 'This course has already started, so it can no longer be booked.');
  }
  if (offering.bookingClosesAt.getTime() <= now.getTime()) {
    return fail('booking_closed', 'Booking for this course has closed.');
  }
  return ok(confirmed < offering.capacity ? 'confirmed' : 'waitlisted');
}

/** What a person pressed: Cancel (a booked place or a waitlist place) or Leave waitlist. */
export type CancelIntent = 'cancel' | 'leave_waitlist';

export type CancelDecision =
  | { kind: 'cancel'; was: 'confirmed' | 'waitlisted' }
  /** Pressed twice (or a Teams retry): it is already cancelled; answer as before. */
  | { kind: 'already_cancelled' }
  /** "Leave waitlist" on a place that has since been confirmed: never give up a seat by surprise. */
  | { kind: 'promoted_meanwhile' };

/**
 * Whether this cancellation goes ahead. Ownership is checked by the caller with can(); this holds
 * the rules about state and time. Once the first session has started, a place is no longer given
 * up in chat (nobody could take it); the Development Team handles drop-outs.
 */
export function decideCancellation(
  booking: Pick<Booking, 'status'>,
  intent: CancelIntent,
  offering: Pick<OfferingForBooking, 'firstStartsAt'>,
  now: Date,
): Result<CancelDecision, BookingFailureCode> {
  if (booking.status === 'cancelled') return ok({ kind: 'already_cancelled' });
  if (intent === 'leave_waitlist' && booking.status === 'confirmed') return ok({ kind: 'promoted_meanwhile' });
  if (offering.firstStartsAt !== undefined && offering.firstStartsAt.getTime() <= now.getTime()) {
    return fail(
      'session_past',
      'This course has already started, so the place cannot be cancelled here. Please tell the Development Team if you cannot attend.',
    );
  }
  return ok({ kind: 'cancel', was: booking.status });
}

/** How many waitlisted people to promote: every free seat, never more than are waiting. */
export function placesToFill(capacity: number, confirmed: number, waiting: number): number {
  return Math.max(0, Math.min(capacity - confirmed, waiting));
}

/** "Booked ✓", "Waitlisted #3", "Cancelled". */
export function describeBookingStatus(status: BookingStatus, position: number | null): string {
  switch (status) {
    case 'confirmed':
      return 'Booked ✓';
    case 'waitlisted':
      return position === null ? 'On the waitlist' : `Waitlisted #${position}`;
    case 'cancelled':
      return 'Cancelled';
  }
}

const MY_BOOKINGS = /^(?:please\s+)?(?:show(?:\s+me)?\s+|list\s+|see\s+|view\s+|what\s+are\s+)?my\s+(?:cpd\s+|course\s+|training\s+)?(?:bookings?|booked\s+courses|places|waitlists?(?:\s+places)?)(?:\s+please)?\s*[?.!]*$/i;
const WHAT_HAVE_I_BOOKED = /^what(?:\s+have|'ve)\s+i\s+booked(?:\s+on)?\s*[?.!]*$/i;

/** "cancel my booking", "I can't make my course", "leave the waitlist": answered with my bookings and their Cancel buttons. */
const CHANGE_MY_BOOKING =
  /\b(?:cancel|unbook|withdraw|drop|change|move|can'?t\s+(?:make|attend|come\s+to)|cannot\s+(?:make|attend)|leave)\b.*\b(?:my\s+)?(?:bookings?|places?|course|session|training|waitlist|cpd)\b/i;

/** "my bookings", "show me my bookings", "what have I booked?", "cancel my booking". */
export function isMyBookingsRequest(text: string): boolean {
  const t = text.trim().replace(/\s+/g, ' ');
  return MY_BOOKINGS.test(t) || WHAT_HAVE_I_BOOKED.test(t) || (t.length <= 120 && CHANGE_MY_BOOKING.test(t));
}
