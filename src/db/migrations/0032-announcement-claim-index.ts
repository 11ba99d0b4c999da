import { sql, type Kysely } from 'kysely';

/**
 * The fan-out's claim (the next batch of pending rows, in kind and id order, FOR UPDATE SKIP LOCKED)
 * had only the (announcement_id, status) index, so every claim read and sorted all of an
 * announcement's pending rows: about 10 ms at 5,000, a thousand times per 10,000-recipient send.
 * This index is in the claim's own order and holds only rows still to send or in flight, so a claim
 * reads its batch and stops (under 1 ms), and rows sent drop out of it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('announcement_recipient_claim')
    .on('announcement_recipient')
    .columns(['announcement_id', 'kind', 'id'])
    .where(sql.ref('status'), 'in', [sql.lit('pending'), sql.lit('sending')])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('announcement_recipient_claim').execute();
}
