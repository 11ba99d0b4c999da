import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogueService } from '../../../../src/features/cpd/catalogue/catalogue.service.js';
import type { CpdTaxonomy } from '../../../../src/features/cpd/cpd.taxonomy.js';
import type { Asker } from '../../../../src/features/cpd/search/search.domain.js';
import { describeQuestion } from '../../../../src/features/cpd/search/search-query.domain.js';
import { CpdSearchService } from '../../../../src/features/cpd/search/search.service.js';
import type { TestDb } from '../../../support/test-db.js';
import { sampleCatalogueDb } from '../cpd-fixtures.js';

const teacher: Asker = { roles: ['staff'] };

describe('CPD search over the Harmony sample catalogue', () => {
  let testDb: TestDb;
  let taxonomy: CpdTaxonomy;
  let search: CpdSearchService;
  let clock: Awaited<ReturnType<typeof sampleCatalogueDb>>['clock'];

  beforeAll(async () => {
    ({ testDb, taxonomy, clock } = await sampleCatalogueDb());
    search = new CpdSearchService(CatalogueService.forDatabase(testDb.db, clock), taxonomy, clock);
  });
  afterAll(async () => testDb.close());

  const titles = async (text: string, asker = teacher): Promise<string[]> => {
    const page = await search.search(text, asker);
    expect(page, `"${text}" should be answered`).not.toBeNull();
    expect(page!.kind).toBe('results');
    return page!.items.map((i) => i.details.course.title);
  };

  it('"any phonics training?" finds the phonics programme', async () => {
    const found = await titles('any phonics training?');
    expect(found[0]).toBe('Leadership and Teaching of Phonics');
  });

  it('"CPD for TAs next month" finds the teaching assistants programme starting in December', async () => {
    const page = await search.search('CPD for TAs next month', teacher);
    expect(page!.question.window?.label).toBe('next month (December 2026)');
    const found = page!.items.map((i) => i.details.course.title);
    expect(found[0]).toBe('Maximising the Practice of Teaching Assistants');
    // Everything shown has a session in December 2026 and is for teaching assistants.
    for (const item of page!.items) {
      expect(item.details.course.audienceIds).toContain('teaching-assistants');
      expect(item.details.sessions.some((s) => s.startsAt >= new Date('2026-12-01T00:00:00Z') && s.startsAt < new Date('2027-01-01T00:00:00Z'))).toBe(true);
    }
    expect(found).not.toContain('Leadership and Teaching of Phonics');
  });

  it('"what\'s on this week" lists the sessions of 23–29 November 2026: the asker\'s audiences first, then soonest', async () => {
    // For staff, the leaders-only DSL update comes after sessions open to staff audiences.
    expect(await titles("what's on this week")).toEqual([
      'Attendance: Tackling Persistent Absence',
      'SEND Inquiry Days',
      'Designated Safeguarding Lead (DSL) Update',
    ]);
    // For an academy leader all three are for leaders, so they come soonest first.
    expect(await titles("what's on this week", { roles: ['staff', 'academy_leader'] })).toEqual([
      'Designated Safeguarding Lead (DSL) Update',
      'Attendance: Tackling Persistent Absence',
      'SEND Inquiry Days',
    ]);
  });

  it('"early years courses" finds the EYFS sessions through the synonym group', async () => {
    const found = await titles('early years courses');
    expect(found.length).toBeGreaterThanOrEqual(3);
    expect(found.slice(0, 3).every((t) => t.startsWith('EYFS:'))).toBe(true);
  });

  it('"SEND" finds the SEND inquiry days and SEND courses', async () => {
    const found = await titles('SEND');
    expect(new Set(found.slice(0, 4))).toEqual(new Set(['SEND Inquiry Days', 'Adaptive Teaching for Pupils with SEND']));
  });

  it('"subjct leader programme" (typo) finds the Subject Leader Development Programme', async () => {
    const found = await titles('subjct leader programme');
    expect(found.slice(0, 2)).toEqual(['Subject Leader Development Programme', 'Subject Leader Development Programme']);
  });

  it('"NQT induction" (the old name) finds the ECT induction programmes', async () => {
    const found = await titles('NQT induction');
    expect(found[0]).toBe('Induction Programmes for Early Career Teachers');
  });

  it('a CPD question with no match gets "nothing found" and what is on next', async () => {
    const page = await search.search('any quantum physics courses?', teacher);
    expect(page!.kind).toBe('nothing_found');
    expect(page!.items.map((i) => i.details.course.title)[0]).toBe('Designated Safeguarding Lead (DSL) Update');
    expect(page!.items).toHaveLength(5);
  });

  it('"nothing found" for a topic outside its date window shows the nearest courses by topic first, then what is on next', async () => {
    const page = await search.search('phonics in August', teacher);
    expect(page!.kind).toBe('nothing_found');
    expect(page!.nearest.map((i) => i.details.course.id)[0]).toBe('phonics-leadership-teaching');
    const shown = [...page!.nearest, ...page!.items].map((i) => i.details.offering.id);
    expect(new Set(shown).size).toBe(shown.length);
  });

  it('gibberish with no CPD words is not answered, so the welcome card can be', async () => {
    expect(await search.search('asdfgh', teacher)).toBeNull();
    expect(await search.search('thanks', teacher)).toBeNull();
  });

  it('shows places left from the bookings table, counted for the page in one go', async () => {
    await testDb.db
      .insertInto('cpd_booking')
      .values([
        { id: 'b1', offering_id: 'dsl-update-autumn', person_aad_id: 'p1', person_name: 'A', person_email: null, status: 'confirmed', created_at: clock.now(), updated_at: clock.now(), cancelled_at: null },
        { id: 'b2', offering_id: 'dsl-update-autumn', person_aad_id: 'p2', person_name: 'B', person_email: null, status: 'cancelled', created_at: clock.now(), updated_at: clock.now(), cancelled_at: clock.now() },
      ])
      .execute();
    const page = await search.search('safeguarding update', teacher);
    const dsl = page!.items.find((i) => i.details.offering.id === 'dsl-update-autumn')!;
    expect(dsl.seats).toEqual({ offeringId: 'dsl-update-autumn', confirmed: 1, waitlisted: 0, placesLeft: 59 });
  });

  it('a term name filters to that term', async () => {
    const page = await search.search('phonics in the spring term', teacher);
    expect(page!.question.window?.label).toBe('Spring term');
    expect(page!.items.map((i) => i.details.course.title)[0]).toBe('Leadership and Teaching of Phonics');
    const summer = await search.search('ECT induction summer term', teacher);
    expect(summer!.kind).toBe('nothing_found');
  });

  it('pages through many results five at a time', async () => {
    const first = await search.search('what CPD is on in the spring term', teacher);
    expect(first!.items).toHaveLength(5);
    expect(first!.total).toBeGreaterThan(5);
    const second = await search.search('what CPD is on in the spring term', teacher, 1);
    expect(second!.page).toBe(1);
    const ids = new Set([...first!.items, ...second!.items].map((i) => i.details.offering.id));
    expect(ids.size).toBe(first!.items.length + second!.items.length);
    const beyond = await search.search('what CPD is on in the spring term', teacher, 99);
    expect(beyond!.page).toBe(beyond!.pageCount - 1);
  });

  it('favours courses for the asker\'s role when ranking matches', async () => {
    // Both SEND courses match; the inquiry days (for leaders and teachers) lead for ordinary staff,
    // but someone the directory knows as a teaching assistant sees the course for TAs first.
    expect((await titles('SEND'))[0]).toBe('SEND Inquiry Days');
    expect((await titles('SEND', { roles: ['staff'], audienceIds: ['teaching-assistants'] }))[0]).toBe(
      'Adaptive Teaching for Pupils with SEND',
    );
  });

  it('shows the header as typed: words and the date window', async () => {
    const page = await search.search('CPD for TAs next month', teacher);
    expect(describeQuestion(page!.question)).toBe('TAs · next month (December 2026)');
  });
});
