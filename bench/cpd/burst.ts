import { performance } from 'node:perf_hooks';
import type { Db } from '../../src/db/database.js';
import { teamsPerson, type TeamsActivityBuilders, type TeamsPerson } from '../../tests/support/activities.js';
import { BURST_OFFERING } from './bench-data.js';
import { cardText, post } from './load.js';

/**
 * The burst: `people` people press Book on one small offering at the same moment; some press twice
 * (a second activity of their own) and some presses are re-sent by Teams (the same activity, same
 * id, while the first is still in flight). Everything is POSTed at once from the bench process.
 */
export interface BurstPlan {
  people: number;
  seats: number;
  doublePresses: number;
  retries: number;
}

export interface BurstAnswers {
  presses: number;
  elapsedMs: number;
  told: Map<string, Array<{ text: string; problem: string | undefined }>>;
}

export async function runBurst(baseUrl: string, activities: TeamsActivityBuilders, plan: BurstPlan): Promise<BurstAnswers> {
  const people: TeamsPerson[] = Array.from({ length: plan.people }, (_, i) => teamsPerson(`Burst Person ${i + 1}`));
  const presses: Array<{ person: TeamsPerson; activity: unknown }> = people.map((person) => ({
    person,
    activity: activities.cardAction({ verb: 'cpd.book', data: { offeringId: BURST_OFFERING }, from: person }),
  }));
  // Spread the extras over the crowd (every 10th person presses twice, every 20th press is retried).
  for (let i = 0; i < plan.doublePresses; i += 1) {
    const person = people[(i * 10) % people.length];
    presses.push({ person, activity: activities.cardAction({ verb: 'cpd.book', data: { offeringId: BURST_OFFERING }, from: person }) });
  }
  for (let i = 0; i < plan.retries; i += 1) presses.push({ ...presses[(i * 20 + 5) % plan.people] });
  // Interleave deterministically so doubles and retries land among the first presses, not after them.
  const order = presses.map((p, i) => ({ p, key: (i * 2_654_435_761) % 4_294_967_296 })).sort((a, b) => a.key - b.key).map((x) => x.p);

  const started = performance.now();
  const answers = await Promise.all(order.map((p) => post(baseUrl, p.activity).then((a) => ({ person: p.person, body: a.body }))));
  const elapsedMs = performance.now() - started;
  const told = new Map<string, Array<{ text: string; problem: string | undefined }>>();
  for (const a of answers) {
    const list = told.get(a.person.aadObjectId) ?? [];
    list.push(cardText(a.body));
    told.set(a.person.aadObjectId, list);
  }
  return { presses: order.length, elapsedMs, told };
}

export interface BurstVerdict {
  markdown: string;
  pass: boolean;
  elapsedMs: number;
}

/** Checks the database after the burst against what each person was told. */
export async function checkBurst(db: Db, plan: BurstPlan, answers: BurstAnswers, kind: string): Promise<BurstVerdict> {
  const rows = await db
    .selectFrom('cpd_booking')
    .select(['person_aad_id', 'status', 'arrival_seq'])
    .where('offering_id', '=', BURST_OFFERING)
    .orderBy('arrival_seq')
    .execute();
  const confirmed = rows.filter((r) => r.status === 'confirmed').length;
  const waitlisted = rows.filter((r) => r.status === 'waitlisted').length;
  const duplicates = rows.length - new Set(rows.map((r) => r.person_aad_id)).size;
  const problems = [...answers.told.values()].flat().filter((t) => t.problem).length;

  // Arrival order at the database is arrival_seq, handed out under the offering's row lock: the seats
  // go to the first arrivals, and the waitlist number each person was shown is their rank after them.
  const firstArrivalsConfirmed = rows.slice(0, plan.seats).every((r) => r.status === 'confirmed');
  let positionsOk = true;
  let oneNewAnswerEach = true;
  let repeatsAgree = true;
  rows.forEach((r, i) => {
    const told = answers.told.get(r.person_aad_id) ?? [];
    const fresh = told.filter((t) => !/already (booked|on the waitlist)/.test(t.text));
    if (fresh.length !== 1) oneNewAnswerEach = false;
    const expected = r.status === 'confirmed' ? 'Booked ✓' : `Waitlisted #${i + 1 - plan.seats}`;
    if (!fresh.every((t) => t.text.includes(expected))) positionsOk = false;
    // A second press or a retry is answered with the same place, not a second one.
    const repeat = told.filter((t) => !fresh.includes(t));
    const sameAnswer = r.status === 'confirmed' ? /already booked/ : new RegExp(`already on the waitlist for this \\(number ${i + 1 - plan.seats}\\)`);
    if (!repeat.every((t) => sameAnswer.test(t.text))) repeatsAgree = false;
  });
  const countsOk = rows.length === plan.people && confirmed === plan.seats && waitlisted === plan.people - plan.seats && duplicates === 0 && problems === 0;
  const orderOk = firstArrivalsConfirmed && positionsOk;
  const pass = countsOk && orderOk && oneNewAnswerEach && repeatsAgree;
  const yes = (b: boolean): string => (b ? 'yes' : '**NO**');
  const markdown = [
    '| Database | People | Presses (doubles, Teams retries) | Seats | Confirmed | Waitlisted | Duplicates | Error cards | Seats and "Waitlisted #k" follow database arrival order | Repeats answered with the same place | Wall time |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|',
    `| ${kind} | ${plan.people} | ${answers.presses} (${plan.doublePresses}, ${plan.retries}) | ${plan.seats} | ${confirmed} | ${waitlisted} | ${duplicates} | ${problems} | ${yes(orderOk)} | ${yes(oneNewAnswerEach && repeatsAgree)} | ${(answers.elapsedMs / 1000).toFixed(2)} s |`,
  ].join('\n');
  return { markdown, pass, elapsedMs: answers.elapsedMs };
}
