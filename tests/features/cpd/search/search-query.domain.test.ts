import { describe, expect, it } from 'vitest';
import { describeQuestion, understandQuestion } from '../../../../src/features/cpd/search/search-query.domain.js';
import { smallTaxonomy } from '../cpd-fixtures.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const ask = (text: string) => understandQuestion(text, NOW, smallTaxonomy);

describe('understanding a CPD question', () => {
  it('drops filler and CPD words, keeping the topic', () => {
    expect(ask('any phonics training?').terms).toEqual(['phonics']);
    expect(ask('Is there any CPD for me please?').terms).toEqual([]);
    expect(ask('what courses are there for TAs').terms).toEqual(['tas']);
    expect(ask('early years courses').terms).toEqual(['early', 'years']);
  });

  it('knows when the question is about CPD', () => {
    expect(ask('any phonics training?').asksForCpd).toBe(true);
    expect(ask("what's on this week").asksForCpd).toBe(true);
    expect(ask('whats on').asksForCpd).toBe(true);
    expect(ask('SEND').asksForCpd).toBe(false);
    expect(ask('asdfgh').asksForCpd).toBe(false);
  });

  it('treats every phrase of a synonym group holding a CPD word as a CPD word too', () => {
    const q = ask('professional development on behaviour');
    expect(q.asksForCpd).toBe(true);
    expect(q.terms).toEqual(['behaviour']);
  });

  it('takes the date phrase out of the words and keeps its window', () => {
    const q = ask('CPD for TAs next month');
    expect(q.terms).toEqual(['tas']);
    expect(q.window?.label).toBe('next month (December 2026)');
  });

  it('describes what it understood for the card header, as typed', () => {
    expect(describeQuestion(ask('CPD for TAs next month'))).toBe('TAs · next month (December 2026)');
    expect(describeQuestion(ask('any phonics training?'))).toBe('Phonics');
    expect(describeQuestion(ask("what's on this week"))).toBe('Everything · this week');
  });

  it('keeps at most 200 characters of a very long question', () => {
    expect(ask(`phonics ${'x'.repeat(500)}`).text).toHaveLength(200);
  });
});
