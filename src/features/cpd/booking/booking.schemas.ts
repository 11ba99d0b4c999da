import { z } from 'zod/v4';
import { bookActionDataSchema } from '../search/search.schemas.js';

export { CPD_BOOK_VERB, bookActionDataSchema, type BookActionData } from '../search/search.schemas.js';

/** Card verbs of CPD booking (cpd.book itself is declared with the results card that carries it). */
export const CPD_BOOKING_CANCEL_VERB = 'cpd.booking.cancel';
export const CPD_BOOKING_LEAVE_WAITLIST_VERB = 'cpd.booking.leave_waitlist';
/** Teams calls this when a booking card is shown again, so seat counts and status are current. */
export const CPD_BOOKING_REFRESH_VERB = 'cpd.booking.refresh';
export const CPD_MY_BOOKINGS_REFRESH_VERB = 'cpd.my_bookings.refresh';

const bookingId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, { message: 'is not a booking id' })
  .max(100);

/**
 * Data on Cancel / Leave waitlist. `view` says which card the button sits on, so the answer
 * replaces it with the same kind of card (the one booking, or the "my bookings" list).
 */
export const bookingChangeDataSchema = z.object({
  bookingId,
  view: z.enum(['offering', 'my_bookings']).default('offering'),
});
export type BookingChangeData = z.infer<typeof bookingChangeDataSchema>;

/** Data on a booking card's refresh action: the offering it shows. */
export const bookingRefreshDataSchema = bookActionDataSchema;

/** Outbox job: tell someone promoted from the waitlist that they have a place. */
export const PROMOTION_NOTICE_JOB = 'cpd.booking.notify_promoted';
export const promotionNoticePayloadSchema = z.object({ bookingId });
export const promotionNoticeKey = (id: string): string => `${PROMOTION_NOTICE_JOB}:${id}`;
