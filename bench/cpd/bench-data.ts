import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { openDatabase, postgresPool, type Db } from '../../src/db/database.js';
import type { Database } from '../../src/db/schema.js';
import { CatalogueService } from '../../src/features/cpd/catalogue/catalogue.service.js';
import { systemClock } from '../../src/shared/clock.js';

/**
 * Where a bench run keeps its data: a fresh PGlite data folder, or a fresh database on the
 * PostgreSQL server named by BENCH_DATABASE_URL / TEST_DATABASE_URL (dropped afterwards). The app
 * process gets it through DATA_DIR or DATABASE_URL; the bench opens it itself only while the app is
 * stopped (PGlite allows one process per folder) to add its offerings and to check the bookings.
 */
export interface BenchStore {
  kind: 'pglite' | 'postgres';
  describe: string;
  appEnv: Record<string, string>;
  open(): Promise<Db>;
  drop(): Promise<void>;
  /** Another empty store of the same kind (a new folder, or a new database), for more empty-folder starts; the caller drops it. */
  fresh(): Promise<BenchStore>;
}

export async function pgliteStore(dataDir: string): Promise<BenchStore> {
  return {
    kind: 'pglite',
    describe: `embedded PGlite in a new data folder`,
    appEnv: { DATA_DIR: dataDir },
    open: () => openDatabase({ kind: 'embedded', dataDir }),
    drop: () => Promise.resolve(),
    fresh: async () => {
      const parent = mkdtempSync(path.join(tmpdir(), 'devhub-bench-'));
      return { ...(await pgliteStore(path.join(parent, 'data'))), drop: () => Promise.resolve(rmSync(parent, { recursive: true, force: true })) };
    },
  };
}

export async function postgresStore(adminUrl: string): Promise<BenchStore> {
  const name = `devhub_bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const version = (await admin.query<{ v: string }>(`select current_setting('server_version') as v`)).rows[0]?.v ?? '?';
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind: 'postgres',
    describe: `PostgreSQL ${version} on ${url.host} (new database, pool ${process.env.DATABASE_POOL_MAX ?? 10})`,
    appEnv: { DATABASE_URL: url.toString(), ...(process.env.DATABASE_POOL_MAX ? { DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX } : {}) },
    open: () => Promise.resolve(new Kysely<Database>({ dialect: new PostgresDialect({ pool: postgresPool(url.toString(), 4) }) })),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
    fresh: () => postgresStore(adminUrl),
  };
}

export const BLOCK_COURSE = 'bench-block';
export const BURST_OFFERING = 'bench-burst-1';

/**
 * The bench's own offerings beside the sample catalogue: one course with `blockOfferings` offerings
 * (so every booking sample can be a new booking) and one small offering for the burst. Titles share
 * no word with the search phrasings, so search answers what it answers on the sample catalogue.
 */
export async function addBenchOfferings(db: Db, blockOfferings: number, blockCapacity: number, burstSeats: number): Promise<string[]> {
  const now = systemClock.now();
  const day = 86_400_000;
  const starts = new Date(now.getTime() + 70 * day);
  const offerings = Array.from({ length: blockOfferings }, (_, i) => ({
    id: `bench-block-${i + 1}`,
    courseId: BLOCK_COURSE,
    label: `Block ${i + 1}`,
    capacity: blockCapacity,
    bookingClosesAt: new Date(starts.getTime() - day),
  }));
  const catalogue = CatalogueService.forDatabase(db, systemClock);
  await catalogue.importCatalogue({
    courses: [
      { id: BLOCK_COURSE, title: 'Benchmark Seat Block', summary: 'Offerings the benchmark books.', strandId: 'bench', audienceIds: [], facilitator: 'Bench', kind: 'standalone', categoryId: null },
      { id: 'bench-burst', title: 'Benchmark Burst Twilight', summary: 'A small offering the benchmark bursts.', strandId: 'bench', audienceIds: [], facilitator: 'Bench', kind: 'standalone', categoryId: null },
    ],
    offerings: [...offerings, { id: BURST_OFFERING, courseId: 'bench-burst', label: 'Bench', capacity: burstSeats, bookingClosesAt: new Date(starts.getTime() - day) }],
    sessions: [...offerings.map((o) => o.id), BURST_OFFERING].map((offeringId) => ({
      id: `${offeringId}-s1`,
      offeringId,
      sequence: 1,
      startsAt: starts,
      endsAt: new Date(starts.getTime() + 5_400_000),
      mode: 'online' as const,
      venue: null,
      meetingUrl: 'https://teams.microsoft.com/l/meetup-join/bench',
    })),
  });
  return offerings.map((o) => o.id);
}

/** Booking rows the load made on the block course, and any person booked twice on one offering. */
export async function blockBookings(db: Db): Promise<{ rows: number; duplicates: number }> {
  const result = await sql<{ rows: number; pairs: number }>`
    select count(*)::int as rows, count(distinct (b.offering_id, b.person_aad_id))::int as pairs
    from cpd_booking b join cpd_offering o on o.id = b.offering_id
    where o.course_id = ${BLOCK_COURSE}`.execute(db);
  const row = result.rows[0] ?? { rows: 0, pairs: 0 };
  return { rows: Number(row.rows), duplicates: Number(row.rows) - Number(row.pairs) };
}
