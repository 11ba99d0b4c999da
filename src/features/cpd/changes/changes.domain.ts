import { fail, ok, type Result } from '../../../shared/result.js';
import { formatDay, formatLocalDateTime, formatSpan, formatTime, parseLocalDateTime } from '../cpd-time.domain.js';

export type ChangeFailureCode =
  | 'invalid_action'
  | 'session_not_found'
  | 'not_allowed'
  | 'offering_cancelled'
  | 'move_into_past'
  | 'invalid_time'
  | 'invalid_link'
  | 'capacity_below_booked'
  | 'invalid_capacity'
  | 'nothing_changed'
  | 'person_not_in_directory'
  | 'directory_unavailable';

export interface SessionPlace {
  startsAt: Date;
  endsAt: Date;
  venue: string | null;
  meetingUrl: string | null;
}

export interface MoveInput {
  date: string;
  starts: string;
  ends: string;
  venue: string;
  meetingUrl: string;
  capacity: string;
}

export interface MoveDecision {
  to: SessionPlace & { mode: 'in_person' | 'online' };
  capacity: number;
  /** What changed, in the words the notice uses ("Time: … → …"). */
  lines: string[];
  timeChanged: boolean;
  placeChanged: boolean;
  capacityRaisedBy: number;
}

const MAX_TEXT = 300;

/**
 * A Development Team change to a session: new time, venue or Teams link, and the offering's
 * capacity. Blank fields keep what is there. Never into the past, the end after the start, links
 * https only, capacity never below the places already confirmed.
 */
export function decideMove(
  current: SessionPlace & { capacity: number; confirmed: number },
  input: MoveInput,
  now: Date,
  timeZone: string,
): Result<MoveDecision, ChangeFailureCode> {
  const currentDate = formatLocalDateTime(current.startsAt, timeZone).slice(0, 10);
  const date = input.date.trim() || currentDate;
  const starts = parseLocalDateTime(`${date} ${input.starts.trim() || formatTime(current.startsAt, timeZone)}`, timeZone);
  const ends = parseLocalDateTime(`${date} ${input.ends.trim() || formatTime(current.endsAt, timeZone)}`, timeZone);
  if (!starts || !ends) return fail('invalid_time', 'Write the date as YYYY-MM-DD and the times as HH:MM (for example 2027-01-12 and 15:45).');
  if (ends.getTime() <= starts.getTime()) return fail('invalid_time', 'The session must end after it starts.');
  if (starts.getTime() <= now.getTime()) return fail('move_into_past', 'A session cannot be moved into the past: choose a time that has not happened yet.');
  const venue = input.venue.trim() || current.venue;
  if (venue !== null && venue.length > MAX_TEXT) return fail('invalid_time', `The venue can be at most ${MAX_TEXT} characters.`);
  const link = input.meetingUrl.trim() || current.meetingUrl;
  if (link !== null && !isHttpsUrl(link)) return fail('invalid_link', 'The Teams link must be a web address starting with https://.');
  let capacity = current.capacity;
  if (input.capacity.trim() !== '') {
    const n = Number(input.capacity.trim());
    if (!Number.isInteger(n) || n < 1 || n > 10_000) return fail('invalid_capacity', 'Capacity must be a whole number from 1 to 10000.');
    if (n < current.confirmed) {
      return fail('capacity_below_booked', `${current.confirmed} places are already confirmed, so the capacity cannot go below ${current.confirmed}.`);
    }
    capacity = n;
  }
  const lines: string[] = [];
  const timeChanged = starts.getTime() !== current.startsAt.getTime() || ends.getTime() !== current.endsAt.getTime();
  if (timeChanged) lines.push(`When: ${formatSpan(current.startsAt, current.endsAt, timeZone)} → ${formatSpan(starts, ends, timeZone)}`);
  const placeChanged = venue !== current.venue || link !== current.meetingUrl;
  if (venue !== current.venue) lines.push(`Where: ${current.venue ?? 'Online'} → ${venue ?? 'Online'}`);
  if (link !== current.meetingUrl) lines.push('Teams link: a new link (use the button below)');
  if (!timeChanged && !placeChanged && capacity === current.capacity) return fail('nothing_changed', 'Nothing was different from what is there now, so nothing was changed.');
  return ok({
    to: { startsAt: starts, endsAt: ends, venue, meetingUrl: link, mode: venue !== null && venue !== '' ? 'in_person' : 'online' },
    capacity,
    lines,
    timeChanged,
    placeChanged,
    capacityRaisedBy: Math.max(0, capacity - current.capacity),
  });
}

export function isHttpsUrl(text: string): boolean {
  try {
    return new URL(text).protocol === 'https:';
  } catch {
    return false;
  }
}

/** "Tue 12 Jan 2027": the day a notice names for a cancelled course. */
export const cancelledLine = (title: string, firstStartsAt: Date, timeZone: string): string => `${title}, from ${formatDay(firstStartsAt, timeZone)}, is cancelled.`;
