import { describe, expect, it } from 'vitest';
import { parseCatalogueCsv } from '../../../../src/features/cpd/catalogue/catalogue-import.domain.js';
import { GOOD_CSV, HEADER, TEAMS, smallTaxonomy } from '../cpd-fixtures.js';

describe('catalogue CSV', () => {
  it('groups rows into courses, offerings and numbered sessions', () => {
    const result = parseCatalogueCsv(GOOD_CSV, smallTaxonomy);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    const { courses, offerings, sessions } = result.value;
    expect(courses.map((c) => c.id)).toEqual(['phonics', 'eyfs-talk']);
    expect(courses[0]).toMatchObject({ audienceIds: ['leaders', 'teachers'], kind: 'programme', categoryId: null });
    expect(courses[1]).toMatchObject({ categoryId: 'professional-practice' });
    expect(offerings.map((o) => [o.id, o.capacity])).toEqual([['phonics-spring', 20], ['eyfs-talk-jan', 30]]);
    expect(sessions.map((s) => [s.id, s.sequence, s.mode])).toEqual([
      ['phonics-spring/1', 1, 'in_person'],
      ['phonics-spring/2', 2, 'online'],
      ['eyfs-talk-jan/1', 1, 'online'],
    ]);
  });

  it('reads local times across the clock change: GMT before 28 March 2027, BST after', () => {
    const result = parseCatalogueCsv(GOOD_CSV, smallTaxonomy);
    if (!result.ok) throw new Error('expected a valid file');
    const [before, after] = result.value.sessions;
    expect(before.startsAt.toISOString()).toBe('2027-03-23T15:45:00.000Z');
    expect(after.startsAt.toISOString()).toBe('2027-03-30T14:45:00.000Z');
  });

  it('defaults booking_closes to the profile\'s hours before the first session, and reads it when given', () => {
    const result = parseCatalogueCsv(GOOD_CSV, smallTaxonomy);
    if (!result.ok) throw new Error('expected a valid file');
    expect(result.value.offerings[0].bookingClosesAt.toISOString()).toBe('2027-03-22T15:45:00.000Z');
    expect(result.value.offerings[1].bookingClosesAt.toISOString()).toBe('2027-01-10T12:00:00.000Z');
  });

  it('reports every bad row by line number and field, and returns no catalogue', () => {
    const csv = [
      HEADER,
      // 2: unknown strand and audience, capacity not a number
      `a,A,Summary,maths,leaders;governors,F,standalone,,a-1,Label,lots,,2027-01-12 15:45,2027-01-12 17:15,online,,${TEAMS}`,
      // 3: ends before it starts; in person with no venue
      'b,B,Summary,reading,teachers,F,standalone,,b-1,Label,10,,2027-01-12 15:45,2027-01-12 15:00,in_person,,',
      // 4: a good row
      `c,C,Summary,reading,teachers,F,standalone,,c-1,Label,10,,2027-01-12 15:45,2027-01-12 17:15,online,,${TEAMS}`,
      // 5: same offering as line 4 with another capacity; a second session for a standalone course
      `c,C,Summary,reading,teachers,F,standalone,,c-1,Label,12,,2027-01-19 15:45,2027-01-19 17:15,online,,${TEAMS}`,
      // 6: online without a link, a time skipped by the clock change, a bad mode
      'd,D,Summary,reading,teachers,F,standalone,,d-1,Label,10,,2027-03-28 01:30,2027-03-28 03:00,online,,',
      // 7: too few values
      'e,E,Summary',
      // 8: http link and a bad id
      `F!,F,Summary,reading,teachers,F,standalone,,f-1,Label,10,,2027-01-12 15:45,2027-01-12 17:15,online,,http://example.com/x`,
      // 9: booking closes after the first session
      `g,G,Summary,reading,teachers,F,standalone,,g-1,Label,10,2027-01-13 09:00,2027-01-12 15:45,2027-01-12 17:15,online,,${TEAMS}`,
    ].join('\n');
    const result = parseCatalogueCsv(csv, smallTaxonomy);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const problems = result.problems.map((p) => `${p.line} ${p.field}`);
    expect(problems).toEqual(
      expect.arrayContaining([
        '2 capacity',
        '3 session_end',
        '3 venue',
        '5 capacity',
        '5 offering_id',
        '6 session_start',
        '6 meeting_url',
        '7 file',
        '8 course_id',
        '8 meeting_url',
        '9 booking_closes',
      ]),
    );
    expect(problems).not.toContain('4 file');
    expect(result.problems.every((p) => p.line !== 4)).toBe(true);
    expect(result.message).toMatch(/nothing was imported/);
    // The strand and audience problems of line 2 are reported once zod's checks pass; a row with a bad capacity stops at zod.
    const line2 = parseCatalogueCsv([HEADER, `a,A,Summary,maths,leaders;governors,F,standalone,,a-1,Label,5,,2027-01-12 15:45,2027-01-12 17:15,online,,${TEAMS}`].join('\n'), smallTaxonomy);
    expect(line2.ok ? [] : line2.problems.map((p) => [p.line, p.field, p.message])).toEqual([
      [2, 'strand', expect.stringContaining('"maths" is not a CPD strand')],
      [2, 'audiences', expect.stringContaining('"governors" is not an audience')],
    ]);
  });

  it('numbers lines from where a row starts, even after a quoted field spanning lines', () => {
    const csv = [
      HEADER,
      `a,A,"Two\nlines",reading,teachers,F,standalone,,a-1,Label,10,,2027-01-12 15:45,2027-01-12 17:15,online,,${TEAMS}`,
      '',
      `b,B,Summary,reading,teachers,F,standalone,,b-1,Label,10,,not a date,2027-01-12 17:15,online,,${TEAMS}`,
    ].join('\n');
    const result = parseCatalogueCsv(csv, smallTaxonomy);
    expect(result.ok ? [] : result.problems.map((p) => [p.line, p.field])).toEqual([[5, 'session_start']]);
  });

  it('checks the header: unknown, duplicated and missing columns; an empty file; no rows', () => {
    const bad = parseCatalogueCsv(`${HEADER.replace('venue', 'venu')},course_id\n`, smallTaxonomy);
    expect(bad.ok ? [] : bad.problems.map((p) => p.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('unknown column "venu"'), expect.stringContaining('"course_id" appears twice')]),
    );
    const missing = parseCatalogueCsv('course_id,course_title\n', smallTaxonomy);
    expect(missing.ok ? [] : missing.problems.map((p) => p.message)).toContain('the required column "capacity" is missing');
    expect(parseCatalogueCsv('', smallTaxonomy).ok).toBe(false);
    const noRows = parseCatalogueCsv(`${HEADER}\n`, smallTaxonomy);
    expect(noRows.ok ? '' : noRows.problems[0].message).toMatch(/no session rows/);
  });

  it('reports a row that disagrees with an earlier row of the same course', () => {
    const csv = [
      HEADER,
      `a,A,Summary,reading,teachers,F,programme,,a-1,Label,10,,2027-01-12 15:45,2027-01-12 17:15,online,,${TEAMS}`,
      `a,A renamed,Summary,reading,teachers,F,programme,,a-1,Label,10,,2027-01-19 15:45,2027-01-19 17:15,online,,${TEAMS}`,
    ].join('\n');
    const result = parseCatalogueCsv(csv, smallTaxonomy);
    expect(result.ok ? [] : result.problems).toEqual([
      { line: 3, field: 'course_title', message: expect.stringContaining('differs from line 2 for course "a"') },
    ]);
  });

  it('reports unreadable CSV with its line', () => {
    const result = parseCatalogueCsv(`${HEADER}\na,"unclosed,b\n`, smallTaxonomy);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.problems[0].message).toMatch(/not readable CSV/);
  });
});
