import { fail, ok, type Failure, type Result } from '../../shared/result.js';

/**
 * The rules of an Inclusion Support Visit request: the form's validation and the triage state
 * machine. No I/O; `today` is passed in (a date in the trust's time zone).
 */

export const VISIT_STATUSES = ['submitted', 'assigned', 'scheduled', 'completed', 'declined'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];
export const URGENCIES = ['routine', 'soon', 'urgent'] as const;
export type Urgency = (typeof URGENCIES)[number];
/** The focus-area choice that needs its own words. */
export const OTHER_FOCUS = 'other';

/** Length caps for free text: enough to explain, too short for a case file. */
export const TEXT_CAPS = {
  otherFocus: 200,
  earlyHelp: 2000,
  urgencyReason: 500,
  preferredNote: 300,
  contact: 200,
  scheduledWith: 200,
  declineReason: 1000,
  outcomeNotes: 2000,
  followUp: 1000,
  recommended: 1000,
  question: 1000,
  answer: 2000,
} as const;

export type VisitFailureCode =
  | 'invalid_request'
  | 'names_flagged'
  | 'not_allowed'
  | 'not_found'
  | 'illegal_transition'
  | 'stale_card'
  | 'question_answered'
  | 'person_not_in_directory'
  | 'directory_unavailable';

/** What the SENCO typed and chose, as strings straight from the card (already zod-shaped). */
export interface VisitRequestForm {
  academyId: string;
  focusAreaIds: string[];
  otherFocus: string;
  earlyHelp: string;
  urgency: string;
  urgencyReason: string;
  preferredFrom: string;
  preferredTo: string;
  preferredNote: string;
  contact: string;
}

export interface VisitDraft {
  academyId: string;
  focusAreaIds: string[];
  otherFocus: string | null;
  earlyHelp: string;
  urgency: Urgency;
  urgencyReason: string | null;
  preferredFrom: string | null;
  preferredTo: string | null;
  preferredNote: string | null;
  contact: string;
}

export type FieldErrors = Partial<Record<keyof VisitRequestForm, string>>;

export interface FormContext {
  /** Today in the trust's time zone, YYYY-MM-DD. */
  today: string;
  /** Academies this person may request for. */
  academyIds: readonly string[];
  focusAreaIds: readonly string[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const isRealDate = (value: string): boolean => ISO_DATE.test(value) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);
const orNull = (value: string): string | null => (value === '' ? null : value);

/**
 * Every problem with the form at once (so the person fixes them in one go), or the draft to store.
 * Failure details carry `fieldErrors`, keyed by form field.
 */
export function validateVisitRequest(form: VisitRequestForm, ctx: FormContext): Result<VisitDraft, 'invalid_request'> {
  const errors: FieldErrors = {};
  const text = (key: keyof typeof TEXT_CAPS & keyof VisitRequestForm, label: string, required: boolean): void => {
    const value = form[key];
    if (required && value === '') errors[key] = `${label} is required.`;
    else if (value.length > TEXT_CAPS[key]) errors[key] = `${label} is too long: ${value.length} characters, at most ${TEXT_CAPS[key]}.`;
  };

  if (form.academyId === '') errors.academyId = 'Choose the academy the visit is for.';
  else if (!ctx.academyIds.includes(form.academyId)) errors.academyId = 'That academy is not one you can request a visit for.';

  const unknownFocus = form.focusAreaIds.filter((id) => id !== OTHER_FOCUS && !ctx.focusAreaIds.includes(id));
  if (form.focusAreaIds.length === 0) errors.focusAreaIds = 'Choose at least one focus area.';
  else if (unknownFocus.length > 0) errors.focusAreaIds = 'One of the focus areas is not offered: choose from the list.';
  const wantsOther = form.focusAreaIds.includes(OTHER_FOCUS);
  text('otherFocus', 'Describing "other"', wantsOther);

  text('earlyHelp', 'The early help needed', true);

  if (!(URGENCIES as readonly string[]).includes(form.urgency)) errors.urgency = 'Choose how urgent this is.';
  text('urgencyReason', 'A reason for urgency', form.urgency === 'urgent');

  for (const key of ['preferredFrom', 'preferredTo'] as const) {
    const value = form[key];
    if (value === '') continue;
    if (!isRealDate(value)) errors[key] = 'Give a date as YYYY-MM-DD.';
    else if (value < ctx.today) errors[key] = 'That date has passed: choose today or later.';
  }
  if (!errors.preferredFrom && !errors.preferredTo && form.preferredFrom && form.preferredTo && form.preferredTo < form.preferredFrom) {
    errors.preferredTo = 'The latest date is before the earliest date.';
  }
  text('preferredNote', 'The note on dates', false);
  text('contact', 'A contact', true);

  if (Object.keys(errors).length > 0) {
    return fail('invalid_request', 'Some answers need changing before the request can be sent.', { fieldErrors: errors });
  }
  return ok({
    academyId: form.academyId,
    focusAreaIds: [...new Set(form.focusAreaIds)],
    otherFocus: wantsOther ? form.otherFocus : null,
    earlyHelp: form.earlyHelp,
    urgency: form.urgency as Urgency,
    urgencyReason: form.urgency === 'urgent' ? form.urgencyReason : orNull(form.urgencyReason),
    preferredFrom: orNull(form.preferredFrom),
    preferredTo: orNull(form.preferredTo),
    preferredNote: orNull(form.preferredNote),
    contact: form.contact,
  });
}

export const fieldErrorsOf = (failure: Failure): FieldErrors => (failure.details?.['fieldErrors'] ?? {});

/** What the Inclusion team can do to a request. */
export const TRIAGE_ACTIONS = ['assign', 'schedule', 'decline', 'complete'] as const;
export type TriageAction = (typeof TRIAGE_ACTIONS)[number];

/**
 * submitted → assigned → scheduled → completed, or declined while still open. Assigning again
 * changes who; scheduling again moves the date. Scheduling names who visits, so a submitted request
 * may be scheduled straight away (it is then assigned to whoever scheduled it).
 */
const TRANSITIONS: Record<TriageAction, { from: readonly VisitStatus[]; to: VisitStatus }> = {
  assign: { from: ['submitted', 'assigned'], to: 'assigned' },
  schedule: { from: ['submitted', 'assigned', 'scheduled'], to: 'scheduled' },
  decline: { from: ['submitted', 'assigned', 'scheduled'], to: 'declined' },
  complete: { from: ['scheduled'], to: 'completed' },
};

export function nextStatus(current: VisitStatus, action: TriageAction): Result<VisitStatus, 'illegal_transition'> {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(current)) {
    return fail('illegal_transition', `A ${current} request cannot be ${pastTense(action)}.`, { status: current, action });
  }
  return ok(rule.to);
}

/** The triage buttons a card in this state offers (the server still checks each press). */
export function availableTriageActions(status: VisitStatus): TriageAction[] {
  return TRIAGE_ACTIONS.filter((action) => TRANSITIONS[action].from.includes(status));
}

export const isClosed = (status: VisitStatus): boolean => status === 'completed' || status === 'declined';

function pastTense(action: TriageAction): string {
  switch (action) {
    case 'assign':
      return 'assigned';
    case 'schedule':
      return 'scheduled';
    case 'decline':
      return 'declined';
    case 'complete':
      return 'completed';
  }
}

/** The short reference people quote: IV-0042. */
export const visitReference = (number: number): string => `IV-${String(number).padStart(4, '0')}`;

/** Closed requests whose free text is due for erasure: closed before now − retention. */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * 24 * 60 * 60 * 1000);
}

export const STATUS_LABELS: Record<VisitStatus, string> = {
  submitted: 'Submitted',
  assigned: 'Assigned',
  scheduled: 'Scheduled',
  completed: 'Completed',
  declined: 'Declined',
};
