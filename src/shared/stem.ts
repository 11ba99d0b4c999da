import { stemmer } from 'stemmer';

/**
 * Porter stems, remembered. Every chat message is stemmed by the normaliser and again by each
 * intent's cues and by CPD search, and the Porter rules are a chain of regular expressions: the same
 * few thousand words (cues, the trust's vocabulary, what people type) are stemmed over and over.
 * Pure, so a cache cannot change an answer; bounded, so odd input cannot grow it without end.
 */
const MAX_ENTRIES = 20_000;
/** Longer "words" (pasted ids, URLs) are rarely seen twice: stemmed, not kept. */
const MAX_CACHED_LENGTH = 40;
const stems = new Map<string, string>();

export function stem(word: string): string {
  if (word.length > MAX_CACHED_LENGTH) return stemmer(word);
  let found = stems.get(word);
  if (found === undefined) {
    if (stems.size >= MAX_ENTRIES) stems.clear();
    found = stemmer(word);
    stems.set(word, found);
  }
  return found;
}
