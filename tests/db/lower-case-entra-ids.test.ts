import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../src/db/migrate.js';
import { migrations } from '../../src/db/migrations/index.js';
import { testDatabaseKinds, type TestDb } from '../support/test-db.js';
import { loadBookingCatalogue } from '../features/cpd/booking/booking-fixtures.js';

const LOWER = 'abcdef01-2345-4678-9abc-def012345678';
const UPPER = LOWER.toUpperCase();
const MIXED = 'AbCdEf01-2345-4678-9aBc-DeF012345678';

describe.each(testDatabaseKinds())('migration 0006 lower-cases Entra ids and merges duplicates ($kind)', ({ open }) => {
  let testDb: TestDb | undefined;
  afterEach(async () => {
    await testDb?.close();
    testDb = undefined;
  });

  it('keeps one active booking per person per offering, cancels and audits the rest, fixes seat counts and references', async () => {
    testDb = await open();
    const { db } = testDb;
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    expect((await migrator.migrateTo('0005-cpd-seat-counts')).error).toBeUndefined();
    // The first run of 0006 (on the empty test database) found nothing and wrote nothing.
    expect(await db.selectFrom('audit_log').selectAll().execute()).toEqual([]);
    await loadBookingCatalogue(db);
    const booking = (id: string, person: string, status: 'confirmed' | 'waitlisted', offering = 'crowd-5') =>
      sql`insert into cpd_booking (id, offering_id, person_aad_id, person_name, person_email, status, created_at, updated_at)
          values (${id}, ${offering}, ${person}, 'Case Person', null, ${status}, now(), now())`.execute(db);
    await booking('b-upper', UPPER, 'waitlisted');
    await booking('b-lower', LOWER, 'confirmed');
    await booking('b-mixed', MIXED, 'confirmed');
    await booking('b-other-offering', UPPER, 'confirmed', 'crowd-30');
    const reference = (key: string, aad: string, at: string) =>
      sql`insert into conversation_reference (key, scope, aad_object_id, conversation_id, tenant_id, team_id, service_url, reference, installed_at, updated_at, uninstalled_at)
          values (${key}, 'personal', ${aad}, ${`a:${key}`}, null, null, 'https://smba.example/', '{}'::jsonb, ${at}::timestamptz, ${at}::timestamptz, null)`.execute(db);
    await reference(`person:${UPPER}`, UPPER, '2026-11-01T00:00:00Z');
    await reference(`person:${LOWER}`, LOWER, '2026-11-02T00:00:00Z');

    await migrateToLatest(db);

    const rows = await db.selectFrom('cpd_booking').select(['id', 'person_aad_id', 'status']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: 'b-lower', person_aad_id: LOWER, status: 'confirmed' },
      { id: 'b-mixed', person_aad_id: LOWER, status: 'cancelled' },
      { id: 'b-other-offering', person_aad_id: LOWER, status: 'confirmed' },
      { id: 'b-upper', person_aad_id: LOWER, status: 'cancelled' },
    ]);
    const counts = await db.selectFrom('cpd_offering').select(['id', 'confirmed_count', 'waitlisted_count']).where('id', 'in', ['crowd-5', 'crowd-30']).orderBy('id').execute();
    expect(counts).toEqual([
      { id: 'crowd-30', confirmed_count: 1, waitlisted_count: 0 },
      { id: 'crowd-5', confirmed_count: 1, waitlisted_count: 0 },
    ]);
    const audit = await db.selectFrom('audit_log').select(['action', 'subject_id', 'details']).orderBy('id').execute();
    expect(audit).toEqual([
      { action: 'cpd.booking.merged_duplicate', subject_id: expect.stringMatching(/^b-(upper|mixed)$/), details: { kept: 'b-lower', offeringId: 'crowd-5' } },
      { action: 'cpd.booking.merged_duplicate', subject_id: expect.stringMatching(/^b-(upper|mixed)$/), details: { kept: 'b-lower', offeringId: 'crowd-5' } },
      {
        action: 'migration.lower_case_entra_ids',
        subject_id: '0006-lower-case-entra-ids',
        details: { bookingsMerged: 2, bookingsLowerCased: 3, referencesMerged: 1, cacheRowsDropped: 0 },
      },
    ]);
    const references = await db.selectFrom('conversation_reference').select(['key', 'aad_object_id', 'updated_at']).execute();
    expect(references).toEqual([{ key: `person:${LOWER}`, aad_object_id: LOWER, updated_at: new Date('2026-11-02T00:00:00Z') }]);
  }, 30_000);
});
