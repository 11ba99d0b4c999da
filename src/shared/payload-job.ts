import type { ZodType } from 'zod/v4';
import type { ClaimedJob, JobHandler } from '../jobs/worker.js';
import type { Logger } from './logger.js';

/** Logged when a job's payload does not parse: retrying cannot fix it, so the job is dropped. */
export const INVALID_JOB_PAYLOAD = 'invalid_job_payload';

/**
 * The one shape of an outbox job handler: parse the stored payload with zod, then run; a payload
 * that does not parse is dropped (finished, not retried) with one error line carrying the job's id,
 * kind and a stable code, never the payload itself.
 */
export interface PayloadJobSpec<Payload> {
  schema: ZodType<Payload>;
  logger: Logger;
  run: (payload: Payload, job: ClaimedJob) => Promise<void>;
  /** After the last failed attempt; only for a payload that parses (an unreadable one never fails). */
  onFinalFailure?: (payload: Payload, job: ClaimedJob, error: unknown) => Promise<void>;
}

export function payloadJob<Payload>(spec: PayloadJobSpec<Payload>): JobHandler {
  const { schema, logger, run, onFinalFailure } = spec;
  const handler: JobHandler = {
    run: async (job) => {
      const parsed = schema.safeParse(job.payload);
      if (!parsed.success) {
        logger.error({ jobId: job.id, kind: job.kind, code: INVALID_JOB_PAYLOAD }, 'job payload does not parse: dropped');
        return;
      }
      await run(parsed.data, job);
    },
  };
  if (onFinalFailure) {
    handler.onFinalFailure = async (job, error) => {
      const parsed = schema.safeParse(job.payload);
      if (parsed.success) await onFinalFailure(parsed.data, job, error);
    };
  }
  return handler;
}
