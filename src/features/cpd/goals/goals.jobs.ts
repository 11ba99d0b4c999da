import { z } from 'zod/v4';
import type { JobHandler } from '../../../jobs/worker.js';
import type { Logger } from '../../../shared/logger.js';
import { payloadJob } from '../../../shared/payload-job.js';
import { GOAL_SUGGEST_JOB, GOAL_SWEEP_JOB, type GoalsService } from './goals.service.js';

const aadId = z.string().regex(/^[0-9a-f-]{36}$/i);

/** The daily goal-suggestion sweep and each person's suggestion message, as durable jobs. */
export function goalJobs(goals: GoalsService, logger: Logger): Record<string, JobHandler> {
  return {
    [GOAL_SWEEP_JOB]: payloadJob({
      schema: z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
      logger,
      run: async ({ day }) => {
        const people = await goals.sweep(day);
        if (people > 0) logger.info({ people, day }, 'CPD goal suggestions enqueued');
      },
    }),
    [GOAL_SUGGEST_JOB]: payloadJob({
      schema: z.object({ personAadId: aadId, key: z.string().startsWith(`${GOAL_SUGGEST_JOB}:`).max(200) }),
      logger,
      run: ({ personAadId, key }) => goals.sendDaily(personAadId, key),
    }),
  };
}
