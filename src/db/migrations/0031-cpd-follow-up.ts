import { sql, type Kysely } from 'kysely';

/**
 * CPD after booking: the register (attendance per session and booking), feedback on the trust's
 * quality-assurance criteria, impact check-ins, external CPD and development goals for the CPD
 * record, reminder preferences, and one row per proactive message so each is sent at most once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cpd_attendance')
    .addColumn('session_id', 'text', (c) => c.notNull().references('cpd_session.id').onDelete('cascade'))
    .addColumn('booking_id', 'text', (c) => c.notNull().references('cpd_booking.id').onDelete('cascade'))
    .addColumn('person_aad_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('present', 'absent', 'late_cancelled')`))
    .addColumn('recorded_by_aad_id', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('cpd_attendance_pk', ['session_id', 'booking_id'])
    .execute();
  await db.schema.createIndex('cpd_attendance_person').on('cpd_attendance').columns(['person_aad_id']).execute();

  await db.schema
    .createTable('cpd_feedback')
    .addColumn('session_id', 'text', (c) => c.notNull().references('cpd_session.id').onDelete('cascade'))
    .addColumn('person_aad_id', 'text', (c) => c.notNull())
    .addColumn('offering_id', 'text', (c) => c.notNull())
    // { criterionId: 1..5 } for the criteria the trust profile listed when it was given.
    .addColumn('scores', 'jsonb', (c) => c.notNull())
    .addColumn('do_differently', 'text')
    .addColumn('submitted_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    // One response per person per session: a second submission edits the first.
    .addPrimaryKeyConstraint('cpd_feedback_pk', ['session_id', 'person_aad_id'])
    .execute();
  await db.schema.createIndex('cpd_feedback_offering').on('cpd_feedback').columns(['offering_id']).execute();

  await db.schema
    .createTable('cpd_impact_check_in')
    .addColumn('session_id', 'text', (c) => c.notNull().references('cpd_session.id').onDelete('cascade'))
    .addColumn('person_aad_id', 'text', (c) => c.notNull())
    .addColumn('offering_id', 'text', (c) => c.notNull())
    .addColumn('applied', 'text', (c) => c.notNull().check(sql`applied in ('yes', 'partly', 'not_yet')`))
    .addColumn('pupil_change', 'text')
    .addColumn('answered_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('cpd_impact_check_in_pk', ['session_id', 'person_aad_id'])
    .execute();

  await db.schema
    .createTable('cpd_external')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_aad_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('provider', 'text')
    .addColumn('hours', 'numeric(6, 2)', (c) => c.notNull().check(sql`hours > 0 and hours <= 1000`))
    .addColumn('completed_on', 'date', (c) => c.notNull())
    .addColumn('strand_id', 'text')
    .addColumn('evidence_url', 'text')
    .addColumn('reflection', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cpd_external_person').on('cpd_external').columns(['person_aad_id', 'completed_on']).execute();

  await db.schema
    .createTable('cpd_goal')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('person_aad_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('strand_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('closed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('cpd_goal_person').on('cpd_goal').columns(['person_aad_id']).execute();

  // A course matching a goal is suggested to a person once, ever: this row is the "once".
  await db.schema
    .createTable('cpd_goal_suggestion')
    .addColumn('person_aad_id', 'text', (c) => c.notNull())
    .addColumn('offering_id', 'text', (c) => c.notNull())
    .addColumn('goal_id', 'text', (c) => c.notNull())
    .addColumn('suggested_at', 'timestamptz', (c) => c.notNull())
    // The message that carries it (a job's effect key, or the goal-added card): a retried send finds its courses again.
    .addColumn('delivery_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('cpd_goal_suggestion_pk', ['person_aad_id', 'offering_id'])
    .execute();

  await db.schema
    .createTable('cpd_follow_up_preference')
    .addColumn('person_aad_id', 'text', (c) => c.primaryKey())
    .addColumn('reminders_muted', 'boolean', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // Each proactive CPD message (a reminder, a change notice, a feedback request) by its effect key:
  // written when it was sent or found undeliverable, so a retried or re-run job never sends it again.
  await db.schema
    .createTable('cpd_delivery')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('person_aad_id', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('sent', 'unreachable', 'skipped')`))
    .addColumn('reason', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();

  // One-time links for the CPD record CSV: the token is random, short-lived and used once.
  await db.schema
    .createTable('cpd_export_token')
    .addColumn('token', 'text', (c) => c.primaryKey())
    .addColumn('person_aad_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'cpd_export_token',
    'cpd_delivery',
    'cpd_follow_up_preference',
    'cpd_goal_suggestion',
    'cpd_goal',
    'cpd_external',
    'cpd_impact_check_in',
    'cpd_feedback',
    'cpd_attendance',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
