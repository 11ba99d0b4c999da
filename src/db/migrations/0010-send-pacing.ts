import { sql, type Kysely } from 'kysely';

/**
 * The tenant-wide send schedule every app instance shares (see src/pacing/). One row: the next free
 * send slot and the global "paused until" a throttle wrote, both as epoch milliseconds (double
 * precision, so sub-millisecond slot spacing adds up without rounding drift).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('send_pacing')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('next_slot_ms', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('paused_until_ms', 'double precision', (c) => c.notNull().defaultTo(0))
    .execute();
  // Created here so reserving slots is always a plain UPDATE … RETURNING (no upsert race at start-up).
  await sql`insert into send_pacing (id) values ('teams')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('send_pacing').ifExists().execute();
}
