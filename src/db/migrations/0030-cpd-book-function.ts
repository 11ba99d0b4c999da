import { sql, type Kysely } from 'kysely';

/**
 * A new booking in one statement: `cpd_book(...)` locks the offering row, finds the person's active
 * booking, applies the capacity rule, inserts the booking, its audit row and (for a confirmed place,
 * when given) the calendar job, and returns what happened as jsonb. One round trip instead of five
 * (begin, lock, insert, commit and their parses) matters most on embedded PGlite, where every
 * statement crosses into WASM; a single statement is its own transaction on both databases.
 *
 * The rule here is a copy of decideNewBooking() in src/features/cpd/booking/booking.domain.ts, which
 * stays its specification: BookingService re-decides from the facts this returns and refuses to go on
 * if they disagree, and a fast-check property test (tests/features/cpd/booking/book-function.test.ts)
 * runs generated histories through both. Change one, change the other.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function cpd_book(
      p_booking_id text, p_offering_id text, p_person_aad_id text, p_person_name text,
      p_person_email text, p_person_teams_id text, p_now timestamptz, p_details jsonb, p_calendar_job jsonb
    ) returns jsonb language plpgsql as $$
    declare
      o record;
      own cpd_booking;
      b cpd_booking;
      v_status text;
      v_facts jsonb;
    begin
      -- Everyone booking or cancelling on this offering queues here, in arrival order.
      select o2.id, o2.capacity, o2.booking_closes_at, o2.status, o2.confirmed_count, o2.waitlisted_count,
             coalesce((select c.active from cpd_course c where c.id = o2.course_id), false) as active,
             (select min(s.starts_at) from cpd_session s where s.offering_id = o2.id) as first_starts_at
        into o from cpd_offering o2 where o2.id = p_offering_id for update of o2;
      if not found then
        return jsonb_build_object('outcome', 'offering_not_found');
      end if;
      v_facts := jsonb_build_object(
        'capacity', o.capacity, 'bookingClosesAt', o.booking_closes_at, 'status', o.status, 'courseActive', o.active,
        'firstStartsAt', o.first_starts_at, 'confirmed', o.confirmed_count, 'waitlisted', o.waitlisted_count);
      if o.status = 'cancelled' then
        return v_facts || jsonb_build_object('outcome', 'offering_cancelled');
      end if;
      -- Read after the lock (a new snapshot per statement): a second press that queued behind the
      -- first finds the first one's booking, so it is answered with it instead of a second place.
      select * into own from cpd_booking
        where offering_id = p_offering_id and person_aad_id = p_person_aad_id and status in ('confirmed', 'waitlisted');
      if found then
        return v_facts || jsonb_build_object('outcome', 'already_booked', 'booking', to_jsonb(own),
          'position', case when own.status = 'waitlisted' then (
            select count(*) from cpd_booking w
            where w.offering_id = own.offering_id and w.status = 'waitlisted' and w.arrival_seq <= own.arrival_seq) end);
      end if;
      -- decideNewBooking(), in its order.
      if not o.active then
        return v_facts || jsonb_build_object('outcome', 'offering_cancelled');
      elsif o.first_starts_at is null then
        return v_facts || jsonb_build_object('outcome', 'booking_closed');
      elsif o.first_starts_at <= p_now then
        return v_facts || jsonb_build_object('outcome', 'session_past');
      elsif o.booking_closes_at <= p_now then
        return v_facts || jsonb_build_object('outcome', 'booking_closed');
      end if;
      v_status := case when o.confirmed_count < o.capacity then 'confirmed' else 'waitlisted' end;
      insert into cpd_booking
        (id, offering_id, person_aad_id, person_name, person_email, person_teams_id, status, created_at, updated_at, cancelled_at)
        values (p_booking_id, p_offering_id, p_person_aad_id, p_person_name, p_person_email, p_person_teams_id, v_status, p_now, p_now, null)
        returning * into b;
      insert into audit_log (at, actor_aad_id, action, subject_type, subject_id, details)
        values (p_now, p_person_aad_id, case when v_status = 'confirmed' then 'cpd.booking.booked' else 'cpd.booking.waitlisted' end,
                'cpd_booking', b.id, jsonb_build_object('arrivalSeq', b.arrival_seq) || p_details);
      if v_status = 'confirmed' and p_calendar_job is not null then
        insert into job (id, kind, payload, idempotency_key, status, attempts, max_attempts, run_at, locked_until, last_error, created_at, updated_at)
          values (p_calendar_job->>'id', p_calendar_job->>'kind', p_calendar_job->'payload', p_calendar_job->>'idempotencyKey', 'pending', 0,
                  (p_calendar_job->>'maxAttempts')::int, p_now, null, null, p_now, p_now)
          on conflict (idempotency_key) do nothing;
      end if;
      return v_facts || jsonb_build_object('outcome', v_status, 'booking', to_jsonb(b),
        'position', case when v_status = 'waitlisted' then o.waitlisted_count + 1 end);
    end $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function if exists cpd_book(text, text, text, text, text, text, timestamptz, jsonb, jsonb)`.execute(db);
}
