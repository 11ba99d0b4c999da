import { sql, type Kysely } from 'kysely';

/**
 * Who belongs to which community (networks, HLCs, workhubs… defined in the trust profile) and
 * requests to join the ones that are by request. Communities themselves are profile data, not rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('community_member')
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('aad_object_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'timestamptz', (c) => c.notNull())
    // One row per person and community: joining twice is the same membership.
    .addPrimaryKeyConstraint('community_member_pk', ['community_id', 'aad_object_id'])
    .execute();
  await db.schema.createIndex('community_member_person').on('community_member').column('aad_object_id').execute();
  await db.schema
    .createTable('community_join_request')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('aad_object_id', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('pending', 'approved', 'declined')`))
    .addColumn('decided_by_aad_id', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('community_join_request_decided', sql`(status = 'pending') = (decided_at is null)`)
    .execute();
  // At most one open request per person and community, so asking twice is idempotent under races.
  await db.schema
    .createIndex('community_join_request_open')
    .on('community_join_request')
    .columns(['community_id', 'aad_object_id'])
    .unique()
    .where(sql.ref('status'), '=', 'pending')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('community_join_request').ifExists().execute();
  await db.schema.dropTable('community_member').ifExists().execute();
}
