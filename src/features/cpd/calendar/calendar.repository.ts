import type { Db } from '../../../db/database.js';
import { enqueueJob } from '../../../jobs/outbox.js';
import type { Clock, IdGenerator } from '../../../shared/clock.js';
import { CALENDAR_PROBLEM_NOTICE_JOB, calendarProblemKey, type CalendarProblemPayload } from './calendar.schemas.js';

export interface StoredCalendarEvent {
  bookingId: string;
  sessionId: string;
  personAadId: string;
  eventId: string;
  transactionId: string;
}

/** The Outlook events Development Hub created, one row per booked session. */
export class CalendarRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  async eventsFor(bookingId: string): Promise<StoredCalendarEvent[]> {
    const rows = await this.db.selectFrom('cpd_calendar_event').selectAll().where('booking_id', '=', bookingId).orderBy('created_at').execute();
    return rows.map((r) => ({
      bookingId: r.booking_id,
      sessionId: r.session_id,
      personAadId: r.person_aad_id,
      eventId: r.event_id,
      transactionId: r.transaction_id,
    }));
  }

  async save(event: StoredCalendarEvent): Promise<void> {
    await this.db
      .insertInto('cpd_calendar_event')
      .values({
        booking_id: event.bookingId,
        session_id: event.sessionId,
        person_aad_id: event.personAadId,
        event_id: event.eventId,
        transaction_id: event.transactionId,
        created_at: this.clock.now(),
      })
      .onConflict((oc) => oc.columns(['booking_id', 'session_id']).doNothing())
      .execute();
  }

  async forget(bookingId: string, sessionId: string): Promise<void> {
    await this.db.deleteFrom('cpd_calendar_event').where('booking_id', '=', bookingId).where('session_id', '=', sessionId).execute();
  }

  /** Queues the message telling someone their calendar could not be updated (once per booking and problem). */
  async queueProblemNotice(payload: CalendarProblemPayload): Promise<void> {
    await enqueueJob(
      this.db,
      { kind: CALENDAR_PROBLEM_NOTICE_JOB, payload: { ...payload }, idempotencyKey: calendarProblemKey(payload.bookingId, payload.problem) },
      this.clock,
      this.ids,
    );
  }
}
