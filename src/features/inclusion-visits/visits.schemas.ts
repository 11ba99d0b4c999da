import { z } from 'zod/v4';

/** Card verbs of Inclusion Support Visits. */
export const VISITS_SUBMIT_VERB = 'visits.submit';
export const VISITS_ASSIGN_VERB = 'visits.triage.assign';
export const VISITS_SCHEDULE_VERB = 'visits.triage.schedule';
export const VISITS_DECLINE_VERB = 'visits.triage.decline';
export const VISITS_COMPLETE_VERB = 'visits.triage.complete';
/** The Inclusion team asks the requester a question; the requester answers it. */
export const VISITS_ASK_VERB = 'visits.triage.ask';
export const VISITS_ANSWER_VERB = 'visits.answer';
/** Teams calls this when a visit card is shown again, so it shows the current state. */
export const VISITS_REFRESH_VERB = 'visits.refresh';

/** Outbox jobs: post or update the triage card in the channel; tell the requester what changed. */
export const VISITS_CHANNEL_CARD_JOB = 'visits.channel_card';
export const VISITS_NOTIFY_REQUESTER_JOB = 'visits.notify_requester';
export const VISITS_RETENTION_JOB = 'visits.retention';
/** Tell the trust admins the triage channel cannot be reached (queued at start-up, sent once the app listens). */
export const VISITS_TELL_ADMINS_JOB = 'visits.tell_admins';
/** Send the requester a question; post their answer under the channel card. */
export const VISITS_QUESTION_JOB = 'visits.question_to_requester';
export const VISITS_ANSWER_JOB = 'visits.answer_to_channel';

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/).max(100);
/** Card inputs arrive as strings (or are missing when left empty); longer than any cap is cut at the edge, then refused by the rules. */
const input = z
  .unknown()
  .transform((value) => (typeof value === 'string' ? value.trim().slice(0, 10_000) : typeof value === 'number' ? String(value) : ''));

/**
 * The request form's Action.Execute data: the inputs (Teams merges them into the button's data),
 * the nonce the form was rendered with, and whether the person confirmed flagged names.
 * A multi-select ChoiceSet sends "a,b,c".
 */
export const submitDataSchema = z.object({
  submissionKey: id,
  academyId: input,
  focusAreaIds: input.transform((value) => value.split(',').map((v) => v.trim()).filter(Boolean).slice(0, 50)),
  otherFocus: input,
  earlyHelp: input,
  urgency: input,
  urgencyReason: input,
  preferredFrom: input,
  preferredTo: input,
  preferredNote: input,
  contact: input,
  /** "confirmed" once the person has seen the flagged names and chose to send as written. */
  namesConfirmed: input.transform((value) => value === 'true' || value === 'confirmed'),
});
export type SubmitData = z.infer<typeof submitDataSchema>;

/** Every triage button carries the request and the version the card showed. */
const triageBase = { visitId: id, version: z.coerce.number().int().min(1).max(1_000_000) };

export const assignDataSchema = z.object({ ...triageBase, assigneeName: input });
export const scheduleDataSchema = z.object({ ...triageBase, scheduledDate: input, scheduledTime: input, scheduledWith: input });
export const declineDataSchema = z.object({ ...triageBase, declineReason: input });
export const completeDataSchema = z.object({ ...triageBase, outcomeNotes: input, followUp: input, recommended: input });
export const askDataSchema = z.object({ visitId: id, question: input });
export const answerDataSchema = z.object({ questionId: id, answer: input });
export const refreshDataSchema = z.object({ visitId: id });

export const visitJobPayloadSchema = z.object({ visitId: id, version: z.number().int().min(1) });

export const questionJobPayloadSchema = z.object({ visitId: id, questionId: id });
