import type { Db } from '../../db/database.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { cpdUptakeRows } from '../cpd/booking/booking-uptake.js';
import { can, type Person } from '../people/people.domain.js';
import type { PeopleService } from '../people/people.service.js';

export interface UptakeMonth {
  month: string;
  booked: number;
  held: number;
}

/** Months shown: the nine before this one, this one and the next two (a school year's view, with what is booked ahead). */
const MONTHS_BEFORE = 9;
const MONTHS_AFTER = 2;
/** Whose academy a booker belongs to is asked of the people service; kept this long so a chart does not ask Graph per person each time. */
const ACADEMY_MEMO_MS = 10 * 60_000;

/**
 * An academy's CPD uptake per month, from the booking data: booked places and places on sessions
 * already held. Bookings do not store the booker's academy, so each booker's academy comes from the
 * people service (the directory), the same source the bot uses. Only counts leave this module.
 */
export class CpdUptake {
  private readonly academyOf = new Map<string, { academyId: string | null; at: number }>();

  constructor(
    private readonly deps: { db: Db; people: PeopleService; clock: Clock; logger: Logger; timeZone: string },
  ) {}

  async forAcademy(viewer: Person, academyId: string): Promise<Result<UptakeMonth[], 'not_allowed'>> {
    if (!can(viewer, 'commissions.view', { academyId })) return fail('not_allowed', 'You can see the CPD uptake of the academies you lead.');
    const now = this.deps.clock.now();
    const months = monthRange(now, this.deps.timeZone);
    const from = new Date(Date.UTC(Number(months[0].slice(0, 4)), Number(months[0].slice(5)) - 1, 1) - 14 * 3600_000);
    const last = months[months.length - 1];
    const to = new Date(Date.UTC(Number(last.slice(0, 4)), Number(last.slice(5)), 1) + 14 * 3600_000);
    const rows = await cpdUptakeRows(this.deps.db, this.deps.timeZone, from, to, now);
    const totals = new Map(months.map((m) => [m, { month: m, booked: 0, held: 0 }]));
    for (const row of rows) {
      const total = totals.get(row.month);
      if (!total || (await this.academyFor(row.personAadId, now.getTime())) !== academyId) continue;
      total.booked += row.booked;
      total.held += row.held;
    }
    return ok([...totals.values()]);
  }

  private async academyFor(aadObjectId: string, nowMs: number): Promise<string | null> {
    const memo = this.academyOf.get(aadObjectId);
    if (memo && nowMs - memo.at < ACADEMY_MEMO_MS) return memo.academyId;
    const person = await this.deps.people.get(aadObjectId);
    // Someone the directory no longer knows (left the trust) counts for no academy.
    const academyId = person.ok ? person.value.academyId : null;
    if (!person.ok && person.code === 'directory_unavailable') return memo?.academyId ?? null;
    this.academyOf.set(aadObjectId, { academyId, at: nowMs });
    return academyId;
  }
}

/** YYYY-MM for each month shown, in the trust's time zone. */
export function monthRange(now: Date, timeZone: string): string[] {
  const [year, month] = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).format(now).split('-').map(Number);
  const months: string[] = [];
  for (let offset = -MONTHS_BEFORE; offset <= MONTHS_AFTER; offset++) {
    const d = new Date(Date.UTC(year, month - 1 + offset, 1));
    months.push(`${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`);
  }
  return months;
}
