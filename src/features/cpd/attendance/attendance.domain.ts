import { fail, ok, type Result } from '../../../shared/result.js';

export type AttendanceStatus = 'present' | 'absent' | 'late_cancelled';
export const ATTENDANCE_STATUSES: readonly AttendanceStatus[] = ['present', 'absent', 'late_cancelled'];

export type RegisterFailureCode =
  | 'invalid_action'
  | 'session_not_found'
  | 'not_your_session'
  | 'register_not_open'
  | 'not_on_register'
  | 'person_not_in_directory'
  | 'directory_unavailable';

/** The register opens this long before a session starts (people arrive early; a facilitator prepares it). */
export const REGISTER_OPENS_BEFORE_MS = 60 * 60_000;

/** Someone on a session's register: a confirmed place, or a place cancelled after booking closed. */
export interface RegisterEntry {
  bookingId: string;
  personAadId: string;
  personName: string;
  bookingStatus: 'confirmed' | 'cancelled';
  mark: AttendanceStatus | null;
  /** Who last marked them, and when: the register can be corrected later and keeps this. */
  markedByAadId: string | null;
  markedAt: Date | null;
}

/**
 * Who belongs on a register: every confirmed place, and places cancelled after booking closed (a
 * late cancellation the trust counts). Places cancelled earlier freed a seat for someone else.
 */
export function belongsOnRegister(
  booking: { status: 'confirmed' | 'waitlisted' | 'cancelled'; cancelledAt: Date | null },
  bookingClosesAt: Date,
): boolean {
  if (booking.status === 'confirmed') return true;
  return booking.status === 'cancelled' && booking.cancelledAt !== null && booking.cancelledAt.getTime() >= bookingClosesAt.getTime();
}

/** A register can be taken from an hour before the session starts, and corrected at any time after. */
export function decideRegisterOpen(startsAt: Date, now: Date): Result<true, RegisterFailureCode> {
  if (now.getTime() < startsAt.getTime() - REGISTER_OPENS_BEFORE_MS) {
    return fail('register_not_open', 'The register for this session opens an hour before it starts.');
  }
  return ok(true);
}

/** Who may take a register: the Development Team for any session; a facilitator for sessions they run. */
export function runsSession(facilitator: string, person: { displayName: string; email?: string | undefined }): boolean {
  const names = facilitator
    .toLowerCase()
    .split(/\s*(?:,|&|\band\b|\/)\s*/)
    .map((n) => n.trim())
    .filter(Boolean);
  const own = person.displayName.trim().toLowerCase();
  const email = person.email?.trim().toLowerCase();
  return names.some((n) => n === own || (email !== undefined && n === email));
}

/** The marks a Save carries, checked against the register: every id must be someone on it. */
export function checkMarks(
  marks: ReadonlyMap<string, AttendanceStatus>,
  entries: readonly RegisterEntry[],
): Result<Array<{ entry: RegisterEntry; status: AttendanceStatus }>, RegisterFailureCode> {
  const byId = new Map(entries.map((e) => [e.bookingId, e]));
  const changes: Array<{ entry: RegisterEntry; status: AttendanceStatus }> = [];
  for (const [bookingId, status] of marks) {
    const entry = byId.get(bookingId);
    if (!entry) return fail('not_on_register', 'That register lists someone who is not booked on this session, so nothing was saved.');
    if (entry.mark !== status) changes.push({ entry, status });
  }
  return ok(changes);
}

/** Hours of CPD a session gives, to the quarter hour. */
export function sessionHours(startsAt: Date, endsAt: Date): number {
  return Math.max(0, Math.round(((endsAt.getTime() - startsAt.getTime()) / 3_600_000) * 4) / 4);
}
