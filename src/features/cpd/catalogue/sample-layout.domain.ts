import { localInstant, localParts } from '../cpd-time.domain.js';
import type { CatalogueWrite } from './catalogue.domain.js';

/**
 * Lays the sample catalogue out around the day it is seeded, so a demo finds courses whatever the
 * date: a few offerings in the weeks just gone (history for the CPD record), one starting each
 * week for the next few weeks (so "this week", "next week" and "next month" always find something),
 * then the rest spread over the following months (the rest of the academic year and the next term).
 * Each offering keeps its weekday, local times and the gaps between its sessions; the CSV only
 * decides the order and shape. Pure: `now` and the time zone are passed in.
 */
export const SAMPLE_LAYOUT = {
  /** Offerings already over when the data is seeded, one a week before this week. */
  pastOfferings: 3,
  /** Offerings starting one a week from this week on. */
  weeklyOfferings: 12,
  /** The rest start spread over this many weeks after those. */
  laterWeeks: 24,
} as const;

const DAY_MS = 86_400_000;

export function layOutSampleCatalogue(catalogue: CatalogueWrite, now: Date, timeZone: string): CatalogueWrite {
  const sessionsOf = new Map<string, CatalogueWrite['sessions']>();
  for (const s of catalogue.sessions) sessionsOf.set(s.offeringId, [...(sessionsOf.get(s.offeringId) ?? []), s]);
  const firstOf = (id: string): Date => new Date(Math.min(...(sessionsOf.get(id) ?? []).map((s) => s.startsAt.getTime())));
  const ordered = catalogue.offerings.filter((o) => sessionsOf.has(o.id)).sort((a, b) => firstOf(a.id).getTime() - firstOf(b.id).getTime() || a.id.localeCompare(b.id));

  const today = localParts(now, timeZone);
  const mondayDay = today.day - ((today.weekday + 6) % 7);
  const shiftDays = new Map<string, number>();
  ordered.forEach((offering, i) => {
    const first = localParts(firstOf(offering.id), timeZone);
    const week = weekFor(i, ordered.length);
    // The offering's own weekday in the target week; this week's one starts tomorrow at the earliest.
    let target = mondayDay + 7 * week + ((first.weekday + 6) % 7);
    if (week === 0) {
      const tomorrow = today.day + 1;
      if (target < tomorrow) target = tomorrow;
      // Not at a weekend: from Friday on, this week's offering moves to next week.
      const weekday = localParts(localInstant(today.year, today.month, target, 12, 0, timeZone), timeZone).weekday;
      if (weekday === 0 || weekday === 6) target = mondayDay + 7 + ((first.weekday + 6) % 7);
    }
    const targetDate = localInstant(today.year, today.month, target, first.hour, first.minute, timeZone);
    const from = localInstant(first.year, first.month, first.day, first.hour, first.minute, timeZone);
    shiftDays.set(offering.id, Math.round((targetDate.getTime() - from.getTime()) / DAY_MS));
  });

  const move = (d: Date, days: number): Date => {
    const p = localParts(d, timeZone);
    return localInstant(p.year, p.month, p.day + days, p.hour, p.minute, timeZone);
  };
  return {
    courses: catalogue.courses,
    offerings: catalogue.offerings
      .filter((o) => shiftDays.has(o.id))
      .map((o) => ({ ...o, bookingClosesAt: move(o.bookingClosesAt, shiftDays.get(o.id)!) })),
    sessions: catalogue.sessions
      .filter((s) => shiftDays.has(s.offeringId))
      .map((s) => ({ ...s, startsAt: move(s.startsAt, shiftDays.get(s.offeringId)!), endsAt: move(s.endsAt, shiftDays.get(s.offeringId)!) })),
  };
}

/** Week (0 = this week, negative = past) the i-th offering of n starts in. */
function weekFor(i: number, n: number): number {
  const { pastOfferings, weeklyOfferings, laterWeeks } = SAMPLE_LAYOUT;
  if (i < pastOfferings) return i - pastOfferings;
  const j = i - pastOfferings;
  if (j < weeklyOfferings) return j;
  const rest = n - pastOfferings - weeklyOfferings;
  return weeklyOfferings + Math.floor(((j - weeklyOfferings) * laterWeeks) / Math.max(1, rest));
}
