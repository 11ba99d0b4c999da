/**
 * The CPD catalogue CSV: one row per session. Rows are grouped into courses and offerings, every
 * row is checked (shape with zod, then consistency across rows), and either the whole catalogue
 * comes back or every problem does, each with its line number, so nothing half-imports.
 *
 * Columns (header row required, any order; optional columns may be left out):
 *   course_id       id of the course (lower-case letters, digits, - or _), e.g. subject-leader-programme
 *   course_title    e.g. Subject Leader Development Programme
 *   summary         one or two sentences for the card's details
 *   strand          a CPD strand id from the trust profile, e.g. curriculum-assessment
 *   audiences       audience ids from the trust profile separated by ';', e.g. leaders;teachers
 *   facilitator     who leads it
 *   kind            programme (booked as a whole) or standalone (exactly one session)
 *   category        optional category id from the trust profile (e.g. Laurus-style professional-practice)
 *   offering_id     id of the bookable cohort or date, e.g. subject-leader-programme-spring-2027
 *   offering_label  e.g. Spring 2027 cohort
 *   capacity        places, a whole number from 1
 *   booking_closes  optional local 'YYYY-MM-DD HH:mm'; default: the profile's hours before the first session
 *   session_start   local (Europe/London for Harmony) 'YYYY-MM-DD HH:mm'
 *   session_end     local 'YYYY-MM-DD HH:mm', after session_start
 *   mode            in_person or online
 *   venue           required when in_person
 *   meeting_url     required when online: the https Teams meeting link
 */
import { parse } from 'csv-parse/sync';
import { z } from 'zod/v4';
import { fail, ok, type Failure, type Success } from '../../../shared/result.js';
import type { CpdTaxonomy } from '../cpd.taxonomy.js';
import { formatLocalDateTime, parseLocalDateTime } from '../cpd-time.domain.js';
import type { CatalogueWrite } from './catalogue.domain.js';

export const CSV_COLUMNS = [
  'course_id', 'course_title', 'summary', 'strand', 'audiences', 'facilitator', 'kind', 'category',
  'offering_id', 'offering_label', 'capacity', 'booking_closes', 'session_start', 'session_end', 'mode', 'venue', 'meeting_url',
] as const;
const OPTIONAL_COLUMNS = new Set<string>(['category', 'booking_closes', 'venue', 'meeting_url']);
export type CsvColumn = (typeof CSV_COLUMNS)[number];

export interface ImportProblem {
  /** 1-based line in the file where the row starts. */
  line: number;
  /** The column at fault, or 'file' for problems with the file as a whole. */
  field: CsvColumn | 'file';
  message: string;
}

export type CatalogueParse = Success<CatalogueWrite> | (Failure<'invalid_catalogue'> & { problems: ImportProblem[] });

const MAX_ROWS = 20_000;

const id = z
  .string()
  .regex(/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/, { message: 'must be lower-case letters and digits joined by - or _' })
  .max(120, { message: 'must be at most 120 characters' });
const text = (max: number) =>
  z.string().min(1, { message: 'must not be empty' }).max(max, { message: `must be at most ${max} characters` });
const optional = (schema: z.ZodType<string>) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

const rowSchema = z.object({
  course_id: id,
  course_title: text(200),
  summary: text(2000),
  strand: z.string().min(1, { message: 'must not be empty' }),
  audiences: z.string().min(1, { message: 'must name at least one audience' }),
  facilitator: text(200),
  kind: z.enum(['programme', 'standalone'], { message: 'must be programme or standalone' }),
  category: optional(z.string()),
  offering_id: id,
  offering_label: text(120),
  capacity: z
    .string()
    .regex(/^\d+$/, { message: 'must be a whole number', abort: true })
    .transform(Number)
    .pipe(z.number().int().min(1, { message: 'must be at least 1' }).max(10_000, { message: 'must be at most 10000' })),
  booking_closes: optional(z.string()),
  session_start: z.string().min(1, { message: 'must not be empty' }),
  session_end: z.string().min(1, { message: 'must not be empty' }),
  mode: z
    .string()
    .transform((v) => v.toLowerCase().replace(/[\s-]+/g, '_'))
    .pipe(z.enum(['in_person', 'online'], { message: 'must be in_person or online' })),
  venue: optional(text(200)),
  meeting_url: optional(
    z.url({ protocol: /^https$/, message: 'must be an https link such as https://teams.microsoft.com/l/meetup-join/…' }).max(2000),
  ),
});

type Row = z.infer<typeof rowSchema>;

interface CheckedRow {
  line: number;
  row: Row;
  audienceIds: string[];
  startsAt: Date;
  endsAt: Date;
  bookingClosesAt: Date | undefined;
}

/** Parses and checks a catalogue CSV against the trust's strands, audiences and categories. */
export function parseCatalogueCsv(csv: string, taxonomy: CpdTaxonomy): CatalogueParse {
  const problems: ImportProblem[] = [];
  const records = readRecords(csv, problems);
  if (!records) return invalid(problems);
  const [header, ...rows] = records;
  if (!header) return invalid([{ line: 1, field: 'file', message: 'the file is empty: it needs a header row and one row per session' }]);
  const columns = checkHeader(header.values, problems);
  if (!columns) return invalid(problems);
  if (rows.length === 0) return invalid([{ line: header.line + 1, field: 'file', message: 'there are no session rows under the header' }]);
  if (rows.length > MAX_ROWS) return invalid([{ line: 1, field: 'file', message: `has ${rows.length} rows; split it into files of at most ${MAX_ROWS}` }]);

  const checked: CheckedRow[] = [];
  for (const record of rows) {
    if (record.values.length !== columns.length) {
      problems.push({ line: record.line, field: 'file', message: `has ${record.values.length} values but the header has ${columns.length} columns` });
      continue;
    }
    const raw = Object.fromEntries(columns.map((c, i) => [c, (record.values[i] ?? '').trim()]));
    const row = checkRow(record.line, raw, taxonomy, problems);
    if (row) checked.push(row);
  }
  const catalogue = assemble(checked, taxonomy, problems);
  if (problems.length > 0) return invalid(problems.sort((a, b) => a.line - b.line));
  return ok(catalogue);
}

function invalid(problems: ImportProblem[]): CatalogueParse {
  const count = problems.length;
  return { ...fail('invalid_catalogue', `${count} problem${count === 1 ? '' : 's'} in the catalogue file; nothing was imported`), problems };
}

function readRecords(csv: string, problems: ImportProblem[]): Array<{ line: number; values: string[] }> | undefined {
  try {
    const parsed = parse(csv, { info: true, raw: true, bom: true, skip_empty_lines: true, relax_column_count: true }) as unknown as Array<{
      record: string[];
      raw: string;
      info: { lines: number };
    }>;
    return parsed
      .filter((p) => p.record.some((v) => v.trim() !== ''))
      .map((p) => {
        // info.lines is where the record ends; step back over line breaks inside it to where it starts.
        const body = p.raw.replace(/^[\r\n]+/, '').replace(/\r?\n$/, '');
        return { line: p.info.lines - (body.match(/\n/g)?.length ?? 0), values: p.record };
      });
  } catch (error) {
    const e = error as { message?: string; lines?: number };
    problems.push({ line: e.lines ?? 1, field: 'file', message: `is not readable CSV: ${e.message ?? String(error)}` });
    return undefined;
  }
}

function checkHeader(values: string[], problems: ImportProblem[]): CsvColumn[] | undefined {
  const names = values.map((v) => v.trim().toLowerCase());
  const known = new Set<string>(CSV_COLUMNS);
  for (const name of names) {
    if (!known.has(name)) problems.push({ line: 1, field: 'file', message: `unknown column "${name}" (the columns are ${CSV_COLUMNS.join(', ')})` });
  }
  const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
  for (const name of new Set(duplicates)) problems.push({ line: 1, field: 'file', message: `column "${name}" appears twice` });
  for (const column of CSV_COLUMNS) {
    if (!OPTIONAL_COLUMNS.has(column) && !names.includes(column)) problems.push({ line: 1, field: 'file', message: `the required column "${column}" is missing` });
  }
  return problems.length > 0 ? undefined : (names as CsvColumn[]);
}

function checkRow(line: number, raw: Record<string, string>, taxonomy: CpdTaxonomy, problems: ImportProblem[]): CheckedRow | undefined {
  const before = problems.length;
  const report = (field: CsvColumn, message: string) => problems.push({ line, field, message });
  const parsed = rowSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) report((issue.path[0] as CsvColumn | undefined) ?? 'course_id', issue.message);
    return undefined;
  }
  const row = parsed.data;
  const strands = taxonomy.strands.map((s) => s.id);
  if (!strands.includes(row.strand)) report('strand', `"${row.strand}" is not a CPD strand in the trust profile (${strands.join(', ')})`);
  const audienceIds = [...new Set(row.audiences.split(';').map((a) => a.trim()).filter(Boolean))];
  const knownAudiences = taxonomy.audiences.map((a) => a.id);
  if (audienceIds.length === 0) report('audiences', 'must name at least one audience');
  for (const a of audienceIds) {
    if (!knownAudiences.includes(a)) report('audiences', `"${a}" is not an audience in the trust profile (${knownAudiences.join(', ')})`);
  }
  if (row.category !== undefined && !taxonomy.categories.some((c) => c.id === row.category)) {
    const listed = taxonomy.categories.map((c) => c.id);
    report('category', listed.length > 0 ? `"${row.category}" is not a category in the trust profile (${listed.join(', ')})` : 'the trust profile has no categories: leave it empty');
  }
  const startsAt = localTime(row.session_start, 'session_start', taxonomy.timeZone, report);
  const endsAt = localTime(row.session_end, 'session_end', taxonomy.timeZone, report);
  if (startsAt && endsAt && endsAt.getTime() <= startsAt.getTime()) report('session_end', 'must be after session_start');
  const bookingClosesAt = row.booking_closes === undefined ? undefined : localTime(row.booking_closes, 'booking_closes', taxonomy.timeZone, report);
  if (row.mode === 'in_person' && !row.venue) report('venue', 'is required for an in_person session');
  if (row.mode === 'online' && !row.meeting_url) report('meeting_url', 'is required for an online session');
  if (problems.length > before || !startsAt || !endsAt) return undefined;
  return { line, row, audienceIds, startsAt, endsAt, bookingClosesAt };
}

function localTime(value: string, field: CsvColumn, timeZone: string, report: (f: CsvColumn, m: string) => void): Date | undefined {
  const instant = parseLocalDateTime(value, timeZone);
  if (!instant) {
    report(field, `"${value}" is not a ${timeZone} date and time written YYYY-MM-DD HH:mm (or that hour is skipped when the clocks go forward)`);
  }
  return instant;
}

/** Groups rows into courses, offerings and sessions, reporting rows that disagree with earlier ones. */
function assemble(rows: CheckedRow[], taxonomy: CpdTaxonomy, problems: ImportProblem[]): CatalogueWrite {
  const courses = new Map<string, CheckedRow>();
  const offerings = new Map<string, CheckedRow[]>();
  const courseFields = ['course_title', 'summary', 'strand', 'audiences', 'facilitator', 'kind', 'category'] as const;
  const offeringFields = ['course_id', 'offering_label', 'capacity', 'booking_closes'] as const;
  for (const r of rows) {
    const course = courses.get(r.row.course_id);
    if (!course) courses.set(r.row.course_id, r);
    else sameAs(r, course, courseFields, `course "${r.row.course_id}"`, problems);
    const sessions = offerings.get(r.row.offering_id);
    if (!sessions) offerings.set(r.row.offering_id, [r]);
    else {
      sameAs(r, sessions[0], offeringFields, `offering "${r.row.offering_id}"`, problems);
      const clash = sessions.find((s) => s.startsAt.getTime() === r.startsAt.getTime());
      if (clash) problems.push({ line: r.line, field: 'session_start', message: `offering "${r.row.offering_id}" already has a session starting then (line ${clash.line})` });
      sessions.push(r);
    }
  }

  const write: CatalogueWrite = { courses: [], offerings: [], sessions: [] };
  for (const [courseId, r] of courses) {
    write.courses.push({
      id: courseId, title: r.row.course_title, summary: r.row.summary, strandId: r.row.strand, audienceIds: r.audienceIds,
      facilitator: r.row.facilitator, kind: r.row.kind, categoryId: r.row.category ?? null,
    });
  }
  for (const [offeringId, unsorted] of offerings) {
    const sessions = [...unsorted].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
    const first = sessions[0];
    const owner = courses.get(first.row.course_id)!;
    if (owner.row.kind === 'standalone' && sessions.length > 1) {
      const extra = unsorted[1];
      problems.push({ line: extra.line, field: 'offering_id', message: `"${offeringId}" belongs to standalone course "${owner.row.course_id}", which has exactly one session per offering (the first is on line ${unsorted[0].line})` });
    }
    const closes = first.bookingClosesAt ?? new Date(first.startsAt.getTime() - taxonomy.bookingClosesHoursBefore * 3_600_000);
    if (closes.getTime() > first.startsAt.getTime()) {
      const withCloses = unsorted[0];
      problems.push({ line: withCloses.line, field: 'booking_closes', message: `booking for "${offeringId}" must close by its first session (${formatLocalDateTime(first.startsAt, taxonomy.timeZone)})` });
    }
    write.offerings.push({ id: offeringId, courseId: first.row.course_id, label: first.row.offering_label, capacity: first.row.capacity, bookingClosesAt: closes });
    sessions.forEach((s, i) => {
      write.sessions.push({
        id: `${offeringId}/${i + 1}`, offeringId, sequence: i + 1, startsAt: s.startsAt, endsAt: s.endsAt, mode: s.row.mode,
        venue: s.row.venue ?? null, meetingUrl: s.row.meeting_url ?? null,
      });
    });
  }
  return write;
}

function sameAs(row: CheckedRow, first: CheckedRow, fields: ReadonlyArray<keyof Row>, what: string, problems: ImportProblem[]): void {
  for (const field of fields) {
    const a = normalised(row, field);
    const b = normalised(first, field);
    if (a !== b) {
      problems.push({ line: row.line, field: field, message: `differs from line ${first.line} for ${what} ("${a}" here, "${b}" there); every row of the same ${what.split(' ')[0]} must agree` });
    }
  }
}

function normalised(r: CheckedRow, field: keyof Row): string {
  if (field === 'audiences') return [...r.audienceIds].sort().join(';');
  if (field === 'booking_closes') return r.bookingClosesAt ? r.bookingClosesAt.toISOString() : '';
  const value = r.row[field];
  return value === undefined ? '' : String(value);
}
