import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock.js';
import { startHub, type HubHarness } from '../support/hub-harness.js';
import { TODAY, loadBookingCatalogue } from '../features/cpd/booking/booking-fixtures.js';
import { fuzzRequest, type FuzzRequest, type InputClass } from './generators.js';

// ≥10,000 generated requests against the whole app (real restify server, CloudAdapter, Teams AI
// Application, PGlite). FUZZ_RUNS × BATCH requests, BATCH at a time; FUZZ_SEED replays a failure
// (fast-check prints the seed and the shrunk batch when a property fails).
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const BATCH = 25;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const LEAKS = /\bat .+\.(js|ts|mjs):\d+|insert into|select .+ from|update \w+ set|syntax error|DatabaseError|violates|node_modules|Z_DATA_ERROR/i;

interface Tally {
  requests: number;
  byClass: Map<string, number>;
  worstMs: number;
}

let h: HubHarness;
const clock = fixedClock(TODAY);
const tally: Tally = { requests: 0, byClass: new Map(), worstMs: 0 };
const uncaught: unknown[] = [];
const onUncaught = (error: unknown): void => void uncaught.push(error);

beforeAll(async () => {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  h = await startHub({ env: { SAMPLE_DATA: 'off', CONNECTOR_TIMEOUT_MS: '1000' }, clock, runJobs: false });
  await loadBookingCatalogue(h.db, clock);
});
afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
  await h?.close();
});

async function send(request: FuzzRequest): Promise<{ status: number; text: string; ms: number }> {
  const started = Date.now();
  const response = await fetch(`${h.baseUrl}/api/messages`, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  return { status: response.status, text, ms: Date.now() - started };
}

describe('the bot endpoint under generated requests', () => {
  it(`answers ${RUNS * BATCH} generated requests with no crash, no 5xx, nothing slower than 5 s and nothing internal`, async () => {
    const statuses = new Map<string, Map<string, number>>();
    await fc.assert(
      fc.asyncProperty(fc.array(fuzzRequest(h.activities), { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        const answers = await Promise.all(batch.map(send));
        answers.forEach((answer, i) => {
          const inputClass: InputClass = batch[i].inputClass;
          tally.requests += 1;
          tally.byClass.set(inputClass, (tally.byClass.get(inputClass) ?? 0) + 1);
          tally.worstMs = Math.max(tally.worstMs, answer.ms);
          let code = '';
          try {
            code = (JSON.parse(answer.text) as { error?: { code?: string } })?.error?.code ?? '';
          } catch {
            code = '';
          }
          const key = `${answer.status}${code ? ` ${code}` : ''}`;
          const perClass = statuses.get(inputClass) ?? new Map<string, number>();
          perClass.set(key, (perClass.get(key) ?? 0) + 1);
          statuses.set(inputClass, perClass);
          expect(answer.status, `${inputClass}: ${answer.text.slice(0, 200)}`).toBeLessThan(500);
          expect(answer.ms).toBeLessThan(5000);
          expect(answer.text).not.toMatch(LEAKS);
        });
        // Cards and texts the app posted to the conversation (replies) must not leak either.
        for (const call of h.connector.calls) expect(JSON.stringify(call.body ?? '')).not.toMatch(LEAKS);
        h.connector.clear();
        expect(uncaught).toEqual([]);
      }),
      { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: true },
    );
    expect(tally.requests).toBe(RUNS * BATCH);
    // The per-class table, for the record.
    console.log(
      [...statuses].map(([c, s]) => `${c} (${tally.byClass.get(c)}): ${[...s].map(([k, n]) => `${k}×${n}`).join(', ')}`).join('\n'),
      `\nworst answer ${tally.worstMs} ms`,
    );
    expect((await h.get('/healthz')).status).toBe(200);
  }, 300_000);

  it('leaves the database consistent: seat counts, one active booking per person, lower-case ids, an audit row per booking', async () => {
    const counts = await sql<{ id: string; confirmed_count: number; waitlisted_count: number; confirmed: string; waitlisted: string; capacity: number }>`
      select o.id, o.confirmed_count, o.waitlisted_count, o.capacity,
             (select count(*) from cpd_booking b where b.offering_id = o.id and b.status = 'confirmed') as confirmed,
             (select count(*) from cpd_booking b where b.offering_id = o.id and b.status = 'waitlisted') as waitlisted
      from cpd_offering o`.execute(h.db);
    for (const row of counts.rows) {
      expect(row.confirmed_count, row.id).toBe(Number(row.confirmed));
      expect(row.waitlisted_count, row.id).toBe(Number(row.waitlisted));
      expect(Number(row.confirmed), row.id).toBeLessThanOrEqual(row.capacity);
    }
    const duplicates = await sql`
      select offering_id, lower(person_aad_id) from cpd_booking where status in ('confirmed', 'waitlisted')
      group by 1, 2 having count(*) > 1`.execute(h.db);
    expect(duplicates.rows).toEqual([]);
    const mixedCase = await sql`select id from cpd_booking where person_aad_id <> lower(person_aad_id) or person_name ~ '[[:cntrl:]]' or length(person_name) > 256`.execute(h.db);
    expect(mixedCase.rows).toEqual([]);
    const unaudited = await sql`select b.id from cpd_booking b where not exists (select 1 from audit_log a where a.subject_id = b.id)`.execute(h.db);
    expect(unaudited.rows).toEqual([]);
    const bookings = await sql<{ n: string }>`select count(*) as n from cpd_booking`.execute(h.db);
    // The fuzz must have booked something, or the invariants above say nothing.
    expect(Number(bookings.rows[0].n)).toBeGreaterThan(0);
    const references = await sql`select key from conversation_reference where aad_object_id <> lower(aad_object_id) or key <> lower(key) and key like 'person:%'`.execute(h.db);
    expect(references.rows).toEqual([]);
  });
});
