/** Measures precision@3 of the CPD search ranking on the sample catalogue, with no server or database. */
import { readFileSync } from 'node:fs';
import { parseCatalogueCsv } from '../src/features/cpd/catalogue/catalogue-import.domain.js';
import { SAMPLE_CATALOGUE_FILE } from '../src/features/cpd/catalogue/catalogue.service.js';
import { layOutSampleCatalogue } from '../src/features/cpd/catalogue/sample-layout.domain.js';
import { cpdTaxonomyFromProfile } from '../src/features/cpd/cpd.taxonomy.js';
import { CpdSearchIndex } from '../src/features/cpd/search/search.domain.js';
import { understandQuestion } from '../src/features/cpd/search/search-query.domain.js';
import { loadTrustProfile } from '../src/trust/load-trust-profile.js';
import { createNormaliser } from '../src/shared/message-normaliser.domain.js';
import { trustVocabulary } from '../src/trust/trust-vocabulary.js';
import type { OfferingDetails } from '../src/features/cpd/catalogue/catalogue.domain.js';
import { precisionAt3, type PrecisionReport } from './precision.js';
import { SEARCH_PHRASINGS } from './search-phrasings.js';

export function measureSearchQuality(now = new Date('2026-11-20T12:00:00Z')): PrecisionReport {
  const profile = loadTrustProfile(new URL('../src/trust/profiles/harmony.json', import.meta.url).pathname);
  const taxonomy = cpdTaxonomyFromProfile(profile);
  const parsed = parseCatalogueCsv(readFileSync(SAMPLE_CATALOGUE_FILE, 'utf8'), taxonomy);
  if (!parsed.ok) throw new Error('the sample catalogue does not parse');
  const write = layOutSampleCatalogue(parsed.value, now, taxonomy.timeZone);
  const courses = new Map(write.courses.map((c) => [c.id, c]));
  const catalogue: OfferingDetails[] = write.offerings.map((offering) => ({
    offering: { ...offering, status: 'scheduled' },
    course: { ...courses.get(offering.courseId)!, active: true },
    sessions: write.sessions.filter((s) => s.offeringId === offering.id).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()),
  }));
  const index = new CpdSearchIndex(catalogue, taxonomy);
  // The same normalisation the message router gives every message (typos corrected towards the trust's words).
  const normalise = createNormaliser(trustVocabulary(profile, []));
  return precisionAt3(SEARCH_PHRASINGS, (p) => {
    const ranked = index.rank(understandQuestion(normalise(p.text).corrected, now, taxonomy), { roles: p.roles ?? ['staff'] }, now);
    return ranked.kind === 'matches' ? ranked.offerings.map((o) => o.course.id) : [];
  });
}
