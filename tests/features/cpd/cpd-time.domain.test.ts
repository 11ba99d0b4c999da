import { describe, expect, it } from 'vitest';
import {
  formatDay,
  formatLocalDateTime,
  formatSpan,
  parseLocalDate,
  parseLocalDateTime,
} from '../../../src/features/cpd/cpd-time.domain.js';

const LONDON = 'Europe/London';

describe('Europe/London wall-clock times', () => {
  it('reads GMT times before the March clock change and BST times after it', () => {
    // Clocks go forward at 01:00 GMT on Sunday 28 March 2027.
    expect(parseLocalDateTime('2027-03-27 15:45', LONDON)?.toISOString()).toBe('2027-03-27T15:45:00.000Z');
    expect(parseLocalDateTime('2027-03-29 15:45', LONDON)?.toISOString()).toBe('2027-03-29T14:45:00.000Z');
  });

  it('reads BST before the October clock change and GMT after it', () => {
    // Clocks go back at 02:00 BST on Sunday 31 October 2027.
    expect(parseLocalDateTime('2027-10-29 09:00', LONDON)?.toISOString()).toBe('2027-10-29T08:00:00.000Z');
    expect(parseLocalDateTime('2027-11-01 09:00', LONDON)?.toISOString()).toBe('2027-11-01T09:00:00.000Z');
  });

  it('refuses a time that does not exist locally, malformed text and impossible dates', () => {
    expect(parseLocalDateTime('2027-03-28 01:30', LONDON)).toBeUndefined();
    expect(parseLocalDateTime('2027-02-30 10:00', LONDON)).toBeUndefined();
    expect(parseLocalDateTime('12/01/2027 15:45', LONDON)).toBeUndefined();
    expect(parseLocalDateTime('2027-01-12 25:00', LONDON)).toBeUndefined();
    expect(parseLocalDate('2027-02-29')).toBeUndefined();
    expect(parseLocalDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
  });

  it('formats days and spans the way the cards show them, in local time', () => {
    const start = new Date('2027-01-12T15:45:00Z');
    const end = new Date('2027-01-12T17:15:00Z');
    expect(formatDay(start, LONDON)).toBe('Tue 12 Jan 2027');
    expect(formatSpan(start, end, LONDON)).toBe('Tue 12 Jan 2027, 15:45–17:15');
    // Summer time: 14:45 UTC is 15:45 in London.
    expect(formatSpan(new Date('2027-04-14T14:45:00Z'), new Date('2027-04-14T16:15:00Z'), LONDON)).toBe('Wed 14 Apr 2027, 15:45–17:15');
    expect(formatLocalDateTime(new Date('2027-04-14T14:45:00Z'), LONDON)).toBe('2027-04-14 15:45');
  });
});
