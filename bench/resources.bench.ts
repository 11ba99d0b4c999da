/**
 * Bench section `resources` (BENCH_ONLY=resources npm run bench): what the app adds to a resource
 * search on top of Microsoft Graph's own time, in chat and in the message extension.
 *
 * How: the production build in its own process (`node --import ./bench/echo.feature.ts
 * dist/index.js`, PGlite, sample data, log level warn) with app-only search against the Graph
 * stand-in, which runs with the connector stand-in and the load in this bench process; its
 * search/query answers after a fixed delay (RESOURCES_BENCH_DELAY_MS, default 50). One request at a
 * time (latency, not throughput). Each sample is timed from the POST to /api/messages to its answer:
 * for a chat turn, the HTTP answer AND the result card reaching the connector stand-in; for a
 * composeExtension/query, the invoke response with its attachments. The stand-in's own time is
 * measured per request inside it (body read → answer handed to the socket, every request in the
 * sample window, overlapping ones merged) and subtracted per sample: added = total − stand-in.
 *
 * Uncached and cached: the app runs with a trust profile whose search cache lives 1 s (the rest is
 * Harmony's). An uncached sample asks words not asked for over a second (checked: exactly one
 * search/query); its cached repeat asks the same words at once (checked: no Graph request at all),
 * so its added latency is its whole latency. The echo turn (a chat turn whose answer costs nothing,
 * claimed before any intent scores) is the floor every chat turn pays, printed for reference.
 *
 * Transport floor: right after each sample, bench/support/transport-floor.mjs (a process with no app
 * in it) gets the same activity and replays exactly the I/O the app did for that sample (its Graph
 * requests, its connector calls, its answer bytes), checked the same way. Its added latency is what
 * this machine's HTTP round trips cost with no app at all; the app's minus the floor's, per pair of
 * samples, is the app's own work. Both are printed beside the targets, which stay judged on the app's
 * added latency as defined above.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_TRUST_PROFILE } from '../src/config.js';
import { teamsActivities, teamsPerson } from '../tests/support/activities.js';
import { ConnectorStandIn, type ConnectorCall, type Json } from '../tests/support/connector-stand-in.js';
import { startGraphStandIn, type GraphStandIn } from '../tests/support/graph-stand-in.js';
import { PRIVATE_OWNER_ID } from '../tests/support/graph-stand-in/url-library.js';
import type { RecordedRequest } from '../tests/support/graph-stand-in/wire.js';
import { ROOT, startApp } from './cpd/app-process.js';
import { ECHO_MARKER, echoReply } from './echo.feature.js';
import type { BenchSection } from './sections.js';
import { summarise, type LatencySummary } from './stats.js';

const DELAY_MS = Number(process.env.RESOURCES_BENCH_DELAY_MS ?? 50);
const ROUNDS = Number(process.env.RESOURCES_BENCH_ROUNDS ?? 200);
const WARM_UP = 20;
const TARGET_UNCACHED_P95 = 10;
const TARGET_CACHED_P95 = 2;
const CACHE_SECONDS = 1;
const TOPICS = ['vocabulary', 'phonics videos', 'EEF guidance on teaching assistants', 'curriculum planning documents for maths', 'retrieval practice research', 'Frayer model template', 'phonics screening check', 'history curriculum planning'];

interface Sample {
  total: number;
  standIn: number;
  searches: number;
  /** What the request did on the wire, for the transport floor to replay. */
  wire: Wire;
}

/** A turn's I/O: the Graph requests and connector calls it made, in order, and its HTTP answer. */
interface Wire {
  graph: Array<{ url: string; headers: Record<string, string>; body: string }>;
  connector: Array<{ url: string; body: string }>;
  answer: { status: number; body: string };
}

/** Headers a client sets itself for each request; everything else the app sent is replayed as it was. */
const PER_CONNECTION = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'keep-alive']);

function wireOf(graph: GraphStandIn, graphCalls: RecordedRequest[], connectorCalls: ConnectorCall[], serviceUrl: string, answer: Wire['answer']): Wire {
  const origin = new URL(graph.graphBaseUrl).origin;
  return {
    graph: graphCalls.map((r) => {
      const query = new URLSearchParams(r.query).toString();
      const headers = Object.fromEntries(Object.entries(r.headers).filter(([k, v]) => !PER_CONNECTION.has(k) && typeof v === 'string')) as Record<string, string>;
      return { url: `${origin}${r.path}${query ? `?${query}` : ''}`, headers, body: JSON.stringify(r.body) };
    }),
    connector: connectorCalls.map((c) => ({ url: new URL(c.path.replace(/^\//, ''), serviceUrl).toString(), body: JSON.stringify(c.body) })),
    answer,
  };
}

/** The transport floor's process (bench/support/transport-floor.mjs): plans in, replayed turns out. */
async function startFloor(): Promise<{ baseUrl: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bench', 'support', 'transport-floor.mjs')], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`the transport floor exited (code ${code})`)));
  });
  return { baseUrl: `http://127.0.0.1:${port}`, child };
}

/** Wall time the stand-in spent answering, with overlapping requests counted once. */
function standInTime(graph: GraphStandIn): number {
  const spans = graph.requests.map((r) => [r.startedAt, r.endedAt] as const).sort((a, b) => a[0] - b[0]);
  let sum = 0;
  let end = -Infinity;
  for (const [from, to] of spans) {
    if (!Number.isFinite(to)) throw new Error('a Graph stand-in request did not finish');
    if (to <= end) continue;
    sum += to - Math.max(from, end);
    end = to;
  }
  return sum;
}

/** Harmony's trust profile with the search cache shortened, so a bench can miss it without waiting a minute. */
function benchProfile(dir: string): string {
  const profile = JSON.parse(readFileSync(DEFAULT_TRUST_PROFILE, 'utf8')) as { resources: { cacheSeconds: number }; sampleRoster?: string };
  profile.resources.cacheSeconds = CACHE_SECONDS;
  // Paths in a profile are relative to its own folder: keep pointing at Harmony's sample roster.
  if (profile.sampleRoster) profile.sampleRoster = path.resolve(path.dirname(DEFAULT_TRUST_PROFILE), profile.sampleRoster);
  const file = path.join(dir, 'trust-profile.json');
  writeFileSync(file, JSON.stringify(profile));
  return file;
}

async function resourcesBench(): Promise<{ pass: boolean }> {
  const graph = await startGraphStandIn();
  graph.library.delayMs = DELAY_MS;
  const connector = await ConnectorStandIn.start();
  const activities = teamsActivities({ serviceUrl: connector.serviceUrl });
  const work = mkdtempSync(path.join(tmpdir(), 'devhub-resources-bench-'));
  const caFile = path.join(work, 'graph-stand-in-ca.pem');
  writeFileSync(caFile, graph.certificatePem);
  const { app } = await startApp(
    {
      preload: ['./bench/echo.feature.ts'],
      env: { ...graph.appEnv(), NODE_EXTRA_CA_CERTS: caFile, TRUST_PROFILE: benchProfile(work), DATA_DIR: path.join(work, 'data'), SAMPLE_DATA: 'on' },
    },
    async (baseUrl) => (await fetch(`${baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activities.message({ text: `${ECHO_MARKER}start`, from: teamsPerson('Start Probe') })) })).ok,
  );
  // The app is running already: a floor that cannot start must not leave it behind.
  const floor = await startFloor().catch(async (error: unknown) => {
    await app.stop();
    throw error;
  });
  const ola = teamsPerson('Ola Nowak', PRIVATE_OWNER_ID);
  /** Where a request goes: the app, or the transport floor replaying the app's I/O for this row. */
  type Target = { kind: 'app' } | { kind: 'floor'; row: string };
  let answered: Wire['answer'] = { status: 0, body: '' };
  const post = async (activity: Json, target: Target): Promise<Json> => {
    const url = target.kind === 'app' ? `${app.baseUrl}/api/messages` : `${floor.baseUrl}/api/messages`;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (target.kind === 'floor') headers['x-floor'] = target.row;
    const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(activity) });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${target.kind} answered ${response.status}: ${text.slice(0, 200)}`);
    answered = { status: response.status, body: text };
    return text ? JSON.parse(text) : undefined;
  };
  /** When each (where, words) was last asked: an uncached sample waits until the cache has let it go. */
  const lastAsked = new Map<string, number>();
  const untilForgotten = async (key: string): Promise<void> => {
    const since = performance.now() - (lastAsked.get(key) ?? -Infinity);
    if (since < CACHE_SECONDS * 1000 + 50) await sleep(CACHE_SECONDS * 1000 + 50 - since);
  };

  /** One timed request; `check` throws when the answer is not the one the sample claims to measure. */
  async function sample(run: () => Promise<Json>, check: (answer: Json) => void): Promise<Sample> {
    graph.clearRequests();
    connector.clear();
    const started = performance.now();
    const answer = await run();
    const total = performance.now() - started;
    check(answer);
    const searches = graph.requestsTo('search.query');
    const wire = wireOf(graph, searches, [...connector.calls], connector.serviceUrl, answered);
    return { total, standIn: standInTime(graph), searches: searches.length, wire };
  }
  /** The same request through the transport floor, replaying `of`'s I/O; checked as the app's was. */
  async function floorSample(row: string, of: Sample, run: (target: Target) => () => Promise<Json>, check: (answer: Json) => void): Promise<Sample> {
    const planned = await fetch(`${floor.baseUrl}/plan`, { method: 'POST', body: JSON.stringify({ kind: row, plan: of.wire }) });
    await planned.text();
    if (planned.status !== 204) throw new Error(`the transport floor refused the plan for ${row} (${planned.status})`);
    return sample(run({ kind: 'floor', row }), check);
  }
  /** A chat turn's answer: the HTTP answer and the reply (a card, or the echo's text) at the connector stand-in. */
  const chat = (text: string, reply: 'card' | 'text' = 'card') => (target: Target) => async (): Promise<Json> => {
    const message = activities.message({ text, from: ola });
    const delivered = connector.waitFor(
      (c) => (c.kind === 'reply' || c.kind === 'send') && c.status < 300 && c.conversationId === message.conversation.id && (reply === 'card' ? Boolean(c.body?.attachments?.length) : c.body?.type === 'message' && typeof c.body.text === 'string'),
    );
    const [, call] = await Promise.all([post(message, target), delivered]);
    return call.body;
  };
  const extension = (text: string) => (target: Target) => () => post(activities.messageExtensionQuery({ commandId: 'searchResources', parameters: [{ name: 'query', value: text }], from: ola }), target);
  const isResourceCard = (reply: Json): void => {
    const card = JSON.stringify(reply.attachments);
    if (!card.includes('Resources on') || !card.includes('"title":"Open"')) throw new Error(`the chat turn did not answer with a resource card: ${card.slice(0, 300)}`);
  };
  const isEcho = (i: number) => (reply: Json): void => {
    if (reply.text !== echoReply(String(i))) throw new Error('the echo turn answered something else');
  };
  const hasResults = (answer: Json): void => {
    if (!(answer?.composeExtension?.attachments?.length > 0)) throw new Error('the message extension answered without results');
  };
  const expectSearches = (s: Sample, n: number, what: string): Sample => {
    if (s.searches !== n) throw new Error(`${what}: expected ${n} Graph search request(s), saw ${s.searches}`);
    return s;
  };

  try {
    const rows: Record<string, Sample[]> = { echo: [], chatMiss: [], chatHit: [], extMiss: [], extHit: [] };
    const floors: Record<string, Sample[]> = { echo: [], chatMiss: [], chatHit: [], extMiss: [], extHit: [] };
    for (let i = 0; i < WARM_UP + ROUNDS; i += 1) {
      const topic = TOPICS[i % TOPICS.length];
      const keep = i >= WARM_UP;
      /** The app's sample, then the floor replaying exactly its I/O (after it, so the floor never runs colder than the app). */
      const take = async (row: string, searches: number, what: string, run: (target: Target) => () => Promise<Json>, check: (answer: Json) => void): Promise<void> => {
        const app = expectSearches(await sample(run({ kind: 'app' }), check), searches, what);
        const bare = expectSearches(await floorSample(row, app, run, check), searches, `${what} (transport floor)`);
        if (keep) {
          rows[row].push(app);
          floors[row].push(bare);
        }
      };
      await take('echo', 0, 'echo', chat(`${ECHO_MARKER}${i}`, 'text'), isEcho(i));
      await untilForgotten(`chat:${topic}`);
      await take('chatMiss', 1, 'chat, uncached', chat(`resources on ${topic}`), isResourceCard);
      await take('chatHit', 0, 'chat, cached repeat', chat(`resources on ${topic}`), isResourceCard);
      lastAsked.set(`chat:${topic}`, performance.now());
      await untilForgotten(`extension:${topic}`);
      await take('extMiss', 1, 'message extension, uncached', extension(topic), hasResults);
      await take('extHit', 0, 'message extension, cached repeat', extension(topic), hasResults);
      lastAsked.set(`extension:${topic}`, performance.now());
    }

    const added = (s: Sample[]) => s.map((x) => x.total - x.standIn);
    const cell = (n: number) => n.toFixed(1);
    const line = (label: string, row: string, target: number | undefined) => {
      const samples = rows[row];
      const bare = floors[row];
      const total = summarise(label, samples.map((s) => s.total));
      const own = summarise(label, samples.map((s) => s.standIn));
      const plus: LatencySummary = summarise(label, added(samples));
      const floorPlus = summarise(label, added(bare));
      // Paired: sample k of the app and sample k of the floor carried the same bytes, one after the other.
      const overFloor = summarise(label, samples.map((s, k) => s.total - s.standIn - (bare[k].total - bare[k].standIn)));
      const ok = target === undefined ? undefined : plus.p95 <= target;
      const floorOk = target === undefined ? undefined : floorPlus.p95 <= target;
      const targetCell = target === undefined ? 'reference' : `added p95 ≤ ${target} ms`;
      return {
        ok,
        floorOk,
        target,
        label,
        floorP95: floorPlus.p95,
        md: `| ${label} | ${samples.length} | ${cell(total.p50)} | ${cell(total.p95)} | ${cell(own.p50)} | ${cell(own.p95)} | **${cell(plus.p50)}** | **${cell(plus.p95)}** | ${cell(plus.p99)} | ${targetCell} | ${ok === undefined ? '—' : ok ? 'PASS' : 'FAIL'} |`,
        floorMd: `| ${label} | ${cell(floorPlus.p50)} | ${cell(floorPlus.p95)} | ${cell(overFloor.p50)} | ${cell(overFloor.p95)} | ${targetCell} | ${floorOk === undefined ? '—' : floorOk ? 'yes' : 'no'} |`,
      };
    };
    const lines = [
      line('Echo chat turn (floor of any chat turn, no Graph)', 'echo', undefined),
      line('Chat "resources on …", uncached', 'chatMiss', TARGET_UNCACHED_P95),
      line('Chat "resources on …", cached repeat', 'chatHit', TARGET_CACHED_P95),
      line('Message extension query, uncached', 'extMiss', TARGET_UNCACHED_P95),
      line('Message extension query, cached repeat', 'extHit', TARGET_CACHED_P95),
    ];
    const pass = lines.every((l) => l.ok !== false);
    console.log('## Resources: latency the app adds to a Graph search\n');
    console.log(
      `Graph stand-in answers search/query after ${DELAY_MS} ms; ${ROUNDS} measured rounds after ${WARM_UP} warm-up rounds, each round one sample of every row, one request at a time. ` +
        'Total = POST to answer (chat: HTTP answer and the card at the connector stand-in; message extension: the invoke response). ' +
        "Stand-in = its own time per request, measured inside it. Added = total − stand-in, per sample. " +
        `The app is the production build in its own process (PGlite, search cache ${CACHE_SECONDS} s); the load and both stand-ins run in the bench process. App RSS after the run: ${app.rssMb().toFixed(0)} MB.\n`,
    );
    console.log('| Request | Samples | Total p50 (ms) | Total p95 (ms) | Stand-in p50 (ms) | Stand-in p95 (ms) | Added p50 (ms) | Added p95 (ms) | Added p99 (ms) | Target | Result |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|');
    for (const l of lines) console.log(l.md);
    console.log(`\nOverall: ${pass ? 'PASS' : 'FAIL'}\n`);
    console.log('### Transport floor: the same requests through a process with no app in it\n');
    console.log(
      'Right after each sample above, bench/support/transport-floor.mjs (its own process) received the same activity and replayed exactly what the app did for it: ' +
        'the same Graph requests (fetch) and connector calls (node:http, kept alive), in order, to the same stand-ins, then the same answer bytes. ' +
        'Floor added = its total − stand-in, as above. Over floor = the app\'s added minus the floor\'s, per pair of samples: the app\'s own work. ' +
        'The result column above is judged on the app\'s added latency as the target defines it; the floor is printed so a reader can see how much of it is this machine\'s HTTP round trips.\n',
    );
    console.log('| Request | Floor added p50 (ms) | Floor added p95 (ms) | Over floor p50 (ms) | Over floor p95 (ms) | Target | Floor alone within target? |');
    console.log('|---|---:|---:|---:|---:|---|---|');
    for (const l of lines) console.log(l.floorMd);
    const belowFloor = lines.filter((l) => l.floorOk === false);
    if (belowFloor.length > 0) {
      console.log(`\nBelow this machine's floor: ${belowFloor.map((l) => `${l.label} (target ${l.target} ms, the floor alone ${cell(l.floorP95)} ms at p95)`).join('; ')}.\n`);
    }
    return { pass };
  } finally {
    floor.child.kill();
    await app.stop();
    await connector.close();
    await graph.close();
    rmSync(work, { recursive: true, force: true });
  }
}

export const resourcesSection: BenchSection = { name: 'resources', run: resourcesBench };
