import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/db/database.js';
import { CPD_BOOK_VERB } from '../../src/features/cpd/booking/booking.schemas.js';
import { teamsActivities, teamsPerson, type TeamsPerson } from '../support/activities.js';
import { startServer, waitForListeningPort, type Running } from '../support/server-process.js';

// The production process (src/index.ts on the embedded database) killed with SIGKILL in the middle of
// a burst of simultaneous bookings, three times, then restarted on the same data folder: nothing an
// answered booking said is lost, nothing is duplicated, and the seat counts still hold.
const PEOPLE = 300;
const SEATS = 30;
const KILLS = 3;

const dataDir = mkdtempSync(path.join(tmpdir(), 'devhub-crash-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

// Invokes are answered in the HTTP response; the serviceUrl is never called for a booking.
const activities = teamsActivities({ serviceUrl: 'http://127.0.0.1:9/' });
const people: TeamsPerson[] = Array.from({ length: PEOPLE }, (_, i) => teamsPerson(`Crash Tester ${i}`, randomUUID()));

function start(): Running {
  return startServer({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', SAMPLE_DATA: 'on', CONNECTOR_TIMEOUT_MS: '500' });
}

async function stop(server: Running): Promise<void> {
  server.child.kill('SIGTERM');
  await server.exited;
}

async function withDatabase<T>(use: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDatabase({ kind: 'embedded', dataDir });
  try {
    return await use(db);
  } finally {
    await db.destroy();
  }
}

type Outcome = 'booked' | 'waitlisted' | 'problem' | 'no_answer';

async function book(port: number, person: TeamsPerson, offeringId: string): Promise<Outcome> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activities.cardAction({ verb: CPD_BOOK_VERB, data: { offeringId }, from: person })),
    });
    const body = await response.text();
    if (response.status !== 200) return 'problem';
    if (body.includes('Booked ✓')) return 'booked';
    if (/Waitlisted #\d+/.test(body)) return 'waitlisted';
    return 'problem';
  } catch {
    // The process was killed before it answered: Teams would retry this press.
    return 'no_answer';
  }
}

describe('SIGKILL in the middle of a booking burst', () => {
  it(`loses and duplicates nothing over ${KILLS} kills during ${PEOPLE} simultaneous presses for ${SEATS} seats`, async () => {
    // First start seeds the sample catalogue; choose an open offering and give it 30 seats.
    const first = start();
    await waitForListeningPort(first, 60_000);
    await stop(first);
    const offeringId = await withDatabase(async (db) => {
      const open = await db
        .selectFrom('cpd_offering')
        .select('id')
        .where('status', '=', 'scheduled')
        .where('booking_closes_at', '>', new Date())
        .orderBy('booking_closes_at', 'desc')
        .executeTakeFirstOrThrow();
      await db.updateTable('cpd_offering').set({ capacity: SEATS }).where('id', '=', open.id).execute();
      return open.id;
    });

    // Everyone a press told "Booked ✓" (or "Waitlisted") before a kill must still hold that place.
    const answered = new Map<string, Outcome>();
    let killedMidBurst = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      const server = start();
      const port = await waitForListeningPort(server, 60_000);
      let answers = 0;
      const killAfter = 20 + kill * 40;
      const presses = people.map(async (person) => {
        const outcome = await book(port, person, offeringId);
        if (outcome === 'booked' || outcome === 'waitlisted') {
          answered.set(person.aadObjectId, answered.get(person.aadObjectId) ?? outcome);
          if (++answers === killAfter) server.child.kill('SIGKILL');
        }
        return outcome;
      });
      const outcomes = await Promise.all(presses);
      const exit = await server.exited;
      if (exit.signal === 'SIGKILL') killedMidBurst++;
      // No press got an error card: each was answered properly or not at all.
      expect(outcomes.filter((o) => o === 'problem')).toEqual([]);
      expect(outcomes.filter((o) => o === 'no_answer').length).toBeGreaterThan(0);
    }
    expect(killedMidBurst).toBe(KILLS);

    // Restart on the same folder; everyone presses again (as Teams retries): each gets their own place back.
    const last = start();
    const port = await waitForListeningPort(last, 60_000);
    const finalOutcomes = await Promise.all(people.map((person) => book(port, person, offeringId)));
    await stop(last);
    expect(finalOutcomes.filter((o) => o !== 'booked' && o !== 'waitlisted')).toEqual([]);
    people.forEach((person, i) => {
      if (answered.get(person.aadObjectId) === 'booked') expect(finalOutcomes[i], person.name).toBe('booked');
    });

    await withDatabase(async (db) => {
      const offering = await db.selectFrom('cpd_offering').selectAll().where('id', '=', offeringId).executeTakeFirstOrThrow();
      const rows = await db.selectFrom('cpd_booking').select(['person_aad_id', 'status']).where('offering_id', '=', offeringId).execute();
      const confirmed = rows.filter((r) => r.status === 'confirmed');
      const waitlisted = rows.filter((r) => r.status === 'waitlisted');
      expect(confirmed).toHaveLength(SEATS);
      expect(confirmed.length + waitlisted.length).toBe(PEOPLE);
      expect(new Set(rows.map((r) => r.person_aad_id)).size).toBe(rows.length);
      expect(offering.confirmed_count).toBe(confirmed.length);
      expect(offering.waitlisted_count).toBe(waitlisted.length);
      const unaudited = await sql`select b.id from cpd_booking b where b.offering_id = ${offeringId}
        and not exists (select 1 from audit_log a where a.subject_id = b.id)`.execute(db);
      expect(unaudited.rows).toEqual([]);
      // Whoever was told "Booked ✓" before a kill holds a confirmed row.
      const confirmedIds = new Set(confirmed.map((r) => r.person_aad_id));
      const toldBooked = [...answered].filter(([, o]) => o === 'booked').map(([id]) => id);
      expect(toldBooked.length).toBeGreaterThan(0);
      expect(toldBooked.filter((id) => !confirmedIds.has(id))).toEqual([]);
    });
  }, 300_000);
});
