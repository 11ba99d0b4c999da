import { BoundedMemo } from './bounded-memo.js';
import { stem } from './stem.js';
import type { NormalisedMessage } from './bot-contract.js';

/**
 * The one normalisation every message gets before any intent scores it: words lower-cased,
 * misspellings of words the app knows corrected, and the trust's synonym groups found by stem.
 * Pure: the vocabulary comes from the trust profile and the features.
 */
export interface Vocabulary {
  /** The trust's synonym groups ("SENCO", "SENDCo", …); the first phrase names the concept. */
  synonyms: ReadonlyArray<readonly string[]>;
  /** Other words the app knows (strand names, intent cues…): correction targets, never corrected themselves. */
  words: readonly string[];
}

const MAX_LENGTH = 500;
/** Everyday words that must never be "corrected" into a domain word ("leading" is not "reading"). */
const COMMON = `a about after all also am an and any anything are as at available be been before book booked booking bookings but by can cancel
 change could courses day days did do does done find for from get give go going good had has have hello help here hey hi how i im in into is it
 its just know last later leading learning let like list look looking make many me menu more my need new next no not now of off on one or our
 out over please post posted request requested right see send sent show some something soon start still take tell thank thanks that the their
 them then there these they thing things this those through to today tomorrow too up us want was we week weeks what whats when where which
 who why will with would year you your yours teaching teacher teachers staff school schools academy academies children pupils pupil class
 classes classroom leaders leader leadership lead term terms month months spring summer autumn winter morning afternoon evening twilight
 online person people team teams chat message channel open free place places left session sessions`.split(/\s+/).filter(Boolean);

export function wordsOfText(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[’']/g, '')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function createNormaliser(vocabulary: Vocabulary): (text: string) => NormalisedMessage {
  const known = new Set<string>(COMMON);
  const targets = new Set<string>();
  for (const phrase of [...vocabulary.synonyms.flat(), ...vocabulary.words]) {
    for (const word of wordsOfText(phrase)) {
      known.add(word);
      if (word.length >= 5) targets.add(word);
    }
  }
  // Stem → a known word with that stem: "trainning" stems like "training", so it becomes "training".
  const knownByStem = new Map<string, string>();
  for (const word of known) if (!knownByStem.has(stem(word))) knownByStem.set(stem(word), word);
  const concepts = vocabulary.synonyms.map((group) => ({
    key: group[0].toLowerCase(),
    phrases: group.map((p) => wordsOfText(p).map(stem)).filter((p) => p.length > 0),
  }));
  const correctionTargets = [...targets];

  // What each unknown word corrects to: the edit-distance scan over every target is the costly part
  // of normalising, and people type the same words again (bounded, like the stem cache).
  const corrections = new BoundedMemo<string>(10_000);
  const correct = (word: string): string => {
    if (word.length < 5 || /\d/.test(word) || known.has(word)) return word;
    return word.length > 40 ? nearestKnown(word) : corrections.get(word, () => nearestKnown(word));
  };
  const nearestKnown = (word: string): string => {
    const sameStem = knownByStem.get(stem(word));
    if (sameStem !== undefined) return sameStem;
    const allowed = word.length >= 8 ? 2 : 1;
    let best: string | undefined;
    let bestDistance = allowed + 1;
    for (const target of correctionTargets) {
      if (Math.abs(target.length - word.length) > allowed) continue;
      const d = editDistance(word, target, allowed);
      if (d < bestDistance) {
        best = target;
        bestDistance = d;
      }
    }
    return best ?? word;
  };

  return (raw) => {
    const text = raw.trim().slice(0, MAX_LENGTH);
    const corrected = text.replace(/[A-Za-z][A-Za-z’']*/g, (token) => {
      const lower = token.toLowerCase().replace(/[’']/g, '');
      const fixed = correct(lower);
      return fixed === lower ? token : fixed;
    });
    const words = wordsOfText(corrected);
    const stems = words.map(stem);
    const found = new Set<string>();
    for (const concept of concepts) {
      if (concept.phrases.some((phrase) => containsSequence(stems, phrase))) found.add(concept.key);
    }
    return { text, corrected, words, concepts: found };
  };
}

export function containsSequence(haystack: readonly string[], needle: readonly string[]): boolean {
  if (needle.length === 0) return false;
  for (let i = 0; i + needle.length <= haystack.length; i += 1) {
    if (needle.every((w, k) => haystack[i + k] === w)) return true;
  }
  return false;
}

/** Damerau–Levenshtein (optimal string alignment) distance, giving up above `limit`. */
export function editDistance(a: string, b: string, limit: number): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i += 1) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j += 1) rows[i][j] = i === 0 ? j : 0;
  }
  for (let i = 1; i <= a.length; i += 1) {
    let rowMin = Number.MAX_SAFE_INTEGER;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i][j] = d;
      rowMin = Math.min(rowMin, d);
    }
    if (rowMin > limit) return limit + 1;
  }
  return rows[a.length][b.length];
}

/** The message's words as stems, for cue matching. */
export function stemsOf(words: readonly string[]): string[] {
  return words.map(stem);
}
