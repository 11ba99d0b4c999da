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
   * A statement per table (per 500 rows), not per row: the sample catalogue was ~100 statements, much
   * of a new embedded folder's start.
   */
  async write(catalogue: CatalogueWrite, now: Date): Promise<CatalogueWriteCounts> {
    return this.db.transaction().execute(async (trx) => {
      for (const part of chunks(lastById(catalogue.courses))) {
        await trx
          .insertInto('cpd_course')
          .values(part.map((c) => ({
            id: c.id, title: c.title, summary: c.summary, strand_id: c.strandId, audience_ids: JSON.stringify(c.audienceIds),
            facilitator: c.facilitator, kind: c.kind, category_id: c.categoryId, active: true, created_at: now, updated_at: now,
          })))
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({
              title: eb.ref('excluded.title'), summary: eb.ref('excluded.summary'), strand_id: eb.ref('excluded.strand_id'),
              audience_ids: eb.ref('excluded.audience_ids'), facilitator: eb.ref('excluded.facilitator'), kind: eb.ref('excluded.kind'),
              category_id: eb.ref('excluded.category_id'), updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
      }
      for (const part of chunks(lastById(catalogue.offerings))) {
        await trx
          .insertInto('cpd_offering')
          .values(part.map((o) => ({
            id: o.id, course_id: o.courseId, label: o.label, capacity: o.capacity, booking_closes_at: o.bookingClosesAt,
            status: 'scheduled' as const, created_at: now, updated_at: now,
          })))
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({
              course_id: eb.ref('excluded.course_id'), label: eb.ref('excluded.label'), capacity: eb.ref('excluded.capacity'),
              booking_closes_at: eb.ref('excluded.booking_closes_at'), updated_at: eb.ref('excluded.updated_at'),
            })),
          )
          .execute();
      }
      const sessionsRemoved = await removeUnlistedSessions(trx, catalogue);
      for (const part of chunks(lastById(catalogue.sessions))) {
        await trx
          .insertInto('cpd_session')
          .values(part.map((s) => ({
            id: s.id, offering_id: s.offeringId, sequence: s.sequence, starts_at: s.startsAt, ends_at: s.endsAt, mode: s.mode,
            venue: s.venue, meeting_url: s.meetingUrl, created_at: now, updated_at: now,
          })))
          .onConflict((oc) =>
            oc.column('id').doUpdateSet((eb) => ({
              offering_id: eb.ref('excluded.offering_id'), sequence: eb.ref('excluded.sequence'), starts_at: eb.ref('excluded.starts_at'),
              ends_at: eb.ref('excluded.ends_at'), mode: eb.ref('excluded.mode'), venue: eb.ref('excluded.venue'),
              meeting_url: eb.ref('excluded.meeting_url'), updated_at: eb.ref('excluded.updated_at'),
            })),
          )
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

/** Rows of one statement: well under PostgreSQL's 65,535 parameters at eleven columns a row. */
const CHUNK_ROWS = 500;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK_ROWS) out.push(rows.slice(i, i + CHUNK_ROWS));
  return out;
}

/** One row per id, the last given (as a statement per row left it): one upsert cannot touch a row twice. */
function lastById<T extends { id: string }>(rows: readonly T[]): T[] {
  return [...new Map(rows.map((r) => [r.id, r])).values()];
}
