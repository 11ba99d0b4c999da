import type { ColumnType, JSONColumnType } from 'kysely';
import type { Timestamp } from './core.js';

export type AttendanceStatus = 'present' | 'absent' | 'late_cancelled';

/** The register: one row per session and booking, corrected in place (who changed what is in audit_log). */
export interface CpdAttendanceTable {
  session_id: string;
  booking_id: string;
  person_aad_id: string;
  status: AttendanceStatus;
  recorded_by_aad_id: string;
  recorded_at: Timestamp;
}

export interface CpdFeedbackTable {
  session_id: string;
  person_aad_id: string;
  offering_id: string;
  scores: JSONColumnType<Record<string, number>, string, string>;
  do_differently: string | null;
  submitted_at: Timestamp;
  updated_at: Timestamp;
}

export interface CpdImpactCheckInTable {
  session_id: string;
  person_aad_id: string;
  offering_id: string;
  applied: 'yes' | 'partly' | 'not_yet';
  pupil_change: string | null;
  answered_at: Timestamp;
}

/** CPD done outside the trust's catalogue (an NPQ unit, a Masters module, a conference). */
export interface CpdExternalTable {
  id: string;
  person_aad_id: string;
  title: string;
  provider: string | null;
  /** numeric(6,2): pg returns it as a string. */
  hours: ColumnType<string, number | string, number | string>;
  completed_on: ColumnType<string, string, string>;
  strand_id: string | null;
  evidence_url: string | null;
  reflection: string | null;
  created_at: Timestamp;
}

export interface CpdGoalTable {
  id: string;
  person_aad_id: string;
  text: string;
  strand_id: string;
  created_at: Timestamp;
  closed_at: Timestamp | null;
}

export interface CpdGoalSuggestionTable {
  person_aad_id: string;
  offering_id: string;
  goal_id: string;
  suggested_at: Timestamp;
  delivery_key: string;
}

export interface CpdFollowUpPreferenceTable {
  person_aad_id: string;
  reminders_muted: boolean;
  updated_at: Timestamp;
}

export interface CpdDeliveryTable {
  key: string;
  kind: string;
  person_aad_id: string;
  outcome: 'sent' | 'unreachable' | 'skipped';
  reason: string | null;
  at: Timestamp;
}

export interface CpdExportTokenTable {
  token: string;
  person_aad_id: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface CpdFollowUpTables {
  cpd_attendance: CpdAttendanceTable;
  cpd_feedback: CpdFeedbackTable;
  cpd_impact_check_in: CpdImpactCheckInTable;
  cpd_external: CpdExternalTable;
  cpd_goal: CpdGoalTable;
  cpd_goal_suggestion: CpdGoalSuggestionTable;
  cpd_follow_up_preference: CpdFollowUpPreferenceTable;
  cpd_delivery: CpdDeliveryTable;
  cpd_export_token: CpdExportTokenTable;
}
