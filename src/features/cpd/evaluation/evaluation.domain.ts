import { fail, ok, type Result } from '../../../shared/result.js';

export interface Criterion {
  id: string;
  stage: 'intent' | 'design' | 'delivery';
  statement: string;
}

export type FeedbackFailureCode =
  | 'invalid_action'
  | 'session_not_found'
  | 'not_attended'
  | 'session_not_over'
  | 'feedback_closed'
  | 'score_out_of_range'
  | 'scores_missing'
  | 'text_too_long'
  | 'not_allowed'
  | 'person_not_in_directory'
  | 'directory_unavailable';

export const DO_DIFFERENTLY_MAX = 1000;
export const IMPACT_TEXT_MAX = 1000;

export interface FeedbackInput {
  scores: Record<string, unknown>;
  doDifferently: string;
}

export interface CheckedFeedback {
  scores: Record<string, number>;
  doDifferently: string | null;
}

/** Feedback may be given once the session has ended, for `windowDays` after it (and edited in that window). */
export function feedbackClosesAt(endsAt: Date, windowDays: number): Date {
  return new Date(endsAt.getTime() + windowDays * 86_400_000);
}

/**
 * The rules for one response: the person attended (marked present), the session is over, the
 * window is open, every criterion scored with a whole number 1–5, the comment within its limit.
 */
export function checkFeedback(
  input: FeedbackInput,
  context: { criteria: readonly Criterion[]; attended: boolean; endsAt: Date; windowDays: number; now: Date },
): Result<CheckedFeedback, FeedbackFailureCode> {
  if (!context.attended) return fail('not_attended', 'Feedback is for people the register shows as present, and it does not show you at this session.');
  if (context.now.getTime() < context.endsAt.getTime()) return fail('session_not_over', 'This session has not finished yet: feedback opens when it ends.');
  if (context.now.getTime() > feedbackClosesAt(context.endsAt, context.windowDays).getTime()) {
    return fail('feedback_closed', `Feedback for this session closed ${context.windowDays} days after it, so nothing was saved.`);
  }
  const scores: Record<string, number> = {};
  const missing: string[] = [];
  for (const criterion of context.criteria) {
    const raw = input.scores[criterion.id];
    if (raw === undefined || raw === null || raw === '') {
      missing.push(criterion.statement);
      continue;
    }
    // Only the digits a 1–5 choice sends: "0x3", "3e0" or "3.0" are not answers to a 1–5 scale.
    const value = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d\s*$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isInteger(value) || value < 1 || value > 5) {
      return fail('score_out_of_range', `"${criterion.statement}" must be scored with a whole number from 1 to 5.`, { criterion: criterion.id });
    }
    scores[criterion.id] = value;
  }
  if (missing.length > 0) return fail('scores_missing', `Please score every statement from 1 to 5; missing: ${missing.join('; ')}.`);
  const text = input.doDifferently.trim();
  if (text.length > DO_DIFFERENTLY_MAX) return fail('text_too_long', `"What will you do differently?" can be at most ${DO_DIFFERENTLY_MAX} characters.`);
  return ok({ scores, doDifferently: text === '' ? null : text });
}

export interface CriterionSummary {
  id: string;
  statement: string;
  responses: number;
  mean: number | null;
  /** Population standard deviation of the scores, the spread the Development Team reads. */
  spread: number | null;
  /** How many gave 1, 2, 3, 4, 5. */
  counts: [number, number, number, number, number];
}

export function summariseCriteria(criteria: readonly Criterion[], responses: ReadonlyArray<Record<string, number>>): CriterionSummary[] {
  return criteria.map((criterion) => {
    const values = responses.map((r) => r[criterion.id]).filter((v): v is number => typeof v === 'number');
    const counts: [number, number, number, number, number] = [0, 0, 0, 0, 0];
    for (const v of values) if (v >= 1 && v <= 5) counts[v - 1] += 1;
    if (values.length === 0) return { id: criterion.id, statement: criterion.statement, responses: 0, mean: null, spread: null, counts };
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const spread = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    return { id: criterion.id, statement: criterion.statement, responses: values.length, mean: round1(mean), spread: round1(spread), counts };
  });
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

export type ImpactApplied = 'yes' | 'partly' | 'not_yet';
export const IMPACT_APPLIED: readonly ImpactApplied[] = ['yes', 'partly', 'not_yet'];

export function describeApplied(applied: ImpactApplied): string {
  switch (applied) {
    case 'yes':
      return 'Applied it';
    case 'partly':
      return 'Partly applied';
    case 'not_yet':
      return 'Not yet';
  }
}

/** "Response rate 4 of 6 (67 %)". */
export function responseRate(responses: number, attended: number): string {
  if (attended === 0) return 'No one marked present yet';
  return `${responses} of ${attended} responded (${Math.round((responses / attended) * 100)} %)`;
}
