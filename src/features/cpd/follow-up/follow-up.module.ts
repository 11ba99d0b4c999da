import type { DownloadRoute, FeatureContext } from '../../feature-module.js';
import type { JobHandler } from '../../../jobs/worker.js';
import type { CardActionRoute, Intent, Journey } from '../../../shared/bot-contract.js';
import { AttendanceService } from '../attendance/attendance.service.js';
import type { BookingRepository } from '../booking/booking.repository.js';
import type { CalendarService } from '../calendar/calendar.service.js';
import { ChangesService } from '../changes/changes.service.js';
import type { CpdTaxonomy } from '../cpd.taxonomy.js';
import { EvaluationService } from '../evaluation/evaluation.service.js';
import { GoalsService } from '../goals/goals.service.js';
import { goalJobs } from '../goals/goals.jobs.js';
import { RecordService } from '../record/record.service.js';
import { loadSampleFollowUp } from '../record/sample-follow-up.js';
import { ReminderService } from '../reminders/reminders.service.js';
import { cpdFollowUpBot } from './follow-up.bot.js';
import type { FollowUpDeps } from './follow-up.context.js';
import { followUpJobs } from './follow-up.jobs.js';

export interface FollowUpParts {
  intents: Intent[];
  journeys: Journey[];
  actions: CardActionRoute[];
  jobs: Record<string, JobHandler>;
  downloads: DownloadRoute[];
  loadSampleData(): Promise<void>;
  start(): Promise<void>;
}

/**
 * CPD after booking, built from the CPD feature's context: reminders/, changes/, attendance/,
 * evaluation/ and record/, their jobs, and the CSV download. cpd.feature.ts merges the parts.
 */
export function cpdFollowUp(
  ctx: FeatureContext,
  taxonomy: CpdTaxonomy,
  bookings: BookingRepository,
  calendar: CalendarService | undefined,
): FollowUpParts {
  const settings = ctx.profile.cpd.followUp;
  const deps: FollowUpDeps = {
    db: ctx.db,
    clock: ctx.clock,
    ids: ctx.ids,
    logger: ctx.logger,
    people: ctx.people,
    notifier: ctx.notifier,
    taxonomy,
    settings,
    kickJobs: () => ctx.kickJobs(),
  };
  const attendance = new AttendanceService(deps);
  const evaluation = new EvaluationService(deps, attendance);
  const reminders = new ReminderService(deps);
  const changes = new ChangesService({ ...deps, calendarConnected: ctx.graph !== undefined }, bookings);
  const goals = new GoalsService({ ...deps, goals: settings.goals, delivery: reminders.delivery });
  const record = new RecordService({ ...deps, teamName: ctx.profile.trust.teamName, publicBaseUrl: ctx.config.publicBaseUrl, goals, goalSettings: settings.goals });
  const bot = cpdFollowUpBot({ db: ctx.db, attendance, evaluation, reminders, changes, record, people: ctx.people, taxonomy });
  return {
    ...bot,
    jobs: {
      ...followUpJobs({ db: ctx.db, clock: ctx.clock, logger: ctx.logger, reminders, attendance, evaluation, settings, timeZone: taxonomy.timeZone, calendar }),
      ...goalJobs(goals, ctx.logger),
    },
    downloads: [
      {
        path: 'cpd-record.csv',
        handle: async (token) => {
          const csv = await record.csvForToken(token);
          return csv === undefined ? undefined : { body: csv, contentType: 'text/csv; charset=utf-8', filename: 'my-cpd-record.csv' };
        },
      },
    ],
    loadSampleData: async () => {
      const staff = await ctx.people.listByRole('staff', 5);
      const team = await ctx.people.listByRole('development_team', 1);
      if (!staff.ok) return;
      const recorder = team.ok && team.value[0] ? team.value[0].aadObjectId : 'sample-data';
      const loaded = await loadSampleFollowUp(ctx.db, ctx.clock, ctx.ids, staff.value.filter((p) => !team.ok || !team.value.some((t) => t.aadObjectId === p.aadObjectId)), settings.criteria, recorder);
      if (loaded.loaded) ctx.logger.info({ attendance: loaded.attendance, feedback: loaded.feedback }, 'sample CPD registers and feedback loaded');
    },
    // Every instance schedules the sweeps (this minute's reminders, the next goal suggestions); the
    // job keys make each one job whoever is first.
    start: async () => {
      await reminders.scheduleSweep(ctx.clock.now());
      await goals.scheduleSweep(ctx.clock.now());
    },
  };
}
