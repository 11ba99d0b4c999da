import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';

/** One person's confirmed places in one month (by the offering's first session), and how many of those sessions have been held. */
export interface UptakeRow {
  personAadId: string;
  /** YYYY-MM in the trust's time zone. */
  month: string;
  booked: number;
  held: number;
}

/**
 * CPD uptake from the booking data, for other features' charts (the commission tab). A confirmed
 * place counts as booked in the month its offering starts; it counts as held once the offering's
 * last session has ended. There is no attendance register yet (the cpd-follow-up feature), so
 * "held" is the nearest honest measure of attendance and is labelled so where it is shown.
 */
export async function cpdUptakeRows(db: Db, timeZone: string, from: Date, to: Date, now: Date): Promise<UptakeRow[]> {
  const rows = await db
    .selectFrom('cpd_booking as b')
    .innerJoin(
      (eb) =>
        eb
          .selectFrom('cpd_session')
          .select(['offering_id', sql<Date>`min(starts_at)`.as('first_start'), sql<Date>`max(ends_at)`.as('last_end')])
          .groupBy('offering_id')
          .as('s'),
      (join) => join.onRef('s.offering_id', '=', 'b.offering_id'),
    )
    .innerJoin('cpd_offering as o', 'o.id', 'b.offering_id')
    .where('b.status', '=', 'confirmed')
    .where('o.status', '=', 'scheduled')
    .where('s.first_start', '>=', from)
    .where('s.first_start', '<', to)
    .select([
      'b.person_aad_id',
      sql<string>`to_char(s.first_start at time zone ${timeZone}, 'YYYY-MM')`.as('month'),
      sql<number>`count(*)::int`.as('booked'),
      sql<number>`count(*) filter (where s.last_end <= ${now})::int`.as('held'),
    ])
    .groupBy(['b.person_aad_id', sql`2`])
    .execute();
  return rows.map((r) => ({ personAadId: r.person_aad_id, month: r.month, booked: r.booked, held: r.held }));
}
