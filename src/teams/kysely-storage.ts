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
  /** What this instance last read or wrote per key (eTag and document), so an unchanged write is skipped. */
  private readonly seen = new Map<string, { eTag: string; document: string }>();

  constructor(
    private readonly db: Db,
    private readonly remembered = 5000,
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    if (keys.length === 0) return {};
    const rows = await this.db.selectFrom('bot_state').select(['key', 'document', 'etag']).where('key', 'in', keys).execute();
    const items: StoreItems = {};
    for (const row of rows) {
      items[row.key] = { ...row.document, eTag: row.etag };
      this.remember(row.key, row.etag, JSON.stringify(row.document));
    }
    return items;
  }

  /**
   * A write that carries the eTag this instance read and the very document it read is skipped: it
   * would change nothing but the eTag, and cost a statement on every turn. If another instance wrote
   * the key meanwhile, the real write would have failed its eTag check; skipping keeps that newer
   * state, which is what the failed write would have left too.
   */
  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...document } = (item ?? {}) as Record<string, unknown> & { eTag?: unknown };
      const json = JSON.stringify(document);
      const known = this.seen.get(key);
      if (known && known.eTag === eTag && known.document === json) continue;
      const nextTag = randomUUID();
      const conditional = typeof eTag === 'string' && eTag !== '*' && eTag !== '';
      const written = await this.db
        .insertInto('bot_state')
        .values({ key, document: json, etag: nextTag, updated_at: new Date() })
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
      if (!written) {
        this.seen.delete(key);
        throw new StorageConflictError(`Storage: error writing "${key}" due to eTag conflict.`);
      }
      this.remember(key, nextTag, json);
    }
  }

  async delete(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    for (const key of keys) this.seen.delete(key);
    await this.db.deleteFrom('bot_state').where('key', 'in', keys).execute();
  }

  private remember(key: string, eTag: string, document: string): void {
    this.seen.delete(key);
    this.seen.set(key, { eTag, document });
    // Oldest first: a Map keeps insertion order, and a re-seen key was moved to the end above.
    if (this.seen.size > this.remembered) this.seen.delete(this.seen.keys().next().value!);
  }
}
