import type { Query } from 'minisearch';
import { stem } from '../../../shared/stem.js';
import { wordsOf } from './date-phrases.domain.js';

/** Word handling shared by the CPD index and its queries: stemming, and the trust's synonym groups. */

const STOP_WORDS = new Set(['the', 'and', 'of', 'to', 'a', 'an', 'in', 'for', 'with', 'on', 'at', 'by', 'from', 'is', 'are', 'be', 'as', 'how', 'your', 'our', 'their', 'this', 'that', 'its']);

/** Lower-cased, apostrophes dropped, stop words removed, Porter-stemmed: the same for index and query. */
export function processTerm(term: string): string | null {
  const word = term.toLowerCase().replace(/[’']/g, '');
  if (!word || STOP_WORDS.has(word)) return null;
  // "leadership" and "leader(s)" are one topic to a teacher; Porter keeps them apart.
  return stem(word.length > 7 && word.endsWith('ship') ? word.slice(0, -4) : word);
}

/** A query clause: one word, or a synonym group (matched through its concept token). */
export type Clause = { word: string } | { group: number };

const CONCEPT_PREFIX = 'zzsyn';

export function conceptToken(group: number): string {
  return `${CONCEPT_PREFIX}${group}`;
}

export function isConceptToken(term: string): boolean {
  return term.startsWith(CONCEPT_PREFIX);
}

/**
 * MiniSearch's `fuzzy` option for words of `minLength` letters or more: typos forgiven (a fifth of
 * the word), never in a concept token or a word with digits. "2026" is not a typo of "2025", and a
 * pasted number ("1733092312312" is 13 characters, so three edits) makes the fuzzy walk of the
 * index the costliest part of scoring a message.
 */
export function fuzzyFrom(minLength: number): (term: string) => number | false {
  return (term) => (term.length >= minLength && !isConceptToken(term) && !/\d/.test(term) ? 0.2 : false);
}

/**
 * Finds the profile's synonym phrases in text by their stems, longest first ("teaching assistants",
 * "TAs" and "TA" are one group; "early years" is the EYFS group rather than two words).
 */
export class SynonymLookup {
  private readonly byStems = new Map<string, number>();
  private readonly longest: number;

  constructor(groups: ReadonlyArray<readonly string[]>) {
    let longest = 1;
    groups.forEach((group, i) => {
      for (const phrase of group) {
        const key = stemKey(wordsOf(phrase));
        if (!key) continue;
        if (!this.byStems.has(key)) this.byStems.set(key, i);
        longest = Math.max(longest, key.split(' ').length);
      }
    });
    this.longest = longest;
  }

  /** The question's words as clauses: synonym phrases become their group, other words stay words. */
  clauses(words: readonly string[]): Clause[] {
    return this.scan(words).map((m) => (m.group === undefined ? { word: m.word } : { group: m.group }));
  }

  /** The synonym groups a text mentions. */
  groupsIn(words: readonly string[]): number[] {
    return [...new Set(this.scan(words).flatMap((m) => (m.group === undefined ? [] : [m.group])))];
  }

  private scan(words: readonly string[]): Array<{ word: string; group?: number }> {
    const found: Array<{ word: string; group?: number }> = [];
    // Each word's term once (not once per phrase length tried at each position).
    const terms = words.map(processTerm);
    const keyOf = (from: number, to: number): string => terms.slice(from, to).filter((t) => t !== null).join(' ');
    let i = 0;
    while (i < words.length) {
      // A phrase never starts with a stop word ("for the phonics…" must not be read as "phonics" there).
      if (terms[i] === null) {
        found.push({ word: words[i] });
        i += 1;
        continue;
      }
      let length = Math.min(this.longest, words.length - i);
      let group: number | undefined;
      for (; length >= 1; length -= 1) {
        group = this.byStems.get(keyOf(i, i + length));
        if (group !== undefined) break;
      }
      if (group === undefined) {
        found.push({ word: words[i] });
        i += 1;
      } else {
        found.push({ word: words.slice(i, i + length).join(' '), group });
        i += length;
      }
    }
    return found;
  }
}

function stemKey(words: readonly string[]): string {
  // Stop words drop out on both sides: the question's "and" is filler, so "speaking and listening" must key as "speak listen".
  return words.flatMap((w) => processTerm(w) ?? []).join(' ');
}

/**
 * A field's text with a token per synonym group it mentions ("early years" and "EYFS" both add the
 * EYFS group's token), so a group in a question matches the phrase itself, not its words scattered
 * about ("early" in "early career" and "years" elsewhere). Used for every index built on these words.
 */
export function withConceptTokens(lookup: SynonymLookup, text: string): string {
  const concepts = lookup.groupsIn(wordsOf(text)).map(conceptToken);
  return concepts.length > 0 ? `${text} ${concepts.join(' ')}` : text;
}

export function toQuery(clauses: readonly Clause[], combineWith: 'AND' | 'OR'): Query {
  return { combineWith, queries: clauses.map((c): Query => ('word' in c ? c.word : conceptToken(c.group))) };
}
