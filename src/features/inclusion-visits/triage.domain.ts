import { fail, ok, type Result } from '../../shared/result.js';
import { TEXT_CAPS, type TriageAction } from './visits.domain.js';

/** What each triage action writes, checked before the row is locked. */
export type TriageChange =
  | { action: 'assign'; assigneeName: string | null }
  | { action: 'schedule'; scheduledDate: string; scheduledTime: string; scheduledWith: string }
  | { action: 'decline'; declineReason: string }
  | { action: 'complete'; outcomeNotes: string; followUp: string | null; recommended: string | null };

export type TriageInput =
  | { action: 'assign'; assigneeName: string }
  | { action: 'schedule'; scheduledDate: string; scheduledTime: string; scheduledWith: string }
  | { action: 'decline'; declineReason: string }
  | { action: 'complete'; outcomeNotes: string; followUp: string; recommended: string };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

/** Field-level problems, the same shape as the request form's. */
export function validateTriage(input: TriageInput, today: string): Result<TriageChange, 'invalid_request'> {
  const errors: Record<string, string> = {};
  const cap = (key: keyof typeof TEXT_CAPS, value: string, label: string, required: boolean): void => {
    if (required && value === '') errors[key] = `${label} is required.`;
    else if (value.length > TEXT_CAPS[key]) errors[key] = `${label} is too long: ${value.length} characters, at most ${TEXT_CAPS[key]}.`;
  };
  let change: TriageChange;
  switch (input.action) {
    case 'assign':
      cap('scheduledWith', input.assigneeName, 'The name', false);
      change = { action: 'assign', assigneeName: input.assigneeName || null };
      break;
    case 'schedule':
      if (!ISO_DATE.test(input.scheduledDate) || Number.isNaN(Date.parse(`${input.scheduledDate}T00:00:00Z`))) {
        errors['scheduledDate'] = 'Give the visit date as YYYY-MM-DD.';
      } else if (input.scheduledDate < today) errors['scheduledDate'] = 'That date has passed: choose today or later.';
      if (!TIME.test(input.scheduledTime)) errors['scheduledTime'] = 'Give the time as HH:MM (24-hour).';
      cap('scheduledWith', input.scheduledWith, 'Who is visiting', true);
      change = { ...input };
      break;
    case 'decline':
      cap('declineReason', input.declineReason, 'A reason', true);
      change = { ...input };
      break;
    case 'complete':
      cap('outcomeNotes', input.outcomeNotes, 'The outcome notes', true);
      cap('followUp', input.followUp, 'The follow-up actions', false);
      cap('recommended', input.recommended, 'The recommended CPD or resources', false);
      change = { action: 'complete', outcomeNotes: input.outcomeNotes, followUp: input.followUp || null, recommended: input.recommended || null };
      break;
  }
  if (Object.keys(errors).length > 0) return fail('invalid_request', 'Some answers need changing.', { fieldErrors: errors });
  return ok(change);
}

export const actionOf = (change: TriageChange): TriageAction => change.action;
