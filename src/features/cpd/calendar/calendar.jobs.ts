import { graphRetryAfterMs } from '../../../graph/calendar.js';
import { GraphRequestError } from '../../../graph/graph-request.js';
import { RetryLaterError, type JobHandler } from '../../../jobs/worker.js';
import type { Notifier } from '../../../shared/bot-contract.js';
import type { Logger } from '../../../shared/logger.js';
import { payloadJob } from '../../../shared/payload-job.js';
import type { BookingService } from '../booking/booking.service.js';
import { describeWhen } from '../catalogue/catalogue.domain.js';
import type { CalendarRepository } from './calendar.repository.js';
import {
  CALENDAR_ADD_JOB,
  CALENDAR_PROBLEM_NOTICE_JOB,
  CALENDAR_REMOVE_JOB,
  calendarJobPayloadSchema,
  calendarProblemPayloadSchema,
  type CalendarProblemPayload,
} from './calendar.schemas.js';
import type { CalendarService } from './calendar.service.js';
import type { CpdTaxonomy } from '../cpd.taxonomy.js';

export interface CalendarJobDeps {
  calendar: CalendarService;
  events: CalendarRepository;
  bookings: BookingService;
  notifier: Notifier;
  taxonomy: CpdTaxonomy;
  logger: Logger;
}

/** Graph answers that retrying will not change (bad request, no permission, no such mailbox). */
const PERMANENT_STATUSES = new Set([400, 403, 404, 409, 410, 422]);
/** Graph asking us to come back later: wait at least as long as it said. */
const THROTTLED_STATUSES = new Set([429, 502, 503, 504]);

function isPermanent(error: unknown): boolean {
  return error instanceof GraphRequestError && error.status !== null && PERMANENT_STATUSES.has(error.status);
}

/** Throttling and outages become RetryLaterError (honouring Retry-After); anything else retries with backoff. */
function forRetry(error: unknown): unknown {
  if (error instanceof GraphRequestError && error.status !== null && THROTTLED_STATUSES.has(error.status)) {
    return new RetryLaterError(error.message, graphRetryAfterMs(error) ?? 0);
  }
  return error;
}

/**
 * The Outlook side of bookings, as durable outbox jobs: add a confirmed booking's sessions, remove
 * a cancelled one's, and tell the person when that finally could not be done (their booking stands).
 */
export function calendarJobs(deps: CalendarJobDeps): Record<string, JobHandler> {
  const calendarStep = (problem: CalendarProblemPayload['problem'], step: (bookingId: string) => Promise<unknown>): JobHandler =>
    payloadJob({
      schema: calendarJobPayloadSchema,
      logger: deps.logger,
      run: async ({ bookingId }, job) => {
        try {
          await step(bookingId);
        } catch (error) {
          if (!isPermanent(error)) throw forRetry(error);
          deps.logger.error({ err: error, jobId: job.id, kind: job.kind, bookingId }, 'calendar step refused by Microsoft Graph: not retrying');
          await deps.events.queueProblemNotice({ bookingId, problem });
        }
      },
      onFinalFailure: async ({ bookingId }) => deps.events.queueProblemNotice({ bookingId, problem }),
    });

  return {
    [CALENDAR_ADD_JOB]: calendarStep('not_added', (bookingId) => deps.calendar.addBooking(bookingId)),
    [CALENDAR_REMOVE_JOB]: calendarStep('not_removed', (bookingId) => deps.calendar.removeBooking(bookingId)),
    [CALENDAR_PROBLEM_NOTICE_JOB]: payloadJob({
      schema: calendarProblemPayloadSchema,
      logger: deps.logger,
      run: async (payload) => {
        const view = await deps.bookings.viewBooking(payload.bookingId, 'refreshed');
        if (!view?.booking) return;
        const title = view.details.course.title;
        const when = describeWhen(view.details.sessions, deps.taxonomy.timeZone);
        let text: string;
        if (payload.problem === 'not_added') {
          // Cancelled since: there is nothing they need to add.
          if (view.booking.status !== 'confirmed') return;
          text = `Development Hub couldn't add "${title}" to your Outlook calendar. Your place is still booked: please add it to your calendar yourself (${when}). Type "my bookings" to see it.`;
        } else {
          text = `Your place on "${title}" is cancelled, but Development Hub couldn't remove it from your Outlook calendar. Please delete those calendar entries yourself (${when}).`;
        }
        const outcome = await deps.notifier.sendToPerson(view.booking.personAadId, { kind: 'text', text });
        if (outcome.kind === 'unreachable') {
          deps.logger.info({ bookingId: view.booking.id, problem: payload.problem, code: outcome.reason }, 'calendar problem notice: Development Hub cannot reach the person');
        }
      },
    }),
  };
}
