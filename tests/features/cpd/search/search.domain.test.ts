import { describe, expect, it } from 'vitest';
import type { CourseKind, OfferingDetails } from '../../../../src/features/cpd/catalogue/catalogue.domain.js';
import { CpdSearchIndex, SynonymLookup, audienceBoost, type Asker } from '../../../../src/features/cpd/search/search.domain.js';
import { understandQuestion } from '../../../../src/features/cpd/search/search-query.domain.js';
import { conceptToken, fuzzyFrom } from '../../../../src/features/cpd/search/search-words.domain.js';
import { smallTaxonomy } from '../cpd-fixtures.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const staff: Asker = { roles: ['staff'] };

function offering(
  id: string,
  title: string,
  start: string,
  extra: { summary?: string; strandId?: string; audienceIds?: string[]; kind?: CourseKind; status?: 'scheduled' | 'cancelled'; active?: boolean } = {},
): OfferingDetails {
  const startsAt = new Date(start);
  return {
    course: {
      id: `${id}-course`, title, summary: extra.summary ?? 'A session.', strandId: extra.strandId ?? 'reading',
      audienceIds: extra.audienceIds ?? ['teachers'], facilitator: 'Trust Leader', kind: extra.kind ?? 'standalone',
      categoryId: null, active: extra.active ?? true,
    },
    offering: { id, courseId: `${id}-course`, label: 'Cohort', capacity: 10, bookingClosesAt: new Date(startsAt.getTime() - 86_400_000), status: extra.status ?? 'scheduled' },
    sessions: [{ id: `${id}/1`, offeringId: id, sequence: 1, startsAt, endsAt: new Date(startsAt.getTime() + 5_400_000), mode: 'online', venue: null, meetingUrl: 'https://teams.microsoft.com/l/meetup-join/x' }],
  };
}

const catalogue: OfferingDetails[] = [
  offering('phonics', 'Leadership and Teaching of Phonics', '2027-01-19T09:00:00Z', { audienceIds: ['leaders', 'teachers'] }),
  offering('tas', 'Maximising the Practice of Teaching Assistants', '2026-12-02T15:45:00Z', { audienceIds: ['teaching-assistants'] }),
  offering('ect', 'Induction Programmes for Early Career Teachers', '2027-01-07T15:45:00Z', { summary: 'For teachers in their first two years.' }),
  offering('eyfs', 'Enabling Environments in Nursery', '2026-12-09T15:45:00Z', { strandId: 'eyfs' }),
  offering('send-leaders', 'SEND provision review', '2026-12-10T09:00:00Z', { strandId: 'send', audienceIds: ['leaders'] }),
  offering('send-teachers', 'SEND provision in the classroom', '2026-12-10T09:00:00Z', { strandId: 'send', audienceIds: ['teachers'] }),
  offering('started', 'Phonics refresher', '2026-11-20T09:00:00Z'),
  offering('cancelled', 'Phonics for parents', '2027-02-01T09:00:00Z', { status: 'cancelled' }),
  offering('retired', 'Old phonics course', '2027-02-01T09:00:00Z', { active: false }),
];

const index = new CpdSearchIndex(catalogue, smallTaxonomy);
const rank = (text: string, asker: Asker = staff) => {
  const r = index.rank(understandQuestion(text, NOW, smallTaxonomy), asker, NOW);
  return r.kind === 'matches' ? r.offerings.map((o) => o.offering.id) : r.kind;
};

describe('ranking CPD offerings', () => {
  it('shows only scheduled offerings of active courses that have not started', () => {
    expect(rank('phonics')).toEqual(['phonics']);
  });

  it('expands synonym groups from the profile: TAs, NQT, early years', () => {
    expect(rank('TAs')).toEqual(['tas']);
    expect(rank('teaching assistant courses')).toEqual(['tas']);
    expect(rank('NQT induction')).toEqual(['ect']);
    expect(rank('early years courses')).toEqual(['eyfs']);
  });

  it('matches a synonym phrase as a phrase, not as scattered words', () => {
    // "early" (Early Career) and "years" (summary) are both in the ECT course, but it is not about the early years.
    expect(rank('early years training')).toEqual(['eyfs']);
  });

  it('forgives a typo when the question is about CPD, and in a bare topic of six letters or more, not in short words', () => {
    expect(rank('phonix training')).toEqual(['phonics']);
    expect(rank('phonix')).toEqual(['phonics']);
    expect(rank('sendd')).toBe('not_cpd');
  });

  it('never reads a number as a typo: a pasted number is not fuzzily matched, and does not hide the words beside it', () => {
    const fuzzy = fuzzyFrom(5);
    expect([fuzzy('phonix'), fuzzy('abcd'), fuzzy('12345'), fuzzy('year2026'), fuzzy(conceptToken(2))]).toEqual([0.2, false, false, false, false]);
    expect(rank('phonix training 1733092312312')).toEqual(['phonics']);
    expect(rank('1733092312312')).toBe('not_cpd');
  });

  it('ranks by relevance, and favours courses for the asker\'s role', () => {
    const forTeacher = rank('SEND', { roles: ['staff'], audienceIds: ['teachers'] });
    const forLeader = rank('SEND', { roles: ['staff', 'academy_leader'] });
    expect(forTeacher).toEqual(['send-teachers', 'send-leaders']);
    expect(forLeader).toEqual(['send-leaders', 'send-teachers']);
  });

  it('can favour a strand for a role when the taxonomy says so (SENCO → SEND)', () => {
    const boost = audienceBoost({ ...smallTaxonomy, strandsForRoles: { senco: ['send'] } }, { roles: ['staff', 'senco'] });
    expect(boost({ audienceIds: ['teaching-assistants'], strandId: 'send' })).toBe(1.5);
    expect(boost({ audienceIds: ['teaching-assistants'], strandId: 'reading' })).toBe(1.15);
    expect(audienceBoost(smallTaxonomy, { roles: ['admin'] })({ audienceIds: ['teachers'], strandId: 'reading' })).toBe(1);
  });

  it('lists everything in a date window when there is no topic', () => {
    expect(rank("what's on next month")).toEqual(['tas', 'eyfs', 'send-teachers', 'send-leaders']);
  });

  it('says no_match for a CPD question nothing fits, and not_cpd for chat that is not about CPD', () => {
    expect(rank('any quantum physics courses')).toBe('no_match');
    expect(rank('phonics next month')).toBe('no_match');
    expect(rank('asdfgh')).toBe('not_cpd');
    expect(rank('send me the minutes')).toBe('not_cpd');
    expect(rank('please')).toBe('not_cpd');
  });

  it('lists what is on next, soonest first, for the "nothing found" card', () => {
    expect(index.upcoming(NOW).map((o) => o.offering.id).slice(0, 3)).toEqual(['tas', 'eyfs', 'send-leaders']);
  });
});

describe('synonym lookup', () => {
  const lookup = new SynonymLookup(smallTaxonomy.synonyms);

  it('finds the longest phrase by stems, so plural and singular both match', () => {
    expect(lookup.clauses(['teaching', 'assistants', 'phonics'])).toEqual([{ group: 1 }, { word: 'phonics' }]);
    expect(lookup.clauses(['early', 'career', 'teacher'])).toEqual([{ group: 2 }]);
    expect(lookup.groupsIn(['support', 'for', 'sen', 'pupils', 'and', 'tas'])).toEqual([0, 1]);
  });
});
