import type { Db } from '../../db/database.js';

/** A person as Microsoft Graph last described them, before roles are derived. */
export interface CachedDirectoryEntry {
  aadObjectId: string;
  displayName: string;
  email: string | null;
  groupIds: string[];
  fetchedAt: Date;
}

export interface PeopleRepository {
  findCached(aadObjectId: string): Promise<CachedDirectoryEntry | null>;
  /** Insert or replace: several app instances may refresh the same person at once. */
  saveCached(entry: CachedDirectoryEntry): Promise<void>;
  forget(aadObjectId: string): Promise<void>;
}

export function createPeopleRepository(db: Db): PeopleRepository {
  return {
    async findCached(aadObjectId) {
      const row = await db
        .selectFrom('person_directory_cache')
        .select(['aad_object_id', 'display_name', 'email', 'group_ids', 'fetched_at'])
        .where('aad_object_id', '=', aadObjectId)
        .executeTakeFirst();
      if (!row) return null;
      return {
        aadObjectId: row.aad_object_id,
        displayName: row.display_name,
        email: row.email,
        groupIds: row.group_ids,
        fetchedAt: new Date(row.fetched_at),
      };
    },

    async saveCached(entry) {
      const values = {
        display_name: entry.displayName,
        email: entry.email,
        // pg would send a JS array as a Postgres array literal, not JSON.
        group_ids: JSON.stringify(entry.groupIds),
        fetched_at: entry.fetchedAt,
      };
      await db
        .insertInto('person_directory_cache')
        .values({ aad_object_id: entry.aadObjectId, ...values })
        .onConflict((oc) => oc.column('aad_object_id').doUpdateSet(values))
        .execute();
    },

    async forget(aadObjectId) {
      await db.deleteFrom('person_directory_cache').where('aad_object_id', '=', aadObjectId).execute();
    },
  };
}
