import type { Generated, JSONColumnType } from 'kysely';
import type { Timestamp } from './core.js';

/** A CPD course as the trust's brochure describes it: a programme (booked whole) or a standalone session. */
export interface CpdCourseTable {
  id: string;
  title: string;
  summary: string;
  /** A CPD strand id from the trust profile. */
  strand_id: string;
  /** Audience ids from the trust profile (leaders, teachers, teaching assistants…). */
  audience_ids: JSONColumnType<string[], string, string>;
  facilitator: string;
  kind: 'programme' | 'standalone';
  /** Laurus-style category (Professional Practice, Current Issues…), where a trust uses them. */
  category_id: string | null;
  active: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The bookable unit: a standalone course's single session, or a programme's cohort with all its sessions. */
export interface CpdOfferingTable {
  id: string;
  course_id: string;
  label: string;
  capacity: number;
  booking_closes_at: Timestamp;
  status: 'scheduled' | 'cancelled';
  /** Kept by a trigger on cpd_booking (migration 0005); never written by the app. */
  confirmed_count: Generated<number>;
  waitlisted_count: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CpdSessionTable {
  id: string;
  offering_id: string;
  /** 1-based order within the offering (by start time). */
  sequence: number;
  starts_at: Timestamp;
  ends_at: Timestamp;
  mode: 'in_person' | 'online';
  venue: string | null;
  meeting_url: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CpdCatalogueTables {
  cpd_course: CpdCourseTable;
  cpd_offering: CpdOfferingTable;
  cpd_session: CpdSessionTable;
}
