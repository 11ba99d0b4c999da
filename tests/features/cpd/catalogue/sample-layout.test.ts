import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRUST_PROFILE } from '../../../../src/config.js';
import { parseCatalogueCsv } from '../../../../src/features/cpd/catalogue/catalogue-import.domain.js';
import type { CatalogueWrite, OfferingDetails } from '../../../../src/features/cpd/catalogue/catalogue.domain.js';
import { SAMPLE_CATALOGUE_FILE } from '../../../../src/features/cpd/catalogue/catalogue.service.js';
import { layOutSampleCatalogue } from '../../../../src/features/cpd/catalogue/sample-layout.domain.js';
import { formatLocalDateTime, localParts } from '../../../../src/features/cpd/cpd-time.domain.js';
import { CPD_FIND_JOURNEY } from '../../../../src/features/cpd/search/search.bot.js';
import { CpdSearchIndex } from '../../../../src/features/cpd/search/search.domain.js';
import { understandQuestion } from '../../../../src/features/cpd/search/search-query.domain.js';
import { createNormaliser } from '../../../../src/shared/message-normaliser.domain.js';
import { loadTrustProfile } from '../../../../src/trust/load-trust-profile.js';
import { trustVocabulary } from '../../../../src/trust/trust-vocabulary.js';
import { harmonyTaxonomy } from '../cpd-fixtures.js';

const taxonomy = harmonyTaxonomy();
const TZ = taxonomy.timeZone;
const parsed = parseCatalogueCsv(readFileSync(SAMPLE_CATALOGUE_FILE, 'utf8'), taxonomy);
if (!parsed.ok) throw new Error('the sample catalogue does not parse');
const template = parsed.value;
const normalise = createNormaliser(trustVocabulary(loadTrustProfile(DEFAULT_TRUST_PROFILE), []));

/** The examples the README's "Things to try" and the welcome card give. */
const EXAMPLES = ['any phonics training?', 'CPD for TAs next month', "what's on next week", 'subjct leader programme', 'NQT induction', CPD_FIND_JOURNEY.prompt];

function details(write: CatalogueWrite): OfferingDetails[] {
  const courses = new Map(write.courses.map((c) => [c.id, c]));
  return write.offerings.map((offering) => ({
    offering: { ...offering, status: 'scheduled' as const },
    course: { ...courses.get(offering.courseId)!, active: true },
    sessions: write.sessions.filter((s) => s.offeringId === offering.id).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime()),
  }));
}

// One day in every month, plus August, the week before Christmas, a Friday and a Sunday evening.
const DAYS = [
  '2026-09-03T08:00:00Z', '2026-10-14T12:00:00Z', '2026-11-23T10:00:00Z', '2026-12-18T16:00:00Z', '2026-12-21T09:00:00Z',
  '2027-01-06T09:00:00Z', '2027-02-15T09:00:00Z', '2027-03-26T15:00:00Z', '2027-04-30T09:00:00Z', '2027-05-31T09:00:00Z',
  '2027-06-20T20:00:00Z', '2027-07-23T09:00:00Z', '2027-08-01T09:00:00Z', '2027-08-16T09:00:00Z', '2028-02-29T09:00:00Z',
];

describe('the sample catalogue laid out around the day it is seeded', () => {
  it.each(DAYS)('on %s: a few offerings past, every example finds something, nothing a year away', (day) => {
    const now = new Date(day);
    const laid = layOutSampleCatalogue(template, now, TZ);
    const offerings = details(laid);
    expect(offerings).toHaveLength(template.offerings.length);
    expect(laid.sessions).toHaveLength(template.sessions.length);

    const past = offerings.filter((o) => o.sessions[0].startsAt < now);
    expect(past.length).toBeGreaterThanOrEqual(2);
    expect(past.length).toBeLessThanOrEqual(5);
    const last = Math.max(...laid.sessions.map((s) => s.endsAt.getTime()));
    expect(last - now.getTime()).toBeLessThan(300 * 86_400_000);
    expect(last - now.getTime()).toBeGreaterThan(120 * 86_400_000);

    const index = new CpdSearchIndex(offerings, taxonomy);
    for (const example of EXAMPLES) {
      const ranked = index.rank(understandQuestion(normalise(example).corrected, now, taxonomy), { roles: ['staff'] }, now);
      expect(ranked.kind, `${example} on ${day}`).toBe('matches');
    }
  });

  it('keeps each offering\'s weekday, local times and the gaps between its sessions, across the clock change', () => {
    const now = new Date('2027-03-10T09:00:00Z');
    const laid = layOutSampleCatalogue(template, now, TZ);
    for (const offering of template.offerings) {
      const before = template.sessions.filter((s) => s.offeringId === offering.id).sort((a, b) => a.sequence - b.sequence);
      const after = laid.sessions.filter((s) => s.offeringId === offering.id).sort((a, b) => a.sequence - b.sequence);
      const time = (d: Date) => formatLocalDateTime(d, TZ).slice(11);
      expect(after.map((s) => time(s.startsAt))).toEqual(before.map((s) => time(s.startsAt)));
      const dayGaps = (list: typeof before) => list.map((s) => Math.round((s.startsAt.getTime() - list[0].startsAt.getTime()) / 86_400_000));
      // Whole days apart, give or take the hour the clocks change by.
      expect(dayGaps(after)).toEqual(dayGaps(before));
      const booking = laid.offerings.find((o) => o.id === offering.id)!;
      expect(booking.bookingClosesAt.getTime()).toBeLessThan(after[0].startsAt.getTime());
    }
  });

  it('never starts an offering at a weekend, and this week\'s offering starts after today', () => {
    for (const day of DAYS) {
      const now = new Date(day);
      const firsts = details(layOutSampleCatalogue(template, now, TZ)).map((o) => o.sessions[0].startsAt);
      for (const first of firsts) expect([0, 6]).not.toContain(localParts(first, TZ).weekday);
      const today = localParts(now, TZ);
      for (const first of firsts) {
        const p = localParts(first, TZ);
        expect(p.year === today.year && p.month === today.month && p.day === today.day).toBe(false);
      }
    }
  });
});
