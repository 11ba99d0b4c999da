import { describe, expect, it } from 'vitest';
import { createNormaliser, editDistance } from '../../src/shared/message-normaliser.domain.js';
import { closestJourneys, cueScore, decideRoute } from '../../src/shared/router.domain.js';

const normalise = createNormaliser({
  synonyms: [['SENCO', 'SENDCo', 'special educational needs coordinator'], ['safeguarding', 'DSL', 'KCSIE']],
  words: ['phonics', 'network meetings', 'vocabulary'],
});
const s = (intent: string, feature: string, score: number) => ({ intent, feature, score });

describe('the shared message normalisation', () => {
  it('corrects misspellings towards the words the app knows, keeping the rest as typed', () => {
    expect(normalise('safegaurding for TAs').corrected).toBe('safeguarding for TAs');
    expect(normalise('vocabluary').corrected).toBe('vocabulary');
    expect(normalise('netwrok meetings').words).toEqual(['network', 'meetings']);
  });

  it('leaves everyday words, short words and numbers alone, and spells a word with a known stem the known way', () => {
    expect(normalise('leading the school').corrected).toBe('leading the school');
    expect(normalise('ks2 and y6').corrected).toBe('ks2 and y6');
    expect(normalise('phonic').corrected).toBe('phonics');
  });

  it('finds the trust\'s concepts by stem, whichever synonym was used', () => {
    expect([...normalise('any SENDCos here?').concepts]).toEqual(['senco']);
    expect([...normalise('KCSIE update').concepts]).toEqual(['safeguarding']);
    expect(normalise('').words).toEqual([]);
  });

  it('answers a repeat, and a word met after thousands of others, exactly as a fresh normaliser does (what it remembers never changes an answer)', () => {
    const vocabulary = { synonyms: [['SENCO', 'SENDCo']], words: ['phonics', 'vocabulary', 'metacognition'] };
    const warm = createNormaliser(vocabulary);
    const texts = ['vocabluary phonix', 'Vocabluary PHONIX metacognitoin', 'any SENDCos?', 'vocabluary'];
    const first = texts.map((t) => warm(t));
    // More distinct unknown words than either cache holds, so both are emptied and refilled on the way.
    for (let i = 0; i < 25_000; i += 1) warm(`word${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + ((i / 26) % 26))}${i.toString(36).replace(/\d/g, 'q')}`);
    for (const [i, t] of texts.entries()) {
      expect(warm(t)).toEqual(first[i]);
      expect(warm(t)).toEqual(createNormaliser(vocabulary)(t));
    }
    expect(first[1].corrected).toBe('vocabulary PHONIX metacognition');
  });

  it('counts transpositions as one edit, and gives up above the limit', () => {
    expect(editDistance('metacognitoin', 'metacognition', 2)).toBe(1);
    expect(editDistance('abcdef', 'uvwxyz', 1)).toBe(2);
  });
});

describe('choosing who answers', () => {
  it('lets the best score answer when it is clear of the rest', () => {
    expect(decideRoute([s('cpd.search', 'cpd', 0.9), s('resources.find', 'resources', 0.6)])).toMatchObject({ kind: 'answer', intent: 'cpd.search' });
  });

  it('offers "Did you mean…" for close readings from different features, at most three, best first', () => {
    const d = decideRoute([s('a.x', 'a', 0.8), s('b.x', 'b', 0.75), s('a.y', 'a', 0.79), s('c.x', 'c', 0.7), s('d.x', 'd', 0.69)]);
    expect(d).toMatchObject({ kind: 'did_you_mean', intents: ['a.x', 'b.x', 'c.x'] });
  });

  it('is not sure below the threshold, and ignores scores that are not numbers', () => {
    expect(decideRoute([s('a.x', 'a', 0.49), s('b.x', 'b', Number.NaN)]).kind).toBe('not_sure');
    expect(decideRoute([]).kind).toBe('not_sure');
    expect(decideRoute([s('a.x', 'a', 7)])).toMatchObject({ kind: 'answer', intent: 'a.x' });
  });

  it('scores cue phrases the same however often, and whichever message came before', () => {
    const cues = [{ phrase: 'find resources', weight: 0.8 }, { phrase: 'resources', weight: 0.65 }];
    const message = normalise('find resources on vocabulary');
    expect([cueScore(message, cues), cueScore(normalise('any resource'), cues), cueScore(message, cues)]).toEqual([0.8, 0.65, 0.8]);
    expect(cueScore(message, [{ phrase: 'vocabulary', weight: 0.5 }])).toBe(0.5);
  });

  it('scores cues by stem and concept, without double counting a cue inside a longer one', () => {
    const cues = [{ phrase: 'resources', weight: 0.65 }, { phrase: 'find resources', weight: 0.8 }, { phrase: 'DSL', weight: 0.7 }];
    expect(cueScore(normalise('find resources on vocabulary'), cues)).toBe(0.8);
    expect(cueScore(normalise('any resource'), cues)).toBe(0.65);
    expect(cueScore(normalise('KCSIE'), [{ phrase: 'safeguarding', weight: 0.7 }])).toBe(0.7);
    expect(cueScore(normalise('nothing here'), cues)).toBe(0);
  });

  it('offers the journeys closest to the words used, or all of them in order', () => {
    const journeys = [
      { id: 'cpd.find', title: 'Find CPD', summary: 'Courses', prompt: 'cpd' },
      { id: 'cpd.my_bookings', title: 'My bookings', summary: 'Your places', prompt: 'my bookings' },
    ];
    expect(closestJourneys(normalise('bookings?'), journeys).map((j) => j.id)[0]).toBe('cpd.my_bookings');
    expect(closestJourneys(normalise('zzz'), journeys).map((j) => j.id)).toEqual(['cpd.find', 'cpd.my_bookings']);
  });
});
