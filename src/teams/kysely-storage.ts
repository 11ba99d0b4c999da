import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { Db } from '../db/database.js';

export class StorageConflictError extends Error {
  override name = 'StorageConflictError';
}

/**
 * botbuilder Storage over the app's database, so Teams AI turn state survives restarts and is
 * shared by every app instance. Optimistic concurrency as botbuilder defines it: a write that
 * carries an eTag succeeds only if the stored eTag still matches; no eTag or '*' writes anyway.
 * The check and the write are one statement, so two instances cannot both win.
 */
export class KyselyStorage implements Storage {
  constructor(private readonly db: Db) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const rows = await this.db.selectFrom('bot_state').select(['key', 'document', 'etag']).where('key', 'in', keys).execute();
    const items: StoreItems = {};
    for (const row of rows) items[row.key] = { ...row.document, eTag: row.etag };
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...document } = (item ?? {}) as Record<string, unknown> & { eTag?: unknown };
      const nextTag = randomUUID();
      const conditional = typeof eTag === 'string' && eTag !== '*' && eTag !== '';
      const written = await this.db
        .insertInto('bot_state')
        .values({ key, document: JSON.stringify(document), etag: nextTag, updated_at: new Date() })
        .onConflict((oc) => {
          const update = oc.column('key').doUpdateSet((eb) => ({
            document: eb.ref('excluded.document'),
            etag: eb.ref('excluded.etag'),
            updated_at: eb.ref('excluded.updated_at'),
          }));
          return conditional ? update.where('bot_state.etag', '=', eTag) : update;
        })
        .returning('key')
        .executeTakeFirst();
      if (!written) throw new StorageConflictError(`Storage: error writing "${key}" due to eTag conflict.`);
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await this.db.deleteFrom('bot_state').where('key', 'in', keys).execute();
  }
}
