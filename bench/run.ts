/**
 * npm run bench — the CPD-in-chat benchmark (issue 3, made honest in issue 12). Not a timed test: it
 * prints a Markdown report and exits 1 when a target fails.
 *
 * The app runs as production runs it, in its own process (`node dist/index.js`; dist/ is rebuilt
 * first if stale), and is loaded over HTTP from this process, which also hosts the connector
 * stand-in the replies go to. The floors are bench/echo.feature.ts, preloaded into that process:
 * an "echo …" message claimed before any scoring (floor for message turns, whose reply goes to the
 * connector) and an `echo.card` press (floor for card presses, answered in the invoke response).
 * Per database (embedded PGlite always; PostgreSQL too when BENCH_DATABASE_URL or TEST_DATABASE_URL
 * is set; BENCH_DB=pglite|postgres picks one):
 *   - cold start (`npm start` to first reply) and idle RSS, on an empty and on a reused data folder;
 *   - turn latency at 50 concurrent conversations, interleaved rounds: absolute turns/s, the app's
 *     CPU ms per turn (from /proc), p50/p95/p99, p95 spread over rounds, ratios to the right floor;
 *     every Book sample is a new booking (checked in the database), repeats are their own row;
 *   - a steady-state run (30 s) of bookings against their floor;
 *   - the burst: 1,000 people press Book on a 30-seat offering at once, 100 press twice and 50
 *     presses are Teams retries; checked against the database's arrival order (row lock on PostgreSQL).
 * CPD search precision@3 (bench/search-quality.ts) is printed first. BENCH_ONLY=precision or
 * BENCH_ONLY=cpd runs one part; other sections (bench/sections.ts) follow, each alone by its name.
 * Knobs: BENCH_SAMPLES (per kind, 1000), BENCH_ROUNDS (10), BENCH_WARM_UP (200), BENCH_CONCURRENCY (50),
 * BENCH_STEADY_SECONDS (30), BENCH_PEOPLE (400), BENCH_BURST (1000).
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { ConnectorStandIn } from '../tests/support/connector-stand-in.js';
import { ROOT } from './cpd/app-process.js';
import { pgliteStore, postgresStore, type BenchStore } from './cpd/bench-data.js';
import { benchStore, KNOBS, newDataDir } from './cpd/cpd-bench.js';
import { precisionMarkdown } from './precision.js';
import { measureSearchQuality } from './search-quality.js';
import { benchSections } from './sections.js';
import { targetTable, type TargetRow } from './stats.js';

async function cpdBench(): Promise<boolean> {
  execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const cpus = os.cpus();
  console.log('## CPD in chat — benchmark\n');
  console.log(
    `Node ${process.version} on ${os.platform()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}. ` +
      `The app is its own process (\`node dist/index.js\`); load (${KNOBS.concurrency} concurrent conversations, ${KNOBS.people} people) ` +
      `and the connector stand-in run in the bench process. ${KNOBS.warmUp} warm-up turns per kind, then ${KNOBS.rounds} interleaved rounds of ` +
      `${Math.ceil(KNOBS.samples / KNOBS.rounds)} turns per kind; latency is from POST /api/messages to its answer.\n`,
  );
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  const which = process.env.BENCH_DB;
  const connector = await ConnectorStandIn.start();
  const all: Array<{ name: string; rows: TargetRow[] }> = [];
  try {
    const kinds: Array<'pglite' | 'postgres'> = [];
    if (which !== 'postgres') kinds.push('pglite');
    if (url && which !== 'pglite') kinds.push('postgres');
    if (which === 'postgres' && !url) throw new Error('BENCH_DB=postgres needs BENCH_DATABASE_URL or TEST_DATABASE_URL');
    for (const kind of kinds) {
      const data = newDataDir();
      const store: BenchStore = kind === 'pglite' ? await pgliteStore(data.dir) : await postgresStore(url!);
      try {
        const result = await benchStore(store, connector);
        const name = kind === 'pglite' ? 'PGlite' : 'PostgreSQL';
        console.log(`### ${name}\n`);
        console.log(result.markdown + '\n');
        all.push({ name, rows: result.targets });
      } finally {
        await store.drop();
        data.remove();
      }
    }
  } finally {
    await connector.close();
  }
  console.log('### Targets\n');
  const rows = all.flatMap((a) => a.rows.map((r) => ({ ...r, what: `${a.name}: ${r.what}` })));
  console.log(targetTable(rows));
  const pass = rows.every((r) => r.pass);
  console.log(`\nOverall: ${pass ? 'PASS' : 'FAIL'}\n`);
  return pass;
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY;
  let pass = true;
  if (!only || only === 'precision' || only === 'cpd') {
    if (only !== 'cpd') {
      console.log('## CPD search quality\n');
      console.log(precisionMarkdown(measureSearchQuality()) + '\n');
    }
    if (only !== 'precision') pass = (await cpdBench()) && pass;
  }
  for (const section of benchSections) {
    if (only && only !== section.name) continue;
    const result = await section.run();
    pass = result.pass && pass;
  }
  if (only && only !== 'precision' && only !== 'cpd' && !benchSections.some((s) => s.name === only)) {
    console.error(`BENCH_ONLY=${only}: no such section (precision, cpd, ${benchSections.map((s) => s.name).join(', ')})`);
    pass = false;
  }
  process.exitCode = pass ? 0 : 1;
}

await main();
