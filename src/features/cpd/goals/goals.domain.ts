import { localInstant, localParts } from '../cpd-time.domain.js';

/** A person's open development goal, tagged with a CPD strand. */
export interface GoalForMatch {
  id: string;
  text: string;
  strandId: string;
  createdAt: Date;
}

/** A bookable offering the person could be told about. */
export interface OfferingForMatch {
  offeringId: string;
  title: string;
  summary: string;
  strandId: string;
  firstStartsAt: Date;
  /** When it entered the catalogue: "new" CPD for a goal is CPD added after the goal. */
  createdAt: Date;
}

export interface GoalMatch {
  offeringId: string;
  goalId: string;
  /** Words the goal and the course share (ranking only). */
  overlap: number;
  firstStartsAt: Date;
}

// Words too common in goals and course titles to say anything about a match.
const STOP_WORDS = new Set(
  'a an and as at be by for from get i in into is it my of on or our the to with develop developing improve improving better more my own use using learn learning teaching teach practice skills confidence'.split(' '),
);

export function goalWords(value: string): Set<string> {
  return new Set(
    value
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^\p{L}\p{N}\s]/gu, ' ')
      .split(/\s+/)
      .filter((w) => w.length > 2 && !STOP_WORDS.has(w)),
  );
}

/**
 * Which offerings to suggest, best first: each offering in a goal's strand that was not suggested
 * before and is not already booked (with `onlyNewerThanGoal`, only those added after the goal), paired with the goal it shares most words with (then the
 * oldest goal). Ranked by shared words, then the soonest first session. At most `limit`.
 */
export function matchGoals(
  goals: readonly GoalForMatch[],
  offerings: readonly OfferingForMatch[],
  exclude: ReadonlySet<string>,
  limit: number,
  options: { onlyNewerThanGoal: boolean },
): GoalMatch[] {
  const goalWordSets = goals.map((g) => ({ goal: g, words: goalWords(g.text) }));
  const matches: GoalMatch[] = [];
  for (const offering of offerings) {
    if (exclude.has(offering.offeringId)) continue;
    const courseWords = goalWords(`${offering.title} ${offering.summary}`);
    let best: GoalMatch | undefined;
    for (const { goal, words } of goalWordSets) {
      if (goal.strandId !== offering.strandId) continue;
      if (options.onlyNewerThanGoal && offering.createdAt.getTime() <= goal.createdAt.getTime()) continue;
      const overlap = [...words].filter((w) => courseWords.has(w)).length;
      if (!best || overlap > best.overlap) best = { offeringId: offering.offeringId, goalId: goal.id, overlap, firstStartsAt: offering.firstStartsAt };
    }
    if (best) matches.push(best);
  }
  return matches
    .sort((a, b) => b.overlap - a.overlap || a.firstStartsAt.getTime() - b.firstStartsAt.getTime() || a.offeringId.localeCompare(b.offeringId))
    .slice(0, Math.max(0, limit));
}

/**
 * The next daily suggestion time strictly after `after`: local `at` (HH:MM) today, or tomorrow when
 * today's has passed. Its local date names the day's sweep, so every instance enqueues one.
 */
export function nextSuggestionSweep(after: Date, at: string, timeZone: string): { runAt: Date; day: string } {
  const [hour, minute] = at.split(':').map(Number) as [number, number];
  const today = localParts(after, timeZone);
  let runAt = localInstant(today.year, today.month, today.day, hour, minute, timeZone);
  if (runAt.getTime() <= after.getTime()) runAt = localInstant(today.year, today.month, today.day + 1, hour, minute, timeZone);
  const d = localParts(runAt, timeZone);
  return { runAt, day: `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}` };
}
