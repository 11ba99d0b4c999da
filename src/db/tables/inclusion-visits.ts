import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { Timestamp } from './core.js';

/** Calendar dates (date columns) are read and written as 'YYYY-MM-DD': the date type parser returns the text. */
type DateText = string;

/** An Inclusion Support Visit request; free-text columns become null when retention erases them. */
export interface InclusionVisitTable {
  id: string;
  number: ColumnType<number, never, never>;
  submission_key: string;
  academy_id: string;
  hub_id: string;
  requester_aad_id: string;
  requester_name: string;
  requester_teams_id: string | null;
  focus_area_ids: JSONColumnType<string[]>;
  urgency: 'routine' | 'soon' | 'urgent';
  preferred_from: DateText | null;
  preferred_to: DateText | null;
  status: 'submitted' | 'assigned' | 'scheduled' | 'completed' | 'declined';
  version: Generated<number>;
  assignee_aad_id: string | null;
  assignee_name: string | null;
  scheduled_date: DateText | null;
  scheduled_time: string | null;
  other_focus: string | null;
  early_help: string | null;
  urgency_reason: string | null;
  preferred_note: string | null;
  contact: string | null;
  scheduled_with: string | null;
  decline_reason: string | null;
  outcome_notes: string | null;
  follow_up: string | null;
  recommended: string | null;
  channel_activity_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  closed_at: Timestamp | null;
  erased_at: Timestamp | null;
}

/** A question the Inclusion team asked the requester; texts become null when retention erases them. */
export interface InclusionVisitQuestionTable {
  id: string;
  visit_id: string;
  asked_by_aad_id: string;
  asked_by_name: string;
  question: string | null;
  asked_at: Timestamp;
  answer: string | null;
  answered_by_aad_id: string | null;
  answered_at: Timestamp | null;
}

export interface InclusionVisitTables {
  inclusion_visit: InclusionVisitTable;
  inclusion_visit_question: InclusionVisitQuestionTable;
}
