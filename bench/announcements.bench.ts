/**
 * Bench section `announcements` (BENCH_ONLY=announcements npm run bench): one announcement fanned
 * out to BENCH_ANNOUNCEMENT_RECIPIENTS (default 10,000) members of the SENDCO Hub network, each with
 * its own 1:1 conversation, through the production build in separate processes (the pacing bench's
 * harness, bench/support/processes.ts) on one fresh PostgreSQL database, against the connector
 * stand-in in its own process enforcing BENCH_ANNOUNCEMENT_LIMIT/s app-wide (default 200: 10,000 at
 * 50/s is 200 s per run and three runs would not fit the bench budget; the stand-in enforces whatever
 * is configured and the app is told the same) and 7/1 s, 8/2 s, 60/30 s, 1,800/h per conversation.
 *
 * Three runs, each a new announcement sent by Hannah pressing Send on the card form over HTTP:
 *  1. one process; ordinary chat (ten people every half second, echo intent) measured during the
 *     fan-out against the same turns before it (the baseline, same process, same run);
 *  2. one process SIGKILLed when half the rows are sent, then restarted: resume time and duplicates
 *     (a repeat at the stand-in) against the in-flight window (senders × batch);
 *  3. two processes on the database: the combined rate in any 1 s stays within the limit.
 * Throughput is every call the stand-in accepted (fan-out, status card, chat replies: Teams' limit
 * covers all of them) per second from first to last acceptance, against the enforced limit; the chat
 * of run 1 starts once the first recipient is sent, so the window is the fan-out's. The time from
 * the press to the first recipient (the start job listing the audience) is its own row.
 */
import os from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from '../src/db/schema.js';
import { teamsActivities, teamsPerson } from '../tests/support/activities.js';
import type { BenchSection } from './sections.js';
import { percentile } from './stats.js';
import { startApps, waitUntil, type AppProcess, type ConnectorProcess } from './support/processes.js';
import { startSendRig } from './support/send-rig.js';

const RECIPIENTS = Number(process.env.BENCH_ANNOUNCEMENT_RECIPIENTS ?? 10_000);
const LIMIT = Number(process.env.BENCH_ANNOUNCEMENT_LIMIT ?? 200);
// The app's default (ANNOUNCEMENT_SENDERS=4): each sender keeps a batch of 10 in flight, so four fill a
// 200/s schedule with room to spare (16 gave the same rate and a four times larger crash window).
const SENDERS = Number(process.env.BENCH_ANNOUNCEMENT_SENDERS ?? 4);
const BATCH = 10;
const COMMUNITY = 'sendco-hub-network';
const hannah = teamsPerson('Hannah Wilde', 'b0000000-0000-4000-8000-000000000008');
const memberId = (i: number): string => `c0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

async function seed(db: Kysely<Database>, serviceUrl: string): Promise<void> {
  const now = new Date();
  const reference = (conversationId: string, aadObjectId: string) =>
    JSON.stringify({ bot: { id: '28:bench-bot', name: 'Development Hub' }, channelId: 'msteams', serviceUrl, user: { id: `29:${aadObjectId}`, aadObjectId }, conversation: { id: conversationId, conversationType: 'personal' } });
  for (let start = 0; start < RECIPIENTS; start += 1000) {
    const ids = Array.from({ length: Math.min(1000, RECIPIENTS - start) }, (_, j) => memberId(start + j));
    await db.insertInto('community_member').values(ids.map((id, k) => ({ community_id: COMMUNITY, aad_object_id: id, display_name: `Member ${start + k}`, joined_at: now }))).execute();
    await db
      .insertInto('conversation_reference')
      .values(ids.map((id) => ({ key: `person:${id}`, scope: 'personal' as const, aad_object_id: id, conversation_id: `a:bench-${id}`, tenant_id: null, team_id: null, service_url: serviceUrl, reference: reference(`a:bench-${id}`, id), installed_at: now, updated_at: now, uninstalled_at: null })))
      .execute();
  }
}

interface Run {
  seconds: number;
  accepted: number;
  ratePerSecond: number;
  maxInWindow: number;
  rejected: number;
  duplicates: number;
  lost: number;
  sent: number;
  failed: number;
  resumeS?: number;
  echoBase95?: number;
  echoDuring95?: number;
  echoTurns?: number;
  eachSecond: number[];
  /** Send pressed → the first recipient's row marked sent (the start job lists the audience first). */
  firstSendS: number;
}

async function fanOut(db: Kysely<Database>, connector: ConnectorProcess, apps: AppProcess[], title: string, options: { echo?: boolean; killHalfway?: boolean } = {}): Promise<Run> {
  const activities = teamsActivities({ serviceUrl: connector.serviceUrl });
  const post = async (app: AppProcess, activity: unknown): Promise<number> => {
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${app.port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    await response.text();
    if (response.status >= 300) throw new Error(`POST /api/messages answered ${response.status}`);
    return performance.now() - started;
  };
  // Ten people a round, drawn in turn from 300: one person's chat gets a message every 15 s at most, well
  // inside Teams' per-conversation limits (60/30 s), so no echo reply waits out a 429 of its own making.
  const people = Array.from({ length: 300 }, (_, i) => teamsPerson(`Echo ${i}`));
  let turn = 0;
  const echo = async (rounds: number): Promise<number[]> => {
    const samples: number[] = [];
    for (let r = 0; r < rounds; r += 1) {
      const round = Array.from({ length: 10 }, () => people[turn++ % people.length]);
      samples.push(...(await Promise.all(round.map((p, i) => post(apps[0], activities.message({ text: `echo ${title} ${r} ${i} ${Date.now()}`, from: p }))))));
    }
    return samples;
  };
  let baseline: number[] = [];
  if (options.echo) {
    // A fresh process is cold (JIT, pools, first turns): warm it well first, or the baseline flatters the ratio.
    await echo(40);
    baseline = await echo(40);
  }
  // The form's Send button with the inputs Teams merges in; a new draft id, as each "new announcement" form carries.
  const announcementId = `bench-${title.replace(/\W+/g, '-').toLowerCase()}`;
  const blank = { hubIds: '', academyIds: '', roles: '', eventDate: '', eventTime: '', eventPlace: '', linkTitle: '', linkUrl: '', sendDate: '', sendTime: '' };
  const data = { draftId: announcementId, version: 0, title, body: 'Ten thousand colleagues.', communityIds: COMMUNITY, delivery: 'personal', ...blank };
  await connector.reset();
  const started = Date.now();
  await post(apps[0], activities.cardAction({ verb: 'announcements.send', from: hannah, data }));
  if ((await db.selectFrom('announcement').select('status').where('id', '=', announcementId).executeTakeFirst())?.status !== 'sending') throw new Error('the announcement was not accepted for sending');
  const sentRows = async (): Promise<number> => Number((await db.selectFrom('announcement_recipient').select(db.fn.countAll<string>().as('n')).where('announcement_id', '=', announcementId).where('status', '=', 'sent').executeTakeFirstOrThrow()).n);
  const during: number[] = [];
  let finished = false;
  // Chat starts once the fan-out is sending: the throughput window runs from the first call accepted,
  // and an echo reply while the start job is still listing recipients would open it before any send.
  if (options.echo) await waitUntil(async () => (await sentRows()) > 0, { timeoutMs: 60_000, intervalMs: 20, what: 'the first recipient sent' });
  const load = options.echo
    ? (async () => {
        while (!finished) {
          during.push(...(await echo(1)));
          await new Promise((r) => setTimeout(r, 500));
        }
      })()
    : Promise.resolve();
  let resumeS: number | undefined;
  const timeoutMs = (RECIPIENTS / LIMIT) * 1000 * 2 + 60_000;
  try {
    if (options.killHalfway) {
      await waitUntil(async () => (await sentRows()) >= RECIPIENTS / 2, { timeoutMs, intervalMs: 100, what: 'half the rows sent' });
      await apps[0].kill('SIGKILL');
      const atKill = await sentRows();
      const killedAt = Date.now();
      await apps[0].restart();
      await waitUntil(async () => (await sentRows()) > atKill, { timeoutMs: 120_000, intervalMs: 50, what: 'the fan-out to resume' });
      resumeS = (Date.now() - killedAt) / 1000;
    }
    await waitUntil(async () => (await db.selectFrom('announcement').select('status').where('id', '=', announcementId).executeTakeFirstOrThrow()).status === 'sent', { timeoutMs, intervalMs: 250, what: 'the announcement to finish' });
  } finally {
    finished = true;
    await load;
  }
  const seconds = (Date.now() - started) / 1000;
  const first = await db.selectFrom('announcement_recipient').select(db.fn.min('sent_at').as('at')).where('announcement_id', '=', announcementId).executeTakeFirst();
  const firstSendS = first?.at ? (new Date(first.at).getTime() - started) / 1000 : NaN;
  const counters = await connector.counters();
  const rows = await db.selectFrom('announcement_recipient').select(['status', db.fn.countAll<string>().as('n')]).where('announcement_id', '=', announcementId).groupBy('status').execute();
  const reached = Object.keys(counters.deliveredByConversation).filter((c) => c.startsWith('a:bench-')).length;
  return {
    seconds,
    accepted: counters.accepted,
    ratePerSecond: counters.acceptedPerSecond,
    maxInWindow: counters.maxAcceptedInWindow,
    rejected: counters.rejected,
    duplicates: counters.duplicates,
    lost: RECIPIENTS - reached,
    sent: Number(rows.find((r) => r.status === 'sent')?.n ?? 0),
    failed: Number(rows.find((r) => r.status === 'failed')?.n ?? 0),
    eachSecond: counters.acceptedEachSecond,
    firstSendS,
    ...(resumeS !== undefined ? { resumeS } : {}),
    ...(options.echo ? { echoBase95: percentile([...baseline].sort((a, b) => a - b), 95), echoDuring95: percentile([...during].sort((a, b) => a - b), 95), echoTurns: during.length } : {}),
  };
}

async function run(): Promise<{ pass: boolean }> {
  console.log('## Announcements fan-out — benchmark\n');
  const rig = await startSendRig(LIMIT);
  if (!rig) return { pass: false };
  const { database, db, connector, apps } = rig;
  const env = { DATABASE_URL: database.url, JOB_CONCURRENCY: String(SENDERS + 8), SEND_RATE_PER_SECOND: String(LIMIT), ANNOUNCEMENT_SENDERS: String(SENDERS), LOG_LEVEL: 'info', SAMPLE_DATA: 'off' };
  const entry = { entry: ['bench/support/announcements-app.mjs'], startTimeoutMs: 120_000 };
  try {
    await seed(db, connector.serviceUrl);
    apps.push(...(await startApps(1, env, entry)));
    await fetch(`http://127.0.0.1:${apps[0].port}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsActivities({ serviceUrl: connector.serviceUrl }).botInstalledInPersonalChat(hannah)) });
    const one = await fanOut(db, connector, apps, 'Bench announcement 1', { echo: true });
    const killed = await fanOut(db, connector, apps, 'Bench announcement 2', { killHalfway: true });
    apps.push(...(await startApps(1, env, entry)));
    const two = await fanOut(db, connector, apps, 'Bench announcement 3');
    const inFlight = SENDERS * BATCH;
    const pct = (r: Run): string => `${((r.ratePerSecond / LIMIT) * 100).toFixed(1)} %`;
    const counts = (r: Run): string => `${r.sent} / ${r.failed} / ${r.duplicates} / ${r.lost}`;
    const ratio = (one.echoDuring95 ?? NaN) / (one.echoBase95 ?? NaN);
    const rows: Array<[string, string, string, boolean]> = [
      ['1 process: throughput (accepted/s ÷ enforced limit)', `${one.ratePerSecond.toFixed(1)}/s of ${LIMIT}/s = ${pct(one)}; ${RECIPIENTS} in ${one.seconds.toFixed(1)} s`, '≥ 97 %', one.ratePerSecond / LIMIT >= 0.97],
      ['Send pressed → first recipient reached (1 process)', `${one.firstSendS.toFixed(2)} s`, 'reported', true],
      ['1 process: sent / failed / duplicates / lost', counts(one), `${RECIPIENTS} / 0 / 0 / 0`, one.sent === RECIPIENTS && one.failed === 0 && one.duplicates === 0 && one.lost === 0],
      ['1 process: most accepted in any 1 s; 429s', `${one.maxInWindow}; ${one.rejected}`, `≤ ${LIMIT}`, one.maxInWindow <= LIMIT],
      ['Chat turn p95: echo before → during the fan-out', `${one.echoBase95?.toFixed(1)} ms → ${one.echoDuring95?.toFixed(1)} ms (× ${ratio.toFixed(2)}, ${one.echoTurns} turns)`, '≤ 2 × baseline', ratio <= 2],
      ['SIGKILL half-way + restart: resume time', `${killed.resumeS?.toFixed(1)} s (kill → first new send, restart included)`, 'reported', true],
      ['SIGKILL: sent / failed / duplicates / lost', counts(killed), `${RECIPIENTS} / 0 / ≤ ${inFlight} / 0`, killed.sent === RECIPIENTS && killed.failed === 0 && killed.duplicates <= inFlight && killed.lost === 0],
      ['2 processes: combined rate; most in any 1 s', `${two.ratePerSecond.toFixed(1)}/s (${pct(two)}); ${two.maxInWindow}`, `≤ ${LIMIT} in any 1 s`, two.maxInWindow <= LIMIT],
      ['2 processes: sent / failed / duplicates / lost', counts(two), `${RECIPIENTS} / 0 / 0 / 0`, two.sent === RECIPIENTS && two.failed === 0 && two.duplicates === 0 && two.lost === 0],
    ];
    const cpus = os.cpus();
    console.log(
      `Node ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, load ${os.loadavg()[0].toFixed(1)}; fresh PostgreSQL database ${database.name}; production build in ` +
        `\`node bench/support/announcements-app.mjs\` processes; connector stand-in in its own process enforcing ${LIMIT}/s app-wide and the per-conversation windows ` +
        `(429 + Retry-After); ${RECIPIENTS.toLocaleString('en-GB')} members each with a 1:1 chat; ${SENDERS} senders × batches of ${BATCH} (in-flight window ${inFlight}).\n`,
    );
    console.log('| Measure | Result | Target | Verdict |\n|---|---|---|---|');
    for (const [what, result, target, pass] of rows) console.log(`| ${what} | ${result} | ${target} | ${target === 'reported' ? 'info' : pass ? 'PASS' : 'FAIL'} |`);
    // Where a shortfall is: a steady rate under the limit, or dips (a stalled event loop, a sender handing over).
    for (const [name, r] of [['1 process', one], ['SIGKILL run', killed], ['2 processes', two]] as const) console.log(`\n${name}, accepted in each second: ${r.eachSecond.join(' ')}`);
    const pass = rows.every((r) => r[3]);
    console.log(`\nOverall: ${pass ? 'PASS' : 'FAIL'}\n`);
    return { pass };
  } finally {
    // Counted since each process last started (the first was restarted in the SIGKILL run).
    await rig.stop({ totalsNote: 'since its last start' });
  }
}

export const announcementsBench: BenchSection = { name: 'announcements', run };
