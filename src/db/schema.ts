import type { CoreTables } from './tables/core.js';
import type { CpdTables } from './tables/cpd.js';
import type { CpdBookingTables } from './tables/cpd-booking.js';
import type { InclusionVisitTables } from './tables/inclusion-visits.js';
import type { PeopleTables } from './tables/people.js';

/** Every table the app owns; each feature's table types live in src/db/tables/<feature>.ts. */
export interface Database extends CoreTables, CpdTables, CpdBookingTables, PeopleTables, InclusionVisitTables {}
