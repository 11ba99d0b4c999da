/** The shared send schedule (src/pacing/pacing-row.ts): one row per rate-limited sender, today 'teams'. */
export interface SendPacingTable {
  id: string;
  next_slot_ms: number;
  paused_until_ms: number;
}

export interface SendPacingTables {
  send_pacing: SendPacingTable;
}
