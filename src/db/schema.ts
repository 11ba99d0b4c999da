import type { CoreTables } from './tables/core.js';

/** Every table the app owns; each feature's table types live in src/db/tables/<feature>.ts. */
export interface Database extends CoreTables {}
