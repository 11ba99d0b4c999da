import type { JobHandler } from '../../jobs/worker.js';
import type { Logger } from '../../shared/logger.js';
import { payloadJob } from '../../shared/payload-job.js';
import { ANNOUNCEMENTS_DELIVER_JOB, ANNOUNCEMENTS_RECALL_JOB, ANNOUNCEMENTS_START_JOB, deliverJobSchema, recallJobSchema, startJobSchema } from './announcements.schemas.js';
import type { FanOutService } from './fan-out.service.js';

/** The fan-out's durable jobs; each is safe to run again (rows, not the job, hold what was sent). */
export function announcementJobs(fanOut: FanOutService, logger: Logger): Record<string, JobHandler> {
  return {
    [ANNOUNCEMENTS_START_JOB]: payloadJob({ schema: startJobSchema, logger, run: ({ announcementId }) => fanOut.start(announcementId) }),
    [ANNOUNCEMENTS_DELIVER_JOB]: payloadJob({ schema: deliverJobSchema, logger, run: ({ announcementId, lane, round }) => fanOut.deliver(announcementId, lane, round) }),
    [ANNOUNCEMENTS_RECALL_JOB]: payloadJob({ schema: recallJobSchema, logger, run: ({ announcementId, round }) => fanOut.recall(announcementId, round) }),
  };
}
