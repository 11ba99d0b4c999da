import { sql, type Kysely } from 'kysely';

/**
 * Bespoke-support commissions (issue 11). Measures and key outcomes live in jsonb on the row: they
 * are agreed and judged together with the commission, so one versioned update keeps them whole.
 * The update log is its own append-only table; the academy's channel (chosen when a leader adds the
 * tab) is kept so status cards reach it.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('commission')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The short reference people quote ("CM-0042"); a sequence, so it is unique across instances.
    .addColumn('number', 'integer', (c) => c.notNull().unique().generatedAlwaysAsIdentity())
    // The nonce the tab's form carried: a double press or a retry finds the same row.
    .addColumn('submission_key', 'text', (c) => c.notNull().unique())
    .addColumn('academy_id', 'text', (c) => c.notNull())
    .addColumn('support_type_id', 'text', (c) => c.notNull())
    .addColumn('need', 'text', (c) => c.notNull())
    .addColumn('evidence', 'text', (c) => c.notNull())
    // School-to-school support: the school outside the trust, its agreement's key outcomes and term count.
    .addColumn('external_school', 'jsonb')
    .addColumn('measures', 'jsonb', (c) => c.notNull().check(sql`jsonb_typeof(measures) = 'array'`))
    .addColumn('assigned_staff', 'jsonb', (c) => c.notNull().check(sql`jsonb_typeof(assigned_staff) = 'array'`))
    .addColumn('start_date', 'date')
    .addColumn('end_date', 'date')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('requested','agreed','in_progress','impact_review','closed','declined')`),
    )
    // Every change bumps it; the tab sends the version it showed, so a second editor is told.
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('decline_reason', 'text')
    .addColumn('raised_by_aad_id', 'text', (c) => c.notNull())
    .addColumn('raised_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .addCheckConstraint('commission_closed', sql`(status in ('closed','declined')) = (closed_at is not null)`)
    .execute();
  await db.schema.createIndex('commission_academy').on('commission').columns(['academy_id', 'created_at']).execute();

  await db.schema
    .createTable('commission_update')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('commission_id', 'text', (c) => c.notNull().references('commission.id').onDelete('cascade'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('by_aad_id', 'text', (c) => c.notNull())
    .addColumn('by_name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('raised','agreed','declined','started','review_begun','closed','note','review')`))
    .addColumn('status_after', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .execute();
  await db.schema.createIndex('commission_update_commission').on('commission_update').columns(['commission_id', 'at']).execute();

  await db.schema
    .createTable('commission_channel')
    .addColumn('academy_id', 'text', (c) => c.primaryKey())
    .addColumn('team_id', 'text', (c) => c.notNull())
    .addColumn('channel_id', 'text', (c) => c.notNull())
    // The tab's entity id in that channel, for deep links from the status cards.
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('linked_by_aad_id', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('commission_channel').ifExists().execute();
  await db.schema.dropTable('commission_update').ifExists().execute();
  await db.schema.dropTable('commission').ifExists().execute();
}
