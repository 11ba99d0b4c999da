import { z } from 'zod/v4';
import { ATTENDANCE_STATUSES, type AttendanceStatus } from '../attendance/attendance.domain.js';

/** Card verbs and outbox job kinds of CPD after booking; all prefixed `cpd.` like the rest of CPD. */
export const CPD_REGISTER_OPEN_VERB = 'cpd.register.open';
export const CPD_REGISTER_SAVE_VERB = 'cpd.register.save';
export const CPD_FEEDBACK_OPEN_VERB = 'cpd.feedback.open';
export const CPD_FEEDBACK_SUBMIT_VERB = 'cpd.feedback.submit';
export const CPD_IMPACT_SUBMIT_VERB = 'cpd.impact.submit';
export const CPD_REMINDERS_MUTE_VERB = 'cpd.reminders.mute';
export const CPD_CHANGES_FORM_VERB = 'cpd.changes.form';
export const CPD_CHANGES_MOVE_VERB = 'cpd.changes.move';
export const CPD_CHANGES_CANCEL_VERB = 'cpd.changes.cancel';
export const CPD_RECORD_ADD_EXTERNAL_VERB = 'cpd.record.add_external';
export const CPD_RECORD_EXPORT_VERB = 'cpd.record.export';
export const CPD_GOALS_ADD_VERB = 'cpd.goals.add';
export const CPD_GOALS_CLOSE_VERB = 'cpd.goals.close';

export const REMINDER_SWEEP_JOB = 'cpd.reminders.sweep';
export const REMINDER_JOB = 'cpd.reminders.send';
export const FEEDBACK_REQUEST_JOB = 'cpd.feedback.request';
export const IMPACT_CHECK_IN_JOB = 'cpd.impact.check_in';
export const CHANGE_NOTICE_JOB = 'cpd.changes.notify';
export const CALENDAR_REFRESH_JOB = 'cpd.changes.calendar_refresh';

export const id = z
  .string()
  // Session ids are '<offering>/<n>' (the catalogue import), booking ids UUIDs.
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:/-]*$/, { message: 'is not an id' })
  .max(120);

export const sessionRefSchema = z.object({ sessionId: id });

/**
 * A register's Save: the session, and one `mark.<bookingId>` input per person (Adaptive Cards send
 * every input as a top-level string). Unknown keys are ignored; a mark with a bad value refuses the save.
 */
export const registerSaveSchema = z
  .object({ sessionId: id })
  .catchall(z.unknown())
  .transform((data, ctx) => {
    const marks = new Map<string, AttendanceStatus>();
    for (const [key, value] of Object.entries(data)) {
      if (!key.startsWith('mark.')) continue;
      const bookingId = key.slice('mark.'.length);
      if (!id.safeParse(bookingId).success || !(ATTENDANCE_STATUSES as readonly unknown[]).includes(value)) {
        ctx.addIssue({ code: 'custom', message: `mark for ${bookingId} is not present, absent or late_cancelled` });
        return z.NEVER;
      }
      marks.set(bookingId, value as AttendanceStatus);
    }
    return { sessionId: data.sessionId, marks };
  });

/** Feedback: `score.<criterionId>` inputs (strings "1"–"5", checked by the domain), and the comment. */
export const feedbackSubmitSchema = z
  .object({ sessionId: id, doDifferently: z.string().max(8000).optional().default('') })
  .catchall(z.unknown())
  .transform((data) => {
    const scores: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(data)) if (key.startsWith('score.')) scores[key.slice('score.'.length)] = value;
    return { sessionId: data.sessionId, doDifferently: data.doDifferently, scores };
  });

export const impactSubmitSchema = z.object({
  sessionId: id,
  applied: z.string().optional().default(''),
  pupilChange: z.string().max(8000).optional().default(''),
});

export const muteSchema = z.object({ muted: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]) });

export const moveSchema = z.object({
  sessionId: id,
  date: z.string().max(40).optional().default(''),
  starts: z.string().max(20).optional().default(''),
  ends: z.string().max(20).optional().default(''),
  venue: z.string().max(8000).optional().default(''),
  meetingUrl: z.string().max(8000).optional().default(''),
  capacity: z.string().max(20).optional().default(''),
});

export const cancelOfferingSchema = z.object({ sessionId: id, confirm: z.literal('yes').optional() });

export const externalSchema = z.object({
  title: z.string().max(8000).optional().default(''),
  provider: z.string().max(8000).optional().default(''),
  hours: z.string().max(40).optional().default(''),
  completedOn: z.string().max(40).optional().default(''),
  strandId: z.string().max(200).optional().default(''),
  evidenceUrl: z.string().max(8000).optional().default(''),
  reflection: z.string().max(8000).optional().default(''),
});

export const goalAddSchema = z.object({ text: z.string().max(8000).optional().default(''), strandId: z.string().max(200).optional().default('') });
export const goalCloseSchema = z.object({ goalId: id });

export const reminderPayloadSchema = z.object({ bookingId: id, sessionId: id, startsAt: z.iso.datetime() });
export const personSessionPayloadSchema = z.object({ sessionId: id, personAadId: z.string().min(1).max(100) });
export const changeNoticePayloadSchema = z.object({
  bookingId: id,
  change: z.enum(['moved', 'cancelled']),
  sessionId: id.optional(),
  /** What changed, in words, written when the change was made (ids and times, never a person's name). */
  lines: z.array(z.string().max(500)).max(10),
  changeId: id,
});
export const bookingPayloadSchema = z.object({ bookingId: id });
