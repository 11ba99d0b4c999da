import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { Timestamp } from './core.js';

export type AnnouncementStatus = 'draft' | 'scheduled' | 'sending' | 'sent' | 'cancelled' | 'recalled';
export type RecipientStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'unreachable' | 'cancelled' | 'recalled';

export interface AnnouncementAudienceColumn {
  communityIds: string[];
  hubIds: string[];
  academyIds: string[];
  roles: string[];
}

export interface AnnouncementEventColumn {
  date: string;
  time: string;
  place: string;
}

/** A Development Team announcement: a draft until sent; its fan-out lives in announcement_recipient. */
export interface AnnouncementTable {
  id: string;
  author_aad_id: string;
  author_name: string;
  status: AnnouncementStatus;
  version: Generated<number>;
  title: string;
  body: string;
  audience: JSONColumnType<AnnouncementAudienceColumn>;
  delivery: 'channel' | 'personal' | 'both';
  event: JSONColumnType<AnnouncementEventColumn | null, string | null, string | null>;
  link: JSONColumnType<{ title: string; url: string } | null, string | null, string | null>;
  send_at: Timestamp | null;
  /** Where the author's status card is (1:1 chat), so it can be updated as the send progresses. */
  status_card: JSONColumnType<{ activityId: string } | null, string | null, string | null>;
  status_card_at: Timestamp | null;
  muted_count: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

/** One conversation an announcement goes to: a person's 1:1 chat or a community channel. */
export interface AnnouncementRecipientTable {
  id: string;
  announcement_id: string;
  kind: 'person' | 'channel';
  target: string;
  team_id: string | null;
  status: RecipientStatus;
  reason: string | null;
  activity_id: string | null;
  /** How many times a worker claimed it: above 1 means a lease ran out mid-send (a possible repeat). */
  claims: Generated<number>;
  lease_until: Timestamp | null;
  updated_at: Timestamp;
  sent_at: Timestamp | null;
}

export interface AnnouncementRsvpTable {
  announcement_id: string;
  aad_object_id: string;
  answer: 'going' | 'not_going';
  updated_at: Timestamp;
}

export interface AnnouncementMuteTable {
  aad_object_id: string;
  community_id: string;
  muted_at: ColumnType<Date, Date | string, never>;
}

export interface AnnouncementTables {
  announcement: AnnouncementTable;
  announcement_recipient: AnnouncementRecipientTable;
  announcement_rsvp: AnnouncementRsvpTable;
  announcement_mute: AnnouncementMuteTable;
}
