import nlp from 'compromise';

/**
 * Flags text that looks like a person's full name, so a SENCO can take it out (pupils are referred
 * to by initials and year group) or confirm it is fine before anything is stored.
 *
 * compromise's people() finds "Jack Smith" or "harry potter" from its lexicon of first and last
 * names and its grammar. Alone it also reads organisations and buildings as people ("Harmony
 * Learning" in "Harmony Learning Community", "Grace Darling" in "Grace Darling House"), and it
 * misses names outside its lexicon. So: a match must have at least two words, is dropped when it
 * runs into an organisation or place word, and an honorific with a surname ("Mrs Patel") is how
 * staff are named, not pupils, so it is left alone; and a capitalised word followed by a
 * capitalised double-barrelled surname ("Priya Sandhu-Vale") is flagged even when the lexicon does
 * not know the first name.
 */

interface TermJson {
  text: string;
  tags: string[];
  /** compromise's id for the term, the same in every view of one document. */
  id: string;
}
interface MatchJson {
  text: string;
  terms: TermJson[];
}

const BOUNDARY_TAGS = ['Organization', 'Place'];
const DOUBLE_BARRELLED = /\b([A-Z][a-z]+(?:['’][A-Z][a-z]+)?)\s+([A-Z][a-z]+-[A-Z][a-z]+)\b/g;

export function flagFullNames(text: string): string[] {
  if (text.trim() === '') return [];
  const doc = nlp(text);
  const options = { terms: { id: true } };
  const all = (doc.json(options) as Array<{ terms: TermJson[] }>).flatMap((sentence) => sentence.terms);
  const position = new Map(all.map((term, i) => [term.id, i]));
  const found = new Set<string>();
  for (const match of doc.people().json(options) as MatchJson[]) {
    if (match.terms.length < 2 || match.terms.some((t) => t.tags.includes('Honorific'))) continue;
    const next = all[(position.get(match.terms.at(-1)!.id) ?? -2) + 1];
    if (next && BOUNDARY_TAGS.some((tag) => next.tags.includes(tag))) continue;
    found.add(cleanName(match.text));
  }
  for (const m of text.matchAll(DOUBLE_BARRELLED)) found.add(`${m[1]} ${m[2]}`);
  return [...found];
}

/** The name as written, without the punctuation compromise keeps on a term ("Watson,"). */
function cleanName(value: string): string {
  return value.replace(/[^\p{L}\s'’-]+$/u, '').replace(/^[^\p{L}]+/u, '').trim();
}

/** Every free-text answer of a form that could name a pupil, checked together. */
export function flagFullNamesIn(fields: Record<string, string | null>): string[] {
  return [...new Set(Object.values(fields).flatMap((value) => (value ? flagFullNames(value) : [])))];
}
