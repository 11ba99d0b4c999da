import { z } from 'zod/v4';

/**
 * Outbox jobs of the CPD calendar. Enqueued in the booking transaction; the payload carries ids
 * only and is parsed again when the job runs (a job row is data, and data can be stale or wrong).
 */
export const CALENDAR_ADD_JOB = 'cpd.calendar.add';
export const CALENDAR_REMOVE_JOB = 'cpd.calendar.remove';
/** Tells a person their calendar could not be updated (their booking stands). */
export const CALENDAR_PROBLEM_NOTICE_JOB = 'cpd.calendar.notify_problem';

export const calendarJobPayloadSchema = z.object({ bookingId: z.string().min(1).max(100) });
export type CalendarJobPayload = z.infer<typeof calendarJobPayloadSchema>;

export const calendarProblemPayloadSchema = z.object({
  bookingId: z.string().min(1).max(100),
  problem: z.enum(['not_added', 'not_removed']),
});
export type CalendarProblemPayload = z.infer<typeof calendarProblemPayloadSchema>;

/** One add and one remove per booking: a Teams retry or double click never queues a second. */
export const calendarAddKey = (bookingId: string): string => `${CALENDAR_ADD_JOB}:${bookingId}`;
export const calendarRemoveKey = (bookingId: string): string => `${CALENDAR_REMOVE_JOB}:${bookingId}`;
export const calendarProblemKey = (bookingId: string, problem: CalendarProblemPayload['problem']): string =>
  `${CALENDAR_PROBLEM_NOTICE_JOB}:${problem}:${bookingId}`;
