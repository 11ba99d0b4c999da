/**
 * Bench section `pacing` (BENCH_ONLY=pacing npm run bench): the shared send pacing under a real
 * tenant limit, from two app processes on one PostgreSQL database.
 *
 * How: a fresh PostgreSQL database (BENCH_DATABASE_URL or TEST_DATABASE_URL; created, dropped after);
 * the connector stand-in in its own process enforcing Teams' limits (BENCH_PACING_LIMIT/s app-wide,
 * default 50, and the per-conversation windows) by answering 429 + Retry-After; two app processes
 * running the production build (dist/) through bench/support/pacing-app.mjs, which adds one
 * bench-only job kind that sends one bulk message to a stored conversation through the notifier.
 * The bench writes BENCH_PACING_SENDS (default 3,000) conversation references and as many outbox
 * jobs in one transaction, and the two processes' job workers (JOB_CONCURRENCY 16) drain them.
 * Throughput is the stand-in's accepted calls per second from its first to its last acceptance,
 * against the enforced limit (the baseline: no sender can do better than the limit's floor).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../src/db/schema.js';
import type { BenchSection } from './sections.js';
import { startApps, waitUntil } from './support/processes.js';
import { startSendRig } from './support/send-rig.js';

const SENDS = Number(process.env.BENCH_PACING_SENDS ?? 3000);
const LIMIT = Number(process.env.BENCH_PACING_LIMIT ?? 50);
const TARGET_SHARE = 0.97;
const JOB = 'bench-pacing.send';

async function seed(db: Kysely<Database>, serviceUrl: string): Promise<void> {
  const now = new Date();
  await db.transaction().execute(async (trx) => {
    for (let start = 0; start < SENDS; start += 500) {
      const batch = Array.from({ length: Math.min(500, SENDS - start) }, (_, j) => start + j);
      await trx
        .insertInto('conversation_reference')
        .values(
          batch.map((n) => ({
            key: `conversation:19:bench-${n}@thread.v2`,
            scope: 'groupChat' as const,
            aad_object_id: null,
            conversation_id: `19:bench-${n}@thread.v2`,
            tenant_id: null,
            team_id: null,
            service_url: serviceUrl,
            reference: JSON.stringify({
              bot: { id: '28:bench-bot', name: 'Development Hub' },
              channelId: 'msteams',
              conversation: { id: `19:bench-${n}@thread.v2`, conversationType: 'groupChat', isGroup: true },
              serviceUrl,
            }),
            installed_at: now,
            updated_at: now,
            uninstalled_at: null,
          })),
        )
        .execute();
      await trx
        .insertInto('job')
        .values(
          batch.map((n) => ({
            id: `bench-${n}`,
            kind: JOB,
            payload: JSON.stringify({ referenceKey: `conversation:19:bench-${n}@thread.v2`, n }),
            idempotency_key: null,
            status: 'pending' as const,
            attempts: 0,
            max_attempts: 6,
            run_at: now,
            locked_until: null,
            last_error: null,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
    }
  });
}

async function pacingBench(): Promise<{ pass: boolean }> {
  console.log('## Send pacing — two app processes on one PostgreSQL\n');
  const rig = await startSendRig(LIMIT);
  if (!rig) return { pass: false };
  const { database, db, connector } = rig;
  try {
    const apps = await startApps(2, { DATABASE_URL: database.url, JOB_CONCURRENCY: process.env.BENCH_PACING_CONCURRENCY ?? '16', SEND_RATE_PER_SECOND: String(LIMIT), LOG_LEVEL: 'info' }, { entry: ['bench/support/pacing-app.mjs'] });
    rig.apps.push(...apps);
    await seed(db, connector.serviceUrl);
    const started = Date.now();
    await waitUntil(
      async () => {
        const left = await db.selectFrom('job').select(db.fn.countAll<string>().as('n')).where('kind', '=', JOB).where('status', 'in', ['pending', 'running']).executeTakeFirstOrThrow();
        return Number(left.n) === 0;
      },
      { timeoutMs: (SENDS / LIMIT) * 1000 * 2 + 30_000, intervalMs: 250, what: 'the outbox to drain' },
    );
    const wallS = (Date.now() - started) / 1000;
    const counters = await connector.counters();
    const byStatus = await db.selectFrom('job').select(['status', db.fn.countAll<string>().as('n')]).where('kind', '=', JOB).groupBy('status').execute();
    const done = Number(byStatus.find((r) => r.status === 'done')?.n ?? 0);
    const failed = Number(byStatus.find((r) => r.status === 'failed')?.n ?? 0);
    const reached = Object.keys(counters.deliveredByConversation).length;
    const lost = SENDS - reached;
    const perProcess = apps.map((a) => a.stdout().split('\n').filter((l) => l.includes('connector throttled')).length);
    const achieved = counters.acceptedPerSecond / LIMIT;
    const floorS = SENDS / LIMIT;
    const drainS = counters.firstAcceptedAt !== undefined && counters.lastAcceptedAt !== undefined ? (counters.lastAcceptedAt - counters.firstAcceptedAt) / 1000 : NaN;
    const version = (await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db)).rows[0]?.v ?? '?';

    const checks = [
      { what: `achieved throughput ≥ ${TARGET_SHARE * 100} % of the enforced limit`, pass: achieved >= TARGET_SHARE },
      { what: `combined rate within the limit (most accepted in any 1 s ≤ ${LIMIT})`, pass: counters.maxAcceptedInWindow <= LIMIT },
      { what: 'duplicates 0', pass: counters.duplicates === 0 },
      { what: 'lost 0 (every conversation got its message)', pass: lost === 0 && done === SENDS },
    ];
    console.log(
      `PostgreSQL ${version} (fresh database ${database.name}); connector stand-in in its own process enforcing ${LIMIT}/s app-wide and 7/1 s, 8/2 s, 60/30 s, 1,800/h per conversation ` +
        `(429 + Retry-After); 2 app processes (\`node bench/support/pacing-app.mjs\` = dist/ + a bench job kind), JOB_CONCURRENCY 16, pacer share 0.98, batches of 10 slots. ` +
        `${SENDS.toLocaleString('en-GB')} outbox jobs, one bulk send each to its own conversation.\n`,
    );
    console.log('| Measure | Value |\n|---|---|');
    console.log(`| sends (jobs) | ${SENDS} |`);
    console.log(`| accepted by the stand-in | ${counters.accepted} |`);
    console.log(`| achieved rate (first → last accepted) | ${counters.acceptedPerSecond.toFixed(2)}/s |`);
    console.log(`| **achieved / enforced limit** | **${(achieved * 100).toFixed(1)} %** |`);
    console.log(`| drain time vs the limit's floor (${floorS.toFixed(1)} s) | ${drainS.toFixed(1)} s (${(drainS / floorS).toFixed(3)} ×); wall from seeding ${wallS.toFixed(1)} s |`);
    console.log(`| most accepted in any 1 s window | ${counters.maxAcceptedInWindow} (limit ${LIMIT}) |`);
    console.log(`| 429s answered by the stand-in | ${counters.rejected} (throttles logged per process: ${perProcess.join(' / ')}) |`);
    console.log(`| duplicates | ${counters.duplicates} |`);
    console.log(`| lost (conversations never reached) | ${lost} |`);
    console.log(`| jobs done / failed | ${done} / ${failed} |`);
    console.log('\n| Target | Result |\n|---|---|');
    for (const c of checks) console.log(`| ${c.what} | ${c.pass ? 'PASS' : 'FAIL'} |`);
    const pass = checks.every((c) => c.pass);
    console.log(`\nOverall: ${pass ? 'PASS' : 'FAIL'}\n`);
    return { pass };
  } finally {
    await rig.stop();
  }
}

export const pacingSection: BenchSection = { name: 'pacing', run: pacingBench };
