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
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_TRUST_PROFILE } from '../src/config.js';
import { teamsActivities, teamsPerson } from '../tests/support/activities.js';
import { ConnectorStandIn, type Json } from '../tests/support/connector-stand-in.js';
import { startGraphStandIn, type GraphStandIn } from '../tests/support/graph-stand-in.js';
import { PRIVATE_OWNER_ID } from '../tests/support/graph-stand-in/url-library.js';
import { startApp } from './cpd/app-process.js';
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
  const ola = teamsPerson('Ola Nowak', PRIVATE_OWNER_ID);
  const post = async (activity: Json): Promise<Json> => {
    const response = await fetch(`${app.baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`app answered ${response.status}`);
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
    return { total, standIn: standInTime(graph), searches: graph.requestsTo('search.query').length };
  }
  /** A chat turn's answer: the HTTP answer and the reply (a card, or the echo's text) at the connector stand-in. */
  const chat = (text: string, reply: 'card' | 'text' = 'card') => async (): Promise<Json> => {
    const message = activities.message({ text, from: ola });
    const delivered = connector.waitFor(
      (c) => (c.kind === 'reply' || c.kind === 'send') && c.status < 300 && c.conversationId === message.conversation.id && (reply === 'card' ? Boolean(c.body?.attachments?.length) : c.body?.type === 'message' && typeof c.body.text === 'string'),
    );
    const [, call] = await Promise.all([post(message), delivered]);
    return call.body;
  };
  const extension = (text: string) => () => post(activities.messageExtensionQuery({ commandId: 'searchResources', parameters: [{ name: 'query', value: text }], from: ola }));
  const isResourceCard = (reply: Json): void => {
    const card = JSON.stringify(reply.attachments);
    if (!card.includes('Resources on') || !card.includes('"title":"Open"')) throw new Error(`the chat turn did not answer with a resource card: ${card.slice(0, 300)}`);
  };
  const isEcho = (reply: Json, i: number): void => {
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
    for (let i = 0; i < WARM_UP + ROUNDS; i += 1) {
      const topic = TOPICS[i % TOPICS.length];
      const keep = i >= WARM_UP;
      const take = (row: string, s: Sample) => void (keep && rows[row].push(s));
      take('echo', expectSearches(await sample(chat(`${ECHO_MARKER}${i}`, 'text'), (r: Json) => isEcho(r, i)), 0, 'echo'));
      await untilForgotten(`chat:${topic}`);
      take('chatMiss', expectSearches(await sample(chat(`resources on ${topic}`), isResourceCard), 1, 'chat, uncached'));
      take('chatHit', expectSearches(await sample(chat(`resources on ${topic}`), isResourceCard), 0, 'chat, cached repeat'));
      lastAsked.set(`chat:${topic}`, performance.now());
      await untilForgotten(`extension:${topic}`);
      take('extMiss', expectSearches(await sample(extension(topic), hasResults), 1, 'message extension, uncached'));
      take('extHit', expectSearches(await sample(extension(topic), hasResults), 0, 'message extension, cached repeat'));
      lastAsked.set(`extension:${topic}`, performance.now());
    }

    const added = (s: Sample[]) => s.map((x) => x.total - x.standIn);
    const line = (label: string, samples: Sample[], target: number | undefined) => {
      const total = summarise(label, samples.map((s) => s.total));
      const own = summarise(label, samples.map((s) => s.standIn));
      const plus: LatencySummary = summarise(label, added(samples));
      const ok = target === undefined ? undefined : plus.p95 <= target;
      const cell = (n: number) => n.toFixed(1);
      return {
        ok,
        md: `| ${label} | ${samples.length} | ${cell(total.p50)} | ${cell(total.p95)} | ${cell(own.p50)} | ${cell(own.p95)} | **${cell(plus.p50)}** | **${cell(plus.p95)}** | ${cell(plus.p99)} | ${target === undefined ? 'reference' : `added p95 ≤ ${target} ms`} | ${ok === undefined ? '—' : ok ? 'PASS' : 'FAIL'} |`,
      };
    };
    const lines = [
      line('Echo chat turn (floor of any chat turn, no Graph)', rows.echo, undefined),
      line('Chat "resources on …", uncached', rows.chatMiss, TARGET_UNCACHED_P95),
      line('Chat "resources on …", cached repeat', rows.chatHit, TARGET_CACHED_P95),
      line('Message extension query, uncached', rows.extMiss, TARGET_UNCACHED_P95),
      line('Message extension query, cached repeat', rows.extHit, TARGET_CACHED_P95),
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
    return { pass };
  } finally {
    await app.stop();
    await connector.close();
    await graph.close();
    rmSync(work, { recursive: true, force: true });
  }
}

export const resourcesSection: BenchSection = { name: 'resources', run: resourcesBench };
