import type { ColumnType, JSONColumnType } from 'kysely';
import type { Timestamp } from './core.js';

type DateText = string;

export interface StoredMeasure {
  id: string;
  description: string;
  baseline: string;
  target: string;
  reviewDate: string;
  judgement: 'met' | 'partly_met' | 'not_met' | null;
  judgementNote: string | null;
}

/** A bespoke-support commission (src/features/commissions). */
export interface CommissionTable {
  id: string;
  number: ColumnType<number, never, never>;
  submission_key: string;
  academy_id: string;
  support_type_id: string;
  need: string;
  evidence: string;
  external_school: JSONColumnType<{ name: string; keyOutcomes: string[]; termCount: number } | null, string | null, string | null>;
  measures: JSONColumnType<StoredMeasure[], string, string>;
  assigned_staff: JSONColumnType<string[], string, string>;
  start_date: DateText | null;
  end_date: DateText | null;
  status: 'requested' | 'agreed' | 'in_progress' | 'impact_review' | 'closed' | 'declined';
  version: ColumnType<number, number | undefined, number>;
  decline_reason: string | null;
  raised_by_aad_id: string;
  raised_by_name: string;
  created_at: Timestamp;
  updated_at: Timestamp;
  closed_at: Timestamp | null;
}

/** The dated update log: one row per step or note, never changed. */
export interface CommissionUpdateTable {
  id: string;
  commission_id: string;
  at: Timestamp;
  by_aad_id: string;
  by_name: string;
  kind: 'raised' | 'agreed' | 'declined' | 'started' | 'review_begun' | 'closed' | 'note' | 'review';
  status_after: string;
  text: string | null;
}

/** The channel an academy's commission tab lives in. */
export interface CommissionChannelTable {
  academy_id: string;
  team_id: string;
  channel_id: string;
  entity_id: string;
  linked_by_aad_id: string;
  updated_at: Timestamp;
}

export interface CommissionTables {
  commission: CommissionTable;
  commission_update: CommissionUpdateTable;
  commission_channel: CommissionChannelTable;
}
