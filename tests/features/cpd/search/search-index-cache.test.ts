import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CatalogueService, importCatalogueCsv } from '../../../../src/features/cpd/catalogue/catalogue.service.js';
import type { CpdTaxonomy } from '../../../../src/features/cpd/cpd.taxonomy.js';
import { CpdSearchService } from '../../../../src/features/cpd/search/search.service.js';
import { StatementLog } from '../../../support/statement-log.js';
import type { TestDb } from '../../../support/test-db.js';
import { HEADER, TEAMS, sampleCatalogueDb } from '../cpd-fixtures.js';

const NEW_COURSE = [
  HEADER,
  `oracy-leaders,Leading Oracy Across the School,Oracy for leaders.,read-achieve-succeed,leaders,Trust Leader,standalone,,oracy-leaders-jan,January,20,,2027-01-25 15:45,2027-01-25 17:15,online,,${TEAMS}`,
].join('\n');

describe('the search index cache', () => {
  let testDb: TestDb;
  let taxonomy: CpdTaxonomy;
  let clock: Awaited<ReturnType<typeof sampleCatalogueDb>>['clock'];

  beforeAll(async () => {
    ({ testDb, taxonomy, clock } = await sampleCatalogueDb());
  });
  afterAll(async () => testDb.close());

  it('a warm search turn is one query (seat counts for the page); the version check adds one every few seconds', async () => {
    const counter = new StatementLog();
    const search = new CpdSearchService(CatalogueService.forDatabase(testDb.db.withPlugin(counter), clock), taxonomy, clock, { recheckAfterMs: 5_000 });
    await search.search('phonics training', { roles: ['staff'] }); // builds the index
    counter.clear();
    await search.search('phonics training', { roles: ['staff'] });
    await search.search('SEND', { roles: ['staff'] });
    expect(counter.count).toBe(2);
    clock.advance(6_000);
    counter.clear();
    await search.search('phonics training', { roles: ['staff'] });
    expect(counter.count).toBe(2); // version check (unchanged, so no rebuild) + seat counts
    counter.clear();
    await Promise.all(Array.from({ length: 20 }, () => search.search('SEND', { roles: ['staff'] })));
    expect(counter.count).toBe(20);
  });

  it('picks up an import by another process once the recheck interval has passed', async () => {
    const search = new CpdSearchService(CatalogueService.forDatabase(testDb.db, clock), taxonomy, clock, { recheckAfterMs: 5_000 });
    expect((await search.search('oracy training', { roles: ['staff'] }))!.items.map((i) => i.details.course.id)).not.toContain('oracy-leaders');
    // Another CatalogueService (as the import command in another process would use) changes the catalogue.
    clock.advance(1_000);
    const outcome = await importCatalogueCsv(CatalogueService.forDatabase(testDb.db, clock), NEW_COURSE, taxonomy);
    expect(outcome.ok).toBe(true);
    expect((await search.search('oracy training', { roles: ['staff'] }))!.items.map((i) => i.details.course.id)).not.toContain('oracy-leaders');
    clock.advance(5_000);
    expect((await search.search('oracy training', { roles: ['staff'] }))!.items.map((i) => i.details.course.id)).toContain('oracy-leaders');
  });

  it('rebuilds at once after an import through the same catalogue service', async () => {
    const catalogue = CatalogueService.forDatabase(testDb.db, clock);
    const search = new CpdSearchService(catalogue, taxonomy, clock, { recheckAfterMs: 60 * 60_000 });
    const before = await search.search('governance training', { roles: ['staff'] });
    expect(before!.kind).toBe('nothing_found');
    clock.advance(1_000);
    const csv = NEW_COURSE.replace(/oracy-leaders/g, 'governance').replace('Leading Oracy Across the School', 'Governance for Leaders');
    expect((await importCatalogueCsv(catalogue, csv, taxonomy)).ok).toBe(true);
    const after = await search.search('governance training', { roles: ['staff'] });
    expect(after!.items.map((i) => i.details.course.title)).toEqual(['Governance for Leaders']);
  });
});
