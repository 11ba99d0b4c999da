import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Speaker } from '../../../shared/bot-contract.js';
import { fail, ok, type Result } from '../../../shared/result.js';
import { parseLocalDate } from '../cpd-time.domain.js';
import { sessionHours } from '../attendance/attendance.domain.js';
import { isHttpsUrl } from '../changes/changes.domain.js';
import { describeApplied, type ImpactApplied } from '../evaluation/evaluation.domain.js';
import { resolvePerson, strandName, type FollowUpDeps } from '../follow-up/follow-up.context.js';
import type { GoalSettings, GoalsService, SuggestedCourse } from '../goals/goals.service.js';
import {
  groupByAcademicYear,
  recordCsv,
  roundHours,
  type AcademicYearGroup,
  type RecordFailureCode,
  type RecordEntry,
} from './record.domain.js';

export interface Goal {
  id: string;
  text: string;
  strandId: string;
}

export interface CpdRecordView {
  displayName: string;
  years: AcademicYearGroup[];
  totalHours: number;
  goals: Goal[];
  remindersMuted: boolean;
  /** The trust's words for goals ("Development goals", agreed in "appraisal"). */
  goalLabels: { title: string; agreedIn: string };
  /** Set after adding external CPD or a goal. */
  notice?: string;
  /** Upcoming CPD matching a goal just added: named here once, never again. */
  suggested?: SuggestedCourse[];
}

/** How long a CSV download link works, and it works once. */
export const EXPORT_LINK_MINUTES = 15;
const TEXT_MAX = 300;
const REFLECTION_MAX = 2000;

/**
 * The person's CPD record: sessions the register shows them at (with hours, strand, their "do
 * differently" reflection and impact check-in), external CPD they added, and their goals; grouped by
 * academic year, as a card and as a CSV file. Only ever the speaker's own record.
 */
export class RecordService {
  constructor(private readonly deps: FollowUpDeps & { teamName: string; publicBaseUrl: string | undefined; goals: GoalsService; goalSettings: GoalSettings }) {}

  async view(speaker: Speaker, notice?: string, suggested?: SuggestedCourse[]): Promise<Result<CpdRecordView, RecordFailureCode>> {
    const person = await resolvePerson(this.deps.people, speaker);
    if (!person.ok) return person;
    const aad = person.value.aadObjectId;
    const entries = await this.entries(aad);
    const years = groupByAcademicYear(entries, this.deps.settings.academicYearStartsMonth, this.deps.taxonomy.timeZone);
    const pref = await this.deps.db.selectFrom('cpd_follow_up_preference').select('reminders_muted').where('person_aad_id', '=', aad).executeTakeFirst();
    return ok({
      displayName: person.value.displayName,
      years,
      totalHours: roundHours(entries.reduce((s, e) => s + e.hours, 0)),
      goals: await this.goals(aad),
      goalLabels: { title: this.deps.goalSettings.title, agreedIn: this.deps.goalSettings.agreedIn },
      ...(suggested && suggested.length > 0 ? { suggested } : {}),
      remindersMuted: pref?.reminders_muted === true,
      ...(notice ? { notice } : {}),
    });
  }

  /** A one-time, short-lived link to the speaker's record as CSV; undefined when no public address is configured. */
  async exportLink(speaker: Speaker): Promise<Result<{ url: string | undefined; expiresMinutes: number }, RecordFailureCode>> {
    const person = await resolvePerson(this.deps.people, speaker);
    if (!person.ok) return person;
    if (!this.deps.publicBaseUrl) return ok({ url: undefined, expiresMinutes: EXPORT_LINK_MINUTES });
    const token = randomBytes(24).toString('base64url');
    const now = this.deps.clock.now();
    await this.deps.db
      .insertInto('cpd_export_token')
      .values({ token, person_aad_id: person.value.aadObjectId, expires_at: new Date(now.getTime() + EXPORT_LINK_MINUTES * 60_000), used_at: null })
      .execute();
    return ok({ url: `${this.deps.publicBaseUrl.replace(/\/+$/, '')}/downloads/cpd-record.csv?token=${token}`, expiresMinutes: EXPORT_LINK_MINUTES });
  }

  /** The CSV behind a download link: the token is used up by this read (a leaked link does not work twice). */
  async csvForToken(token: string): Promise<string | undefined> {
    if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return undefined;
    const now = this.deps.clock.now();
    const row = await this.deps.db
      .updateTable('cpd_export_token')
      .set({ used_at: now })
      .where('token', '=', token)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .returning('person_aad_id')
      .executeTakeFirst();
    if (!row) return undefined;
    return this.csvFor(row.person_aad_id);
  }

  async csvFor(personAadId: string): Promise<string> {
    const years = groupByAcademicYear(await this.entries(personAadId), this.deps.settings.academicYearStartsMonth, this.deps.taxonomy.timeZone);
    return recordCsv(years, this.deps.taxonomy.timeZone);
  }

  async addExternal(
    speaker: Speaker,
    input: { title: string; provider: string; hours: string; completedOn: string; strandId: string; evidenceUrl: string; reflection: string },
  ): Promise<Result<CpdRecordView, RecordFailureCode>> {
    const person = await resolvePerson(this.deps.people, speaker);
    if (!person.ok) return person;
    const bad = (message: string) => fail('invalid_external' as const, message, { typed: input });
    const title = input.title.trim();
    if (title === '' || title.length > TEXT_MAX) return bad(`Give the CPD a title of at most ${TEXT_MAX} characters (for example "NPQSL unit 2").`);
    const hours = Number(input.hours.trim());
    if (input.hours.trim() === '' || !Number.isFinite(hours) || hours <= 0 || hours > 1000) return bad('Hours must be a number above 0 and at most 1000 (for example 1.5).');
    const date = parseLocalDate(input.completedOn);
    const today = this.deps.clock.now().toISOString().slice(0, 10);
    if (!date) return bad('Write the date completed as YYYY-MM-DD.');
    if (input.completedOn.trim() > today) return bad('The date completed cannot be in the future.');
    const evidence = input.evidenceUrl.trim();
    if (evidence !== '' && !isHttpsUrl(evidence)) return bad('The evidence link must be a web address starting with https://.');
    const strandId = input.strandId.trim();
    if (strandId !== '' && !this.deps.taxonomy.strands.some((s) => s.id === strandId)) return bad('Choose one of the listed strands, or none.');
    if (input.provider.trim().length > TEXT_MAX) return bad(`The provider can be at most ${TEXT_MAX} characters.`);
    if (input.reflection.trim().length > REFLECTION_MAX) return bad(`The reflection can be at most ${REFLECTION_MAX} characters.`);
    const now = this.deps.clock.now();
    const id = this.deps.ids.newId();
    await this.deps.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('cpd_external')
        .values({
          id,
          person_aad_id: person.value.aadObjectId,
          title,
          provider: input.provider.trim() || null,
          hours: roundHours(hours),
          completed_on: input.completedOn.trim(),
          strand_id: strandId || null,
          evidence_url: evidence || null,
          reflection: input.reflection.trim() || null,
          created_at: now,
        })
        .execute();
      await trx
        .insertInto('audit_log')
        .values({ at: now, actor_aad_id: person.value.aadObjectId, action: 'cpd.record.external_added', subject_type: 'cpd_external', subject_id: id, details: JSON.stringify({ hours: roundHours(hours) }) })
        .execute();
    });
    return this.view(speaker, `Added "${title}" (${roundHours(hours)} hours) to your CPD record.`);
  }

  async addGoal(speaker: Speaker, input: { text: string; strandId: string }): Promise<Result<CpdRecordView, RecordFailureCode>> {
    const person = await resolvePerson(this.deps.people, speaker);
    if (!person.ok) return person;
    const text = input.text.trim();
    if (text === '' || text.length > TEXT_MAX) return fail('invalid_goal', `Write the goal in at most ${TEXT_MAX} characters.`, { typed: input });
    if (!this.deps.taxonomy.strands.some((s) => s.id === input.strandId)) return fail('invalid_goal', 'Choose the strand the goal belongs to.', { typed: input });
    const who = person.value.aadObjectId;
    const { maxOpen } = this.deps.goalSettings;
    const open = await this.goals(who);
    if (open.length >= maxOpen) return fail('too_many_goals', `You already have ${maxOpen} goals: remove one before adding another.`, { typed: input });
    const id = this.deps.ids.newId();
    const now = this.deps.clock.now();
    await this.deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('cpd_goal').values({ id, person_aad_id: who, text, strand_id: input.strandId, created_at: now, closed_at: null }).execute();
      await trx
        .insertInto('audit_log')
        .values({ at: now, actor_aad_id: who, action: 'cpd.goal.added', subject_type: 'cpd_goal', subject_id: id, details: JSON.stringify({ strandId: input.strandId }) })
        .execute();
    });
    // What already matches is shown now, once; later only CPD added after the goal is suggested.
    const suggested = await this.deps.goals.claim(who, `cpd.goals.added:${id}`, { onlyNewerThanGoal: false });
    const notice = suggested.length > 0 ? 'Goal added. Coming up and matching it (each suggested to you once):' : 'Goal added. When new CPD that matches it is published, Development Hub suggests it to you once.';
    return this.view(speaker, notice, suggested);
  }

  /** Removes one of the speaker's own goals (kept, closed, for the suggestions already made from it). */
  async removeGoal(speaker: Speaker, goalId: string): Promise<Result<CpdRecordView, RecordFailureCode>> {
    const person = await resolvePerson(this.deps.people, speaker);
    if (!person.ok) return person;
    const who = person.value.aadObjectId;
    const now = this.deps.clock.now();
    const removed = await this.deps.db.transaction().execute(async (trx) => {
      const r = await trx.updateTable('cpd_goal').set({ closed_at: now }).where('id', '=', goalId).where('person_aad_id', '=', who).where('closed_at', 'is', null).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await trx.insertInto('audit_log').values({ at: now, actor_aad_id: who, action: 'cpd.goal.removed', subject_type: 'cpd_goal', subject_id: goalId, details: JSON.stringify({}) }).execute();
      return true;
    });
    if (!removed) return fail('goal_not_found', 'That goal is not one of your goals any more.');
    return this.view(speaker, 'Goal removed: nothing more is suggested for it.');
  }

  private async goals(personAadId: string): Promise<Goal[]> {
    const rows = await this.deps.db
      .selectFrom('cpd_goal')
      .select(['id', 'text', 'strand_id'])
      .where('person_aad_id', '=', personAadId)
      .where('closed_at', 'is', null)
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({ id: r.id, text: r.text, strandId: r.strand_id }));
  }

  private async entries(personAadId: string): Promise<RecordEntry[]> {
    const attended = await sql<{
      title: string;
      strand_id: string;
      facilitator: string;
      starts_at: Date;
      ends_at: Date;
      do_differently: string | null;
      applied: ImpactApplied | null;
      pupil_change: string | null;
    }>`
      select c.title, c.strand_id, c.facilitator, s.starts_at, s.ends_at, f.do_differently, i.applied, i.pupil_change
      from cpd_attendance a
      join cpd_session s on s.id = a.session_id
      join cpd_offering o on o.id = s.offering_id
      join cpd_course c on c.id = o.course_id
      left join cpd_feedback f on f.session_id = a.session_id and f.person_aad_id = a.person_aad_id
      left join cpd_impact_check_in i on i.session_id = a.session_id and i.person_aad_id = a.person_aad_id
      where a.person_aad_id = ${personAadId} and a.status = 'present'
      order by s.starts_at`.execute(this.deps.db);
    const external = await this.deps.db.selectFrom('cpd_external').selectAll().where('person_aad_id', '=', personAadId).execute();
    return [
      ...attended.rows.map(
        (r): RecordEntry => ({
          source: 'trust',
          title: r.title,
          date: new Date(r.starts_at),
          hours: sessionHours(new Date(r.starts_at), new Date(r.ends_at)),
          strandName: strandName(this.deps.taxonomy, r.strand_id),
          provider: this.deps.teamName,
          reflection: r.do_differently ?? '',
          impact: r.applied ? `${describeApplied(r.applied)}${r.pupil_change ? `: ${r.pupil_change}` : ''}` : '',
          evidenceUrl: '',
        }),
      ),
      ...external.map(
        (r): RecordEntry => ({
          source: 'external',
          title: r.title,
          date: new Date(`${String(r.completed_on).slice(0, 10)}T12:00:00Z`),
          hours: Number(r.hours),
          strandName: strandName(this.deps.taxonomy, r.strand_id),
          provider: r.provider ?? '',
          reflection: r.reflection ?? '',
          impact: '',
          evidenceUrl: r.evidence_url ?? '',
        }),
      ),
    ];
  }
}
