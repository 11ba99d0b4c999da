import { sql, type Kysely } from 'kysely';

/**
 * Inclusion Support Visit requests. The request holds context about pupils with SEND, so every
 * free-text column is nullable: the retention job sets them to null (and `erased_at`) once a
 * closed request is older than the trust's retention period, leaving the row for the audit trail.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('inclusion_visit')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The short reference people quote ("IV-0042"); a sequence, so it is unique across instances.
    .addColumn('number', 'integer', (c) => c.notNull().unique().generatedAlwaysAsIdentity())
    // The nonce the request form carried: a double press or a Teams retry finds the same row.
    .addColumn('submission_key', 'text', (c) => c.notNull().unique())
    .addColumn('academy_id', 'text', (c) => c.notNull())
    .addColumn('hub_id', 'text', (c) => c.notNull())
    .addColumn('requester_aad_id', 'text', (c) => c.notNull())
    .addColumn('requester_name', 'text', (c) => c.notNull())
    .addColumn('requester_teams_id', 'text')
    .addColumn('focus_area_ids', 'jsonb', (c) => c.notNull().check(sql`jsonb_typeof(focus_area_ids) = 'array'`))
    .addColumn('urgency', 'text', (c) => c.notNull().check(sql`urgency in ('routine','soon','urgent')`))
    .addColumn('preferred_from', 'date')
    .addColumn('preferred_to', 'date')
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('submitted','assigned','scheduled','completed','declined')`),
    )
    // Every change bumps it; a card carries the version it showed, so a stale press is detected.
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('assignee_aad_id', 'text')
    .addColumn('assignee_name', 'text')
    .addColumn('scheduled_date', 'date')
    .addColumn('scheduled_time', 'text')
    // Free text (erased by retention): what the SENCO and the Inclusion team wrote.
    .addColumn('other_focus', 'text')
    .addColumn('early_help', 'text')
    .addColumn('urgency_reason', 'text')
    .addColumn('preferred_note', 'text')
    .addColumn('contact', 'text')
    .addColumn('scheduled_with', 'text')
    .addColumn('decline_reason', 'text')
    .addColumn('outcome_notes', 'text')
    .addColumn('follow_up', 'text')
    .addColumn('recommended', 'text')
    // The triage card in the Inclusion team's channel, so changes update it for everyone.
    .addColumn('channel_activity_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .addColumn('erased_at', 'timestamptz')
    .addCheckConstraint('inclusion_visit_closed', sql`(status in ('completed','declined')) = (closed_at is not null)`)
    .execute();
  await db.schema.createIndex('inclusion_visit_requester').on('inclusion_visit').column('requester_aad_id').execute();
  await db.schema.createIndex('inclusion_visit_open').on('inclusion_visit').columns(['status', 'created_at']).execute();
  // The retention sweep looks for closed, not yet erased requests by age.
  await db.schema
    .createIndex('inclusion_visit_retention')
    .on('inclusion_visit')
    .column('closed_at')
    .where(sql.ref('erased_at'), 'is', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('inclusion_visit').ifExists().execute();
}
