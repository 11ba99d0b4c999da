import { casedWordsOf, findDateWindow, wordsOf, type CalendarContext, type DateWindow } from './date-phrases.domain.js';

/**
 * What a CPD question asks for, understood without an LLM: the words worth searching for, an
 * optional date window, and whether the person clearly asked about CPD at all (which decides if
 * gibberish gets the CPD "nothing found" card or falls through to the welcome card).
 */
export interface CpdQuestion {
  /** What the person typed, trimmed; kept so "More" can re-run the same search. */
  text: string;
  /** Words to search for, lower-case, filler and date phrase removed, in the order typed. */
  terms: string[];
  /** The same words as typed ("TAs"), for the card's header. */
  displayTerms: string[];
  window: DateWindow | undefined;
  /** True when the words say "this is about CPD" (training, course, what's on…). */
  asksForCpd: boolean;
  /** "my …": about the person's own things (bookings, record) rather than the catalogue. */
  possessive: boolean;
  /** Words naming what other features offer ("resources", "network"), left out of `terms`. */
  otherTopics: string[];
}

/** Words that say the question is about CPD; they are not search terms themselves. */
const CPD_WORDS = new Set([
  'cpd', 'training', 'trainings', 'train', 'course', 'courses', 'programme', 'programmes', 'program', 'programs',
  'session', 'sessions', 'workshop', 'workshops', 'twilight', 'twilights', 'inset', 'webinar', 'webinars',
  'book', 'event', 'events',
]);

/** "what's on", "whats on", "what is on" — asks for the listing. */
const WHATS_ON = [['whats', 'on'], ['what', 'is', 'on'], ['whats', 'happening'], ['on', 'offer']];

/** Words with no search value in a question about CPD. */
const FILLER = new Set([
  'any', 'anything', 'some', 'for', 'me', 'please', 'pls', 'what', 'whats', 'which', 'is', 'are', 'there', 'the', 'a', 'an',
  'on', 'in', 'of', 'to', 'about', 'i', 'im', 'can', 'could', 'would', 'you', 'do', 'does', 'have', 'has', 'available',
  'coming', 'up', 'upcoming', 'show', 'find', 'list', 'get', 'looking', 'look', 'want', 'need', 'needs', 'with', 'my', 'our',
  'we', 'us', 'all', 'at', 'and', 'or', 'when', 'where', 'next', 'soon', 'offer', 'offered', 'happening', 'running', 'run',
  'tell', 'like', 'into', 'be', 'it', 'that', 'this', 'these', 'those', 'there', 'here', 'from', 'by', 'new', 'good', 'hi', 'hello',
  'thanks', 'thank', 'interested', 'join', 'attend', 'go', 'going', 'place', 'places', 'staff', 'people', 'colleagues', 'team',
  'also', 'help', 'more', 'other', 'else', 'still', 'open', 'left', 'free', 'dates', 'date', 'time', 'times',
]);

const MAX_QUESTION_LENGTH = 200;

export interface QuestionContext extends CalendarContext {
  /** The trust's synonym groups: a group holding a CPD word ("training") makes all its phrases CPD words. */
  synonyms: ReadonlyArray<readonly string[]>;
  /** Words that name what other features offer; not searched as CPD topics. */
  otherTopics?: ReadonlySet<string>;
}

export function understandQuestion(text: string, now: Date, context: QuestionContext): CpdQuestion {
  const trimmed = text.trim().slice(0, MAX_QUESTION_LENGTH);
  const tokens = wordsOf(trimmed);
  const asksWhatsOn = WHATS_ON.some((phrase) => indexOfPhrase(tokens, phrase) >= 0);
  const { window, remaining } = findDateWindow(tokens, now, context);
  const { rest, found } = removePhrases(remaining, cpdPhrases(context.synonyms));
  const otherTopics = rest.filter((t) => context.otherTopics?.has(t) === true);
  const terms = rest.filter((t) => !FILLER.has(t) && context.otherTopics?.has(t) !== true);
  const typed = new Map<string, string>();
  for (const word of casedWordsOf(trimmed)) if (!typed.has(word.toLowerCase())) typed.set(word.toLowerCase(), word);
  const displayTerms = terms.map((t) => typed.get(t) ?? t);
  return { text: trimmed, terms, displayTerms, window, asksForCpd: asksWhatsOn || found, possessive: tokens.includes('my'), otherTopics };
}

/** CPD words plus every phrase of a synonym group that contains one, longest first (once per profile's groups). */
const cpdPhrasesBySynonyms = new WeakMap<ReadonlyArray<readonly string[]>, readonly string[][]>();
function cpdPhrases(synonyms: ReadonlyArray<readonly string[]>): readonly string[][] {
  let phrases = cpdPhrasesBySynonyms.get(synonyms);
  if (!phrases) {
    phrases = buildCpdPhrases(synonyms);
    cpdPhrasesBySynonyms.set(synonyms, phrases);
  }
  return phrases;
}

function buildCpdPhrases(synonyms: ReadonlyArray<readonly string[]>): string[][] {
  const phrases = [...CPD_WORDS].map((w) => [w]);
  for (const group of synonyms) {
    const words = group.map(wordsOf);
    if (words.some((w) => w.length === 1 && CPD_WORDS.has(w[0]))) phrases.push(...words.filter((w) => w.length > 0));
  }
  return phrases.sort((a, b) => b.length - a.length);
}

function removePhrases(tokens: readonly string[], phrases: readonly string[][]): { rest: string[]; found: boolean } {
  const rest: string[] = [];
  let found = false;
  for (let i = 0; i < tokens.length; ) {
    const phrase = phrases.find((p) => p.every((w, k) => tokens[i + k] === w));
    if (phrase) {
      found = true;
      i += phrase.length;
    } else {
      rest.push(tokens[i]);
      i += 1;
    }
  }
  return { rest, found };
}

function indexOfPhrase(tokens: readonly string[], phrase: readonly string[]): number {
  return tokens.findIndex((_, i) => phrase.every((w, k) => tokens[i + k] === w));
}

/** The header line of the results card: "Phonics · next month (December 2026)". */
export function describeQuestion(question: CpdQuestion): string {
  const words = question.displayTerms.length > 0 ? capitalise(question.displayTerms.join(' ')) : 'Everything';
  return question.window ? `${words} · ${question.window.label}` : words;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
