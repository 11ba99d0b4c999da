import type { AnnouncementTables } from './tables/announcements.js';
import type { CommunityTables } from './tables/communities.js';
import type { CommissionTables } from './tables/commissions.js';
import type { CoreTables } from './tables/core.js';
import type { CpdBookingTables } from './tables/cpd-booking.js';
import type { CpdCalendarTables } from './tables/cpd-calendar.js';
import type { CpdCatalogueTables } from './tables/cpd-catalogue.js';
import type { CpdFollowUpTables } from './tables/cpd-follow-up.js';
import type { InclusionVisitTables } from './tables/inclusion-visits.js';
import type { PeopleTables } from './tables/people.js';
import type { SendPacingTables } from './tables/send-pacing.js';

/** Every table the app owns; each feature's table types live in src/db/tables/<feature>.ts. */
export interface Database extends CoreTables, CpdCatalogueTables, CpdBookingTables, CpdCalendarTables, CpdFollowUpTables, PeopleTables, InclusionVisitTables, SendPacingTables, CommunityTables, AnnouncementTables, CommissionTables {}
