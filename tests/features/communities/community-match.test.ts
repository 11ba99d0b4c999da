import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRUST_PROFILE } from '../../../src/config.js';
import { CommunityMatcher } from '../../../src/features/communities/community-match.domain.js';
import { wordsOfText } from '../../../src/shared/message-normaliser.domain.js';
import { loadTrustProfile } from '../../../src/trust/load-trust-profile.js';

const profile = loadTrustProfile(DEFAULT_TRUST_PROFILE);

// Words that find communities (from their names and summaries), typos of them, words that find
// nothing, synonyms the trust lists, numbers and filler: the mix chat messages are made of.
const communityWords = [...new Set(profile.communities.flatMap((c) => wordsOfText(`${c.name} ${c.summary}`)))];
const synonymWords = [...new Set(profile.search.synonyms.flat().flatMap((s) => wordsOfText(s)))];
const otherWords = ['resources', 'vocabulary', 'booking', 'tomorrow', 'xylophone', 'quantum', 'the', 'for', '2026', 'y6', 'ks2'];
const typo = (word: string, at: number): string => (word.length < 2 ? word : word.slice(0, at % word.length) + word.slice((at % word.length) + 1));
const word = fc.oneof(
  fc.constantFrom(...communityWords),
  fc.constantFrom(...synonymWords),
  fc.constantFrom(...otherWords),
  fc.tuple(fc.constantFrom(...communityWords), fc.nat()).map(([w, at]) => typo(w, at)),
  fc.stringMatching(/^[a-z]{1,9}$/),
);

describe('the communities matcher', () => {
  it('has words to generate from', () => {
    expect(communityWords.length).toBeGreaterThan(20);
    expect(synonymWords.length).toBeGreaterThan(5);
  });

  it('says something would be found exactly when find() finds something, for any words, asked once or again', () => {
    const matcher = new CommunityMatcher(profile);
    let found = 0;
    let notFound = 0;
    fc.assert(
      fc.property(fc.array(word, { minLength: 0, maxLength: 6 }), fc.array(fc.constantFrom(...profile.communityKinds.map((k) => k.id)), { maxLength: 1 }), (terms, kindIds) => {
        const expected = matcher.find({ terms, kindIds }).length > 0;
        if (expected) found += 1;
        else notFound += 1;
        expect(matcher.findsAny({ terms })).toBe(expected);
        expect(matcher.findsAny({ terms })).toBe(expected);
      }),
      { numRuns: 1500 },
    );
    // Both answers were exercised, not only one.
    expect(found).toBeGreaterThan(100);
    expect(notFound).toBeGreaterThan(100);
  });
});
