/**
 * Bench section `reminders` (BENCH_ONLY=reminders npm run bench): BENCH_REMINDERS (default 10,000)
 * confirmed places on one session whose reminders all fall due in the same minute, sent by TWO app
 * processes (the production build, `node dist/index.js`) on one fresh PostgreSQL database, through
 * the connector stand-in in its own process enforcing BENCH_REMINDER_LIMIT/s app-wide (default 200,
 * and the apps are told the same with SEND_RATE_PER_SECOND; 10,000 at 50/s would be 200 s alone)
 * plus the per-conversation windows.
 *
 * Both processes are up before anything is due: the session is seeded cancelled, then switched to
 * scheduled and a reminder sweep enqueued due now (as the minute's sweep job does), so both workers
 * race for the same jobs. Drain time runs from that moment to the last reminder accepted by the
 * stand-in (its own clock); the floor is reminders ÷ limit. Duplicates are the stand-in's count of
 * a second delivery of the same reminder; lost is places whose conversation never got one.
 */
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../src/db/schema.js';
import type { BenchSection } from './sections.js';
import { startApps, waitUntil } from './support/processes.js';
import { startSendRig } from './support/send-rig.js';

const REMINDERS = Number(process.env.BENCH_REMINDERS ?? 10_000);
const LIMIT = Number(process.env.BENCH_REMINDER_LIMIT ?? 200);
// Each reminder job awaits its paced send (a few database round trips and one HTTP call). Measured on the
// shared 2-core machine (ratio drain ÷ floor): 16 per process 1.85×, 32 1.50×, 64 1.27×, 128 1.30×.
const CONCURRENCY = Number(process.env.BENCH_REMINDER_CONCURRENCY ?? 64);
const personId = (i: number): string => `d0000000-0000-4000-8000-${String(i).padStart(12, '0')}`;

async function seed(db: Kysely<Database>, serviceUrl: string, startsAt: Date): Promise<void> {
  const now = new Date();
  await db.insertInto('cpd_course').values({ id: 'bench-course', title: 'Bench Twilight', summary: 'A twilight session everyone booked.', strand_id: 'leadership', audience_ids: JSON.stringify(['teachers']), facilitator: 'Trust Lead', kind: 'standalone', category_id: null, active: true, created_at: now, updated_at: now }).execute();
  await db.insertInto('cpd_offering').values({ id: 'bench-offering', course_id: 'bench-course', label: 'Bench cohort', capacity: REMINDERS, booking_closes_at: new Date(startsAt.getTime() - 3_600_000), status: 'cancelled', created_at: now, updated_at: now }).execute();
  await db
    .insertInto('cpd_session')
    .values({ id: 'bench-offering-s1', offering_id: 'bench-offering', sequence: 1, starts_at: startsAt, ends_at: new Date(startsAt.getTime() + 90 * 60_000), mode: 'online', venue: null, meeting_url: 'https://teams.microsoft.com/l/meetup-join/bench', created_at: now, updated_at: now })
    .execute();
  const reference = (conversationId: string, aadObjectId: string) =>
    JSON.stringify({ bot: { id: '28:bench-bot', name: 'Development Hub' }, channelId: 'msteams', serviceUrl, user: { id: `29:${aadObjectId}`, aadObjectId }, conversation: { id: conversationId, conversationType: 'personal' } });
  for (let start = 0; start < REMINDERS; start += 1000) {
    const ids = Array.from({ length: Math.min(1000, REMINDERS - start) }, (_, j) => personId(start + j));
    await db
      .insertInto('cpd_booking')
      .values(ids.map((id, k) => ({ id: randomUUID(), offering_id: 'bench-offering', person_aad_id: id, person_name: `Person ${start + k}`, person_email: null, person_teams_id: `29:${id}`, status: 'confirmed' as const, created_at: now, updated_at: now, cancelled_at: null })))
      .execute();
    await db
      .insertInto('conversation_reference')
      .values(ids.map((id) => ({ key: `person:${id}`, scope: 'personal' as const, aad_object_id: id, conversation_id: `a:rem-${id}`, tenant_id: null, team_id: null, service_url: serviceUrl, reference: reference(`a:rem-${id}`, id), installed_at: now, updated_at: now, uninstalled_at: null })))
      .execute();
  }
}

async function run(): Promise<{ pass: boolean }> {
  console.log('## CPD reminders — benchmark\n');
  const rig = await startSendRig(LIMIT);
  if (!rig) return { pass: false };
  const { database, db, connector } = rig;
  try {
    // Starts in three hours: its "16:00 the day before" reminder is due already, and stays due through the run.
    await seed(db, connector.serviceUrl, new Date(Date.now() + 3 * 3_600_000));
    rig.apps.push(...(await startApps(2, { DATABASE_URL: database.url, JOB_CONCURRENCY: String(CONCURRENCY), SEND_RATE_PER_SECOND: String(LIMIT), LOG_LEVEL: 'info', SAMPLE_DATA: 'off' }, { startTimeoutMs: 120_000 })));
    await connector.reset();

    // Everything falls due at once: the session is on again, and a sweep is due now on the shared outbox.
    const dueAt = new Date();
    await db.updateTable('cpd_offering').set({ status: 'scheduled' }).where('id', '=', 'bench-offering').execute();
    await db
      .insertInto('job')
      .values({ id: randomUUID(), kind: 'cpd.reminders.sweep', payload: '{}', idempotency_key: `bench:sweep:${dueAt.toISOString()}`, status: 'pending', attempts: 0, max_attempts: 3, run_at: dueAt, locked_until: null, last_error: null, created_at: dueAt, updated_at: dueAt })
      .execute();
    const floorS = REMINDERS / LIMIT;
    const delivered = async (): Promise<number> => Number((await db.selectFrom('cpd_delivery').select(db.fn.countAll<string>().as('n')).where('kind', '=', 'cpd.reminders.send').executeTakeFirstOrThrow()).n);
    await waitUntil(async () => (await delivered()) >= REMINDERS, { timeoutMs: floorS * 3000 + 60_000, intervalMs: 250, what: 'every reminder to be sent' });
    // Let anything still in flight land, so a late duplicate is counted too.
    await new Promise((r) => setTimeout(r, 2000));

    const counters = await connector.counters();
    const outcomes = await db.selectFrom('cpd_delivery').select(['outcome', db.fn.countAll<string>().as('n')]).where('kind', '=', 'cpd.reminders.send').groupBy('outcome').execute();
    const sentRows = Number(outcomes.find((o) => o.outcome === 'sent')?.n ?? 0);
    const perConversation = Object.entries(counters.deliveredByConversation).filter(([c]) => c.startsWith('a:rem-'));
    const reached = perConversation.length;
    const exactlyOnce = perConversation.filter(([, n]) => n === 1).length;
    const lost = REMINDERS - reached;
    const lastAccepted = counters.lastAcceptedAt ?? Date.now();
    const drainS = (lastAccepted - dueAt.getTime()) / 1000;
    const ratio = drainS / floorS;
    const jobs = await db.selectFrom('job').select(['status', db.fn.countAll<string>().as('n')]).where('kind', '=', 'cpd.reminders.send').groupBy('status').execute();
    const pending = jobs.filter((j) => j.status !== 'done').reduce((s, j) => s + Number(j.n), 0);

    const rows: Array<[string, string, string, boolean | undefined]> = [
      ['Reminders sent (stand-in accepted, to distinct people)', `${reached.toLocaleString('en-GB')} (delivery rows: ${sentRows.toLocaleString('en-GB')})`, `${REMINDERS.toLocaleString('en-GB')}`, reached === REMINDERS && sentRows === REMINDERS],
      ['Each person exactly once', `${exactlyOnce.toLocaleString('en-GB')} of ${REMINDERS.toLocaleString('en-GB')}`, 'all', exactlyOnce === REMINDERS],
      ['Duplicates (stand-in counter)', String(counters.duplicates), '0', counters.duplicates === 0],
      ['Lost (no reminder reached the chat)', String(lost), '0', lost === 0],
      ['Reminder jobs not done', String(pending), '0', pending === 0],
      ['Rejected by the stand-in (429)', String(counters.rejected), 'reported', undefined],
      ['Most accepted in any 1 s', String(counters.maxAcceptedInWindow), `≤ ${LIMIT}`, counters.maxAcceptedInWindow <= LIMIT],
      ['Drain time (due → last accepted)', `${drainS.toFixed(1)} s`, 'reported', undefined],
      ['First reminder accepted after due (sweep + claim)', `${(((counters.firstAcceptedAt ?? lastAccepted) - dueAt.getTime()) / 1000).toFixed(1)} s`, 'reported', undefined],
      ['Rate while sending (first → last accepted)', `${counters.acceptedPerSecond.toFixed(1)}/s of ${LIMIT}/s`, 'reported', undefined],
      ['Floor (reminders ÷ limit)', `${floorS.toFixed(1)} s (${REMINDERS.toLocaleString('en-GB')} ÷ ${LIMIT}/s)`, 'reported', undefined],
      // The issue asks for the ratio, not a bound on it: 1.0 is the limit's floor; the sustained rate is the shared pacer's (the pacing bench holds it to ≥ 97 %).
      ['Ratio drain ÷ floor', `${ratio.toFixed(3)} ×`, 'reported (floor 1.0)', undefined],
    ];
    const cpus = os.cpus();
    console.log(
      `Node ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'CPU'}, load ${os.loadavg()[0].toFixed(1)}; fresh PostgreSQL database ${database.name}; ` +
        `two \`node dist/index.js\` processes (JOB_CONCURRENCY ${CONCURRENCY} each, SEND_RATE_PER_SECOND ${LIMIT}, the default 0.98 share) on it; connector stand-in in its own ` +
        `process enforcing ${LIMIT}/s app-wide and 7/1 s, 8/2 s, 60/30 s, 1,800/h per conversation (429 + Retry-After). ${REMINDERS.toLocaleString('en-GB')} confirmed places on one ` +
        `session, each person with a 1:1 chat; all due in the same minute (session switched on and a sweep due now, both processes already running).\n`,
    );
    console.log('| Measure | Result | Target | Verdict |\n|---|---|---|---|');
    for (const [what, result, target, pass] of rows) console.log(`| ${what} | ${result} | ${target} | ${pass === undefined ? 'info' : pass ? 'PASS' : 'FAIL'} |`);
    const pass = rows.every((r) => r[3] !== false);
    console.log(`\nOverall: ${pass ? 'PASS' : 'FAIL'}\n`);
    return { pass };
  } finally {
    await rig.stop();
  }
}

export const remindersBench: BenchSection = { name: 'reminders', run };
