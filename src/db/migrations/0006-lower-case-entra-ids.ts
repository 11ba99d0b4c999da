import { sql, type Kysely } from 'kysely';

/**
 * Entra object ids are GUIDs, and GUIDs have no case; the edge now lower-cases them (src/teams/
 * activity-normaliser.ts), but rows written before held whatever case Teams (or a tampered request)
 * sent. The one-booking-per-person index compared them exactly while the roster ignored case, so one
 * person sent in upper and lower case held two places on one offering.
 *
 * This lower-cases every stored id. Where two rows become one person:
 * - active bookings on the same offering: the confirmed one (else the earliest) is kept, the others
 *   are cancelled, and each cancellation is written to audit_log (`cpd.booking.merged_duplicate`,
 *   naming the booking kept) — the trigger gives the seat back;
 * - conversation references: the most recently updated is kept;
 * - directory cache rows: dropped (the next lookup refetches them).
 * A summary row (`migration.lower_case_entra_ids`) records the counts when anything changed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const merged = await sql<{ id: string; kept: string; offering_id: string }>`
    with ranked as (
      select id, offering_id, person_aad_id,
             first_value(id) over w as kept,
             row_number() over w as rank
      from cpd_booking
      where status in ('confirmed', 'waitlisted')
      window w as (partition by offering_id, lower(person_aad_id)
                   order by (status = 'confirmed') desc, arrival_seq)
    )
    update cpd_booking b set status = 'cancelled', cancelled_at = now(), updated_at = now()
    from ranked r
    where b.id = r.id and r.rank > 1
    returning b.id, r.kept, b.offering_id`.execute(db);
  for (const row of merged.rows) {
    await sql`insert into audit_log (at, actor_aad_id, action, subject_type, subject_id, details)
              values (now(), null, 'cpd.booking.merged_duplicate', 'cpd_booking', ${row.id},
                      jsonb_build_object('kept', ${row.kept}::text, 'offeringId', ${row.offering_id}::text))`.execute(db);
  }
  const bookings = await sql`update cpd_booking set person_aad_id = lower(person_aad_id) where person_aad_id <> lower(person_aad_id)`.execute(db);
  await sql`update cpd_calendar_event set person_aad_id = lower(person_aad_id) where person_aad_id <> lower(person_aad_id)`.execute(db);
  await sql`update audit_log set actor_aad_id = lower(actor_aad_id) where actor_aad_id <> lower(actor_aad_id)`.execute(db);

  // conversation_reference: key 'person:<id>' and aad_object_id; keep the newest per lower-cased key.
  const references = await sql`
    delete from conversation_reference c
    using conversation_reference newer
    where lower(c.key) = lower(newer.key) and c.key <> newer.key
      and (c.updated_at, c.key) < (newer.updated_at, newer.key)`.execute(db);
  await sql`update conversation_reference
            set key = case when key like 'person:%' then lower(key) else key end,
                aad_object_id = lower(aad_object_id)
            where aad_object_id <> lower(aad_object_id) or (key like 'person:%' and key <> lower(key))`.execute(db);
  const cache = await sql`delete from person_directory_cache where aad_object_id <> lower(aad_object_id)`.execute(db);
  const changed = merged.rows.length + [bookings, references, cache].reduce((n, r) => n + Number(r.numAffectedRows ?? 0), 0);
  // A database with nothing to fix (every new one) gets no row: audit_log stays a record of real changes.
  if (changed === 0) return;

  await sql`insert into audit_log (at, actor_aad_id, action, subject_type, subject_id, details)
            values (now(), null, 'migration.lower_case_entra_ids', 'migration', '0006-lower-case-entra-ids',
                    jsonb_build_object('bookingsMerged', ${merged.rows.length}::int,
                                       'bookingsLowerCased', ${Number(bookings.numAffectedRows ?? 0)}::int,
                                       'referencesMerged', ${Number(references.numAffectedRows ?? 0)}::int,
                                       'cacheRowsDropped', ${Number(cache.numAffectedRows ?? 0)}::int))`.execute(db);
}

export async function down(): Promise<void> {
  // Lower-casing cannot be undone (the original case is gone), and nothing depends on it.
}
