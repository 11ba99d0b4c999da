import { localInstant, localParts } from '../cpd-time.domain.js';

/** When reminders go out, from the trust profile: `daysBefore` whole local days before, at local `at` (HH:MM). */
export interface ReminderTiming {
  daysBefore: number;
  at: string;
}

/** The instant a session's reminder is due: e.g. 16:00 local on the day before its local date. */
export function reminderDueAt(startsAt: Date, timing: ReminderTiming, timeZone: string): Date {
  const day = localParts(startsAt, timeZone);
  const [hour, minute] = timing.at.split(':').map(Number) as [number, number];
  const due = localInstant(day.year, day.month, day.day - timing.daysBefore, hour, minute, timeZone);
  // A reminder "the day before at 16:00" for a 09:00 session is before it; with daysBefore 0 and a
  // session earlier than `at`, the reminder would come after the start, so it goes two hours before.
  return due.getTime() < startsAt.getTime() ? due : new Date(startsAt.getTime() - 2 * 3_600_000);
}

/**
 * Whether a session's reminder should be sent now: it is due and the session has not started. A
 * place booked after the due time still gets its reminder straight away, as long as the session is ahead.
 */
export function isReminderDue(startsAt: Date, timing: ReminderTiming, timeZone: string, now: Date): boolean {
  return reminderDueAt(startsAt, timing, timeZone).getTime() <= now.getTime() && startsAt.getTime() > now.getTime();
}

/** The sweep looks this far ahead for sessions, enough for any daysBefore the profile allows (14). */
export const REMINDER_LOOKAHEAD_MS = 16 * 86_400_000;

/**
 * The effect key of one reminder: the booking and the session's start. A session moved to another
 * time is a new reminder (the person should hear about the new time); the same one never twice.
 */
export function reminderKey(bookingId: string, sessionId: string, startsAt: Date): string {
  return `cpd.reminder:${bookingId}:${sessionId}:${startsAt.toISOString()}`;
}

/** The next sweep slot: the start of the next minute, so every instance enqueues the same sweep job once. */
export function nextSweepSlot(now: Date): Date {
  return new Date(Math.floor(now.getTime() / 60_000) * 60_000 + 60_000);
}
