/**
 * npm run bench — the CPD-in-chat benchmark (issue 3). Not a timed test: it prints a Markdown report.
 *
 * The whole app runs in this process (createDevelopmentHub: real CloudAdapter + Teams AI Application,
 * migrations, sample catalogue), answering Teams-shaped activities POSTed to /api/messages; replies go
 * to the connector stand-in. The baseline turn is bench/echo.feature.ts, a feature module the bench
 * registers: "echo …" takes the same path as any message and its intent wins with score 1.0.
 *
 *  (a) echo vs CPD-search vs booking (Action.Execute invoke) turns at 50 concurrent conversations:
 *      p50/p95 after a warm-up, as ratios to echo (target: p95 ≤ 1.5 × echo p95).
 *  (b) 1,000 simultaneous Book invokes by 1,000 people for one 30-seat offering: confirmed /
 *      waitlisted / duplicates (must be 30 / 970 / 0) and waitlist order = arrival order at the database.
 *
 *  (c) precision@3 of the CPD search ranking over a labelled set of phrasings (bench/search-phrasings.ts),
 *      on the sample catalogue in memory: no server or database, printed first. BENCH_ONLY=precision stops there;
 *      BENCH_ONLY=cpd runs (a) and (b) alone. Other sections (one per feature) are listed in bench/sections.ts.
 *
 * Database: embedded PGlite (in memory) by default; PostgreSQL when BENCH_DATABASE_URL (or
 * TEST_DATABASE_URL) is set — a fresh database is created on that server and dropped afterwards.
 * Knobs: BENCH_SAMPLES (per kind, default 1500), BENCH_CONCURRENCY (default 50), BENCH_BURST (default 1000),
 * BENCH_WARM_UP (turns per kind, default 300). Profiling aids: BENCH_KINDS=book (measure one kind only),
 * BENCH_DIAG=1 (wall and CPU per turn of every round on stderr), e.g.
 *   BENCH_KINDS=book node --import tsx --cpu-prof bench/run.ts
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { createDevelopmentHub, type DevelopmentHub } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase, postgresPool, type Db } from '../src/db/database.js';
import type { Database } from '../src/db/schema.js';
import { isBookingOpen } from '../src/features/cpd/catalogue/catalogue.domain.js';
import { CatalogueService } from '../src/features/cpd/catalogue/catalogue.service.js';
import { systemClock } from '../src/shared/clock.js';
import { createLogger } from '../src/shared/logger.js';
import { teamsActivities, teamsPerson, type TeamsActivityBuilders, type TeamsPerson } from '../tests/support/activities.js';
import { ConnectorStandIn } from '../tests/support/connector-stand-in.js';
import { ECHO_MARKER, echoFeature, echoReply } from './echo.feature.js';
import { precisionMarkdown } from './precision.js';
import { benchSections } from './sections.js';
import { measureSearchQuality } from './search-quality.js';
import { latencyTable, summarise, type LatencySummary } from './stats.js';

// p95 of a saturated closed loop is sensitive to where GC pauses fall; enough samples and rounds
// keep one unlucky round from deciding the verdict.
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 1500);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const BURST = Number(process.env.BENCH_BURST ?? 1000);
const BURST_SEATS = 30;
const TARGET = 1.5;
const ROUNDS = 15;
// Profiling aid: BENCH_KINDS=book measures one kind only (the table then compares nothing).
const MEASURED = (process.env.BENCH_KINDS?.split(',') ?? ['echo', 'search', 'book']) as TurnKind[];
/** Warm-up turns per kind before measuring (JIT, caches, connection pools, the search index). */
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 300);

const SEARCHES = [
  'any phonics training?',
  'CPD for TAs next month',
  "what's on this week",
  'early years courses',
  'SEND',
  'subjct leader programme',
  'NQT induction',
  'behaviour training in the spring term',
];

interface Target {
  kind: 'pglite' | 'postgres';
  db: Db;
  describe: string;
  close(): Promise<void>;
}

async function openTarget(): Promise<Target> {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!url) {
    const db = await openDatabase({ kind: 'embedded', dataDir: undefined });
    return { kind: 'pglite', db, describe: 'embedded PGlite (in memory)', close: () => db.destroy() };
  }
  const name = `devhub_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const pool = Number(process.env.DATABASE_POOL_MAX ?? 10);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: postgresPool(target.toString(), pool) }) });
  const version = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db)).rows[0]?.v ?? '?';
  return {
    kind: 'postgres',
    db,
    describe: `PostgreSQL ${version} at ${target.host} (fresh database ${name}, pool ${pool})`,
    close: async () => {
      await db.destroy();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

interface Bench {
  hub: DevelopmentHub;
  db: Db;
  connector: ConnectorStandIn;
  activities: TeamsActivityBuilders;
  baseUrl: string;
}

/** POSTs an activity to /api/messages; returns the elapsed milliseconds and the parsed answer. */
async function post(bench: Bench, activity: unknown): Promise<{ ms: number; status: number; body: unknown }> {
  const started = performance.now();
  const response = await fetch(`${bench.baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`POST /api/messages answered ${response.status}: ${text.slice(0, 200)}`);
  return { ms, status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

function cardOf(body: unknown): { text: string; problem: string | undefined } {
  const value = (body as { value?: { metadata?: { problemCode?: string } } } | undefined)?.value;
  return { text: JSON.stringify(value ?? {}), problem: value?.metadata?.problemCode };
}

type TurnKind = 'echo' | 'search' | 'book';

/** Runs `count` turns of one kind over the conversations, `CONCURRENCY` at a time (one turn in flight per conversation). */
async function runTurns(bench: Bench, people: TeamsPerson[], kind: TurnKind, count: number, offerings: string[], booked: Map<string, number>): Promise<number[]> {
  const samples: number[] = [];
  let issued = 0;
  const worker = async (person: TeamsPerson, index: number): Promise<void> => {
    for (;;) {
      const n = issued;
      if (n >= count) return;
      issued += 1;
      switch (kind) {
        case 'echo':
          samples.push((await post(bench, bench.activities.message({ text: `${ECHO_MARKER}ping ${n}`, from: person }))).ms);
          break;
        case 'search':
          samples.push((await post(bench, bench.activities.message({ text: SEARCHES[(n + index) % SEARCHES.length], from: person }))).ms);
          break;
        case 'book': {
          // Each person books offerings they have not booked yet, so every sample is a real new booking.
          const next = booked.get(person.aadObjectId) ?? index;
          booked.set(person.aadObjectId, next + 1);
          const offeringId = offerings[next % offerings.length];
          const answer = await post(bench, bench.activities.cardAction({ verb: 'cpd.book', data: { offeringId }, from: person }));
          const card = cardOf(answer.body);
          if (card.problem) throw new Error(`booking turn answered ${card.problem}`);
          samples.push(answer.ms);
          break;
        }
      }
    }
  };
  await Promise.all(people.map((p, i) => worker(p, i)));
  return samples;
}

/** The baseline must be what it claims: each echo turn of a round answered by the echo intent, not a "Did you mean…" or welcome card. */
function assertEchoed(texts: readonly string[], count: number): void {
  const expected = new Set(Array.from({ length: count }, (_, n) => echoReply(`ping ${n}`)));
  const echoed = texts.filter((t) => expected.delete(t)).length;
  if (echoed !== count || texts.length !== count) throw new Error(`echo round: ${echoed} of ${count} turns answered by the echo intent (${texts.length} replies)`);
}

async function latencyPhase(bench: Bench): Promise<{ summaries: LatencySummary[]; markdown: string; pass: boolean; deliveries: number }> {
  const people = Array.from({ length: CONCURRENCY }, (_, i) => teamsPerson(`Bench Person ${i + 1}`));
  const catalogue = CatalogueService.forDatabase(bench.db, systemClock);
  const now = systemClock.now();
  const offerings = (await catalogue.listOnOffer(now)).filter((d) => isBookingOpen(d, now)).map((d) => d.offering.id);
  const perPerson = Math.ceil((SAMPLES + WARM_UP) / CONCURRENCY);
  if (offerings.length < perPerson) {
    console.error(`note: only ${offerings.length} bookable offerings for ${perPerson} bookings per person; some booking turns will be repeats`);
  }
  const booked = new Map<string, number>();

  // Warm-up: install in each 1:1 chat, then WARM_UP turns of each kind (in two interleaved rounds).
  await Promise.all(people.map((p) => post(bench, bench.activities.botInstalledInPersonalChat(p))));
  for (let round = 0; round < 2; round += 1) {
    for (const kind of ['echo', 'search', 'book'] as const) await runTurns(bench, people, kind, Math.ceil(WARM_UP / 2), offerings, booked);
  }
  bench.connector.clear();

  const samples: Record<TurnKind, number[]> = { echo: [], search: [], book: [] };
  const cpuMs: Record<TurnKind, number> = { echo: 0, search: 0, book: 0 };
  let deliveries = 0;
  // Interleaved rounds, so drift (GC, table growth) does not favour one kind.
  for (let round = 0; round < ROUNDS; round += 1) {
    const share = Math.ceil(SAMPLES / ROUNDS);
    for (const kind of MEASURED) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      samples[kind].push(...(await runTurns(bench, people, kind, share, offerings, booked)));
      const used = process.cpuUsage(c0);
      cpuMs[kind] += (used.user + used.system) / 1000;
      // The stand-in keeps every call it received; let go of them so a growing heap does not slow later rounds.
      const delivered = bench.connector.delivered();
      if (kind === 'echo') assertEchoed(delivered.map((c) => (c.body as { text?: string }).text ?? ''), share);
      deliveries += delivered.length;
      bench.connector.clear();
      if (process.env.BENCH_DIAG) console.error(kind, 'wall ms/turn', ((performance.now() - t0) / share).toFixed(2), 'cpu ms/turn', ((used.user + used.system) / 1000 / share).toFixed(2));
    }
  }
  const perTurn = (kind: TurnKind) => cpuMs[kind] / Math.max(1, samples[kind].length);
  const echo = summarise('Echo turn (baseline)', samples.echo, perTurn('echo'));
  const rows = [
    summarise('CPD search turn ("any phonics training?" …)', samples.search, perTurn('search')),
    summarise('Booking turn (Action.Execute cpd.book)', samples.book, perTurn('book')),
  ];
  const table = latencyTable(echo, rows, TARGET);
  return { summaries: [echo, ...rows], markdown: table.markdown, pass: table.pass, deliveries };
}

async function burstPhase(bench: Bench): Promise<{ markdown: string; pass: boolean }> {
  // A bench-only 30-seat offering, bookable, starting in a month.
  const now = systemClock.now();
  const starts = new Date(now.getTime() + 30 * 86_400_000);
  const catalogue = CatalogueService.forDatabase(bench.db, systemClock);
  await catalogue.importCatalogue({
    courses: [{ id: 'bench-burst', title: 'Benchmark Burst Twilight', summary: 'A 30-seat session for the benchmark.', strandId: 'bench', audienceIds: [], facilitator: 'Bench', kind: 'standalone', categoryId: null }],
    offerings: [{ id: 'bench-burst-1', courseId: 'bench-burst', label: 'Bench', capacity: BURST_SEATS, bookingClosesAt: new Date(starts.getTime() - 86_400_000) }],
    sessions: [{ id: 'bench-burst-1-s1', offeringId: 'bench-burst-1', sequence: 1, startsAt: starts, endsAt: new Date(starts.getTime() + 5_400_000), mode: 'online', venue: null, meetingUrl: 'https://teams.microsoft.com/l/meetup-join/bench' }],
  });
  const people = Array.from({ length: BURST }, (_, i) => teamsPerson(`Burst Person ${i + 1}`));
  const activities = people.map((p) => bench.activities.cardAction({ verb: 'cpd.book', data: { offeringId: 'bench-burst-1' }, from: p }));

  const started = performance.now();
  const answers = await Promise.all(activities.map((a) => post(bench, a)));
  const elapsed = performance.now() - started;

  const rows = await bench.db
    .selectFrom('cpd_booking')
    .select(['id', 'person_aad_id', 'status', 'arrival_seq'])
    .where('offering_id', '=', 'bench-burst-1')
    .orderBy('arrival_seq')
    .execute();
  const confirmed = rows.filter((r) => r.status === 'confirmed').length;
  const waitlisted = rows.filter((r) => r.status === 'waitlisted').length;
  const duplicates = rows.length - new Set(rows.map((r) => r.person_aad_id)).size;

  // What each person was told, by person: "Booked ✓" or "Waitlisted #k".
  const told = new Map<string, { booked: boolean; position: number | null; problem: string | undefined }>();
  answers.forEach((answer, i) => {
    const card = cardOf(answer.body);
    const position = /Waitlisted #(\d+)/.exec(card.text);
    told.set(people[i].aadObjectId, { booked: card.text.includes('Booked ✓'), position: position ? Number(position[1]) : null, problem: card.problem });
  });
  const problems = [...told.values()].filter((t) => t.problem).length;
  // Arrival order at the database = arrival_seq (assigned under the offering's row lock). The seats go
  // to the first 30 arrivals, and the waitlist number each person was shown strictly increases with it.
  const firstArrivalsConfirmed = rows.slice(0, BURST_SEATS).every((r) => r.status === 'confirmed');
  const shownInArrivalOrder = rows.slice(BURST_SEATS).map((r) => told.get(r.person_aad_id)?.position ?? null);
  const strictlyIncreasing = shownInArrivalOrder.every((p, i) => p !== null && (i === 0 ? p === 1 : p === (shownInArrivalOrder[i - 1] ?? 0) + 1));
  const seqIncreasing = rows.every((r, i) => i === 0 || Number(r.arrival_seq) > Number(rows[i - 1].arrival_seq));
  const confirmedTold = rows.filter((r) => r.status === 'confirmed').every((r) => told.get(r.person_aad_id)?.booked === true);
  const orderOk = firstArrivalsConfirmed && strictlyIncreasing && seqIncreasing && confirmedTold;

  const expectedWaitlisted = BURST - BURST_SEATS;
  const countsOk = confirmed === BURST_SEATS && waitlisted === expectedWaitlisted && duplicates === 0 && rows.length === BURST && problems === 0;
  const markdown = [
    `| Simultaneous Book invokes | Seats | Confirmed | Waitlisted | Duplicates | Error cards | Waitlist order = database arrival order | Wall time | Result |`,
    '|---:|---:|---:|---:|---:|---:|---|---:|---|',
    `| ${BURST} | ${BURST_SEATS} | ${confirmed} | ${waitlisted} | ${duplicates} | ${problems} | ${orderOk ? 'yes' : 'NO'} (first ${BURST_SEATS} arrivals hold the seats: ${firstArrivalsConfirmed ? 'yes' : 'no'}; "Waitlisted #k" shown = rank by arrival_seq 1…${expectedWaitlisted}: ${strictlyIncreasing ? 'yes' : 'no'}) | ${(elapsed / 1000).toFixed(2)} s | ${countsOk && orderOk ? 'PASS' : 'FAIL'} |`,
  ].join('\n');
  return { markdown, pass: countsOk && orderOk };
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

/** The CPD-in-chat core bench: (a) turn latency, (b) the booking burst. Returns whether both passed. */
async function cpdBench(): Promise<boolean> {
  const target = await openTarget();
  const connector = await ConnectorStandIn.start();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', SAMPLE_DATA: 'on' });
  const hub = await createDevelopmentHub(config, {
    db: target.db,
    logger: createLogger('warn'),
    extraFeatures: [{ name: 'echo', build: echoFeature }],
    runJobs: true,
  });
  const { port } = await hub.listen();
  const bench: Bench = {
    hub,
    db: target.db,
    connector,
    activities: teamsActivities({ serviceUrl: connector.serviceUrl }),
    baseUrl: `http://127.0.0.1:${port}`,
  };
  try {
    const cpus = os.cpus();
    console.log('## CPD in chat — benchmark\n');
    console.log(
      `Node ${process.version} on ${os.platform()} ${os.arch()}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}; ` +
        `database: **${target.describe}**; the whole app in this process, replies to the connector stand-in.\n`,
    );
    const latency = await latencyPhase(bench);
    console.log(`### (a) Turn latency at ${CONCURRENCY} concurrent conversations (${WARM_UP} warm-up turns per kind, then ${ROUNDS} interleaved rounds)\n`);
    console.log(latency.markdown);
    console.log(
      `\nLatency is from POST /api/messages to its answer (message turns answer after their reply reached the connector stand-in; ` +
        `a booking's card is in the invoke response). CPU/turn is this whole process (app, stand-in and load generator) per turn. ` +
        `${latency.deliveries} replies reached the stand-in during the measured message turns.\n`,
    );
    const burst = await burstPhase(bench);
    console.log(`### (b) ${BURST} simultaneous bookings for one ${BURST_SEATS}-seat offering\n`);
    console.log(burst.markdown);
    console.log(`\nOverall: ${latency.pass && burst.pass ? 'PASS' : 'FAIL'} (${target.kind})`);
    return latency.pass && burst.pass;
  } finally {
    await hub.close();
    await connector.close();
    await target.close();
  }
}

await main();
