import type { ColumnType, Generated } from 'kysely';
import type { Timestamp } from './core.js';

/** One person's place on an offering. At most one active (confirmed or waitlisted) row per person and offering. */
export interface CpdBookingTable {
  id: string;
  offering_id: string;
  person_aad_id: string;
  person_name: string;
  person_email: string | null;
  /** The person's Teams user id for this bot ('29:…'), for card refresh (migration 0004); optional on insert. */
  person_teams_id: ColumnType<string | null, string | null | undefined, string | null>;
  status: 'confirmed' | 'waitlisted' | 'cancelled';
  /** Database-assigned arrival order: the waitlist is served in this order. */
  arrival_seq: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  cancelled_at: Timestamp | null;
}

export interface CpdBookingTables {
  cpd_booking: CpdBookingTable;
}
