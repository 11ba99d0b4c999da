import { sql, type Kysely } from 'kysely';

/**
 * Booking CPD in chat: who to refresh a booking card for, and the Outlook events a confirmed
 * booking put in the person's calendar (so cancelling can remove exactly those, and a retried
 * calendar job never adds a session twice).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // The person's Teams user id for this bot ('29:…'): card refresh.userIds need it, and the
  // proactive card sent on promotion can only refresh itself for them if we kept it.
  await db.schema.alterTable('cpd_booking').addColumn('person_teams_id', 'text').execute();

  await db.schema
    .createTable('cpd_calendar_event')
    .addColumn('booking_id', 'text', (c) => c.notNull().references('cpd_booking.id').onDelete('cascade'))
    // No foreign key to cpd_session: a re-import may remove a session, and its Outlook event must
    // still be found to remove it when the booking is cancelled.
    .addColumn('session_id', 'text', (c) => c.notNull())
    .addColumn('person_aad_id', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('transaction_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('cpd_calendar_event_pk', ['booking_id', 'session_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('cpd_calendar_event').ifExists().execute();
  await db.schema.alterTable('cpd_booking').dropColumn('person_teams_id').execute();
}
