/** Latency statistics and the Markdown table the benchmark prints. */

export interface LatencySummary {
  kind: string;
  n: number;
  /** CPU time of the whole process (app, stand-in and load generator) per turn, when measured. */
  cpuMsPerTurn?: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of samples in milliseconds. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function summarise(kind: string, samples: readonly number[], cpuMsPerTurn?: number): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    kind,
    n: sorted.length,
    ...(cpuMsPerTurn === undefined ? {} : { cpuMsPerTurn }),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

const ms = (value: number): string => value.toFixed(1);
const ratio = (value: number): string => `${value.toFixed(2)}×`;
const cpu = (row: LatencySummary): string => (row.cpuMsPerTurn === undefined ? '—' : row.cpuMsPerTurn.toFixed(2));

/** The latency table: every row against the baseline's p95 (target: p95 ≤ `target` × baseline p95). */
export function latencyTable(baseline: LatencySummary, rows: readonly LatencySummary[], target: number): { markdown: string; pass: boolean } {
  const lines = [
    '| Turn | Samples | p50 (ms) | p95 (ms) | p99 (ms) | CPU/turn (ms) | p50 ÷ echo | p95 ÷ echo | Target | Result |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---|',
    `| ${baseline.kind} | ${baseline.n} | ${ms(baseline.p50)} | ${ms(baseline.p95)} | ${ms(baseline.p99)} | ${cpu(baseline)} | 1.00× | 1.00× | baseline | — |`,
  ];
  let pass = true;
  for (const row of rows) {
    const p95Ratio = row.p95 / baseline.p95;
    const ok = p95Ratio <= target;
    pass &&= ok;
    lines.push(
      `| ${row.kind} | ${row.n} | ${ms(row.p50)} | ${ms(row.p95)} | ${ms(row.p99)} | ${cpu(row)} | ${ratio(row.p50 / baseline.p50)} | ${ratio(p95Ratio)} | p95 ≤ ${target}× echo | ${ok ? 'PASS' : 'FAIL'} |`,
    );
  }
  return { markdown: lines.join('\n'), pass };
}
