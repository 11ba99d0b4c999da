import type { Community, TrustProfile } from '../../trust/trust-profile.schema.js';
import { formatDay, localInstant, localParts } from '../cpd/cpd-time.domain.js';
import { fail, ok, type Result } from '../../shared/result.js';

/**
 * Pure rules of communities (networks, HLCs, workhubs, peer inquiry and research teams): when one
 * meets next, whether it is still running, what joining means for it, and the members' CSV.
 */

export type CommunityFailureCode =
  | 'not_found'
  | 'not_allowed'
  | 'community_ended'
  | 'not_a_member'
  | 'request_decided'
  | 'person_not_in_directory'
  | 'directory_unavailable';

export interface Meeting {
  at: Date;
  /** "Wed 16 Dec 2026, 13:30" */
  label: string;
  place: string;
}

const WEEKDAY_INDEX = { sunday: 0, monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6 } as const;
const DAY_MS = 86_400_000;
/** How far ahead the next meeting is looked for: a monthly rhythm always has one within 62 days. */
const LOOK_AHEAD_DAYS = 70;

/** The local calendar day of an instant as 'YYYY-MM-DD' (the trust's zone). */
export function localDay(now: Date, timeZone: string): string {
  const p = localParts(now, timeZone);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** A time-limited community has ended once its last day is behind us. */
export function hasEnded(community: Community, today: string): boolean {
  return community.ends !== undefined && community.ends < today;
}

/**
 * The next meeting after `now` by the community's rhythm: every week, every other week counted
 * from its first meeting, or the first such weekday of each month; never before its first meeting
 * nor after a time-limited community's last day.
 */
export function nextMeeting(community: Community, now: Date, timeZone: string): Meeting | undefined {
  const meets = community.meets;
  if (!meets) return undefined;
  const [fy, fm, fd] = meets.from.split('-').map(Number) as [number, number, number];
  const [hour, minute] = meets.time.split(':').map(Number) as [number, number];
  const weekday = WEEKDAY_INDEX[meets.weekday];
  const first = Date.UTC(fy, fm - 1, fd);
  const today = localParts(now, timeZone);
  const start = Date.UTC(today.year, today.month - 1, today.day);
  for (let day = Math.max(start, first); day <= start + LOOK_AHEAD_DAYS * DAY_MS; day += DAY_MS) {
    const date = new Date(day);
    if (date.getUTCDay() !== weekday) continue;
    const iso = date.toISOString().slice(0, 10);
    if (community.ends !== undefined && iso > community.ends) return undefined;
    if (meets.every === 'fortnight' && Math.round((day - first) / DAY_MS) % 14 >= 7) continue;
    if (meets.every === 'month' && date.getUTCDate() > 7) continue;
    const at = localInstant(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), hour, minute, timeZone);
    if (at.getTime() <= now.getTime()) continue;
    return { at, label: `${formatDay(at, timeZone)}, ${meets.time}`, place: meets.place };
  }
  return undefined;
}

/** What pressing Join means for this person now. */
export type JoinStep = 'join' | 'request' | 'already_member' | 'already_requested';

export function joinStep(community: Community, state: { member: boolean; requested: boolean }, today: string): Result<JoinStep, 'community_ended'> {
  if (state.member) return ok('already_member');
  if (hasEnded(community, today)) return fail('community_ended', `The ${community.name} finished on ${community.ends}, so it takes no new members.`);
  if (community.joining === 'open') return ok('join');
  return ok(state.requested ? 'already_requested' : 'request');
}

/** Who the community is for, in the trust's words ("Leaders, Teachers"). */
export function audienceLabel(profile: Pick<TrustProfile, 'cpd'>, community: Community): string {
  return community.audienceIds.map((id) => profile.cpd.audiences.find((a) => a.id === id)?.label ?? id).join(', ');
}

export interface MemberRow {
  displayName: string;
  joinedAt: Date;
}

/**
 * The member list as CSV (RFC 4180). A cell that a spreadsheet would read as a formula (=, +, -,
 * @, tab, CR) is prefixed with an apostrophe, so a display name cannot run code in Excel.
 */
export function membersCsv(community: Community, members: readonly MemberRow[]): string {
  const cell = (value: string): string => {
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  const rows = members.map((m) => [cell(community.name), cell(m.displayName), m.joinedAt.toISOString().slice(0, 10)].join(','));
  return ['community,name,joined', ...rows].join('\r\n');
}
