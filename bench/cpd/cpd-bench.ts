import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { teamsActivities, teamsPerson, type TeamsActivityBuilders } from '../../tests/support/activities.js';
import type { ConnectorStandIn } from '../../tests/support/connector-stand-in.js';
import { latencyTable, summariseRounds, type KindSummary, type RoundSample, type TargetRow } from '../stats.js';
import { startApp, type AppProcess } from './app-process.js';
import { addBenchOfferings, blockBookings, type BenchStore } from './bench-data.js';
import { checkBurst, runBurst, type BurstPlan } from './burst.js';
import { post, runTurns, type Load, type TurnKind } from './load.js';
import { idleMemory, memoryTable } from './memory.js';

const num = (name: string, fallback: number): number => Number(process.env[name] ?? fallback);
export const KNOBS = {
  samples: num('BENCH_SAMPLES', 1000),
  rounds: num('BENCH_ROUNDS', 10),
  warmUp: num('BENCH_WARM_UP', 200),
  concurrency: num('BENCH_CONCURRENCY', 50),
  steadySeconds: num('BENCH_STEADY_SECONDS', 30),
  people: num('BENCH_PEOPLE', 400),
  /**
   * Booking samples never repeat a (person, offering) pair, so people × offerings must cover every book
   * turn of the run: warm-up and rounds are counted, the steady-state book windows are bounded by
   * this rate, well above what one app process answers.
   */
  maxBookRate: num('BENCH_MAX_BOOK_RATE', 5000),
  blockCapacity: 150,
  burst: { people: num('BENCH_BURST', 1000), seats: 30, doublePresses: 100, retries: 50 } satisfies BurstPlan,
  /** Starts per cold-start row (each empty one on its own new folder or database and compile cache); the rows judge their median. */
  coldStarts: Math.max(1, num('BENCH_COLD_STARTS', 3)),
};
const IDLE_MS = 3000;
/** Steady state: booking and its floor alternate in windows of about 5 s, booking first. */
const STEADY_WINDOWS = Math.max(2, Math.round(KNOBS.steadySeconds / 5));
const STEADY_BOOK_SECONDS = (Math.ceil(STEADY_WINDOWS / 2) * KNOBS.steadySeconds) / STEADY_WINDOWS;
const KINDS: readonly TurnKind[] = ['echo', 'search', 'echo-card', 'book', 'book-repeat'];
const LABELS: Record<TurnKind, string> = {
  echo: 'Echo message (floor: reply via connector)',
  search: 'CPD search ("any phonics training?" …)',
  'echo-card': 'Echo card press (floor: card in invoke response)',
  book: 'Book press, each a new booking',
  'book-repeat': 'Book press again (already booked)',
};
const FLOOR: Record<TurnKind, TurnKind | undefined> = { echo: undefined, search: 'echo', 'echo-card': undefined, book: 'echo-card', 'book-repeat': 'echo-card' };

export interface StoreResult {
  targets: TargetRow[];
  markdown: string;
}

/** A message the app answers from its first moment: the person's first "hello" gets a card. */
function firstAnswer(activities: TeamsActivityBuilders) {
  const person = teamsPerson('Cold Start Probe');
  return async (baseUrl: string): Promise<boolean> => {
    await post(baseUrl, activities.message({ text: 'hello', from: person }));
    return true;
  };
}

interface StartFigure {
  ms: number;
  rssMb: number;
}

/** The median of a row's starts (the middle one; for an even count the upper middle), with the range. */
function middle(starts: readonly StartFigure[], of: (s: StartFigure) => number): { median: number; min: number; max: number } {
  const sorted = starts.map(of).sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)] ?? Number.NaN, min: sorted[0] ?? Number.NaN, max: sorted[sorted.length - 1] ?? Number.NaN };
}

/**
 * KNOBS.coldStarts empty-folder starts and as many reused-folder starts. The first empty start fills
 * the bench's own store, with this run's compile cache (empty until then); each further empty start
 * gets a new store and an empty cache of its own. The reused starts all reopen the bench's store.
 */
async function coldStarts(store: BenchStore, activities: TeamsActivityBuilders): Promise<{ empty: StartFigure[]; reused: StartFigure[] }> {
  const empty = [await coldStart(store, activities)];
  for (let i = 1; i < KNOBS.coldStarts; i += 1) {
    const other = await store.fresh();
    const cache = mkdtempSync(path.join(tmpdir(), 'devhub-bench-compile-cache-'));
    try {
      empty.push(await coldStart({ ...other, appEnv: { ...other.appEnv, NODE_COMPILE_CACHE: cache } }, activities));
    } finally {
      await other.drop();
      rmSync(cache, { recursive: true, force: true });
    }
  }
  const reused: StartFigure[] = [];
  for (let i = 0; i < KNOBS.coldStarts; i += 1) reused.push(await coldStart(store, activities));
  return { empty, reused };
}

async function coldStart(store: BenchStore, activities: TeamsActivityBuilders): Promise<StartFigure> {
  const { app, coldStartMs } = await startApp({ viaNpm: true, env: { ...store.appEnv, SAMPLE_DATA: 'on' } }, firstAnswer(activities));
  await new Promise((r) => setTimeout(r, IDLE_MS));
  const rssMb = app.rssMb();
  await app.stop();
  return { ms: coldStartMs, rssMb };
}

export async function benchStore(bare: BenchStore, connector: ConnectorStandIn): Promise<StoreResult> {
  const activities = teamsActivities({ serviceUrl: connector.serviceUrl });
  // Node's compile cache (dist/index.js turns it on) in a folder of this run's own, empty at first: the
  // empty-folder start is a first start after a deploy, compiling the bundle; every later start reuses it.
  const compileCache = mkdtempSync(path.join(tmpdir(), 'devhub-bench-compile-cache-'));
  const store: BenchStore = { ...bare, appEnv: { ...bare.appEnv, NODE_COMPILE_CACHE: compileCache } };
  try {
    return await benchWithCache(store, connector, activities);
  } finally {
    rmSync(compileCache, { recursive: true, force: true });
  }
}

async function benchWithCache(store: BenchStore, connector: ConnectorStandIn, activities: TeamsActivityBuilders): Promise<StoreResult> {
  const starts = await coldStarts(store, activities);
  const empty = { ms: middle(starts.empty, (x) => x.ms), rss: middle(starts.empty, (x) => x.rssMb) };
  const reused = { ms: middle(starts.reused, (x) => x.ms), rss: middle(starts.reused, (x) => x.rssMb) };
  const memory = await idleMemory(store, firstAnswer(activities), IDLE_MS);

  const seedDb = await store.open();
  const bookTurns = KNOBS.warmUp + KNOBS.samples + STEADY_BOOK_SECONDS * KNOBS.maxBookRate;
  const offerings = await addBenchOfferings(seedDb, Math.ceil(bookTurns / KNOBS.people), KNOBS.blockCapacity, KNOBS.burst.seats);
  await seedDb.destroy();

  const { app } = await startApp({ preload: ['./bench/echo.feature.ts'], env: { ...store.appEnv, SAMPLE_DATA: 'on' } }, firstAnswer(activities));
  let stopped = false;
  try {
    const load: Load = {
      app,
      connector,
      activities,
      people: Array.from({ length: KNOBS.people }, (_, i) => teamsPerson(`Bench Person ${i + 1}`)),
      offerings,
      concurrency: KNOBS.concurrency,
      nextPair: 0,
      booked: [],
      echoSent: 0,
    };
    await installAll(app, load);
    let offset = 0;
    const rounds = async (kind: TurnKind, limit: { count?: number; untilMs?: number }): Promise<RoundSample> => {
      const run = await runTurns(load, kind, limit, offset);
      offset += run.samples.length;
      return run;
    };
    for (let w = 0; w < 2; w += 1) for (const kind of KINDS) await rounds(kind, { count: Math.ceil(KNOBS.warmUp / 2) });

    // Interleaved rounds, so drift (GC, growing tables) does not favour one kind.
    const short: Record<TurnKind, RoundSample[]> = { echo: [], search: [], 'echo-card': [], book: [], 'book-repeat': [] };
    for (let r = 0; r < KNOBS.rounds; r += 1) {
      for (const kind of KINDS) short[kind].push(await rounds(kind, { count: Math.ceil(KNOBS.samples / KNOBS.rounds) }));
    }
    const steady: Record<'echo-card' | 'book', RoundSample[]> = { 'echo-card': [], book: [] };
    for (let w = 0; w < STEADY_WINDOWS; w += 1) {
      const kind = w % 2 === 0 ? 'book' : 'echo-card';
      steady[kind].push(await rounds(kind, { untilMs: (KNOBS.steadySeconds * 1000) / STEADY_WINDOWS }));
    }
    const burst = await runBurst(app.baseUrl, activities, KNOBS.burst);
    const peakRss = app.peakRssMb();
    const afterLoadRss = app.rssMb();
    await app.stop();
    stopped = true;

    const db = await store.open();
    const verdict = await checkBurst(db, KNOBS.burst, burst, store.kind === 'pglite' ? 'PGlite' : 'PostgreSQL');
    const block = await blockBookings(db);
    await db.destroy();
    if (block.rows !== load.booked.length || block.duplicates !== 0) {
      throw new Error(`booking samples: ${load.booked.length} new bookings answered, ${block.rows} rows stored, ${block.duplicates} duplicates`);
    }

    const s = Object.fromEntries(KINDS.map((k) => [k, summariseRounds(LABELS[k], short[k])])) as Record<TurnKind, KindSummary>;
    const steadyBook = summariseRounds(`${LABELS.book}, steady ${KNOBS.steadySeconds} s`, steady.book);
    const steadyFloor = summariseRounds(`${LABELS['echo-card']}, steady ${KNOBS.steadySeconds} s`, steady['echo-card']);
    const table = latencyTable([
      ...KINDS.map((k) => ({ row: s[k], floor: FLOOR[k] ? s[FLOOR[k]] : undefined })),
      { row: steadyFloor, floor: undefined },
      { row: steadyBook, floor: steadyFloor },
    ]);
    const pglite = store.kind === 'pglite';
    const rssTarget = pglite ? 300 : 200;
    const ratio = (a: KindSummary, b: KindSummary): number => a.p95 / b.p95;
    const range = (m: { min: number; max: number }, f: (n: number) => string): string => (KNOBS.coldStarts > 1 ? ` (${f(m.min)}–${f(m.max)})` : '');
    const mbOf = (m: { median: number; min: number; max: number }): string => `${m.median.toFixed(0)} MB${range(m, (n) => n.toFixed(0))}`;
    const secondsOf = (m: { median: number; min: number; max: number }): string => `${(m.median / 1000).toFixed(2)} s${range(m, (n) => (n / 1000).toFixed(2))}`;
    const targets: TargetRow[] = [
      { what: 'Idle RSS after start, empty data folder', measured: mbOf(empty.rss), target: `≤ ${rssTarget} MB`, pass: empty.rss.median <= rssTarget },
      { what: 'Idle RSS after start, reused data folder', measured: mbOf(reused.rss), target: `≤ ${rssTarget} MB`, pass: reused.rss.median <= rssTarget },
      { what: '`npm start` to first reply, empty data folder (dist built)', measured: secondsOf(empty.ms), target: '≤ 3 s', pass: empty.ms.median <= 3000 },
      { what: '`npm start` to first reply, reused data folder', measured: secondsOf(reused.ms), target: '≤ 1.5 s', pass: reused.ms.median <= 1500 },
      { what: 'Booking p95 ÷ echo card p95 (short run)', measured: `${ratio(s.book, s['echo-card']).toFixed(2)}×`, target: '≤ 1.5×', pass: ratio(s.book, s['echo-card']) <= 1.5 },
      { what: `Booking p95 ÷ echo card p95 (steady ${KNOBS.steadySeconds} s)`, measured: `${ratio(steadyBook, steadyFloor).toFixed(2)}×`, target: '≤ 1.5×', pass: ratio(steadyBook, steadyFloor) <= 1.5 },
      { what: `Booking turns/s, ${KNOBS.concurrency} concurrent (short / steady)`, measured: `${s.book.turnsPerSecond.toFixed(0)} / ${steadyBook.turnsPerSecond.toFixed(0)}`, target: '≥ 450 both', pass: Math.min(s.book.turnsPerSecond, steadyBook.turnsPerSecond) >= 450 },
      { what: 'Search p95 ÷ echo message p95', measured: `${ratio(s.search, s.echo).toFixed(2)}×`, target: '≤ 1.3×', pass: ratio(s.search, s.echo) <= 1.3 },
      { what: `${KNOBS.burst.people}-person burst (+ doubles, retries), correct and quick`, measured: `${(verdict.elapsedMs / 1000).toFixed(2)} s, checks ${verdict.pass ? 'hold' : 'FAILED'}`, target: '≤ 2 s, all checks hold', pass: verdict.pass && verdict.elapsedMs <= 2000 },
    ];
    const markdown = [
      `Database: **${store.describe}**. Cold start: \`npm start\` spawned until its first answered message; idle RSS ${IDLE_MS / 1000} s after that answer; ` +
        `each start row is the median of ${KNOBS.coldStarts} starts (range in brackets). ` +
        'Each empty-folder start has a new folder or database and an empty compile cache (a first start after a deploy); the reused-folder starts reopen the first one with its cache.',
      '',
      table,
      '',
      memoryTable(memory, store.kind === 'pglite'),
      '',
      `App process after the load: RSS ${afterLoadRss.toFixed(0)} MB, peak ${peakRss.toFixed(0)} MB. ${load.booked.length} booking samples, each a new booking (checked in the database: ${block.rows} rows, ${block.duplicates} duplicates).`,
      '',
      verdict.markdown,
    ].join('\n');
    return { targets, markdown };
  } catch (error) {
    // What the app said last (ids and codes only: the app's logs carry no message text).
    console.error(`app output before the failure:\n${app.output().slice(-3000)}`);
    throw error;
  } finally {
    if (!stopped) await app.stop();
  }
}

async function installAll(app: AppProcess, load: Load): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < load.people.length) {
      const person = load.people[next++];
      await post(app.baseUrl, load.activities.botInstalledInPersonalChat(person));
    }
  };
  await Promise.all(Array.from({ length: load.concurrency }, () => worker()));
  load.connector.clear();
}

export function newDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'devhub-bench-'));
  return { dir: path.join(dir, 'data'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
