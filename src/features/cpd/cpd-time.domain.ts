import { TZDate } from '@date-fns/tz';
import { BoundedMemo } from '../../shared/bounded-memo.js';

/**
 * Local wall-clock time in the trust's zone ↔ UTC instants. Sessions are stored as instants and
 * written and read by people as Europe/London wall-clock times, so BST/GMT changes are handled here
 * (by @date-fns/tz over the platform's tz database) and nowhere else.
 */

export interface LocalParts {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  hour: number;
  minute: number;
}

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/;
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Every results card formats the same session times again; zone conversion through Intl is the
// costly part of a search turn's formatting, so recent answers are remembered (bounded).
const partsMemo = new BoundedMemo<LocalParts>(4096);

export function localParts(instant: Date, timeZone: string): LocalParts {
  return partsMemo.get(`${instant.getTime()}|${timeZone}`, () => computeLocalParts(instant, timeZone));
}

function computeLocalParts(instant: Date, timeZone: string): LocalParts {
  const t = new TZDate(instant.getTime(), timeZone);
  return Object.freeze({
    year: t.getFullYear(),
    month: t.getMonth() + 1,
    day: t.getDate(),
    weekday: t.getDay(),
    hour: t.getHours(),
    minute: t.getMinutes(),
  });
}

/** The instant of a local wall-clock time; day and month overflow roll over (32 Jan → 1 Feb). */
export function localInstant(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): Date {
  return new Date(new TZDate(year, month - 1, day, hour, minute, timeZone).getTime());
}

/** Local midnight at the start of a calendar day. */
export function localMidnight(year: number, month: number, day: number, timeZone: string): Date {
  return localInstant(year, month, day, 0, 0, timeZone);
}

/**
 * Reads 'YYYY-MM-DD HH:mm' as local time. Undefined when it is malformed, not a real date, or a
 * time that does not exist locally (the hour skipped when the clocks go forward).
 */
export function parseLocalDateTime(text: string, timeZone: string): Date | undefined {
  const m = LOCAL_DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return undefined;
  const instant = localInstant(year, month, day, hour, minute, timeZone);
  const back = localParts(instant, timeZone);
  const roundTrips = back.year === year && back.month === month && back.day === day && back.hour === hour && back.minute === minute;
  return roundTrips ? instant : undefined;
}

/** Reads a local date 'YYYY-MM-DD' as its calendar parts (no zone needed). */
export function parseLocalDate(text: string): { year: number; month: number; day: number } | undefined {
  const m = LOCAL_DATE.exec(text.trim());
  if (!m) return undefined;
  const [year, month, day] = m.slice(1).map(Number) as [number, number, number];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

/** 'YYYY-MM-DD HH:mm' in the local zone, the form the CSV import uses. */
export function formatLocalDateTime(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
export const MONTH_NAMES = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December',
] as const;

/** "Tue 12 Jan 2027" */
export function formatDay(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${WEEKDAYS[p.weekday]} ${p.day} ${MONTH_NAMES[p.month - 1].slice(0, 3)} ${p.year}`;
}

/** "15:45" */
export function formatTime(instant: Date, timeZone: string): string {
  const p = localParts(instant, timeZone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** "Tue 12 Jan 2027, 15:45–17:15" (the end date is named too when it is another day). */
export function formatSpan(starts: Date, ends: Date, timeZone: string): string {
  const startDay = formatDay(starts, timeZone);
  const endDay = formatDay(ends, timeZone);
  return startDay === endDay
    ? `${startDay}, ${formatTime(starts, timeZone)}–${formatTime(ends, timeZone)}`
    : `${startDay}, ${formatTime(starts, timeZone)} – ${endDay}, ${formatTime(ends, timeZone)}`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
