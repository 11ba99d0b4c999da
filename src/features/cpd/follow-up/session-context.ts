import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { Executor } from '../booking/booking.queries.js';

/** One session with what follow-up needs of its offering and course. */
export interface SessionContext {
  sessionId: string;
  sequence: number;
  sessionCount: number;
  startsAt: Date;
  endsAt: Date;
  mode: 'in_person' | 'online';
  venue: string | null;
  meetingUrl: string | null;
  offeringId: string;
  offeringLabel: string;
  offeringStatus: 'scheduled' | 'cancelled';
  capacity: number;
  bookingClosesAt: Date;
  courseId: string;
  title: string;
  summary: string;
  strandId: string;
  facilitator: string;
}

interface Row {
  session_id: string;
  sequence: number;
  session_count: number | string;
  starts_at: Date;
  ends_at: Date;
  mode: 'in_person' | 'online';
  venue: string | null;
  meeting_url: string | null;
  offering_id: string;
  label: string;
  status: 'scheduled' | 'cancelled';
  capacity: number;
  booking_closes_at: Date;
  course_id: string;
  title: string;
  summary: string;
  strand_id: string;
  facilitator: string;
}

const toContext = (r: Row): SessionContext => ({
  sessionId: r.session_id,
  sequence: r.sequence,
  sessionCount: Number(r.session_count),
  startsAt: new Date(r.starts_at),
  endsAt: new Date(r.ends_at),
  mode: r.mode,
  venue: r.venue,
  meetingUrl: r.meeting_url,
  offeringId: r.offering_id,
  offeringLabel: r.label,
  offeringStatus: r.status,
  capacity: r.capacity,
  bookingClosesAt: new Date(r.booking_closes_at),
  courseId: r.course_id,
  title: r.title,
  summary: r.summary,
  strandId: r.strand_id,
  facilitator: r.facilitator,
});

const SELECT = sql`
  select s.id as session_id, s.sequence, s.starts_at, s.ends_at, s.mode, s.venue, s.meeting_url,
         (select count(*) from cpd_session x where x.offering_id = s.offering_id) as session_count,
         o.id as offering_id, o.label, o.status, o.capacity, o.booking_closes_at,
         c.id as course_id, c.title, c.summary, c.strand_id, c.facilitator
  from cpd_session s
  join cpd_offering o on o.id = s.offering_id
  join cpd_course c on c.id = o.course_id`;

export async function findSession(db: Executor, sessionId: string): Promise<SessionContext | undefined> {
  const result = await sql<Row>`${SELECT} where s.id = ${sessionId}`.execute(db);
  const row = result.rows[0];
  return row ? toContext(row) : undefined;
}

export async function sessionsOfOffering(db: Executor, offeringId: string): Promise<SessionContext[]> {
  const result = await sql<Row>`${SELECT} where s.offering_id = ${offeringId} order by s.sequence`.execute(db);
  return result.rows.map(toContext);
}

/**
 * Sessions whose course title contains every word typed ("register for phonics"), nearest to `now`
 * first (the one happening today before last week's), at most `limit`.
 */
export async function sessionsMatching(db: Db, words: readonly string[], now: Date, limit: number): Promise<SessionContext[]> {
  if (words.length === 0) return [];
  const conditions = words.map((w) => sql`c.title ilike ${'%' + w.replace(/[\\%_]/g, (m) => '\\' + m) + '%'}`);
  const result = await sql<Row>`${SELECT}
    where ${sql.join(conditions, sql` and `)}
    order by abs(extract(epoch from (s.starts_at - ${now}::timestamptz))), s.id
    limit ${limit}`.execute(db);
  return result.rows.map(toContext);
}
