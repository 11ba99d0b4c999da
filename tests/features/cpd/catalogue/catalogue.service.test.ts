import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CatalogueService,
  importCatalogueCsv,
  loadSampleCatalogue,
} from '../../../../src/features/cpd/catalogue/catalogue.service.js';
import { formatLocalDateTime } from '../../../../src/features/cpd/cpd-time.domain.js';
import { fixedClock } from '../../../../src/shared/clock.js';
import { testDatabaseKinds, type TestDb } from '../../../support/test-db.js';
import { GOOD_CSV, HEADER, TEAMS, TODAY, harmonyTaxonomy, smallTaxonomy } from '../cpd-fixtures.js';

for (const { kind, open, skip } of testDatabaseKinds()) {
  describe.skipIf(skip !== undefined)(`CPD catalogue on ${kind}${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let testDb: TestDb;
    const clock = fixedClock(TODAY);
    let catalogue: CatalogueService;

    beforeEach(async () => {
      testDb = await open();
      catalogue = CatalogueService.forDatabase(testDb.db, clock);
    });
    afterEach(async () => testDb.close());

    const counts = async () => ({
      courses: (await testDb.db.selectFrom('cpd_course').select('id').execute()).length,
      offerings: (await testDb.db.selectFrom('cpd_offering').select('id').execute()).length,
      sessions: (await testDb.db.selectFrom('cpd_session').select('id').execute()).length,
    });

    it('imports a good file and reads an offering back with its course and sessions', async () => {
      const outcome = await importCatalogueCsv(catalogue, GOOD_CSV, smallTaxonomy);
      expect(outcome).toEqual({ ok: true, dryRun: false, counts: { courses: 2, offerings: 2, sessions: 3, sessionsRemoved: 0 } });
      const offering = await catalogue.getOffering('phonics-spring');
      expect(offering?.course).toMatchObject({ title: 'Leadership and Teaching of Phonics', audienceIds: ['leaders', 'teachers'], active: true });
      expect(offering?.offering).toMatchObject({ capacity: 20, status: 'scheduled' });
      expect(offering?.sessions.map((s) => formatLocalDateTime(s.startsAt, 'Europe/London'))).toEqual(['2027-03-23 15:45', '2027-03-30 15:45']);
      expect(offering?.sessions.map((s) => s.startsAt.toISOString())).toEqual(['2027-03-23T15:45:00.000Z', '2027-03-30T14:45:00.000Z']);
      expect(await catalogue.getOffering('no-such-offering')).toBeUndefined();
    });

    it('writes a catalogue larger than one statement holds, and a re-import of it updates every row', async () => {
      // 1,201 offerings of one session each: three statements' worth of rows per table.
      const n = 1201;
      const starts = new Date(Date.parse(TODAY) + 30 * 86_400_000);
      const write = (capacity: number, venue: string) => ({
        courses: [{ id: 'big', title: 'Big Course', summary: 'Many offerings.', strandId: 'reading', audienceIds: ['teachers'], facilitator: 'F', kind: 'standalone' as const, categoryId: null }],
        offerings: Array.from({ length: n }, (_, i) => ({ id: `big-${i}`, courseId: 'big', label: `Group ${i}`, capacity, bookingClosesAt: starts })),
        sessions: Array.from({ length: n }, (_, i) => ({
          id: `big-${i}-s1`, offeringId: `big-${i}`, sequence: 1, startsAt: new Date(starts.getTime() + i * 3_600_000), endsAt: new Date(starts.getTime() + i * 3_600_000 + 5_400_000),
          mode: 'in_person' as const, venue, meetingUrl: null,
        })),
      });
      expect(await catalogue.importCatalogue(write(10, 'Hall'))).toEqual({ courses: 1, offerings: n, sessions: n, sessionsRemoved: 0 });
      expect(await counts()).toEqual({ courses: 1, offerings: n, sessions: n });
      await catalogue.importCatalogue(write(12, 'Library'));
      const offerings = await testDb.db.selectFrom('cpd_offering').select(['capacity']).execute();
      const sessions = await testDb.db.selectFrom('cpd_session').select(['venue']).execute();
      expect(new Set(offerings.map((o) => o.capacity))).toEqual(new Set([12]));
      expect(new Set(sessions.map((x) => x.venue))).toEqual(new Set(['Library']));
      expect(await counts()).toEqual({ courses: 1, offerings: n, sessions: n });
    });

    it('takes the last of a course or offering given twice in one write, as a statement per row did', async () => {
      const closes = new Date(Date.parse(TODAY) + 20 * 86_400_000);
      const starts = new Date(Date.parse(TODAY) + 21 * 86_400_000);
      const course = { id: 'twice', title: 'First title', summary: 'S', strandId: 'reading', audienceIds: [], facilitator: 'F', kind: 'standalone' as const, categoryId: null };
      const offering = { id: 'twice-1', courseId: 'twice', label: 'First label', capacity: 5, bookingClosesAt: closes };
      const session = { id: 'twice-1-s1', offeringId: 'twice-1', sequence: 1, startsAt: starts, endsAt: new Date(starts.getTime() + 3_600_000), mode: 'online' as const, venue: null, meetingUrl: null };
      await catalogue.importCatalogue({
        courses: [course, { ...course, title: 'Second title' }],
        offerings: [offering, { ...offering, label: 'Second label', capacity: 9 }],
        sessions: [session, { ...session, meetingUrl: 'https://teams.microsoft.com/l/meetup-join/second' }],
      });
      const read = await catalogue.getOffering('twice-1');
      expect(read?.course.title).toBe('Second title');
      expect(read?.offering).toMatchObject({ label: 'Second label', capacity: 9 });
      expect(read?.sessions.map((x) => x.meetingUrl)).toEqual(['https://teams.microsoft.com/l/meetup-join/second']);
    });

    it('writes nothing when any row is bad', async () => {
      const bad = `${GOOD_CSV}\nx,X,Summary,reading,teachers,F,standalone,,x-1,Label,0,,2027-01-12 15:45,2027-01-12 17:15,online,,${TEAMS}`;
      const outcome = await importCatalogueCsv(catalogue, bad, smallTaxonomy);
      expect(outcome.ok).toBe(false);
      expect(outcome.ok ? [] : outcome.problems).toEqual([{ line: 5, field: 'capacity', message: 'must be at least 1' }]);
      expect(await counts()).toEqual({ courses: 0, offerings: 0, sessions: 0 });
    });

    it('a dry run checks but writes nothing', async () => {
      const outcome = await importCatalogueCsv(catalogue, GOOD_CSV, smallTaxonomy, { dryRun: true });
      expect(outcome).toMatchObject({ ok: true, dryRun: true, counts: { courses: 2, offerings: 2, sessions: 3 } });
      expect(await counts()).toEqual({ courses: 0, offerings: 0, sessions: 0 });
    });

    it('re-importing updates by id: changed fields, dropped sessions, and tells listeners', async () => {
      await importCatalogueCsv(catalogue, GOOD_CSV, smallTaxonomy);
      let changes = 0;
      catalogue.onChange(() => (changes += 1));
      const before = await catalogue.version();
      clock.advance(60_000);
      const edited = [
        HEADER,
        `phonics,Leadership and Teaching of Phonics (new),"Leading phonics, well.",reading,leaders,Trust Leader,programme,,phonics-spring,Spring cohort,25,,2027-03-30 15:45,2027-03-30 17:15,online,,${TEAMS}`,
      ].join('\n');
      const outcome = await importCatalogueCsv(catalogue, edited, smallTaxonomy);
      expect(outcome).toMatchObject({ ok: true, counts: { courses: 1, offerings: 1, sessions: 1, sessionsRemoved: 1 } });
      const offering = await catalogue.getOffering('phonics-spring');
      expect(offering?.course.title).toBe('Leadership and Teaching of Phonics (new)');
      expect(offering?.course.audienceIds).toEqual(['leaders']);
      expect(offering?.offering.capacity).toBe(25);
      expect(offering?.sessions.map((s) => [s.id, s.sequence, s.startsAt.toISOString()])).toEqual([['phonics-spring/1', 1, '2027-03-30T14:45:00.000Z']]);
      // Courses not in the new file are left alone.
      expect(await catalogue.getOffering('eyfs-talk-jan')).toBeDefined();
      expect(changes).toBe(1);
      expect(await catalogue.version()).not.toEqual(before);
    });

    it('keeps a cancelled offering cancelled when the catalogue is re-imported', async () => {
      await importCatalogueCsv(catalogue, GOOD_CSV, smallTaxonomy);
      await testDb.db.updateTable('cpd_offering').set({ status: 'cancelled' }).where('id', '=', 'eyfs-talk-jan').execute();
      await importCatalogueCsv(catalogue, GOOD_CSV, smallTaxonomy);
      expect((await catalogue.getOffering('eyfs-talk-jan'))?.offering.status).toBe('cancelled');
    });

    it('lists upcoming offerings soonest first, and counts seats for many offerings in one query', async () => {
      await importCatalogueCsv(catalogue, GOOD_CSV, smallTaxonomy);
      expect((await catalogue.listUpcoming(clock.now(), 10)).map((o) => o.offering.id)).toEqual(['eyfs-talk-jan', 'phonics-spring']);
      expect((await catalogue.listUpcoming(clock.now(), 1)).map((o) => o.offering.id)).toEqual(['eyfs-talk-jan']);
      expect((await catalogue.listUpcoming(new Date('2027-02-01T00:00:00Z'), 10)).map((o) => o.offering.id)).toEqual(['phonics-spring']);

      const now = clock.now();
      const booking = (id: string, offering: string, person: string, status: 'confirmed' | 'waitlisted' | 'cancelled') => ({
        id, offering_id: offering, person_aad_id: person, person_name: person, person_email: null, status,
        created_at: now, updated_at: now, cancelled_at: status === 'cancelled' ? now : null,
      });
      await testDb.db
        .insertInto('cpd_booking')
        .values([
          booking('1', 'phonics-spring', 'p1', 'confirmed'),
          booking('2', 'phonics-spring', 'p2', 'confirmed'),
          booking('3', 'phonics-spring', 'p3', 'waitlisted'),
          booking('4', 'phonics-spring', 'p4', 'cancelled'),
        ])
        .execute();
      const seats = await catalogue.seatCounts([
        { id: 'phonics-spring', capacity: 2 },
        { id: 'eyfs-talk-jan', capacity: 30 },
      ]);
      expect(seats.get('phonics-spring')).toEqual({ offeringId: 'phonics-spring', confirmed: 2, waitlisted: 1, placesLeft: 0 });
      expect(seats.get('eyfs-talk-jan')).toEqual({ offeringId: 'eyfs-talk-jan', confirmed: 0, waitlisted: 0, placesLeft: 30 });
    });

    it('the database refuses a second active booking for the same person and offering, and bad sessions', async () => {
      await importCatalogueCsv(catalogue, GOOD_CSV, smallTaxonomy);
      const now = clock.now();
      const row = { offering_id: 'phonics-spring', person_aad_id: 'p1', person_name: 'P', person_email: null, created_at: now, updated_at: now };
      await testDb.db.insertInto('cpd_booking').values({ ...row, id: 'a', status: 'confirmed', cancelled_at: null }).execute();
      await expect(testDb.db.insertInto('cpd_booking').values({ ...row, id: 'b', status: 'waitlisted', cancelled_at: null }).execute()).rejects.toThrow();
      // A cancelled booking does not block booking again.
      await testDb.db.updateTable('cpd_booking').set({ status: 'cancelled', cancelled_at: now }).where('id', '=', 'a').execute();
      await testDb.db.insertInto('cpd_booking').values({ ...row, id: 'c', status: 'confirmed', cancelled_at: null }).execute();
      const seqs = await testDb.db.selectFrom('cpd_booking').select(['id', 'arrival_seq']).orderBy('arrival_seq').execute();
      expect(seqs.map((s) => s.id)).toEqual(['a', 'c']);

      const session = { offering_id: 'phonics-spring', sequence: 9, created_at: now, updated_at: now };
      await expect(
        testDb.db.insertInto('cpd_session').values({ ...session, id: 's1', starts_at: now, ends_at: now, mode: 'online', venue: null, meeting_url: TEAMS }).execute(),
      ).rejects.toThrow();
      await expect(
        testDb.db.insertInto('cpd_session').values({ ...session, id: 's2', starts_at: now, ends_at: new Date(now.getTime() + 1), mode: 'in_person', venue: null, meeting_url: null }).execute(),
      ).rejects.toThrow();
      await expect(testDb.db.updateTable('cpd_offering').set({ capacity: 0 }).where('id', '=', 'phonics-spring').execute()).rejects.toThrow();
    });

    it('loads the Harmony sample catalogue into an empty database once', async () => {
      const taxonomy = harmonyTaxonomy();
      const first = await loadSampleCatalogue(CatalogueService.forDatabase(testDb.db, clock), clock, taxonomy);
      expect(first.loaded).toBe(true);
      expect(first.counts!.courses).toBeGreaterThanOrEqual(15);
      const titles = (await testDb.db.selectFrom('cpd_course').select('title').execute()).map((c) => c.title);
      expect(titles).toEqual(
        expect.arrayContaining([
          'Subject Leader Development Programme',
          'Developing Reading Comprehension and Writing',
          'Improving Vocabulary and Talk',
          'Maximising the Practice of Teaching Assistants',
          'Induction Programmes for Early Career Teachers',
          'Leadership and Teaching of Phonics',
          'SEND Inquiry Days',
        ]),
      );
      const before = await counts();
      expect(await loadSampleCatalogue(CatalogueService.forDatabase(testDb.db, clock), clock, taxonomy)).toEqual({ loaded: false });
      expect(await counts()).toEqual(before);
      // Laid out around the seeding day: a few offerings already past (history), the rest to come.
      const upcoming = await catalogue.listUpcoming(clock.now(), 100);
      expect(before.offerings - upcoming.length).toBe(3);
      expect(upcoming.some((o) => o.sessions.some((s) => s.mode === 'online' && s.meetingUrl?.startsWith('https://teams.microsoft.com/l/meetup-join/')))).toBe(true);
      expect(upcoming.some((o) => o.sessions.some((s) => s.mode === 'in_person' && s.venue))).toBe(true);
    });
  });
}
