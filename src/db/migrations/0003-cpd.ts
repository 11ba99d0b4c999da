import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('cpd_course')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('strand_id', 'text', (c) => c.notNull())
    .addColumn('audience_ids', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`).check(sql`jsonb_typeof(audience_ids) = 'array'`))
    .addColumn('facilitator', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('programme','standalone')`))
    .addColumn('category_id', 'text')
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('cpd_offering')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('course_id', 'text', (c) => c.notNull().references('cpd_course.id').onDelete('restrict'))
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity > 0`))
    .addColumn('booking_closes_at', 'timestamptz', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('scheduled').check(sql`status in ('scheduled','cancelled')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cpd_offering_course').on('cpd_offering').column('course_id').execute();

  await db.schema
    .createTable('cpd_session')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('offering_id', 'text', (c) => c.notNull().references('cpd_offering.id').onDelete('cascade'))
    .addColumn('sequence', 'integer', (c) => c.notNull().check(sql`sequence > 0`))
    .addColumn('starts_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ends_at', 'timestamptz', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull().check(sql`mode in ('in_person','online')`))
    .addColumn('venue', 'text')
    .addColumn('meeting_url', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addCheckConstraint('cpd_session_ends_after_start', sql`ends_at > starts_at`)
    .addCheckConstraint(
      'cpd_session_place',
      sql`(mode = 'in_person' and venue is not null) or (mode = 'online' and meeting_url is not null)`,
    )
    .addUniqueConstraint('cpd_session_offering_sequence', ['offering_id', 'sequence'])
    .execute();
  // Upcoming-session scans (listings, date filters) go by start time.
  await db.schema.createIndex('cpd_session_starts').on('cpd_session').columns(['starts_at', 'offering_id']).execute();

  await db.schema
    .createTable('cpd_booking')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('offering_id', 'text', (c) => c.notNull().references('cpd_offering.id').onDelete('restrict'))
    .addColumn('person_aad_id', 'text', (c) => c.notNull())
    .addColumn('person_name', 'text', (c) => c.notNull())
    .addColumn('person_email', 'text')
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('confirmed','waitlisted','cancelled')`))
    // "by default" rather than "always" so a later rule (e.g. re-queueing) may assign nextval explicitly.
    .addColumn('arrival_seq', 'bigint', (c) => c.notNull().generatedByDefaultAsIdentity())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull())
    .addColumn('cancelled_at', 'timestamptz')
    .addCheckConstraint('cpd_booking_cancelled_at', sql`(status = 'cancelled') = (cancelled_at is not null)`)
    .execute();
  // One active place per person per offering: the database, not a read-then-write, enforces it.
  await db.schema
    .createIndex('cpd_booking_one_active')
    .on('cpd_booking')
    .columns(['offering_id', 'person_aad_id'])
    .unique()
    .where(sql.ref('status'), 'in', ['confirmed', 'waitlisted'])
    .execute();
  // Seat counts per offering and waitlist order.
  await db.schema.createIndex('cpd_booking_offering_status').on('cpd_booking').columns(['offering_id', 'status', 'arrival_seq']).execute();
  // "My bookings".
  await db.schema.createIndex('cpd_booking_person').on('cpd_booking').columns(['person_aad_id', 'status']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['cpd_booking', 'cpd_session', 'cpd_offering', 'cpd_course']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
