import { DEFAULT_TRUST_PROFILE } from '../../../src/config.js';
import { readFileSync } from 'node:fs';
import { CatalogueService, importCatalogueCsv, SAMPLE_CATALOGUE_FILE } from '../../../src/features/cpd/catalogue/catalogue.service.js';
import { cpdTaxonomyFromProfile, type CpdTaxonomy } from '../../../src/features/cpd/cpd.taxonomy.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { loadTrustProfile } from '../../../src/trust/load-trust-profile.js';
import { openPgliteTestDb, type TestDb } from '../../support/test-db.js';

/** "Today" for the CPD tests: Monday 23 November 2026, mid-morning in London. */
export const TODAY = '2026-11-23T10:00:00Z';

/** The CPD view of the Harmony profile the app ships. */
export function harmonyTaxonomy(): CpdTaxonomy {
  return cpdTaxonomyFromProfile(loadTrustProfile(DEFAULT_TRUST_PROFILE));
}

/**
 * A migrated database holding the Harmony sample catalogue with the dates its CSV is written with
 * (the 2026–27 year, all after TODAY), so tests can name dates; the app itself lays the sample out
 * around the seeding day (sample-layout.test.ts covers that).
 */
export async function sampleCatalogueDb(): Promise<{ testDb: TestDb; clock: ReturnType<typeof fixedClock>; taxonomy: CpdTaxonomy }> {
  const testDb = await openPgliteTestDb();
  const clock = fixedClock(TODAY);
  const taxonomy = harmonyTaxonomy();
  const outcome = await importCatalogueCsv(CatalogueService.forDatabase(testDb.db, clock), readFileSync(SAMPLE_CATALOGUE_FILE, 'utf8'), taxonomy);
  if (!outcome.ok) throw new Error('the sample catalogue does not import');
  return { testDb, clock, taxonomy };
}

/** A small hand-written taxonomy for pure tests, independent of the shipped profile. */
export const smallTaxonomy: CpdTaxonomy = {
  timeZone: 'Europe/London',
  strands: [
    { id: 'reading', name: 'Read Achieve Succeed' },
    { id: 'eyfs', name: 'Excellence in the EYFS' },
    { id: 'send', name: 'Inclusion and SEND' },
    { id: 'leadership', name: 'Leadership at all levels' },
  ],
  categories: [{ id: 'professional-practice', name: 'Professional Practice' }],
  audiences: [
    { id: 'leaders', label: 'Leaders', roles: ['academy_leader', 'senco'] },
    { id: 'teachers', label: 'Teachers', roles: ['staff', 'senco'] },
    { id: 'teaching-assistants', label: 'Teaching assistants', roles: ['staff'] },
  ],
  synonyms: [
    ['SEND', 'SEN', 'special educational needs'],
    ['TA', 'TAs', 'teaching assistant', 'teaching assistants'],
    ['ECT', 'NQT', 'early career teacher', 'early career teachers'],
    ['EYFS', 'early years'],
    ['CPD', 'training', 'course', 'professional development'],
  ],
  terms: [
    { id: 'autumn', name: 'Autumn term', aliases: ['autumn'], kind: 'term', starts: '2026-09-01', ends: '2026-12-18' },
    { id: 'autumn-2', name: 'Autumn 2', aliases: [], kind: 'half_term', starts: '2026-11-02', ends: '2026-12-18' },
    { id: 'spring', name: 'Spring term', aliases: ['spring'], kind: 'term', starts: '2027-01-04', ends: '2027-03-25' },
    { id: 'summer', name: 'Summer term', aliases: ['summer'], kind: 'term', starts: '2027-04-12', ends: '2027-07-21' },
  ],
  bookingClosesHoursBefore: 24,
};

/** A small valid catalogue CSV (for smallTaxonomy): a two-session programme across the clock change and a standalone session. */
export const HEADER =
  'course_id,course_title,summary,strand,audiences,facilitator,kind,category,offering_id,offering_label,capacity,booking_closes,session_start,session_end,mode,venue,meeting_url';
export const TEAMS = 'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0';

export const GOOD_CSV = [
  HEADER,
  `phonics,Leadership and Teaching of Phonics,"Leading phonics, well.",reading,leaders;teachers,Trust Leader,programme,,phonics-spring,Spring cohort,20,,2027-03-23 15:45,2027-03-23 17:15,in_person,"Hall, Brookside",`,
  `phonics,Leadership and Teaching of Phonics,"Leading phonics, well.",reading,teachers;leaders,Trust Leader,programme,,phonics-spring,Spring cohort,20,,2027-03-30 15:45,2027-03-30 17:15,online,,${TEAMS}`,
  `eyfs-talk,EYFS: Talk,Talk in Reception.,eyfs,teaching-assistants,EYFS Leader,standalone,professional-practice,eyfs-talk-jan,January twilight,30,2027-01-10 12:00,2027-01-12 15:45,2027-01-12 17:15,Online,,${TEAMS}`,
].join('\n');
