import { describe, expect, it } from 'vitest';
import { matchGoals, nextSuggestionSweep, type GoalForMatch, type OfferingForMatch } from '../../../../src/features/cpd/goals/goals.domain.js';

// Which courses a goal suggests (strand, shared words, newer than the goal, never an excluded one)
// and when the daily suggestion sweep runs (local time, across the clocks going back).

const goal = (id: string, text: string, strandId: string, createdAt = '2026-11-01T09:00:00Z'): GoalForMatch => ({ id, text, strandId, createdAt: new Date(createdAt) });
const offering = (offeringId: string, title: string, strandId: string, firstStartsAt: string, createdAt = '2026-12-01T09:00:00Z'): OfferingForMatch => ({
  offeringId,
  title,
  summary: '',
  strandId,
  firstStartsAt: new Date(firstStartsAt),
  createdAt: new Date(createdAt),
});

describe('matching goals to CPD', () => {
  const goals = [goal('g1', 'Improve reading fluency in Year 5', 'reading'), goal('g2', 'Coach my phase team', 'leadership')];
  const offerings = [
    offering('o-phonics', 'Phonics refresher', 'reading', '2027-01-10T15:45:00Z'),
    offering('o-fluency', 'Reading fluency that lasts', 'reading', '2027-03-10T15:45:00Z'),
    offering('o-coach', 'Coaching conversations', 'leadership', '2027-02-10T15:45:00Z'),
    offering('o-maths', 'Maths mastery', 'maths', '2027-01-05T15:45:00Z'),
  ];

  it('pairs each course in a goal strand with a goal, shared words first, then the soonest', () => {
    expect(matchGoals(goals, offerings, new Set(), 5, { onlyNewerThanGoal: false }).map((m) => [m.offeringId, m.goalId])).toEqual([
      ['o-fluency', 'g1'],
      ['o-phonics', 'g1'],
      ['o-coach', 'g2'],
    ]);
  });

  it('leaves out excluded courses (suggested before, booked), keeps to the limit, and with onlyNewerThanGoal only later courses', () => {
    expect(matchGoals(goals, offerings, new Set(['o-fluency']), 1, { onlyNewerThanGoal: false }).map((m) => m.offeringId)).toEqual(['o-phonics']);
    const newer = [goal('g3', 'Reading fluency', 'reading', '2026-12-15T09:00:00Z')];
    const later = [...offerings, offering('o-new', 'Reading fluency, cohort 2', 'reading', '2027-05-01T15:45:00Z', '2026-12-20T09:00:00Z')];
    expect(matchGoals(newer, later, new Set(), 5, { onlyNewerThanGoal: true }).map((m) => m.offeringId)).toEqual(['o-new']);
    expect(matchGoals([], later, new Set(), 5, { onlyNewerThanGoal: false })).toEqual([]);
    expect(matchGoals(goals, offerings, new Set(), 0, { onlyNewerThanGoal: false })).toEqual([]);
  });
});

describe('the daily suggestion sweep', () => {
  it('runs at the local time today, or tomorrow once it has passed, in winter and summer time', () => {
    expect(nextSuggestionSweep(new Date('2026-11-23T10:00:00Z'), '16:00', 'Europe/London')).toEqual({ runAt: new Date('2026-11-23T16:00:00Z'), day: '2026-11-23' });
    expect(nextSuggestionSweep(new Date('2026-11-23T16:00:00Z'), '16:00', 'Europe/London')).toEqual({ runAt: new Date('2026-11-24T16:00:00Z'), day: '2026-11-24' });
    expect(nextSuggestionSweep(new Date('2027-06-01T14:30:00Z'), '16:00', 'Europe/London')).toEqual({ runAt: new Date('2027-06-01T15:00:00Z'), day: '2027-06-01' });
    // Saturday 30 Oct 2027 after 16:00 BST: the next is Sunday 31 Oct at 16:00 GMT.
    expect(nextSuggestionSweep(new Date('2027-10-30T15:30:00Z'), '16:00', 'Europe/London')).toEqual({ runAt: new Date('2027-10-31T16:00:00Z'), day: '2027-10-31' });
  });
});
