import { describe, expect, it } from 'vitest';
import { findDateWindow, wordsOf } from '../../../../src/features/cpd/search/date-phrases.domain.js';
import { smallTaxonomy } from '../cpd-fixtures.js';

const at = (iso: string) => new Date(iso);
const window = (text: string, now: string) => findDateWindow(wordsOf(text), at(now), smallTaxonomy);
const range = (text: string, now: string) => {
  const w = window(text, now).window;
  return w ? [w.from.toISOString(), w.to.toISOString(), w.label] : undefined;
};

describe('date phrases', () => {
  const MONDAY = '2026-11-23T10:00:00Z';

  it('today and tomorrow are local calendar days', () => {
    expect(range('anything today', MONDAY)).toEqual(['2026-11-23T00:00:00.000Z', '2026-11-24T00:00:00.000Z', 'today']);
    expect(range('tomorrow', MONDAY)).toEqual(['2026-11-24T00:00:00.000Z', '2026-11-25T00:00:00.000Z', 'tomorrow']);
    // In summer time a London day starts at 23:00 UTC the evening before.
    expect(range('today', '2027-06-10T08:00:00Z')?.slice(0, 2)).toEqual(['2027-06-09T23:00:00.000Z', '2027-06-10T23:00:00.000Z']);
  });

  it('weeks run Monday to Sunday', () => {
    expect(range("what's on this week", MONDAY)).toEqual(['2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z', 'this week']);
    // Asked on a Sunday, "this week" is still the week that began on Monday.
    expect(range('this week', '2026-11-29T18:00:00Z')?.[0]).toBe('2026-11-23T00:00:00.000Z');
    expect(range('next week', MONDAY)).toEqual(['2026-11-30T00:00:00.000Z', '2026-12-07T00:00:00.000Z', 'next week']);
  });

  it('this month and next month, rolling over the year end', () => {
    expect(range('this month', MONDAY)?.slice(0, 2)).toEqual(['2026-11-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z']);
    expect(range('next month', MONDAY)).toEqual(['2026-12-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z', 'next month (December 2026)']);
    expect(range('next month', '2026-12-15T10:00:00Z')).toEqual(['2027-01-01T00:00:00.000Z', '2027-02-01T00:00:00.000Z', 'next month (January 2027)']);
  });

  it('a month name means its next occurrence, with local (BST) boundaries', () => {
    // March starts in GMT and ends in BST (midnight on 1 April is 23:00 UTC).
    expect(range('phonics in March', MONDAY)).toEqual(['2027-03-01T00:00:00.000Z', '2027-03-31T23:00:00.000Z', 'March 2027']);
    expect(range('january', MONDAY)?.[2]).toBe('January 2027');
    expect(range('november', MONDAY)?.[2]).toBe('November 2026');
    // June starts at midnight BST, 23:00 UTC on 31 May.
    expect(range('june', MONDAY)?.slice(0, 2)).toEqual(['2027-05-31T23:00:00.000Z', '2027-06-30T23:00:00.000Z']);
    expect(range('training in may', MONDAY)?.[2]).toBe('May 2027');
    expect(range('september 2027', MONDAY)?.[2]).toBe('September 2027');
  });

  it('"may" and "mar" alone are ordinary words, not months', () => {
    expect(window('may I book phonics', MONDAY).window).toBeUndefined();
    expect(window('mar', MONDAY).window).toBeUndefined();
  });

  it('term names, "this term" and "next term" come from the profile\'s terms', () => {
    expect(range('spring term', MONDAY)).toEqual(['2027-01-04T00:00:00.000Z', '2027-03-26T00:00:00.000Z', 'Spring term']);
    expect(range('during the summer', MONDAY)?.[2]).toBe('Summer term');
    expect(range('this term', MONDAY)?.slice(1)).toEqual(['2026-12-19T00:00:00.000Z', 'this term (Autumn term)']);
    expect(range('next term', MONDAY)?.[2]).toBe('next term (Spring term)');
    // In the Christmas holiday "this term" is the term about to start.
    expect(range('this term', '2026-12-28T10:00:00Z')?.[2]).toBe('this term (Spring term)');
    expect(range('next term', '2026-12-28T10:00:00Z')?.[2]).toBe('next term (Summer term)');
    // Half terms by name.
    expect(range('autumn 2', MONDAY)?.[2]).toBe('Autumn 2');
  });

  it('hands back the words that were not part of the date phrase', () => {
    expect(window('any phonics training in March?', MONDAY).remaining).toEqual(['any', 'phonics', 'training']);
    expect(window('cpd for tas next month', MONDAY).remaining).toEqual(['cpd', 'for', 'tas']);
    expect(window('phonics', MONDAY)).toEqual({ window: undefined, remaining: ['phonics'] });
  });
});
