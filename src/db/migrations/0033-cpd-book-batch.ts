import { sql, type Kysely } from 'kysely';

/**
 * Several new bookings in one statement: `cpd_book_batch(items)` calls `cpd_book()` (migration 0030)
 * for each item, in the array's order, and returns their outcomes as a jsonb array in that order.
 * It adds no rule of its own. Each call runs its statements after the previous call's (a volatile
 * function sees what the calls before it wrote), so a batch decides exactly what the same presses one
 * after another would, and it is one transaction: it commits all of them or none.
 *
 * Embedded PGlite answers one statement at a time on the Node thread, and about half of a single
 * booking's database time is the round trip itself (bind, execute, the jsonb answer, commit); presses
 * that arrive while one is running share the next round trip (src/features/cpd/booking/booking.statement.ts).
 * On PostgreSQL only presses on the same offering share a batch: they queue on its row lock anyway,
 * so the batch takes the lock and commits once for all of them, and it never holds two offerings' locks.
 *
 * An item: { bookingId, offeringId, personAadId, personName, personEmail, personTeamsId, now, details,
 * calendarJob } with now an ISO timestamp, details a JSON object and calendarJob absent for none.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function cpd_book_batch(p_items jsonb) returns jsonb language plpgsql as $$
    declare
      item jsonb;
      outcomes jsonb := '[]'::jsonb;
    begin
      for item in select e.value from jsonb_array_elements(p_items) with ordinality as e(value, n) order by e.n loop
        outcomes := outcomes || jsonb_build_array(cpd_book(
          item->>'bookingId', item->>'offeringId', item->>'personAadId', item->>'personName', item->>'personEmail',
          item->>'personTeamsId', (item->>'now')::timestamptz, item->'details',
          case when jsonb_typeof(item->'calendarJob') = 'object' then item->'calendarJob' end));
      end loop;
      return outcomes;
    end $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function if exists cpd_book_batch(jsonb)`.execute(db);
}
