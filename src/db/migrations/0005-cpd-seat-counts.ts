import { sql, type Kysely } from 'kysely';

/**
 * Seat counts kept on the offering row. Search shows places left for every result and every
 * booking reads them under the offering lock; counting the booking rows each time grew with the
 * bookings. A trigger keeps the counts in the same transaction as every change to cpd_booking, so
 * no code path can forget them, and the booking rules read them from the row they have locked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('cpd_offering')
    .addColumn('confirmed_count', 'integer', (c) => c.notNull().defaultTo(0).check(sql`confirmed_count >= 0`))
    .addColumn('waitlisted_count', 'integer', (c) => c.notNull().defaultTo(0).check(sql`waitlisted_count >= 0`))
    .execute();
  await sql`
    update cpd_offering o set
      confirmed_count = (select count(*) from cpd_booking b where b.offering_id = o.id and b.status = 'confirmed'),
      waitlisted_count = (select count(*) from cpd_booking b where b.offering_id = o.id and b.status = 'waitlisted')`.execute(db);
  await sql`
    create function cpd_booking_seat_counts() returns trigger language plpgsql as $$
    begin
      if tg_op in ('UPDATE', 'DELETE') then
        update cpd_offering set
          confirmed_count = confirmed_count - (old.status = 'confirmed')::int,
          waitlisted_count = waitlisted_count - (old.status = 'waitlisted')::int
        where id = old.offering_id and old.status in ('confirmed', 'waitlisted');
      end if;
      if tg_op in ('INSERT', 'UPDATE') then
        update cpd_offering set
          confirmed_count = confirmed_count + (new.status = 'confirmed')::int,
          waitlisted_count = waitlisted_count + (new.status = 'waitlisted')::int
        where id = new.offering_id and new.status in ('confirmed', 'waitlisted');
      end if;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger cpd_booking_seat_counts
    after insert or delete or update of status, offering_id on cpd_booking
    for each row execute function cpd_booking_seat_counts()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger if exists cpd_booking_seat_counts on cpd_booking`.execute(db);
  await sql`drop function if exists cpd_booking_seat_counts()`.execute(db);
  await db.schema.alterTable('cpd_offering').dropColumn('confirmed_count').dropColumn('waitlisted_count').execute();
}
