/**
 * Bench section `resources` (BENCH_ONLY=resources npm run bench): what the app adds to a resource
 * search on top of Microsoft Graph's own time, in chat and in the message extension.
 *
 * How: the whole app in this process (real CloudAdapter + Teams AI Application, PGlite turn state,
 * log level warn) with app-only search against the Graph stand-in, whose search/query answers after a
 * fixed delay (RESOURCES_BENCH_DELAY_MS, default 50). One request at a time (latency, not throughput).
 * Each sample is timed from the POST to /api/messages to its answer: for a chat turn, the HTTP answer
 * AND the result card reaching the connector stand-in; for a composeExtension/query, the invoke
 * response with its attachments. The stand-in's own time is measured per request inside it (body
 * read → answer handed to the socket, every request in the sample window, overlapping ones merged)
 * and subtracted per sample: added = total − stand-in. An uncached sample first moves the app's
 * clock past the cache lifetime, so it really asks Graph (checked: exactly one search/query); its
 * cached repeat asks the same words at the same time (checked: no Graph request at all), so its
 * added latency is its whole latency. The echo turn (a chat turn whose answer costs nothing) is the
 * floor every chat turn pays, printed for reference.
 */
import { performance } from 'node:perf_hooks';
import { createDevelopmentHub } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { createGraphClient } from '../src/graph/graph-client.js';
import { fixedClock } from '../src/shared/clock.js';
import { createLogger } from '../src/shared/logger.js';
import { teamsActivities, teamsPerson } from '../tests/support/activities.js';
import { ConnectorStandIn, type Json } from '../tests/support/connector-stand-in.js';
import { startGraphStandIn, type GraphStandIn } from '../tests/support/graph-stand-in.js';
import { PRIVATE_OWNER_ID } from '../tests/support/graph-stand-in/url-library.js';
import { ECHO_MARKER, echoFeature, echoReply } from './echo.feature.js';
import type { BenchSection } from './sections.js';
import { summarise, type LatencySummary } from './stats.js';

const DELAY_MS = Number(process.env.RESOURCES_BENCH_DELAY_MS ?? 50);
const ROUNDS = Number(process.env.RESOURCES_BENCH_ROUNDS ?? 200);
const WARM_UP = 20;
const TARGET_UNCACHED_P95 = 10;
const TARGET_CACHED_P95 = 2;
/** Past the trust profile's cache lifetime (at most 3,600 s), so the next search is a miss. */
const PAST_CACHE_MS = 3_601_000;
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

async function resourcesBench(): Promise<{ pass: boolean }> {
  const graph = await startGraphStandIn();
  graph.library.delayMs = DELAY_MS;
  const connector = await ConnectorStandIn.start();
  const db = await openDatabase({ kind: 'embedded', dataDir: undefined });
  const clock = fixedClock('2026-11-23T10:00:00Z');
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', SAMPLE_DATA: 'on' });
  const hub = await createDevelopmentHub(config, {
    db,
    logger: createLogger('warn'),
    clock,
    graph: createGraphClient(graph.appConfig(), { credentialOptions: { authorityCa: graph.certificatePem } }),
    extraFeatures: [{ name: 'echo', build: echoFeature }],
    runJobs: false,
  });
  const { port } = await hub.listen();
  const activities = teamsActivities({ serviceUrl: connector.serviceUrl });
  const ola = teamsPerson('Ola Nowak', PRIVATE_OWNER_ID);
  const post = async (activity: Json): Promise<Json> => {
    const response = await fetch(`http://127.0.0.1:${port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`app answered ${response.status}`);
    return text ? JSON.parse(text) : undefined;
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
      clock.advance(PAST_CACHE_MS);
      take('chatMiss', expectSearches(await sample(chat(`resources on ${topic}`), isResourceCard), 1, 'chat, uncached'));
      take('chatHit', expectSearches(await sample(chat(`resources on ${topic}`), isResourceCard), 0, 'chat, cached repeat'));
      clock.advance(PAST_CACHE_MS);
      take('extMiss', expectSearches(await sample(extension(topic), hasResults), 1, 'message extension, uncached'));
      take('extHit', expectSearches(await sample(extension(topic), hasResults), 0, 'message extension, cached repeat'));
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
        "Stand-in = its own time per request, measured inside it. Added = total − stand-in, per sample. Everything runs in this one process.\n",
    );
    console.log('| Request | Samples | Total p50 (ms) | Total p95 (ms) | Stand-in p50 (ms) | Stand-in p95 (ms) | Added p50 (ms) | Added p95 (ms) | Added p99 (ms) | Target | Result |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|');
    for (const l of lines) console.log(l.md);
    console.log(`\nOverall: ${pass ? 'PASS' : 'FAIL'}\n`);
    return { pass };
  } finally {
    await hub.close();
    await connector.close();
    await graph.close();
    await db.destroy();
  }
}

export const resourcesSection: BenchSection = { name: 'resources', run: resourcesBench };
