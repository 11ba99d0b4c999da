import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { academicYearOf, csvCell, groupByAcademicYear, RECORD_CSV_HEADER, recordCsv, type RecordEntry } from '../../../../src/features/cpd/record/record.domain.js';

// The CPD record's CSV as a spreadsheet reads it: columns, academic-year grouping (September start,
// London dates), hours, RFC 4180 quoting of commas, quotes and newlines, and formula injection.

const TZ = 'Europe/London';
const entry = (over: Partial<RecordEntry>): RecordEntry => ({
  source: 'trust',
  title: 'Leadership and Teaching of Phonics',
  date: new Date('2026-10-06T14:45:00Z'),
  hours: 1.5,
  strandName: 'Read, Achieve, Succeed',
  provider: 'Development Team',
  reflection: '',
  impact: '',
  evidenceUrl: '',
  ...over,
});
const rowsOf = (csv: string): string[][] => {
  const rows: string[][] = parse(csv, { bom: true, relax_quotes: false });
  return rows;
};

describe('CPD record CSV', () => {
  it('has the header, one row per entry grouped by academic year (newest first), local dates and hours', () => {
    const entries = [
      entry({ title: 'Autumn session', date: new Date('2026-09-01T08:00:00Z'), hours: 2 }),
      // 31 Aug 2026 23:30 UTC is 1 Sep 00:30 in London: the new academic year.
      entry({ title: 'Midnight in London', date: new Date('2026-08-31T23:30:00Z'), hours: 0.75 }),
      entry({ title: 'Summer session', date: new Date('2026-07-14T14:00:00Z'), hours: 1.25 }),
      entry({ source: 'external', title: 'NPQSL unit 2', provider: 'UCL', date: new Date('2025-09-01T11:00:00Z'), hours: 12 }),
    ];
    const groups = groupByAcademicYear(entries, 9, TZ);
    expect(groups.map((g) => [g.year, g.hours, g.entries.length])).toEqual([
      ['2026-27', 2.75, 2],
      ['2025-26', 13.25, 2],
    ]);
    const csv = recordCsv(groups, TZ);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.split('\r\n')).toHaveLength(6);
    const rows = rowsOf(csv);
    expect(rows[0]).toEqual([...RECORD_CSV_HEADER]);
    expect(rows.slice(1).map((r) => [r[0], r[1], r[2], r[3], r[4], r[6]])).toEqual([
      ['2026-27', '2026-09-01', 'Autumn session', 'trust', 'Development Team', '2'],
      ['2026-27', '2026-09-01', 'Midnight in London', 'trust', 'Development Team', '0.75'],
      ['2025-26', '2026-07-14', 'Summer session', 'trust', 'Development Team', '1.25'],
      ['2025-26', '2025-09-01', 'NPQSL unit 2', 'external', 'UCL', '12'],
    ]);
    expect(rows.every((r) => r.length === RECORD_CSV_HEADER.length)).toBe(true);
  });

  it('academic years follow the trust profile\'s start month', () => {
    expect(academicYearOf(new Date('2027-01-15T12:00:00Z'), 9, TZ)).toBe('2026-27');
    expect(academicYearOf(new Date('2027-08-31T12:00:00Z'), 9, TZ)).toBe('2026-27');
    expect(academicYearOf(new Date('2027-08-31T12:00:00Z'), 8, TZ)).toBe('2027-28');
    expect(academicYearOf(new Date('2099-12-31T12:00:00Z'), 1, TZ)).toBe('2099-00');
  });

  it('quotes commas, quotes and newlines so each value stays one cell', () => {
    const reflection = 'Use "sound buttons", then\r\nre-read with the group,\nand check, daily';
    const csv = recordCsv(groupByAcademicYear([entry({ title: 'Phonics, part 1', reflection, impact: 'He said "yes"' })], 9, TZ), TZ);
    const [, row] = rowsOf(csv);
    expect(row[2]).toBe('Phonics, part 1');
    expect(row[7]).toBe(reflection);
    expect(row[8]).toBe('He said "yes"');
    expect(csvCell('a "b"')).toBe('"a ""b"""');
    expect(csvCell('plain text')).toBe('plain text');
  });

  it('prefixes cells a spreadsheet would run as a formula, and leaves ordinary text alone', () => {
    const attacks = ['=HYPERLINK("http://evil.example","x")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1:A9)', '\t=1+1', '\r=1+1', '  =1+1', '\uFF1D1+1'];
    for (const value of attacks) {
      const [, row] = rowsOf(recordCsv(groupByAcademicYear([entry({ title: value, reflection: value, evidenceUrl: value })], 9, TZ), TZ));
      for (const cell of [row[2], row[7], row[9]]) {
        expect(cell).toBe(`'${value}`);
      }
    }
    for (const value of ['Year 5 = great progress', 'a-b', 'email me@school', 'https://example.org/?q=1']) {
      expect(csvCell(value).replace(/^"|"$/g, '')).toBe(value);
    }
  });
});
