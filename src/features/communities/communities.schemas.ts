import { z } from 'zod/v4';

/** Card verbs of communities. */
export const COMMUNITIES_JOIN_VERB = 'communities.join';
export const COMMUNITIES_LEAVE_VERB = 'communities.leave';
export const COMMUNITIES_MEMBERS_VERB = 'communities.members';
export const COMMUNITIES_MEMBERS_CSV_VERB = 'communities.members_csv';
export const COMMUNITIES_APPROVE_VERB = 'communities.approve';
export const COMMUNITIES_DECLINE_VERB = 'communities.decline';

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/).max(100);

export const communityDataSchema = z.object({ communityId: id });
export const requestDataSchema = z.object({ requestId: id });
/** Outbox payloads carry ids only. */
export const requestJobSchema = z.object({ requestId: id });
