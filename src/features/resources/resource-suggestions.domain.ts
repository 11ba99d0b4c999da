/**
 * "Nothing found" suggests nearby topics from the trust's own vocabulary (its synonym groups and
 * CPD strands): the ones that share a word start or are one or two letters away from what was
 * typed, else the trust's most general topics, so the person always has somewhere to go next.
 */
export function nearbyTopics(terms: readonly string[], topics: readonly string[], count = 4): string[] {
  const unique = [...new Map(topics.map((t) => [t.toLowerCase(), t])).values()].filter((t) => !terms.includes(t.toLowerCase()));
  const scored = unique
    .map((topic, index) => ({ topic, index, score: closeness(terms, topic) }))
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .map((s) => s.topic);
  return (scored.length ? scored : unique).slice(0, count);
}

function closeness(terms: readonly string[], topic: string): number {
  const words = topic.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 1);
  let best = 0;
  for (const term of terms) {
    for (const word of words) {
      if (word === term) best = Math.max(best, 3);
      else if (term.length >= 4 && word.length >= 4 && word.slice(0, 4) === term.slice(0, 4)) best = Math.max(best, 2);
      else if (term.length >= 4 && editDistance(term, word) <= (term.length > 7 ? 2 : 1)) best = Math.max(best, 1);
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}
