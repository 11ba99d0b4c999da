import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/shared/clock.js';
import { teamsPerson } from '../support/activities.js';
import { isWelcomeCard, startHub, type HubHarness, type LogLine } from '../support/hub-harness.js';
import { TODAY, loadBookingCatalogue } from '../features/cpd/booking/booking-fixtures.js';

// Real failing turns on the whole app: the database refusing a statement, a table that is gone, a serviceUrl that does not answer. The person still gets an answer, the failure is logged
// once, and no log line carries what the redaction policy forbids.

/** Everything a log must never hold, checked on the serialised lines. */
function expectRedacted(lines: LogLine[], secrets: string[]): void {
  const text = JSON.stringify(lines);
  for (const secret of secrets) expect(text, `log holds ${secret.slice(0, 40)}`).not.toContain(secret);
  expect(text).not.toMatch(/insert into|select .* from|update "?\w+"? set|\$1/i);
  for (const line of lines) expect(JSON.stringify(line).length).toBeLessThan(4096);
}

async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('turns whose bookkeeping or statements fail', () => {
  let h: HubHarness;
  const clock = fixedClock(TODAY);
  beforeAll(async () => {
    h = await startHub({ env: { SAMPLE_DATA: 'off' }, clock, runJobs: false });
    await loadBookingCatalogue(h.db, clock);
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers the person when the conversation reference cannot be saved, logging it once without the reference', async () => {
    const person = teamsPerson('Quentin Refwrite');
    await sql`alter table conversation_reference rename to conversation_reference_away`.execute(h.db);
    const before = h.logs.length;
    try {
      const answer = await h.post(h.activities.message({ text: 'help', from: person }));
      expect(answer.status).toBe(200);
      expect(isWelcomeCard(h.connector.deliveredCards()[0])).toBe(true);
    } finally {
      await sql`alter table conversation_reference_away rename to conversation_reference`.execute(h.db);
    }
    const lines = h.logs.slice(before);
    const failures = lines.filter((l) => l.level >= 50);
    expect(failures.map((l) => l.msg)).toEqual(['conversation reference not saved']);
    expect(failures[0]).toMatchObject({ code: 'reference_not_saved', err: { type: 'DatabaseError', code: '42P01', table: 'conversation_reference' } });
    expectRedacted(lines, [person.name, person.id, h.connector.serviceUrl]);
  });

  it('answers a card action and a message with the problem card when a table they read is gone', async () => {
    const person = teamsPerson('Stella Statefail');
    await sql`alter table cpd_booking rename to cpd_booking_away`.execute(h.db);
    const before = h.logs.length;
    try {
      const invoke = await h.post(h.activities.cardAction({ verb: 'cpd.book', data: { offeringId: 'phonics-jan', note: 'Private note about a pupil' }, from: person }));
      expect(invoke.status).toBe(200);
      expect(invoke.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: { metadata: { problemCode: expect.any(String) } } });

      const message = await h.post(h.activities.message({ text: 'show my bookings', from: person }));
      expect(message.status).toBe(200);
      expect(h.connector.deliveredCards().at(-1)?.metadata?.problemCode).toBeDefined();
    } finally {
      await sql`alter table cpd_booking_away rename to cpd_booking`.execute(h.db);
    }
    const lines = h.logs.slice(before);
    const failures = lines.filter((l) => l.level >= 50);
    expect(failures.map((l) => l.msg)).toEqual(['card action failed', 'turn failed']);
    // 42P01 (no such table) or 42704 (a function's row type that named it): the database's own refusal either way.
    for (const failure of failures) expect(failure).toMatchObject({ err: { type: 'DatabaseError', code: expect.stringMatching(/^42(P01|704)$/) } });
    expectRedacted(lines, [person.name, 'Private note about a pupil', 'show my bookings']);
  });

  it('logs a refused booking statement by table and code, without the SQL, the name or the email it was writing', async () => {
    // The roster names this person; the statement would have written their name and email.
    const ellie = teamsPerson('Ellie Brightwater', 'b0000000-0000-4000-8000-000000000001');
    await sql`alter table cpd_booking add constraint refuse_all check (length(person_name) < 0) not valid`.execute(h.db);
    const before = h.logs.length;
    try {
      const answer = await h.post(h.activities.cardAction({ verb: 'cpd.book', data: { offeringId: 'phonics-jan' }, from: ellie }));
      expect(answer.status).toBe(200);
      expect(answer.body.value.metadata.problemCode).toBeDefined();
    } finally {
      await sql`alter table cpd_booking drop constraint refuse_all`.execute(h.db);
    }
    const lines = h.logs.slice(before);
    const failure = lines.find((l) => l.level >= 50);
    expect(failure).toMatchObject({ err: { type: 'DatabaseError', code: '23514', table: 'cpd_booking', constraint: 'refuse_all' } });
    expectRedacted(lines, ['Ellie Brightwater', 'Brightwater', 'ellie.brightwater@harmony.example', 'phonics-jan cohort']);
  });

  it('logs an unknown verb with a huge payload capped, and answers with the problem card', async () => {
    const verb = `cpd.${'v'.repeat(300_000)}`;
    const before = h.logs.length;
    const answer = await h.post(h.activities.cardAction({ verb, data: { blob: 'secret-card-data '.repeat(20_000) }, from: teamsPerson('Vera Verbose') }));
    expect(answer.status).toBe(200);
    expect(answer.body.value.metadata.problemCode).toBeDefined();
    const lines = h.logs.slice(before);
    expect(lines.find((l) => l.msg === 'unknown card verb')).toBeDefined();
    expectRedacted(lines, ['Vera Verbose', 'secret-card-data', 'v'.repeat(300)]);
  });

  it('answers an invoke nobody handles with 400 unsupported_invoke, not 501', async () => {
    const activity = { ...h.activities.cardAction({ verb: 'x', from: teamsPerson('Ivy Invoke') }), name: 'task/fetch-or-something-else' };
    const answer = await h.post(activity);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: { code: 'unsupported_invoke', message: expect.any(String) } });
  });
});

describe('a serviceUrl that cannot be reached', () => {
  let h: HubHarness;
  let blackhole: TcpServer;
  let blackholeUrl: string;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Accepts connections and never answers: the slowest way for a connector to fail.
    blackhole = createTcpServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => blackhole.listen(0, '127.0.0.1', resolve));
    blackholeUrl = `http://127.0.0.1:${(blackhole.address() as { port: number }).port}/`;
    h = await startHub({ env: { CONNECTOR_TIMEOUT_MS: '1500' } });
  });
  afterAll(async () => {
    await h?.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => blackhole.close(() => resolve()));
  });

  it.each([
    ['refuses connections', async () => `http://127.0.0.1:${await closedPort()}/`],
    ['never answers', async () => blackholeUrl],
  ])('answers Teams within the connector timeout when the serviceUrl %s, and logs the failure once', async (_label, url) => {
    const serviceUrl = await url();
    const before = h.logs.length;
    const started = Date.now();

    const answer = await h.post(h.activities.message({ text: 'help', from: teamsPerson('Far Away'), overrides: { serviceUrl } }));

    const took = Date.now() - started;
    expect(answer.status).toBe(200);
    expect(took).toBeLessThan(3000);
    const failures = h.logs.slice(before).filter((l) => l.level >= 50);
    expect(failures.map((l) => l.msg)).toEqual(['turn failed']);
  });
});
