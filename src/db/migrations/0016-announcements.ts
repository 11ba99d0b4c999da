import { sql, type Kysely } from 'kysely';

/**
 * Development Team announcements and their durable fan-out: one recipient row per conversation
 * (a person's 1:1 chat or a community's channel) moving pending → sending → sent / failed /
 * unreachable / cancelled, so a restart resumes where it stopped and a row marked sent is never
 * sent again. RSVPs and mutes are per person.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('announcement')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('author_aad_id', 'text', (c) => c.notNull())
    .addColumn('author_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft', 'scheduled', 'sending', 'sent', 'cancelled', 'recalled')`))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('audience', 'jsonb', (c) => c.notNull())
    .addColumn('delivery', 'text', (c) => c.notNull().check(sql`delivery in ('channel', 'personal', 'both')`))
    .addColumn('event', 'jsonb')
    .addColumn('link', 'jsonb')
    .addColumn('send_at', 'timestamptz')
    .addColumn('status_card', 'jsonb')
    .addColumn('status_card_at', 'timestamptz')
    .addColumn('muted_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('announcement_author').on('announcement').columns(['author_aad_id', 'updated_at']).execute();
  await db.schema
    .createTable('announcement_recipient')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('announcement_id', 'text', (c) => c.notNull().references('announcement.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('person', 'channel')`))
    /** person: the Entra ID object id; channel: the channel's thread id. */
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('team_id', 'text')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending', 'sending', 'sent', 'failed', 'unreachable', 'cancelled', 'recalled')`),
    )
    .addColumn('reason', 'text')
    .addColumn('activity_id', 'text')
    .addColumn('claims', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lease_until', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('sent_at', 'timestamptz')
    .execute();
  // One row per conversation: expanding the audience twice (a retry, a restart) adds nobody twice.
  await db.schema.createIndex('announcement_recipient_target').on('announcement_recipient').columns(['announcement_id', 'kind', 'target']).unique().execute();
  await db.schema.createIndex('announcement_recipient_status').on('announcement_recipient').columns(['announcement_id', 'status']).execute();
  await db.schema.createIndex('announcement_recipient_person').on('announcement_recipient').columns(['target', 'status']).execute();
  await db.schema
    .createTable('announcement_rsvp')
    .addColumn('announcement_id', 'text', (c) => c.notNull().references('announcement.id').onDelete('cascade'))
    .addColumn('aad_object_id', 'text', (c) => c.notNull())
    .addColumn('answer', 'text', (c) => c.notNull().check(sql`answer in ('going', 'not_going')`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('announcement_rsvp_pk', ['announcement_id', 'aad_object_id'])
    .execute();
  await db.schema
    .createTable('announcement_mute')
    .addColumn('aad_object_id', 'text', (c) => c.notNull())
    .addColumn('community_id', 'text', (c) => c.notNull())
    .addColumn('muted_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('announcement_mute_pk', ['aad_object_id', 'community_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['announcement_mute', 'announcement_rsvp', 'announcement_recipient', 'announcement']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
