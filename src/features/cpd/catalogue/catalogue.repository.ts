import { sql, type Transaction } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { Database } from '../../../db/schema.js';
import type { CatalogueWrite, CpdCourse, CpdOffering, CpdSession, OfferingDetails } from './catalogue.domain.js';

export type { CatalogueWrite } from './catalogue.domain.js';

export interface CatalogueWriteCounts {
  courses: number;
  offerings: number;
  sessions: number;
  sessionsRemoved: number;
}

/** Changes whenever a course, offering or session is added, removed or edited. */
export interface CatalogueVersion {
  courses: number;
  offerings: number;
  sessions: number;
  lastChange: string;
}

type OfferingRow = {
  course_id: string;
  title: string;
  summary: string;
  strand_id: string;
  audience_ids: string[];
  facilitator: string;
  kind: CpdCourse['kind'];
  category_id: string | null;
  active: boolean;
  offering_id: string;
  label: string;
  capacity: number;
  booking_closes_at: Date;
  status: CpdOffering['status'];
};

export class CatalogueRepository {
  constructor(private readonly db: Db) {}

  private offeringsQuery() {
    return this.db
      .selectFrom('cpd_offering as o')
      .innerJoin('cpd_course as c', 'c.id', 'o.course_id')
      .select([
        'c.id as course_id', 'c.title', 'c.summary', 'c.strand_id', 'c.audience_ids', 'c.facilitator', 'c.kind',
        'c.category_id', 'c.active', 'o.id as offering_id', 'o.label', 'o.capacity', 'o.booking_closes_at', 'o.status',
      ]);
  }

  async findOffering(id: string): Promise<OfferingDetails | undefined> {
    const row = await this.offeringsQuery().where('o.id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return (await this.withSessions([row]))[0];
  }

  /**
   * Offerings that are scheduled, of an active course, and whose first session starts after `now`,
   * soonest first. Two queries whatever the limit.
   */
  async listOnOffer(now: Date, limit?: number): Promise<OfferingDetails[]> {
    const firstStarts = this.db
      .selectFrom('cpd_session')
      .select(['offering_id', (eb) => eb.fn.min('starts_at').as('first_starts_at')])
      .groupBy('offering_id')
      .as('f');
    let query = this.offeringsQuery()
      .innerJoin(firstStarts, 'f.offering_id', 'o.id')
      .where('o.status', '=', 'scheduled')
      .where('c.active', '=', true)
      .where('f.first_starts_at', '>', now)
      .orderBy('f.first_starts_at')
      .orderBy('o.id');
    if (limit !== undefined) query = query.limit(limit);
    return this.withSessions(await query.execute());
  }

  /** Confirmed and waitlisted counts for these offerings, in one query. */
  async bookingCounts(offeringIds: readonly string[]): Promise<Map<string, { confirmed: number; waitlisted: number }>> {
    const counts = new Map<string, { confirmed: number; waitlisted: number }>();
    if (offeringIds.length === 0) return counts;
    const rows = await this.db
      .selectFrom('cpd_offering')
      .select(['id as offering_id', 'confirmed_count as confirmed', 'waitlisted_count as waitlisted'])
      .where('id', 'in', [...offeringIds])
      .execute();
    for (const r of rows) counts.set(r.offering_id, { confirmed: Number(r.confirmed), waitlisted: Number(r.waitlisted) });
    return counts;
  }

  async version(): Promise<CatalogueVersion> {
    const row = await sql<{ courses: number; offerings: number; sessions: number; last_change: Date | null }>`
      select
        (select count(*) from cpd_course) as courses,
        (select count(*) from cpd_offering) as offerings,
        (select count(*) from cpd_session) as sessions,
        greatest(
          (select max(updated_at) from cpd_course),
          (select max(updated_at) from cpd_offering),
          (select max(updated_at) from cpd_session)
        ) as last_change`.execute(this.db);
    const v = row.rows[0];
    return {
      courses: Number(v.courses),
      offerings: Number(v.offerings),
      sessions: Number(v.sessions),
      lastChange: v.last_change ? new Date(v.last_change).toISOString() : '',
    };
  }

  async isEmpty(): Promise<boolean> {
    const row = await this.db.selectFrom('cpd_course').select('id').limit(1).executeTakeFirst();
    return row === undefined;
  }

  /**
   * Upserts a catalogue by id in one transaction: courses, offerings and sessions are inserted or
   * updated, and an imported offering's sessions that are no longer listed are removed. Offering
   * status and course `active` are left as they are on update (a cancelled offering stays cancelled).
   */
  async write(catalogue: CatalogueWrite, now: Date): Promise<CatalogueWriteCounts> {
    return this.db.transaction().execute(async (trx) => {
      for (const c of catalogue.courses) {
        const values = {
          title: c.title, summary: c.summary, strand_id: c.strandId, audience_ids: JSON.stringify(c.audienceIds),
          facilitator: c.facilitator, kind: c.kind, category_id: c.categoryId, updated_at: now,
        };
        await trx
          .insertInto('cpd_course')
          .values({ id: c.id, ...values, active: true, created_at: now })
          .onConflict((oc) => oc.column('id').doUpdateSet(values))
          .execute();
      }
      for (const o of catalogue.offerings) {
        const values = { course_id: o.courseId, label: o.label, capacity: o.capacity, booking_closes_at: o.bookingClosesAt, updated_at: now };
        await trx
          .insertInto('cpd_offering')
          .values({ id: o.id, ...values, status: 'scheduled', created_at: now })
          .onConflict((oc) => oc.column('id').doUpdateSet(values))
          .execute();
      }
      const sessionsRemoved = await removeUnlistedSessions(trx, catalogue);
      for (const s of catalogue.sessions) {
        const values = {
          offering_id: s.offeringId, sequence: s.sequence, starts_at: s.startsAt, ends_at: s.endsAt, mode: s.mode,
          venue: s.venue, meeting_url: s.meetingUrl, updated_at: now,
        };
        await trx
          .insertInto('cpd_session')
          .values({ id: s.id, ...values, created_at: now })
          .onConflict((oc) => oc.column('id').doUpdateSet(values))
          .execute();
      }
      return {
        courses: catalogue.courses.length,
        offerings: catalogue.offerings.length,
        sessions: catalogue.sessions.length,
        sessionsRemoved,
      };
    });
  }

  private async withSessions(rows: OfferingRow[]): Promise<OfferingDetails[]> {
    if (rows.length === 0) return [];
    const sessions = await this.db
      .selectFrom('cpd_session')
      .selectAll()
      .where('offering_id', 'in', rows.map((r) => r.offering_id))
      .orderBy('offering_id')
      .orderBy('sequence')
      .execute();
    const byOffering = new Map<string, CpdSession[]>();
    for (const s of sessions) {
      const list = byOffering.get(s.offering_id) ?? [];
      list.push({
        id: s.id, offeringId: s.offering_id, sequence: s.sequence, startsAt: new Date(s.starts_at), endsAt: new Date(s.ends_at),
        mode: s.mode, venue: s.venue, meetingUrl: s.meeting_url,
      });
      byOffering.set(s.offering_id, list);
    }
    return rows.map((r) => ({
      course: {
        id: r.course_id, title: r.title, summary: r.summary, strandId: r.strand_id, audienceIds: r.audience_ids,
        facilitator: r.facilitator, kind: r.kind, categoryId: r.category_id, active: r.active,
      },
      offering: {
        id: r.offering_id, courseId: r.course_id, label: r.label, capacity: r.capacity,
        bookingClosesAt: new Date(r.booking_closes_at), status: r.status,
      },
      sessions: (byOffering.get(r.offering_id) ?? []).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()),
    }));
  }
}

/**
 * Sessions of the imported offerings that the new catalogue no longer lists. Done before the upsert,
 * and with sequences cleared first, so renumbered sessions never collide on (offering, sequence).
 */
async function removeUnlistedSessions(trx: Transaction<Database>, catalogue: CatalogueWrite): Promise<number> {
  const offeringIds = catalogue.offerings.map((o) => o.id);
  if (offeringIds.length === 0) return 0;
  const keep = catalogue.sessions.map((s) => s.id);
  let remove = trx.deleteFrom('cpd_session').where('offering_id', 'in', offeringIds);
  if (keep.length > 0) remove = remove.where('id', 'not in', keep);
  const removed = await remove.executeTakeFirst();
  // Park the remaining sequences out of the way; the upsert below writes the final numbers.
  await trx
    .updateTable('cpd_session')
    .set({ sequence: sql<number>`sequence + 100000` })
    .where('offering_id', 'in', offeringIds)
    .execute();
  return Number(removed.numDeletedRows);
}
