import { performance } from 'node:perf_hooks';
import type { TeamsActivityBuilders, TeamsPerson } from '../../tests/support/activities.js';
import type { ConnectorStandIn } from '../../tests/support/connector-stand-in.js';
import { ECHO_MARKER, ECHO_VERB, echoReply } from '../echo.feature.js';
import type { AppProcess } from './app-process.js';

/**
 * The load generator: Teams-shaped activities POSTed to the app's /api/messages from the bench
 * process, a fixed number in flight (closed loop), each conversation with at most one turn in flight.
 */
export type TurnKind = 'echo' | 'echo-card' | 'search' | 'book' | 'book-repeat';

export const SEARCHES = [
  'any phonics training?',
  'CPD for TAs next month',
  "what's on this week",
  'early years courses',
  'SEND',
  'subjct leader programme',
  'NQT induction',
  'behaviour training in the spring term',
];

export interface Load {
  app: AppProcess;
  connector: ConnectorStandIn;
  activities: TeamsActivityBuilders;
  people: readonly TeamsPerson[];
  /**
   * Bookable bench offerings. Booking pair k is person k % P on offering (k % P + floor(k / P)) % O: no
   * pair repeats (person p's j-th press is on offering (p + j) % O), and presses in flight together are
   * by different people on different offerings, as when staff book from their own search results. The
   * burst is the other case, everyone on one offering.
   */
  offerings: readonly string[];
  concurrency: number;
  /** Next unused booking pair. */
  nextPair: number;
  /** Pairs already booked, for the repeat-press row. */
  booked: Array<{ person: TeamsPerson; offeringId: string }>;
  /** Message turns sent per kind, to check the replies that reached the stand-in. */
  echoSent: number;
}

export async function post(baseUrl: string, activity: unknown): Promise<{ ms: number; body: unknown }> {
  const started = performance.now();
  const send = () => fetch(`${baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  // A kept-alive connection the server closed as idle just as it was reused fails before the request
  // reached the app (ECONNRESET); sent again once, as a client would. Anything else is a failure.
  const response = await send().catch((error: unknown) => {
    if ((error as { cause?: { code?: string } }).cause?.code !== 'ECONNRESET') throw error;
    return send();
  });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`POST /api/messages answered ${response.status}: ${text.slice(0, 200)}`);
  return { ms, body: text ? (JSON.parse(text) as unknown) : undefined };
}

export function cardText(body: unknown): { text: string; problem: string | undefined } {
  const value = (body as { value?: { metadata?: { problemCode?: string } } } | undefined)?.value;
  return { text: JSON.stringify(value ?? {}), problem: value?.metadata?.problemCode };
}

const ALREADY = /already (booked|on the waitlist)/;

/** One turn of a kind; throws when the answer is not what that kind claims to measure. */
async function turn(load: Load, kind: TurnKind, n: number): Promise<number> {
  const person = load.people[n % load.people.length];
  switch (kind) {
    case 'echo':
      load.echoSent += 1;
      return (await post(load.app.baseUrl, load.activities.message({ text: `${ECHO_MARKER}ping ${n}`, from: person }))).ms;
    case 'search':
      return (await post(load.app.baseUrl, load.activities.message({ text: SEARCHES[n % SEARCHES.length], from: person }))).ms;
    case 'echo-card': {
      const answer = await post(load.app.baseUrl, load.activities.cardAction({ verb: ECHO_VERB, data: { n }, from: person }));
      if (!cardText(answer.body).text.includes(`"echo ${n}"`)) throw new Error('echo card turn was not answered by the echo verb');
      return answer.ms;
    }
    case 'book': {
      const k = load.nextPair++;
      const people = load.people.length;
      const round = Math.floor(k / people);
      if (round >= load.offerings.length) throw new Error(`ran out of booking pairs (${people} people × ${load.offerings.length} offerings): raise BENCH_MAX_BOOK_RATE`);
      const who = load.people[k % people];
      const offeringId = load.offerings[((k % people) + round) % load.offerings.length];
      const answer = await post(load.app.baseUrl, load.activities.cardAction({ verb: 'cpd.book', data: { offeringId }, from: who }));
      const card = cardText(answer.body);
      if (card.problem) throw new Error(`booking turn answered ${card.problem}`);
      if (ALREADY.test(card.text) || !/Booked ✓|Waitlisted #\d+/.test(card.text)) throw new Error('a booking sample was not a new booking');
      load.booked.push({ person: who, offeringId });
      return answer.ms;
    }
    case 'book-repeat': {
      const earlier = load.booked[(n * 7919) % load.booked.length];
      if (!earlier) throw new Error('no booking to press again');
      const answer = await post(load.app.baseUrl, load.activities.cardAction({ verb: 'cpd.book', data: { offeringId: earlier.offeringId }, from: earlier.person }));
      if (!ALREADY.test(cardText(answer.body).text)) throw new Error('a repeat press was not answered as already booked');
      return answer.ms;
    }
  }
}

export interface Run {
  samples: number[];
  wallMs: number;
  appCpuMs: number;
}

/**
 * Runs `count` turns (or until `untilMs` passes) of one kind, `concurrency` at a time; the app's CPU
 * is read from /proc around the run, so it is the app's own work per turn, not the load generator's.
 */
export async function runTurns(load: Load, kind: TurnKind, limit: { count?: number; untilMs?: number }, offset: number): Promise<Run> {
  const samples: number[] = [];
  let issued = 0;
  const cpu0 = load.app.cpuMs();
  const t0 = performance.now();
  const more = (): boolean => (limit.count === undefined || issued < limit.count) && (limit.untilMs === undefined || performance.now() - t0 < limit.untilMs);
  const worker = async (): Promise<void> => {
    while (more()) {
      const n = offset + issued;
      issued += 1;
      samples.push(await turn(load, kind, n));
    }
  };
  await Promise.all(Array.from({ length: load.concurrency }, () => worker()));
  const wallMs = performance.now() - t0;
  const appCpuMs = load.app.cpuMs() - cpu0;
  if (kind === 'echo') checkEchoes(load, offset, samples.length);
  load.connector.clear();
  return { samples, wallMs, appCpuMs };
}

/** The message floor must be what it claims: every echo turn of the run answered by the echo intent. */
function checkEchoes(load: Load, offset: number, count: number): void {
  const expected = new Set(Array.from({ length: count }, (_, i) => echoReply(`ping ${offset + i}`)));
  const texts = load.connector.delivered().map((c) => (c.body as { text?: string }).text ?? '');
  const echoed = texts.filter((t) => expected.delete(t)).length;
  if (echoed !== count) throw new Error(`echo run: ${echoed} of ${count} turns answered by the echo intent (${texts.length} replies)`);
}
