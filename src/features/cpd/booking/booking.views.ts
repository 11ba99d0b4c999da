import { performance } from 'node:perf_hooks';
import type { Clock } from '../../../shared/clock.js';
import type { Person } from '../../people/people.domain.js';
import type { Booking } from './booking.domain.js';
import type { BookingCounts, BookingRepository } from './booking.repository.js';
import { calendarAddKey } from '../calendar/calendar.schemas.js';
import { isBookingOpen, seatCount, type OfferingDetails, type SeatCount } from '../catalogue/catalogue.domain.js';
import type { CatalogueService } from '../catalogue/catalogue.service.js';

/** How far the Outlook side of a confirmed booking has got. */
export type CalendarState =
  /** Graph is not configured (local mode): the person adds the dates themselves. */
  | 'not_connected'
  | 'pending'
  | 'added'
  /** The calendar job gave up; the person has been told. The booking stands. */
  | 'failed'
  /** No confirmed booking, so nothing belongs in the calendar. */
  | 'none';

/** What the person's action just did, so the card can say so. */
export type BookingChange =
  | 'booked'
  | 'waitlisted'
  | 'already_booked'
  | 'cancelled'
  | 'left_waitlist'
  | 'already_cancelled'
  | 'promoted_meanwhile'
  | 'promoted'
  | 'refreshed';

/** One offering as one person sees it now: what a booking card shows. */
export interface BookingView {
  details: OfferingDetails;
  seats: SeatCount;
  bookingOpen: boolean;
  /** The person's active booking, or the one they just cancelled; null when they have none. */
  booking: Booking | null;
  /** 1-based place in the queue while waitlisted. */
  position: number | null;
  calendar: CalendarState;
  change: BookingChange;
}

export interface MyBookingsView {
  person: Pick<Person, 'aadObjectId' | 'displayName'>;
  items: Array<{ details: OfferingDetails; booking: Booking; position: number | null }>;
  /** Set after a Cancel / Leave waitlist pressed on the list. */
  notice?: { change: BookingChange; title: string };
}

export interface BookingViewsDeps {
  repository: BookingRepository;
  catalogue: CatalogueService;
  clock: Clock;
  calendarConnected: boolean;
  /**
   * How long a course's details (title, sessions) are reused for cards; default 5 s. Booking rules
   * never use them: they read the locked offering row. Seat counts are always read fresh.
   */
  detailsCacheMs?: number;
}

/** What a booking change produced, as the card after it needs it. */
export interface ChangeOutcome {
  booking: Booking;
  counts: BookingCounts;
  position: number | null;
  change: BookingChange;
}

const MY_BOOKINGS_LIMIT = 20;
const DETAILS_CACHE_MS = 5_000;

/**
 * The read side of booking: what a booking card or "my bookings" shows a person now. Seats and
 * bookings are always read fresh; a course's title and sessions are reused for a few seconds.
 */
export class BookingViews {
  private readonly details = new Map<string, { details: OfferingDetails; at: number }>();

  constructor(private readonly deps: BookingViewsDeps) {
    deps.catalogue.onChange(() => this.details.clear());
  }

  /** The offering and the person's active booking on it; undefined when the offering does not exist. */
  async current(offeringId: string, personAadId: string): Promise<BookingView | undefined> {
    const details = await this.offeringDetails(offeringId);
    if (!details) return undefined;
    const booking = (await this.deps.repository.findActive(offeringId, personAadId)) ?? null;
    return this.describe(details, booking, 'refreshed');
  }

  async ofBooking(bookingId: string, change: BookingChange): Promise<BookingView | undefined> {
    const booking = await this.deps.repository.findBooking(bookingId);
    if (!booking) return undefined;
    const details = await this.deps.catalogue.getOffering(booking.offeringId);
    if (!details) return undefined;
    return this.describe(details, booking, change);
  }

  /** Right after a change: the counts come from the change's own transaction, so no second count is read. */
  async afterChange(offeringId: string, outcome: ChangeOutcome): Promise<BookingView | undefined> {
    const details = await this.offeringDetails(offeringId);
    if (!details) return undefined;
    return {
      details,
      seats: seatCount(details.offering, outcome.counts.confirmed, outcome.counts.waitlisted),
      bookingOpen: isBookingOpen(details, this.deps.clock.now()),
      booking: outcome.booking,
      position: outcome.position,
      calendar: await this.calendarState(outcome.booking, outcome.change),
      change: outcome.change,
    };
  }

  async listFor(person: Pick<Person, 'aadObjectId' | 'displayName'>): Promise<MyBookingsView> {
    const rows = await this.deps.repository.listUpcomingForPerson(person.aadObjectId, this.deps.clock.now(), MY_BOOKINGS_LIMIT);
    const details = await Promise.all(rows.map((r) => this.offeringDetails(r.booking.offeringId)));
    const items = rows.flatMap((r, i) => {
      const d = details[i];
      return d ? [{ details: d, booking: r.booking, position: r.position }] : [];
    });
    return { person: { aadObjectId: person.aadObjectId, displayName: person.displayName }, items };
  }

  /**
   * A course's details for a card. The catalogue changes a few times a term, so a booking turn need
   * not read the course and its sessions again each time.
   */
  private async offeringDetails(offeringId: string): Promise<OfferingDetails | undefined> {
    const now = performance.now();
    const hit = this.details.get(offeringId);
    if (hit && now - hit.at < (this.deps.detailsCacheMs ?? DETAILS_CACHE_MS)) return hit.details;
    const details = await this.deps.catalogue.getOffering(offeringId);
    if (details) this.details.set(offeringId, { details, at: now });
    else this.details.delete(offeringId);
    return details;
  }

  private async describe(details: OfferingDetails, booking: Booking | null, change: BookingChange): Promise<BookingView> {
    const counts = await this.deps.repository.counts(details.offering.id);
    const position = booking ? await this.deps.repository.waitlistPosition(booking) : null;
    return {
      details,
      seats: seatCount(details.offering, counts.confirmed, counts.waitlisted),
      bookingOpen: isBookingOpen(details, this.deps.clock.now()),
      booking,
      position,
      calendar: booking ? await this.calendarState(booking, change) : 'none',
      change,
    };
  }

  private async calendarState(booking: Booking, change: BookingChange): Promise<CalendarState> {
    if (booking.status !== 'confirmed') return 'none';
    if (!this.deps.calendarConnected) return 'not_connected';
    // Just booked: the job was enqueued a moment ago, so there is nothing to look up yet.
    if (change === 'booked') return 'pending';
    const progress = await this.deps.repository.calendarProgress(booking.id, calendarAddKey(booking.id));
    // A job that finished without any event recorded was refused by Graph outright (the person was told).
    if (progress.jobStatus === 'failed' || (progress.jobStatus === 'done' && progress.events === 0)) return 'failed';
    return progress.jobStatus === 'done' ? 'added' : 'pending';
  }
}
