import type { NormalisedMessage } from '../../shared/bot-contract.js';
import { cueScore, type Cue } from '../../shared/router.domain.js';

/**
 * How sure a message is for the resource library. Cues come from the trust profile (its entry for
 * `resources`: "URL", "resource library", "worksheets"…) and from the kinds of thing the library
 * holds ("videos", "PDF", "guidance"). A bare topic the trust knows ("phonics", "maths") is read as
 * resources too, a little below CPD's reading of it, so the router offers both.
 */
export const RESOURCE_SCORES = {
  strongCue: 0.9,
  cue: 0.85,
  bareTopic: 0.68,
} as const;

/** Kinds of thing in the library: generic English, not trust data. */
export const RESOURCE_KIND_CUES: readonly string[] = [
  'video', 'videos', 'presentation', 'presentations', 'pdf', 'pdfs', 'tutorial', 'tutorials', 'guidance', 'guidance report',
  'guidance reports', 'research summary', 'research summaries', 'evidence summary', 'planning documents', 'lesson resources',
  'lesson plans', 'powerpoint', 'slides', 'EEF',
];

const SIGN_IN_CUES: Cue[] = [
  { phrase: 'sign in', weight: 0.9 },
  { phrase: 'log in', weight: 0.9 },
  { phrase: 'login', weight: 0.9 },
  { phrase: 'signin', weight: 0.9 },
];

/** Words that never make a topic on their own (question words and fillers). */
const FILLER = new Set('a an the any some me my our find show get what where is are have has for on about of in to please i we can do you there got'.split(' '));
const MAX_BARE_TOPIC_WORDS = 4;

export interface ResourceIntentVocabulary {
  cues: readonly string[];
  strongCues: readonly string[];
  /** Cues of other features (networks, visits…): a message naming one is not a bare topic for us. */
  otherFeatureCues: readonly string[];
  /** The concept keys that mean CPD itself ("cpd" → training, course): those messages are CPD's. */
  cpdConcepts: readonly string[];
  /** Lower-case words of the trust's topics (synonym phrases, strand names): a bare topic uses only these. */
  topicWords: ReadonlySet<string>;
}

export function resourceSearchScorer(vocabulary: ResourceIntentVocabulary): (message: NormalisedMessage) => number {
  const cues: Cue[] = [
    ...[...vocabulary.cues, ...RESOURCE_KIND_CUES].map((phrase) => ({ phrase, weight: RESOURCE_SCORES.cue })),
    ...vocabulary.strongCues.map((phrase) => ({ phrase, weight: RESOURCE_SCORES.strongCue })),
  ];
  const others: Cue[] = vocabulary.otherFeatureCues.map((phrase) => ({ phrase, weight: 1 }));
  return (message) => {
    if (cueScore(message, SIGN_IN_CUES) > 0) return 0;
    const cued = cueScore(message, cues);
    if (cued > 0) return cued;
    if (message.concepts.size === 0 || vocabulary.cpdConcepts.some((c) => message.concepts.has(c))) return 0;
    if (cueScore(message, others) > 0) return 0;
    const content = message.words.filter((w) => !FILLER.has(w));
    if (content.length === 0 || content.length > MAX_BARE_TOPIC_WORDS) return 0;
    const known = (w: string): boolean => vocabulary.topicWords.has(w) || vocabulary.topicWords.has(w.replace(/s$/, ''));
    return content.every(known) ? RESOURCE_SCORES.bareTopic : 0;
  };
}

/** "sign in", "log in to the URL": asking for the sign-in card itself. */
export function signInScore(message: NormalisedMessage): number {
  return cueScore(message, SIGN_IN_CUES);
}
