import type { Timestamp } from './core.js';

/** An Outlook event Development Hub created for one session of a confirmed booking. */
export interface CpdCalendarEventTable {
  booking_id: string;
  session_id: string;
  person_aad_id: string;
  /** The Graph event id, for DELETE /users/{id}/events/{eventId}. */
  event_id: string;
  /** The transactionId sent on create, so a retried POST is not a second event. */
  transaction_id: string;
  created_at: Timestamp;
}

export interface CpdCalendarTables {
  cpd_calendar_event: CpdCalendarEventTable;
}
