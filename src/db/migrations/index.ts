import type { Migration } from 'kysely/migration';
import * as core from './0001-core.js';
import * as people from './0002-people.js';
import * as cpd from './0003-cpd.js';
import * as cpdBooking from './0004-cpd-booking.js';
import * as cpdSeatCounts from './0005-cpd-seat-counts.js';
import * as lowerCaseEntraIds from './0006-lower-case-entra-ids.js';
import * as inclusionVisits from './0008-inclusion-visits.js';
import * as inclusionVisitQuestions from './0009-inclusion-visit-questions.js';
import * as sendPacing from './0010-send-pacing.js';
import * as communities from './0015-communities.js';
import * as announcements from './0016-announcements.js';
import * as commissions from './0025-commissions.js';
import * as cpdBookFunction from './0030-cpd-book-function.js';
import * as cpdFollowUp from './0031-cpd-follow-up.js';
import * as announcementClaimIndex from './0032-announcement-claim-index.js';
import * as cpdBookBatch from './0033-cpd-book-batch.js';

/**
 * Every migration, in order. Listed statically (not read from disk) so the compiled
 * app and the tests run the same set. Never edit a released migration: add the next one, numbered
 * above the highest here (Kysely refuses to run a migration that sorts before one a database has
 * already applied, so a number left free lower down can never be used once a later one is released).
 */
export const migrations: Record<string, Migration> = {
  '0001-core': core,
  '0002-people': people,
  '0003-cpd': cpd,
  '0004-cpd-booking': cpdBooking,
  '0005-cpd-seat-counts': cpdSeatCounts,
  '0006-lower-case-entra-ids': lowerCaseEntraIds,
  '0008-inclusion-visits': inclusionVisits,
  '0009-inclusion-visit-questions': inclusionVisitQuestions,
  '0010-send-pacing': sendPacing,
  '0015-communities': communities,
  '0016-announcements': announcements,
  '0025-commissions': commissions,
  '0030-cpd-book-function': cpdBookFunction,
  '0031-cpd-follow-up': cpdFollowUp,
  '0032-announcement-claim-index': announcementClaimIndex,
  '0033-cpd-book-batch': cpdBookBatch,
};
