import type { GraphConnection } from '../../../graph/graph-client.js';
import { createCalendarEvent, deleteCalendarEvent } from '../../../graph/calendar.js';
import type { Logger } from '../../../shared/logger.js';
import type { BookingRepository } from '../booking/booking.repository.js';
import { calendarEventFor, type CalendarEventDraft } from './calendar.domain.js';
import type { CalendarRepository } from './calendar.repository.js';
import type { CatalogueService } from '../catalogue/catalogue.service.js';

/** Someone's Outlook calendar: Microsoft Graph in production, the Graph stand-in in tests. */
export interface CalendarPort {
  createEvent(personAadId: string, event: CalendarEventDraft): Promise<{ id: string }>;
  /** Succeeds when the event is gone, including when it already was. */
  deleteEvent(personAadId: string, eventId: string): Promise<void>;
}

export function graphCalendarPort(graph: GraphConnection): CalendarPort {
  return {
    createEvent: (personAadId, event) => createCalendarEvent(graph, personAadId, event),
    deleteEvent: (personAadId, eventId) => deleteCalendarEvent(graph, personAadId, eventId),
  };
}

export interface CalendarServiceDeps {
  port: CalendarPort;
  events: CalendarRepository;
  bookings: BookingRepository;
  catalogue: CatalogueService;
  timeZone: string;
  logger: Logger;
}

export type CalendarAddResult =
  | { kind: 'added'; created: number }
  /** The booking is no longer confirmed (cancelled before the job ran): nothing belongs in the calendar. */
  | { kind: 'not_confirmed' }
  /** Cancelled while the events were being created: they were taken out again. */
  | { kind: 'withdrawn'; removed: number };

/**
 * Keeps a confirmed booking's sessions in the person's Outlook calendar. Run by outbox jobs, so
 * every step is safe to repeat: sessions already recorded are skipped, creates carry a stable
 * transactionId, and deleting an event that is already gone counts as done.
 */
export class CalendarService {
  constructor(private readonly deps: CalendarServiceDeps) {}

  async addBooking(bookingId: string): Promise<CalendarAddResult> {
    const booking = await this.deps.bookings.findBooking(bookingId);
    if (!booking || booking.status !== 'confirmed') return { kind: 'not_confirmed' };
    const details = await this.deps.catalogue.getOffering(booking.offeringId);
    if (!details) return { kind: 'not_confirmed' };
    const recorded = new Set((await this.deps.events.eventsFor(bookingId)).map((e) => e.sessionId));
    let created = 0;
    for (const session of details.sessions) {
      if (recorded.has(session.id)) continue;
      const draft = calendarEventFor(details, session, bookingId, this.deps.timeZone);
      const event = await this.deps.port.createEvent(booking.personAadId, draft);
      await this.deps.events.save({
        bookingId,
        sessionId: session.id,
        personAadId: booking.personAadId,
        eventId: event.id,
        transactionId: draft.transactionId,
      });
      created += 1;
    }
    // A cancellation that committed while we were writing enqueued its removal before these rows
    // existed; take them out again so the calendar never keeps a cancelled place.
    const after = await this.deps.bookings.findBooking(bookingId);
    if (after?.status !== 'confirmed') {
      const removed = await this.removeBooking(bookingId);
      this.deps.logger.info({ bookingId, removed }, 'booking cancelled while its calendar events were added: removed them');
      return { kind: 'withdrawn', removed };
    }
    return { kind: 'added', created };
  }

  /** Removes every event recorded for the booking; returns how many were removed. */
  async removeBooking(bookingId: string): Promise<number> {
    const events = await this.deps.events.eventsFor(bookingId);
    for (const event of events) {
      await this.deps.port.deleteEvent(event.personAadId, event.eventId);
      await this.deps.events.forget(event.bookingId, event.sessionId);
    }
    return events.length;
  }
}
