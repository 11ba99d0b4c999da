import type { Urgency } from './visits.domain.js';

/**
 * How well a message asks for each visit journey, 0..1, on normalised text (lower case, no
 * punctuation, common misspellings folded). Pure, so the scoring router can compare features.
 */
export function normaliseMessage(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9\s]+/g, ' ')
    .replace(/\b(inclsuion|incluson|inlcusion|inclusoin)\b/g, 'inclusion')
    .replace(/\b(vist|visti|vsit)\b/g, 'visit')
    .replace(/\s+/g, ' ')
    .trim();
}

const words = (text: string): string[] => normaliseMessage(text).split(' ').filter(Boolean);
const has = (w: string[], ...any: string[]): boolean => any.some((a) => w.includes(a));
const mentionsVisit = (w: string[]): boolean => has(w, 'visit', 'visits') || (has(w, 'isv', 'isvs'));
const mentionsInclusion = (w: string[]): boolean => has(w, 'inclusion', 'isv', 'isvs', 'send', 'senco');

/** Words that ask for something new ("book", "need"); "request" only as a verb, never "requests". */
const ASKS = ['request', 'need', 'book', 'ask', 'want', 'arrange', 'new', 'get', 'come', 'please'];
const VISIT_WORDS = ['visit', 'visits', 'isv', 'isvs', 'inclusion', 'request', 'requests'];

/** "my" (or "mine") naming the visits themselves ("my visit requests"), not "for my academy". */
function mineNamed(w: string[]): boolean {
  return w.some((word, i) => (word === 'my' && w.slice(i + 1, i + 3).some((next) => VISIT_WORDS.includes(next))) || word === 'mine');
}

/** "request an inclusion visit", "I need an inclusion support visit", "book an ISV for my academy". */
export function scoreRequestVisit(text: string): number {
  const w = words(text);
  if (!mentionsVisit(w)) return 0;
  if (has(w, 'open', 'list', 'show', 'pending', 'outstanding') || mineNamed(w)) return 0.2;
  const asks = has(w, ...ASKS);
  if (mentionsInclusion(w)) return asks ? 0.95 : 0.75;
  return asks ? 0.55 : 0.3;
}

/** "my visit requests", "my inclusion visits". */
export function scoreMyVisits(text: string): number {
  const w = words(text);
  if (!mentionsVisit(w) || !mineNamed(w)) return 0;
  return has(w, 'requests', 'request') || mentionsInclusion(w) ? 0.95 : 0.7;
}

/** "open visit requests", "open inclusion visits urgent north hub". */
export function scoreOpenVisits(text: string): number {
  const w = words(text);
  if (!mentionsVisit(w)) return 0;
  if (has(w, 'open', 'triage', 'outstanding', 'pending', 'all')) return has(w, 'requests', 'request') || mentionsInclusion(w) ? 0.95 : 0.7;
  return 0;
}

export interface OpenFilterVocabulary {
  hubs: ReadonlyArray<{ id: string; name: string }>;
  focusAreas: ReadonlyArray<{ id: string; label: string }>;
}

/** Filters named in the message: a hub ("north hub"), an urgency ("urgent"), a focus area by a word of its label. */
export function openFiltersFrom(text: string, vocabulary: OpenFilterVocabulary): { hubId?: string; urgency?: Urgency; focusAreaId?: string } {
  const w = words(text);
  const filters: { hubId?: string; urgency?: Urgency; focusAreaId?: string } = {};
  const hub = vocabulary.hubs.find((h) => w.includes(h.id) || normaliseMessage(text).includes(normaliseMessage(h.name)));
  if (hub) filters.hubId = hub.id;
  for (const urgency of ['urgent', 'soon', 'routine'] as const) if (w.includes(urgency)) filters.urgency = urgency;
  const ignored = new Set(['open', 'visit', 'visits', 'request', 'requests', 'inclusion', 'and', 'with', 'all', 'issues', 'needs', 'the', 'of', 'for', 'pupils', 'managing', 'producing', 'required']);
  const focus = vocabulary.focusAreas.find((f) => words(f.label).some((word) => word.length > 3 && !ignored.has(word) && w.includes(word)));
  if (focus) filters.focusAreaId = focus.id;
  return filters;
}
