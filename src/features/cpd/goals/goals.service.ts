import { sql } from 'kysely';
import { enqueueJob } from '../../../jobs/outbox.js';
import type { TrustProfile } from '../../../trust/trust-profile.schema.js';
import type { Delivery } from '../follow-up/delivery.js';
import type { FollowUpDeps } from '../follow-up/follow-up.context.js';
import { goalSuggestionCard } from './goals.cards.js';
import { matchGoals, nextSuggestionSweep, type GoalForMatch, type OfferingForMatch } from './goals.domain.js';

export type GoalSettings = TrustProfile['cpd']['followUp']['goals'];

export const GOAL_SWEEP_JOB = 'cpd.goals.sweep';
export const GOAL_SUGGEST_JOB = 'cpd.goals.suggest';

export interface SuggestedCourse {
  offeringId: string;
  title: string;
  firstStartsAt: Date;
  goalText: string;
}

/**
 * New CPD that matches a person's development goal, suggested once. The "once" is a row per person
 * and offering (cpd_goal_suggestion's primary key), written before anything is shown, so neither a
 * second instance nor a retried job nor tomorrow's sweep names that course to that person again.
 * Each row keeps the key of the message carrying it, so a send retried after a throttle finds its
 * courses again. At most one suggestion message a person a day (the daily sweep), sent as `bulk`.
 */
export class GoalsService {
  constructor(private readonly deps: FollowUpDeps & { goals: GoalSettings; delivery: Delivery }) {}

  /** Enqueues the next daily sweep (start-up and after each sweep); one per local day across instances. */
  async scheduleSweep(after: Date): Promise<void> {
    const { runAt, day } = nextSuggestionSweep(after, this.deps.goals.suggestAt, this.deps.taxonomy.timeZone);
    await enqueueJob(this.deps.db, { kind: GOAL_SWEEP_JOB, payload: { day }, idempotencyKey: `${GOAL_SWEEP_JOB}:${day}`, runAt, maxAttempts: 3 }, this.deps.clock, this.deps.ids);
  }

  /** The daily sweep: one suggestion job per person with an open goal (the job decides whether there is anything new). */
  async sweep(day: string): Promise<number> {
    await this.scheduleSweep(this.deps.clock.now());
    const people = await this.deps.db.selectFrom('cpd_goal').select('person_aad_id').distinct().where('closed_at', 'is', null).execute();
    for (const { person_aad_id: personAadId } of people) {
      const key = `${GOAL_SUGGEST_JOB}:${personAadId}:${day}`;
      await enqueueJob(this.deps.db, { kind: GOAL_SUGGEST_JOB, payload: { personAadId, key }, idempotencyKey: key }, this.deps.clock, this.deps.ids);
    }
    if (people.length > 0) this.deps.kickJobs();
    return people.length;
  }

  /** One person's suggestion message for the day: courses added since their goals, not named before. */
  async sendDaily(personAadId: string, key: string): Promise<void> {
    if (await this.deps.delivery.done(key)) return;
    const courses = await this.claim(personAadId, key, { onlyNewerThanGoal: true });
    if (courses.length === 0) return;
    await this.deps.delivery.toPerson(key, GOAL_SUGGEST_JOB, personAadId, { kind: 'card', card: goalSuggestionCard(courses, this.deps.taxonomy.timeZone, this.deps.goals) }, 'bulk');
  }

  /**
   * Records which courses `key`'s message names (new rows only: a course named to this person before
   * is never named again) and returns every course recorded under `key`, so a retry sends the same.
   */
  async claim(personAadId: string, key: string, options: { onlyNewerThanGoal: boolean }): Promise<SuggestedCourse[]> {
    const now = this.deps.clock.now();
    const goals = await this.openGoals(personAadId);
    if (goals.length > 0) {
      const offerings = await this.upcomingIn(goals.map((g) => g.strandId), now);
      const excluded = await this.excluded(personAadId);
      const matches = matchGoals(goals, offerings, excluded, this.deps.goals.perSuggestion, options);
      if (matches.length > 0) {
        await this.deps.db
          .insertInto('cpd_goal_suggestion')
          .values(matches.map((m) => ({ person_aad_id: personAadId, offering_id: m.offeringId, goal_id: m.goalId, suggested_at: now, delivery_key: key })))
          .onConflict((oc) => oc.columns(['person_aad_id', 'offering_id']).doNothing())
          .execute();
      }
    }
    const rows = await sql<{ offering_id: string; title: string; first_starts_at: Date; goal_text: string }>`
      select g.offering_id, c.title, (select min(s.starts_at) from cpd_session s where s.offering_id = o.id) as first_starts_at, goal.text as goal_text
      from cpd_goal_suggestion g
      join cpd_offering o on o.id = g.offering_id
      join cpd_course c on c.id = o.course_id
      join cpd_goal goal on goal.id = g.goal_id
      where g.person_aad_id = ${personAadId} and g.delivery_key = ${key}
      order by first_starts_at, g.offering_id`.execute(this.deps.db);
    return rows.rows.map((r) => ({ offeringId: r.offering_id, title: r.title, firstStartsAt: new Date(r.first_starts_at), goalText: r.goal_text }));
  }

  private async openGoals(personAadId: string): Promise<GoalForMatch[]> {
    const rows = await this.deps.db.selectFrom('cpd_goal').select(['id', 'text', 'strand_id', 'created_at']).where('person_aad_id', '=', personAadId).where('closed_at', 'is', null).execute();
    return rows.map((r) => ({ id: r.id, text: r.text, strandId: r.strand_id, createdAt: new Date(r.created_at) }));
  }

  /** Bookable offerings in these strands: scheduled, booking open, first session ahead. */
  private async upcomingIn(strandIds: string[], now: Date): Promise<OfferingForMatch[]> {
    const rows = await sql<{ id: string; title: string; summary: string; strand_id: string; created_at: Date; first_starts_at: Date }>`
      select o.id, c.title, c.summary, c.strand_id, o.created_at, min(s.starts_at) as first_starts_at
      from cpd_offering o
      join cpd_course c on c.id = o.course_id
      join cpd_session s on s.offering_id = o.id
      where o.status = 'scheduled' and c.active and o.booking_closes_at > ${now} and c.strand_id in (${sql.join(strandIds)})
      group by o.id, c.title, c.summary, c.strand_id, o.created_at
      having min(s.starts_at) > ${now}`.execute(this.deps.db);
    return rows.rows.map((r) => ({ offeringId: r.id, title: r.title, summary: r.summary, strandId: r.strand_id, createdAt: new Date(r.created_at), firstStartsAt: new Date(r.first_starts_at) }));
  }

  /** Offerings already suggested to the person, or that they are booked or waitlisted on. */
  private async excluded(personAadId: string): Promise<Set<string>> {
    const suggested = await this.deps.db.selectFrom('cpd_goal_suggestion').select('offering_id').where('person_aad_id', '=', personAadId).execute();
    const booked = await this.deps.db.selectFrom('cpd_booking').select('offering_id').where('person_aad_id', '=', personAadId).where('status', '!=', 'cancelled').execute();
    return new Set([...suggested, ...booked].map((r) => r.offering_id));
  }
}
