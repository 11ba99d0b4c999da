/** Latency statistics and the Markdown tables the benchmark prints. */

/** Nearest-rank percentile of sorted samples in milliseconds. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export interface KindSummary {
  label: string;
  n: number;
  turnsPerSecond: number;
  /** The app process's CPU per turn (from /proc), ms. */
  cpuMsPerTurn: number;
  p50: number;
  p95: number;
  p99: number;
  /** p95 of each round on its own: the spread says how far one round's verdict can be trusted. */
  roundP95: { min: number; max: number; rounds: number };
}

export interface RoundSample {
  samples: readonly number[];
  wallMs: number;
  appCpuMs: number;
}

export function summariseRounds(label: string, rounds: readonly RoundSample[]): KindSummary {
  const all = rounds.flatMap((r) => r.samples).sort((a, b) => a - b);
  const wall = rounds.reduce((s, r) => s + r.wallMs, 0);
  const cpu = rounds.reduce((s, r) => s + r.appCpuMs, 0);
  const perRound = rounds.filter((r) => r.samples.length > 0).map((r) => percentile([...r.samples].sort((a, b) => a - b), 95));
  return {
    label,
    n: all.length,
    turnsPerSecond: wall > 0 ? (all.length / wall) * 1000 : Number.NaN,
    cpuMsPerTurn: all.length > 0 ? cpu / all.length : Number.NaN,
    p50: percentile(all, 50),
    p95: percentile(all, 95),
    p99: percentile(all, 99),
    roundP95: { min: Math.min(...perRound), max: Math.max(...perRound), rounds: perRound.length },
  };
}

const ms = (value: number): string => value.toFixed(1);

/** Every kind in absolute figures, and each against the floor that takes the same path. */
export function latencyTable(rows: ReadonlyArray<{ row: KindSummary; floor: KindSummary | undefined }>): string {
  const lines = [
    '| Turn | Samples | Turns/s | App CPU ms/turn | p50 (ms) | p95 (ms) | p99 (ms) | p95 per round, min–max (ms) | p95 ÷ its floor |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { row, floor } of rows) {
    const ratio = floor ? `${(row.p95 / floor.p95).toFixed(2)}× ${floor.label.split(' (')[0]}` : 'floor';
    lines.push(
      `| ${row.label} | ${row.n} | ${row.turnsPerSecond.toFixed(0)} | ${row.cpuMsPerTurn.toFixed(2)} | ${ms(row.p50)} | ${ms(row.p95)} | ${ms(row.p99)} | ${ms(row.roundP95.min)}–${ms(row.roundP95.max)} (${row.roundP95.rounds}) | ${ratio} |`,
    );
  }
  return lines.join('\n');
}

export interface TargetRow {
  what: string;
  measured: string;
  target: string;
  pass: boolean;
}

export function targetTable(rows: readonly TargetRow[]): string {
  return [
    '| What | Measured | Target | Result |',
    '|---|---:|---|---|',
    ...rows.map((r) => `| ${r.what} | ${r.measured} | ${r.target} | ${r.pass ? 'PASS' : 'FAIL'} |`),
  ].join('\n');
}

/** One set of latency samples (no rounds), e.g. an API route's answers; percentiles as above. */
export interface LatencySummary {
  kind: string;
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export function summarise(kind: string, samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return { kind, n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted.at(-1) ?? Number.NaN };
}
