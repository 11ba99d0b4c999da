import { describe, expect, it } from 'vitest';
import { flagFullNames, flagFullNamesIn } from '../../../src/features/inclusion-visits/pupil-names.domain.js';

describe('flagging text that looks like a full name', () => {
  it.each([
    ['Jack Smith in Year 4 is struggling', ['Jack Smith']],
    ['Our pupil Amelia Watson, Year 2, needs a plan', ['Amelia Watson']],
    ['Zainab Okafor has been excluded twice', ['Zainab Okafor']],
    ['we met with Mohammed Al-Hassan and his mum', ['Mohammed Al-Hassan']],
    // Double-barrelled surnames are flagged even when the first name is not in the lexicon.
    ['talk to Priya Sandhu-Vale about it', ['Priya Sandhu-Vale']],
    ['Ruby Jones and Leo Brown share a class', ['Ruby Jones', 'Leo Brown']],
    ['harry potter keeps leaving the room', ['harry potter']],
  ])('flags %j', (text, names) => {
    expect(flagFullNames(text)).toEqual(names);
  });

  it.each([
    'Harmony Learning Community',
    'Year 6',
    'Brookside Primary Academy',
    'Transition to Kingfisher Primary Academy in September',
    'JS (Y4) and AB (Y6) both have EHCPs',
    'Speech and Language Therapy referral pending',
    'Autism Spectrum Condition, ADHD',
    'the SENCO Mrs Patel asked for this',
    'Grace Darling House is the nurture base',
    'support from the Early Help Hub',
    'Learning Walk with Joseph',
    '',
  ])('leaves %j alone', (text) => {
    expect(flagFullNames(text)).toEqual([]);
  });

  it('checks every free-text answer together, each name once', () => {
    expect(flagFullNamesIn({ earlyHelp: 'Jack Smith (Y4)', urgencyReason: 'Jack Smith was excluded', preferredNote: null })).toEqual(['Jack Smith']);
  });
});
