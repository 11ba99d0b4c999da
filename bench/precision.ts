import type { LabelledPhrasing } from './search-phrasings.js';

export interface PrecisionReport {
  precision: number;
  answered: number;
  total: number;
  misses: Array<{ text: string; expected: readonly string[]; top: readonly string[] }>;
}

/**
 * precision@3 over a labelled set: the share of phrasings whose top three course ids include one
 * the label says answers it. `topCourses` is the ranking under test (course ids, best first).
 */
export function precisionAt3(
  phrasings: readonly LabelledPhrasing[],
  topCourses: (phrasing: LabelledPhrasing) => readonly string[],
): PrecisionReport {
  const misses: PrecisionReport['misses'] = [];
  for (const phrasing of phrasings) {
    const top = [...new Set(topCourses(phrasing))].slice(0, 3);
    if (!top.some((id) => phrasing.expected.includes(id))) misses.push({ text: phrasing.text, expected: phrasing.expected, top });
  }
  const answered = phrasings.length - misses.length;
  return { precision: phrasings.length === 0 ? 0 : answered / phrasings.length, answered, total: phrasings.length, misses };
}

export function precisionMarkdown(report: PrecisionReport): string {
  const lines = [
    `precision@3: **${(report.precision * 100).toFixed(1)} %** (${report.answered} of ${report.total} labelled phrasings have an expected course in the top 3; target ≥ 95 %)`,
  ];
  if (report.misses.length > 0) {
    lines.push('', '| phrasing | expected | top 3 |', '|---|---|---|');
    for (const m of report.misses) lines.push(`| ${m.text} | ${m.expected.join(', ')} | ${m.top.join(', ') || '—'} |`);
  }
  return lines.join('\n');
}
