import type { Journey, NormalisedMessage } from './bot-contract.js';
import { BoundedMemo } from './bounded-memo.js';
import { containsSequence, stemsOf, wordsOfText } from './message-normaliser.domain.js';

/**
 * Choosing who answers a message, from every intent's score. Pure: the Teams side
 * (src/teams/message-router.ts) collects the scores, logs the decision and sends the cards.
 */
export interface ScoredIntent {
  intent: string;
  feature: string;
  score: number;
}

export type RouteDecision =
  | { kind: 'answer'; intent: string; scores: ScoredIntent[] }
  /** The best readings are too close to call: offer each (distinct features, best first). */
  | { kind: 'did_you_mean'; intents: string[]; scores: ScoredIntent[] }
  /** Nothing scored high enough to act on. */
  | { kind: 'not_sure'; scores: ScoredIntent[] };

export const ROUTING = {
  /** Below this, no intent answers. */
  threshold: 0.5,
  /** Readings from different features within this of the best are offered together. */
  closeMargin: 0.12,
  maxOptions: 3,
} as const;

export function decideRoute(scores: readonly ScoredIntent[], options: { threshold: number; closeMargin: number; maxOptions: number } = ROUTING): RouteDecision {
  const ranked = scores
    .filter((s) => Number.isFinite(s.score))
    .map((s) => ({ ...s, score: Math.min(1, Math.max(0, s.score)) }))
    .sort((a, b) => b.score - a.score);
  const best = ranked[0];
  if (!best || best.score < options.threshold) return { kind: 'not_sure', scores: ranked };
  const close: ScoredIntent[] = [];
  for (const s of ranked) {
    if (s.score < options.threshold || best.score - s.score > options.closeMargin) break;
    if (!close.some((c) => c.feature === s.feature)) close.push(s);
  }
  if (close.length > 1) return { kind: 'did_you_mean', intents: close.slice(0, options.maxOptions).map((s) => s.intent), scores: ranked };
  return { kind: 'answer', intent: best.intent, scores: ranked };
}

/** A phrase that says a message is for an intent, and how sure it makes us. */
export interface Cue {
  phrase: string;
  /** Score when this cue is present (0..1). */
  weight: number;
}

/**
 * Scores a message by its cues: the strongest cue present, plus a little for each further distinct
 * cue; 0 when none is present. Cues match by stem ("networks" finds "network"), or by concept when a
 * cue names one of the trust's synonym groups ("HLC" finds "Harmony Learning Communities").
 */
export function cueScore(message: NormalisedMessage, cues: readonly Cue[]): number {
  const stems = messageStems(message);
  const found = cues.filter((cue) => message.concepts.has(cue.phrase.toLowerCase()) || containsSequence(stems, phraseStems(cue.phrase)));
  // A cue inside a longer cue that matched ("resources" in "find resources") is the same evidence, not more.
  const words = (cue: Cue): readonly string[] => phraseStems(cue.phrase);
  const hits = found.filter((cue) => !found.some((other) => words(other).length > words(cue).length && containsSequence(words(other), words(cue))));
  if (hits.length === 0) return 0;
  const strongest = Math.max(...hits.map((h) => h.weight));
  return Math.min(0.95, strongest + 0.05 * (hits.length - 1));
}

/**
 * Every intent scores the same message against its cues: the message's stems are worked out once
 * per message, and each cue phrase's once (cues are the features' and the trust's fixed phrases;
 * bounded all the same).
 */
const stemsOfMessage = new WeakMap<NormalisedMessage, readonly string[]>();
function messageStems(message: NormalisedMessage): readonly string[] {
  let stems = stemsOfMessage.get(message);
  if (!stems) {
    stems = stemsOf(message.words);
    stemsOfMessage.set(message, stems);
  }
  return stems;
}

const stemsOfPhrase = new BoundedMemo<readonly string[]>(5_000);
function phraseStems(phrase: string): readonly string[] {
  return stemsOfPhrase.get(phrase, () => stemsOf(wordsOfText(phrase)));
}

/** The journeys sharing most words with the message (all of them, in order, when none does). */
export function closestJourneys(message: NormalisedMessage, journeys: readonly Journey[], count = 3): Journey[] {
  const stems = new Set(stemsOf(message.words).filter((s) => s.length > 2));
  const overlap = (j: Journey): number => stemsOf(wordsOfText(`${j.title} ${j.summary} ${j.prompt}`)).filter((s) => stems.has(s)).length;
  const scored = journeys.map((j, i) => ({ j, i, o: overlap(j) }));
  if (scored.every((s) => s.o === 0)) return journeys.slice(0, count);
  return scored.sort((a, b) => b.o - a.o || a.i - b.i).slice(0, count).map((s) => s.j);
}
