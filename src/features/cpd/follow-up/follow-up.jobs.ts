import type { JobHandler } from '../../../jobs/worker.js';
import { payloadJob } from '../../../shared/payload-job.js';
import type { Logger } from '../../../shared/logger.js';
import type { Db } from '../../../db/database.js';
import { findBooking } from '../booking/booking.queries.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import { changeNoticeCard } from '../changes/changes.cards.js';
import { feedbackCard, impactCard } from '../evaluation/evaluation.cards.js';
import { feedbackClosesAt } from '../evaluation/evaluation.domain.js';
import type { EvaluationService } from '../evaluation/evaluation.service.js';
import type { AttendanceService } from '../attendance/attendance.service.js';
import { reminderCard } from '../reminders/reminders.cards.js';
import { reminderKey } from '../reminders/reminders.domain.js';
import type { ReminderService } from '../reminders/reminders.service.js';
import type { Clock } from '../../../shared/clock.js';
import type { CpdFollowUpSettings } from '../../../trust/trust-profile.schema.js';
import {
  bookingPayloadSchema,
  CALENDAR_REFRESH_JOB,
  CHANGE_NOTICE_JOB,
  changeNoticePayloadSchema,
  FEEDBACK_REQUEST_JOB,
  IMPACT_CHECK_IN_JOB,
  personSessionPayloadSchema,
  REMINDER_JOB,
  REMINDER_SWEEP_JOB,
  reminderPayloadSchema,
} from './follow-up.schemas.js';
import { findSession } from './session-context.js';
import { z } from 'zod/v4';

export interface FollowUpJobDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  reminders: ReminderService;
  attendance: AttendanceService;
  evaluation: EvaluationService;
  settings: CpdFollowUpSettings;
  timeZone: string;
  /** Outlook, when Graph is configured: a moved session's events are removed and added again. */
  calendar: CalendarService | undefined;
}

/**
 * The time-based and notice work of CPD follow-up, as durable outbox jobs. Every send goes through
 * Delivery (the notifier, at most once per effect key): reminders and change notices as `notice`,
 * feedback requests and impact check-ins as `bulk`; a throttled send throws RetryLaterError so the job
 * comes back after the pause; someone who removed the app is recorded as unreachable and not retried.
 */
export function followUpJobs(deps: FollowUpJobDeps): Record<string, JobHandler> {
  const { delivery } = deps.reminders;
  const tz = deps.timeZone;
  return {
    [REMINDER_SWEEP_JOB]: payloadJob({
      schema: z.object({}).loose(),
      logger: deps.logger,
      run: async () => {
        await deps.reminders.sweep();
      },
    }),
    [REMINDER_JOB]: payloadJob({
      schema: reminderPayloadSchema,
      logger: deps.logger,
      run: async (payload) => {
        const key = reminderKey(payload.bookingId, payload.sessionId, new Date(payload.startsAt));
        const reminder = await deps.reminders.reminderFor(payload, key);
        if ('skip' in reminder) {
          if (reminder.personAadId) await delivery.skip(key, REMINDER_JOB, reminder.personAadId, reminder.skip);
          return;
        }
        // reminderFor has just checked the delivery row: the job holds its lease, so nobody sent it since.
        await delivery.toPerson(key, REMINDER_JOB, reminder.personAadId, { kind: 'card', card: reminderCard(reminder, tz) }, 'notice', { checked: true });
      },
    }),
    [FEEDBACK_REQUEST_JOB]: payloadJob({
      schema: personSessionPayloadSchema,
      logger: deps.logger,
      run: async ({ sessionId, personAadId }) => {
        const key = `${FEEDBACK_REQUEST_JOB}:${sessionId}:${personAadId}`;
        const session = await findSession(deps.db, sessionId);
        // Corrected to absent since, already answered, or the window closed: nothing to ask.
        if (!session || !(await deps.attendance.attended(sessionId, personAadId))) return delivery.skip(key, FEEDBACK_REQUEST_JOB, personAadId, 'not_attended');
        const closesAt = feedbackClosesAt(session.endsAt, deps.settings.feedbackWindowDays);
        if (deps.clock.now().getTime() > closesAt.getTime()) return delivery.skip(key, FEEDBACK_REQUEST_JOB, personAadId, 'window_closed');
        const existing = await deps.evaluation.repository.find(sessionId, personAadId);
        if (existing) return delivery.skip(key, FEEDBACK_REQUEST_JOB, personAadId, 'already_answered');
        await delivery.toPerson(key, FEEDBACK_REQUEST_JOB, personAadId, {
          kind: 'card',
          card: feedbackCard({ session, existing: undefined, closesAt }, deps.evaluation.criteria, tz),
        }, 'bulk');
      },
    }),
    [IMPACT_CHECK_IN_JOB]: payloadJob({
      schema: personSessionPayloadSchema,
      logger: deps.logger,
      run: async ({ sessionId, personAadId }) => {
        const key = `${IMPACT_CHECK_IN_JOB}:${sessionId}:${personAadId}`;
        const session = await findSession(deps.db, sessionId);
        if (!session || !(await deps.attendance.attended(sessionId, personAadId))) return delivery.skip(key, IMPACT_CHECK_IN_JOB, personAadId, 'not_attended');
        await delivery.toPerson(key, IMPACT_CHECK_IN_JOB, personAadId, { kind: 'card', card: impactCard(session, tz) }, 'bulk');
      },
    }),
    [CHANGE_NOTICE_JOB]: payloadJob({
      schema: changeNoticePayloadSchema,
      logger: deps.logger,
      run: async (payload) => {
        const key = `${CHANGE_NOTICE_JOB}:${payload.changeId}:${payload.bookingId}`;
        const booking = await findBooking(deps.db, payload.bookingId);
        if (!booking) return;
        // A moved session's notice is for people still booked or waiting; a cancellation's for everyone it released.
        if (payload.change === 'moved' && booking.status === 'cancelled') return delivery.skip(key, CHANGE_NOTICE_JOB, booking.personAadId, 'no_longer_booked');
        const session = payload.sessionId ? await findSession(deps.db, payload.sessionId) : undefined;
        await delivery.toPerson(key, CHANGE_NOTICE_JOB, booking.personAadId, {
          kind: 'card',
          card: changeNoticeCard(payload.change, payload.lines, session, tz, booking.status),
        }, 'notice');
      },
    }),
    [CALENDAR_REFRESH_JOB]: payloadJob({
      schema: bookingPayloadSchema,
      logger: deps.logger,
      run: async ({ bookingId }) => {
        if (!deps.calendar) return;
        // Remove then add again: the events are keyed by booking and session, so a retry after a
        // failure between the two steps adds only what is missing.
        await deps.calendar.removeBooking(bookingId);
        await deps.calendar.addBooking(bookingId);
      },
    }),
  };
}
