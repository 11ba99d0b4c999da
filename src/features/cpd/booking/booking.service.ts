import type { Speaker } from '../../../shared/bot-contract.js';
import type { Clock } from '../../../shared/clock.js';
import type { Logger } from '../../../shared/logger.js';
import { fail, ok, type Result } from '../../../shared/result.js';
import { can, type Person } from '../../people/people.domain.js';
import type { PeopleService } from '../../people/people.service.js';
import {
  decideCancellation,
  decideNewBooking,
  placesToFill,
  type Booking,
  type BookingFailureCode,
  type CancelIntent,
} from './booking.domain.js';
import { isUniqueViolation, type BookingRepository, type BookingUnit, type BookStatementOutcome } from './booking.repository.js';
import { PROMOTION_NOTICE_JOB, promotionNoticeKey } from './booking.schemas.js';
import { CALENDAR_ADD_JOB, CALENDAR_REMOVE_JOB, calendarAddKey, calendarRemoveKey } from '../calendar/calendar.schemas.js';
import { BookingViews, type BookingChange, type BookingView, type BookingViewsDeps, type ChangeOutcome, type MyBookingsView } from './booking.views.js';
import type { CatalogueService } from '../catalogue/catalogue.service.js';

export type { BookingChange, BookingView, CalendarState, MyBookingsView } from './booking.views.js';

export interface BookingServiceDeps extends BookingViewsDeps {
  repository: BookingRepository;
  catalogue: CatalogueService;
  people: PeopleService;
  clock: Clock;
  logger: Logger;
  /** True when Microsoft Graph is configured, so confirmed bookings go into Outlook. */
  calendarConnected: boolean;
  /** Asks the job worker to run the work a committed booking enqueued now rather than at its next poll. */
  kickJobs(): void;
}

type Outcome = ChangeOutcome & { queuedWork: boolean };

/**
 * Booking, cancelling and looking at CPD places. Every change runs in one database transaction
 * that first locks the offering row, so the capacity rule holds however many people press Book at
 * once, and the calendar and notification work is enqueued in that same transaction (outbox).
 */
export class BookingService {
  private readonly views: BookingViews;

  constructor(private readonly deps: BookingServiceDeps) {
    this.views = new BookingViews(deps);
  }

  get calendarConnected(): boolean {
    return this.deps.calendarConnected;
  }

  async book(speaker: Speaker, offeringId: string): Promise<Result<BookingView, BookingFailureCode>> {
    const person = await this.person(speaker);
    if (!person.ok) return person;
    if (!can(person.value, 'cpd.book')) return fail('not_allowed', 'Your account is not allowed to book CPD.');
    const who = person.value;
    const now = this.deps.clock.now();

    let outcome: Result<Outcome, BookingFailureCode>;
    try {
      // One statement locks the offering, applies the rule and writes (migration 0030); the rule's
      // specification is decideNewBooking(), re-run below on the facts the statement decided on.
      const done = await this.deps.repository.book(
        {
          offeringId,
          personAadId: who.aadObjectId,
          personName: who.displayName,
          personEmail: who.email ?? null,
          personTeamsId: speaker.id ?? null,
        },
        now,
        this.deps.calendarConnected ? (bookingId) => calendarAddJob(bookingId) : undefined,
      );
      outcome = this.bookingOutcome(done, now);
    } catch (error) {
      // The unique index is the backstop should a booking ever be written without the lock.
      if (!isUniqueViolation(error)) throw error;
      const existing = await this.deps.repository.findActive(offeringId, who.aadObjectId);
      if (!existing) throw error;
      outcome = ok({
        booking: existing,
        counts: await this.deps.repository.counts(offeringId),
        position: await this.deps.repository.waitlistPosition(existing),
        change: 'already_booked',
        queuedWork: false,
      });
    }
    if (!outcome.ok) return outcome;
    if (outcome.value.queuedWork) this.deps.kickJobs();
    return this.viewAfter(offeringId, outcome.value);
  }

  /** What the one-statement booking did, checked against booking.domain.ts. */
  private bookingOutcome(done: BookStatementOutcome, now: Date): Result<Outcome, BookingFailureCode> {
    if (done.outcome === 'offering_not_found') return offeringNotFound();
    if (done.offering.status === 'cancelled') return offeringCancelled();
    // A second press (or a Teams retry) finds the first one's booking: same booking, same answer.
    if (done.outcome === 'already_booked' && done.booking) {
      return ok({ booking: done.booking, counts: done.counts, position: done.position, change: 'already_booked', queuedWork: false });
    }
    const decision = decideNewBooking(done.offering, done.counts.confirmed, now);
    const decided = decision.ok ? decision.value : decision.code;
    if (decided !== done.outcome) {
      // The SQL copy of the rule and its specification disagree: a bug, never an answer to give.
      throw new Error(`cpd_book decided ${done.outcome} where booking.domain decides ${decided}`);
    }
    if (!decision.ok) return decision;
    if (!done.booking) throw new Error(`cpd_book returned ${done.outcome} without the booking`);
    const confirmed = decision.value === 'confirmed';
    return ok({
      booking: done.booking,
      counts: { confirmed: done.counts.confirmed + (confirmed ? 1 : 0), waitlisted: done.counts.waitlisted + (confirmed ? 0 : 1) },
      // Under the lock every waitlisted booking arrived before this one.
      position: confirmed ? null : done.counts.waitlisted + 1,
      change: confirmed ? 'booked' : 'waitlisted',
      queuedWork: confirmed && this.deps.calendarConnected,
    });
  }

  /** Cancel a place or leave the waitlist: only one's own, and it frees the seat for the next in line. */
  async cancel(speaker: Speaker, bookingId: string, intent: CancelIntent): Promise<Result<BookingView, BookingFailureCode>> {
    const person = await this.person(speaker);
    if (!person.ok) return person;
    const who = person.value;
    const found = await this.deps.repository.findBooking(bookingId);
    if (!found) return fail('booking_not_found', 'Development Hub has no record of that booking.');
    if (!can(who, 'cpd.cancel_own', { ownerAadObjectId: found.personAadId })) {
      return fail('not_allowed', 'That place belongs to someone else, so you cannot cancel it.');
    }
    const now = this.deps.clock.now();

    const outcome = await this.deps.repository.transaction(async (unit): Promise<Result<Outcome, BookingFailureCode>> => {
      const offering = await unit.lockOffering(found.offeringId);
      if (!offering) return offeringNotFound();
      if (offering.status === 'cancelled') return offeringCancelled();
      // Read again under the lock: a promotion or another press may have changed it.
      const current = (await unit.findBooking(bookingId))!;
      const decision = decideCancellation(current, intent, offering, now);
      if (!decision.ok) return decision;
      switch (decision.value.kind) {
        case 'already_cancelled':
          return ok({ booking: current, counts: await unit.counts(offering.id), position: null, change: 'already_cancelled', queuedWork: false });
        case 'promoted_meanwhile':
          return ok({ booking: current, counts: await unit.counts(offering.id), position: null, change: 'promoted_meanwhile', queuedWork: false });
        case 'cancel':
          break;
      }
      const was = decision.value.was;
      const cancelled = await unit.cancel(bookingId);
      await unit.audit({
        actorAadId: who.aadObjectId,
        action: was === 'confirmed' ? 'cpd.booking.cancelled' : 'cpd.booking.left_waitlist',
        bookingId,
        details: { offeringId: offering.id, was },
      });
      let queuedWork = false;
      if (was === 'confirmed') {
        queuedWork = await this.queueCalendarRemove(unit, cancelled);
        queuedWork = (await this.promote(unit, offering.id, offering.capacity, cancelled, who)) || queuedWork;
      }
      return ok({
        booking: cancelled,
        counts: await unit.counts(offering.id),
        position: null,
        change: was === 'confirmed' ? 'cancelled' : 'left_waitlist',
        queuedWork,
      });
    });
    if (!outcome.ok) return outcome;
    if (outcome.value.queuedWork) this.deps.kickJobs();
    return this.viewAfter(found.offeringId, outcome.value);
  }

  /** The offering as the speaker sees it now (for a card refresh). */
  async view(speaker: Speaker, offeringId: string): Promise<Result<BookingView, BookingFailureCode>> {
    const person = await this.person(speaker);
    if (!person.ok) return person;
    const view = await this.views.current(offeringId, person.value.aadObjectId);
    return view ? ok(view) : offeringNotFound();
  }

  /** A booking as its owner sees it (for the promotion message). Undefined when there is no such booking. */
  viewBooking(bookingId: string, change: BookingChange): Promise<BookingView | undefined> {
    return this.views.ofBooking(bookingId, change);
  }

  /** Upcoming confirmed places and waitlist places, soonest first. */
  async myBookings(speaker: Speaker): Promise<Result<MyBookingsView, BookingFailureCode>> {
    const person = await this.person(speaker);
    if (!person.ok) return person;
    return ok(await this.views.listFor(person.value));
  }

  private async person(speaker: Speaker): Promise<Result<Person, BookingFailureCode>> {
    const person = await this.deps.people.resolve(speaker);
    return person.ok ? person : fail(person.code, person.message);
  }

  /** Fills every free seat from the waitlist, in arrival order, inside the cancelling transaction. */
  private async promote(unit: BookingUnit, offeringId: string, capacity: number, freedBy: Booking, actor: Person): Promise<boolean> {
    const counts = await unit.counts(offeringId);
    const promoted = await unit.promoteFromWaitlist(offeringId, placesToFill(capacity, counts.confirmed, counts.waitlisted));
    for (const booking of promoted) {
      await unit.audit({
        actorAadId: actor.aadObjectId,
        action: 'cpd.booking.promoted',
        bookingId: booking.id,
        details: { offeringId, personAadId: booking.personAadId, seatFreedBy: freedBy.id },
      });
      await this.queueCalendarAdd(unit, booking);
      await unit.enqueue({ kind: PROMOTION_NOTICE_JOB, payload: { bookingId: booking.id }, idempotencyKey: promotionNoticeKey(booking.id) });
    }
    return promoted.length > 0;
  }

  private async queueCalendarAdd(unit: BookingUnit, booking: Booking): Promise<boolean> {
    if (!this.deps.calendarConnected) return false;
    await unit.enqueue(calendarAddJob(booking.id));
    return true;
  }

  private async queueCalendarRemove(unit: BookingUnit, booking: Booking): Promise<boolean> {
    if (!this.deps.calendarConnected) return false;
    await unit.enqueue({ kind: CALENDAR_REMOVE_JOB, payload: { bookingId: booking.id }, idempotencyKey: calendarRemoveKey(booking.id) });
    return true;
  }

  private async viewAfter(offeringId: string, outcome: Outcome): Promise<Result<BookingView, BookingFailureCode>> {
    const view = await this.views.afterChange(offeringId, outcome);
    return view ? ok(view) : offeringNotFound();
  }

}

const calendarAddJob = (bookingId: string) => ({ kind: CALENDAR_ADD_JOB, payload: { bookingId }, idempotencyKey: calendarAddKey(bookingId) });

const offeringNotFound = () =>
  fail('offering_not_found', 'Development Hub has no CPD course with that reference, so nothing was booked.');
const offeringCancelled = () =>
  fail('offering_cancelled', 'This course has been cancelled by the Development Team, so it can no longer be booked or changed here.');
