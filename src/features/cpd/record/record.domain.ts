import { localParts } from '../cpd-time.domain.js';

/** One line of a person's CPD record: a session they attended, or CPD they added themselves. */
export interface RecordEntry {
  source: 'trust' | 'external';
  title: string;
  /** The session's date or the external CPD's completion date. */
  date: Date;
  hours: number;
  strandName: string;
  /** Trust CPD: the provider is the trust's team; external: what the person wrote. */
  provider: string;
  reflection: string;
  impact: string;
  evidenceUrl: string;
}

export interface AcademicYearGroup {
  /** "2026-27" */
  year: string;
  hours: number;
  entries: RecordEntry[];
}

/** "2026-27" for a date in the trust's academic year starting in `startsMonth` (1–12). */
export function academicYearOf(date: Date, startsMonth: number, timeZone: string): string {
  const p = localParts(date, timeZone);
  const first = p.month >= startsMonth ? p.year : p.year - 1;
  return `${first}-${String((first + 1) % 100).padStart(2, '0')}`;
}

/** Entries grouped by academic year, newest year first, each year's entries newest first. */
export function groupByAcademicYear(entries: readonly RecordEntry[], startsMonth: number, timeZone: string): AcademicYearGroup[] {
  const groups = new Map<string, RecordEntry[]>();
  for (const entry of entries) {
    const year = academicYearOf(entry.date, startsMonth, timeZone);
    groups.set(year, [...(groups.get(year) ?? []), entry]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => b.localeCompare(a))
    .map(([year, list]) => ({
      year,
      hours: roundHours(list.reduce((sum, e) => sum + e.hours, 0)),
      entries: [...list].sort((a, b) => b.date.getTime() - a.date.getTime()),
    }));
}

export const roundHours = (h: number): number => Math.round(h * 100) / 100;

export const RECORD_CSV_HEADER = ['academic_year', 'date', 'title', 'source', 'provider', 'strand', 'hours', 'reflection', 'impact', 'evidence_url'] as const;

/**
 * The record as CSV (RFC 4180, CRLF, UTF-8 with a BOM so Excel reads accents). Cells that a
 * spreadsheet would run as a formula (=, +, -, @ first) are prefixed with ' so the file is safe to open.
 */
export function recordCsv(groups: readonly AcademicYearGroup[], timeZone: string): string {
  const rows: string[][] = [[...RECORD_CSV_HEADER]];
  for (const group of groups) {
    for (const e of group.entries) {
      const d = localParts(e.date, timeZone);
      rows.push([
        group.year,
        `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`,
        e.title,
        e.source,
        e.provider,
        e.strandName,
        String(e.hours),
        e.reflection,
        e.impact,
        e.evidenceUrl,
      ]);
    }
  }
  return '\uFEFF' + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

// A spreadsheet runs a cell as a formula when it starts with = + - @ (or a tab / carriage return
// before one), also after leading spaces, and with the full-width forms some keyboards type.
const FORMULA_START = /^[\s\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|^[\t\r]/;

/** One CSV cell: formula-like text prefixed with ' (shown, never run), then RFC 4180 quoting. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export type RecordFailureCode =
  | 'invalid_external'
  | 'invalid_goal'
  | 'too_many_goals'
  | 'goal_not_found'
  | 'person_not_in_directory'
  | 'directory_unavailable'
  | 'invalid_action';

