import type { JobHandler } from '../../../jobs/worker.js';
import type { Notifier } from '../../../shared/bot-contract.js';
import type { Logger } from '../../../shared/logger.js';
import { payloadJob } from '../../../shared/payload-job.js';
import { bookingCard } from './booking.cards.js';
import { PROMOTION_NOTICE_JOB, promotionNoticePayloadSchema } from './booking.schemas.js';
import type { BookingService } from './booking.service.js';
import type { CpdTaxonomy } from '../cpd.taxonomy.js';

export interface BookingJobDeps {
  bookings: BookingService;
  notifier: Notifier;
  taxonomy: CpdTaxonomy;
  logger: Logger;
}

/**
 * The promotion message: someone moved off the waitlist gets a 1:1 message with the session card.
 * Enqueued in the cancelling transaction, so it is sent even if this instance stops right after.
 */
export function bookingJobs(deps: BookingJobDeps): Record<string, JobHandler> {
  return {
    [PROMOTION_NOTICE_JOB]: payloadJob({
      schema: promotionNoticePayloadSchema,
      logger: deps.logger,
      run: async (payload) => {
        const view = await deps.bookings.viewBooking(payload.bookingId, 'promoted');
        // Cancelled again before we got to tell them: a "you have a place" message would be wrong.
        if (!view?.booking || view.booking.status !== 'confirmed') return;
        const card = bookingCard(view, deps.taxonomy, view.booking.personTeamsId ?? undefined);
        const outcome = await deps.notifier.sendToPerson(view.booking.personAadId, { kind: 'card', card });
        if (outcome.kind === 'unreachable') {
          // Final: the place is theirs either way ("my bookings" shows it); retrying cannot reach them.
          deps.logger.info(
            { bookingId: view.booking.id, personAadId: view.booking.personAadId, code: outcome.reason },
            'promoted from the waitlist, but Development Hub cannot reach them: no message sent',
          );
        }
      },
    }),
  };
}
