import type { ColumnType, Generated, JSONColumnType } from 'kysely';

export type Timestamp = ColumnType<Date, Date | string, Date | string>;

/**
 * Teams AI turn state (conversation/user scopes), one row per botbuilder storage key. Unused: the app
 * configures no turn-state storage (every feature keeps its state in its own tables). Migration 0001
 * made it; released migrations are not edited, so it stays until a migration drops it.
 */
export interface BotStateTable {
  key: string;
  document: JSONColumnType<Record<string, unknown>>;
  etag: string;
  updated_at: Timestamp;
}

/** Where the app is installed, kept so later features can message people and channels proactively. */
export interface ConversationReferenceTable {
  key: string;
  scope: 'personal' | 'channel' | 'groupChat';
  aad_object_id: string | null;
  conversation_id: string;
  tenant_id: string | null;
  team_id: string | null;
  service_url: string;
  reference: JSONColumnType<Record<string, unknown>>;
  installed_at: Timestamp;
  updated_at: Timestamp;
  uninstalled_at: Timestamp | null;
}

/** Who changed what: append-only. `details` never holds pupil-identifying free text. */
export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_aad_id: string | null;
  action: string;
  subject_type: string;
  subject_id: string;
  details: JSONColumnType<Record<string, unknown>>;
}

/** Durable outbox: work that must survive restarts and outages (calendar writes, proactive messages). */
export interface JobTable {
  id: string;
  kind: string;
  payload: JSONColumnType<Record<string, unknown>>;
  idempotency_key: string | null;
  status: 'pending' | 'running' | 'done' | 'failed';
  attempts: number;
  max_attempts: number;
  run_at: Timestamp;
  locked_until: Timestamp | null;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface CoreTables {
  bot_state: BotStateTable;
  conversation_reference: ConversationReferenceTable;
  audit_log: AuditLogTable;
  job: JobTable;
}
