import { stemmer } from 'stemmer';
import { BoundedMemo } from './bounded-memo.js';

/**
 * Porter stems, remembered. Every chat message is stemmed by the normaliser and again by each
 * intent's cues and by CPD search, and the Porter rules are a chain of regular expressions: the same
 * few thousand words (cues, the trust's vocabulary, what people type) are stemmed over and over.
 */
const stems = new BoundedMemo<string>(20_000);
/** Longer "words" (pasted ids, URLs) are rarely seen twice: stemmed, not kept. */
const MAX_CACHED_LENGTH = 40;

export function stem(word: string): string {
  return word.length > MAX_CACHED_LENGTH ? stemmer(word) : stems.get(word, () => stemmer(word));
}
