import type { AcademicTermDates } from '../cpd.taxonomy.js';
import { localMidnight, localParts, MONTH_NAMES, parseLocalDate } from '../cpd-time.domain.js';

/**
 * Date phrases in a CPD question ("next month", "in March", "spring term") → a window of time.
 * Pure: `now`, the zone and the academic terms are passed in. Works on the question's tokens
 * (lower-case words) and hands back the tokens it did not use, so the rest can be searched.
 */

export interface DateWindow {
  /** Inclusive start instant. */
  from: Date;
  /** Exclusive end instant. */
  to: Date;
  /** How the person said it, tidied: "next month", "March 2027", "Spring term". */
  label: string;
}

export interface CalendarContext {
  timeZone: string;
  terms: ReadonlyArray<AcademicTermDates>;
}

export interface DatePhraseMatch {
  window: DateWindow | undefined;
  remaining: string[];
}

const MONTHS = new Map<string, number>(
  MONTH_NAMES.flatMap((name, i) => {
    const full = name.toLowerCase();
    const pairs: Array<[string, number]> = [[full, i + 1]];
    // "mar" and "may" are ordinary words too often; "may" counts only after "in"/"during" (below).
    const short = full.slice(0, 3);
    if (short !== full && short !== 'mar') pairs.push([short, i + 1]);
    if (full === 'september') pairs.push(['sept', 9]);
    return pairs;
  }),
);
MONTHS.delete('may');

type Resolver = (now: Date, ctx: CalendarContext) => DateWindow | undefined;

interface Phrase {
  tokens: string[];
  resolve: Resolver;
}

const FIXED_PHRASES: Phrase[] = [
  { tokens: ['today'], resolve: (now, ctx) => dayWindow(now, ctx.timeZone, 0, 'today') },
  { tokens: ['tonight'], resolve: (now, ctx) => dayWindow(now, ctx.timeZone, 0, 'today') },
  { tokens: ['tomorrow'], resolve: (now, ctx) => dayWindow(now, ctx.timeZone, 1, 'tomorrow') },
  { tokens: ['this', 'week'], resolve: (now, ctx) => weekWindow(now, ctx.timeZone, 0, 'this week') },
  { tokens: ['next', 'week'], resolve: (now, ctx) => weekWindow(now, ctx.timeZone, 1, 'next week') },
  { tokens: ['this', 'month'], resolve: (now, ctx) => monthWindow(now, ctx.timeZone, 0, 'this month') },
  { tokens: ['next', 'month'], resolve: (now, ctx) => monthWindow(now, ctx.timeZone, 1, 'next month') },
  { tokens: ['this', 'term'], resolve: (now, ctx) => relativeTerm(now, ctx, 0) },
  { tokens: ['next', 'term'], resolve: (now, ctx) => relativeTerm(now, ctx, 1) },
];

/** Words that may introduce a date phrase and go with it ("in March", "during the spring term"). */
const LEADING = new Set(['in', 'during', 'over', 'for', 'the', 'this', 'on']);

/** Finds the first date phrase (longest match wins) and returns its window and the unused tokens. */
export function findDateWindow(tokens: readonly string[], now: Date, ctx: CalendarContext): DatePhraseMatch {
  const phrases = phrasesFor(ctx.terms);
  for (let i = 0; i < tokens.length; i += 1) {
    for (const phrase of phrases) {
      if (!startsWithAt(tokens, i, phrase.tokens)) continue;
      const window = phrase.resolve(now, ctx);
      if (!window) continue;
      return { window, remaining: without(tokens, i, phrase.tokens.length) };
    }
    const month = monthAt(tokens, i);
    if (month) {
      const window = monthByName(now, ctx.timeZone, month.month, month.year);
      return { window, remaining: without(tokens, i, month.length) };
    }
  }
  return { window: undefined, remaining: [...tokens] };
}

/**
 * The phrases to look for, longest first: built once per list of terms (the profile's, which does
 * not change while it is loaded), not on every message every intent scores.
 */
const phrasesByTerms = new WeakMap<ReadonlyArray<AcademicTermDates>, readonly Phrase[]>();
function phrasesFor(terms: ReadonlyArray<AcademicTermDates>): readonly Phrase[] {
  let phrases = phrasesByTerms.get(terms);
  if (!phrases) {
    phrases = [...FIXED_PHRASES, ...termPhrases(terms)].sort((a, b) => b.tokens.length - a.tokens.length);
    phrasesByTerms.set(terms, phrases);
  }
  return phrases;
}

function monthAt(tokens: readonly string[], i: number): { month: number; year: number | undefined; length: number } | undefined {
  const word = tokens[i] ?? '';
  const previous = tokens[i - 1];
  const month = MONTHS.get(word) ?? (word === 'may' && (previous === 'in' || previous === 'during') ? 5 : undefined);
  if (!month) return undefined;
  const next = tokens[i + 1];
  const year = next && /^20\d\d$/.test(next) ? Number(next) : undefined;
  return { month, year, length: year ? 2 : 1 };
}

function startsWithAt(tokens: readonly string[], i: number, phrase: readonly string[]): boolean {
  return phrase.every((t, k) => tokens[i + k] === t);
}

/** The tokens without the phrase at i..i+length, and without a leading "in"/"during"/"the" just before it. */
function without(tokens: readonly string[], i: number, length: number): string[] {
  let start = i;
  while (start > 0 && LEADING.has(tokens[start - 1] ?? '')) start -= 1;
  return [...tokens.slice(0, start), ...tokens.slice(i + length)];
}

function dayWindow(now: Date, timeZone: string, offsetDays: number, label: string): DateWindow {
  const p = localParts(now, timeZone);
  return {
    from: localMidnight(p.year, p.month, p.day + offsetDays, timeZone),
    to: localMidnight(p.year, p.month, p.day + offsetDays + 1, timeZone),
    label,
  };
}

/** Weeks run Monday to Sunday, as school timetables do. */
function weekWindow(now: Date, timeZone: string, offsetWeeks: number, label: string): DateWindow {
  const p = localParts(now, timeZone);
  const sinceMonday = (p.weekday + 6) % 7;
  const monday = p.day - sinceMonday + 7 * offsetWeeks;
  return { from: localMidnight(p.year, p.month, monday, timeZone), to: localMidnight(p.year, p.month, monday + 7, timeZone), label };
}

function monthWindow(now: Date, timeZone: string, offsetMonths: number, label: string): DateWindow {
  const p = localParts(now, timeZone);
  const from = localMidnight(p.year, p.month + offsetMonths, 1, timeZone);
  const to = localMidnight(p.year, p.month + offsetMonths + 1, 1, timeZone);
  const named = localParts(from, timeZone);
  return { from, to, label: `${label} (${MONTH_NAMES[named.month - 1]} ${named.year})` };
}

/** A month by name means its next occurrence: in November, "January" is next January and "November" is this one. */
function monthByName(now: Date, timeZone: string, month: number, year: number | undefined): DateWindow {
  const p = localParts(now, timeZone);
  const y = year ?? (month >= p.month ? p.year : p.year + 1);
  return {
    from: localMidnight(y, month, 1, timeZone),
    to: localMidnight(y, month + 1, 1, timeZone),
    label: `${MONTH_NAMES[month - 1]} ${y}`,
  };
}

function termWindow(term: AcademicTermDates, timeZone: string): DateWindow | undefined {
  const starts = parseLocalDate(term.starts);
  const ends = parseLocalDate(term.ends);
  if (!starts || !ends) return undefined;
  return {
    from: localMidnight(starts.year, starts.month, starts.day, timeZone),
    to: localMidnight(ends.year, ends.month, ends.day + 1, timeZone),
    label: term.name,
  };
}

/** Full terms in date order, each with its window. */
function fullTerms(ctx: CalendarContext): DateWindow[] {
  return ctx.terms
    .filter((t) => t.kind === 'term')
    .map((t) => termWindow(t, ctx.timeZone))
    .filter((w): w is DateWindow => w !== undefined)
    .sort((a, b) => a.from.getTime() - b.from.getTime());
}

/** "this term": the term we are in, or (in a holiday) the next one; "next term" is the one after that. */
function relativeTerm(now: Date, ctx: CalendarContext, offset: 0 | 1): DateWindow | undefined {
  const terms = fullTerms(ctx);
  const current = terms.findIndex((t) => t.to.getTime() > now.getTime());
  if (current < 0) return undefined;
  const term = terms[current + offset];
  return term ? { ...term, label: `${offset === 0 ? 'this term' : 'next term'} (${term.label})` } : undefined;
}

/**
 * Phrases for named terms: the name ("Spring term 2027"), the name without its year ("spring term"),
 * and the profile's aliases. When several terms share a phrase, the first that has not ended wins.
 */
function termPhrases(terms: ReadonlyArray<AcademicTermDates>): Phrase[] {
  const byKey = new Map<string, AcademicTermDates[]>();
  for (const term of terms) {
    const names = [term.name, ...term.aliases];
    const keys = new Set<string>();
    for (const name of names) {
      const words = wordsOf(name);
      keys.add(words.join(' '));
      const withoutYear = words.filter((w) => !/^(20\d\d)(-\d\d)?$/.test(w));
      if (withoutYear.length > 0) keys.add(withoutYear.join(' '));
    }
    for (const key of keys) byKey.set(key, [...(byKey.get(key) ?? []), term]);
  }
  return [...byKey.entries()].map(([key, candidates]) => ({
    tokens: key.split(' '),
    resolve: (now: Date, ctx: CalendarContext) => {
      const windows = candidates
        .map((t) => termWindow(t, ctx.timeZone))
        .filter((w): w is DateWindow => w !== undefined)
        .sort((a, b) => a.from.getTime() - b.from.getTime());
      return windows.find((w) => w.to.getTime() > now.getTime());
    },
  }));
}

/** Lower-case words, the way the search query is tokenised. */
export function wordsOf(text: string): string[] {
  return casedWordsOf(text).map((w) => w.toLowerCase());
}

/** The same words with the case they were typed in ("TAs"), for showing back to the person. */
export function casedWordsOf(text: string): string[] {
  return text
    .replace(/[’']/g, '')
    .split(/[^\p{L}\p{N}-]+|(?<!\d)-|-(?!\d)/u)
    .filter(Boolean);
}
