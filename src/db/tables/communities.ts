import type { Timestamp } from './core.js';

/** A person's membership of a community (the communities themselves are trust-profile data). */
export interface CommunityMemberTable {
  community_id: string;
  aad_object_id: string;
  display_name: string;
  joined_at: Timestamp;
}

/** A request to join a by-request community, decided by one of its leads. */
export interface CommunityJoinRequestTable {
  id: string;
  community_id: string;
  aad_object_id: string;
  display_name: string;
  status: 'pending' | 'approved' | 'declined';
  decided_by_aad_id: string | null;
  decided_at: Timestamp | null;
  created_at: Timestamp;
}

export interface CommunityTables {
  community_member: CommunityMemberTable;
  community_join_request: CommunityJoinRequestTable;
}
