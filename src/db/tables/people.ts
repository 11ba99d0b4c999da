import type { JSONColumnType } from 'kysely';
import type { Timestamp } from './core.js';

/**
 * What Microsoft Graph last said about a person: their directory entry and every group they
 * belong to (transitively). Roles are derived from the groups on read, so a trust profile
 * change applies at once; `fetched_at` drives expiry (config.people.cacheMinutes).
 */
export interface PersonDirectoryCacheTable {
  aad_object_id: string;
  display_name: string;
  email: string | null;
  group_ids: JSONColumnType<string[]>;
  fetched_at: Timestamp;
}

export interface PeopleTables {
  person_directory_cache: PersonDirectoryCacheTable;
}
