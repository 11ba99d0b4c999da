import { fail, ok, type Result } from '../../shared/result.js';

/**
 * Bespoke-support commissions: the prospectus's "commissioned appropriately … with a clear understanding
 * of the impact measures in advance". Pure rules: the state machine and what each step needs.
 */
export const COMMISSION_STATUSES = ['requested', 'agreed', 'in_progress', 'impact_review', 'closed', 'declined'] as const;
export type CommissionStatus = (typeof COMMISSION_STATUSES)[number];

/** Words the tab and the cards show for each status. */
export const STATUS_LABELS: Record<CommissionStatus, string> = {
  requested: 'Requested',
  agreed: 'Agreed',
  in_progress: 'In progress',
  impact_review: 'Impact review',
  closed: 'Closed',
  declined: 'Declined',
};

export const JUDGEMENTS = ['met', 'partly_met', 'not_met'] as const;
export type Judgement = (typeof JUDGEMENTS)[number];
export const JUDGEMENT_LABELS: Record<Judgement, string> = { met: 'Met', partly_met: 'Partly met', not_met: 'Not met' };

/** The steps the Director of Education (or an admin) takes on a commission. */
export const COMMISSION_STEPS = ['agree', 'decline', 'start', 'begin_review', 'close'] as const;
export type CommissionStep = (typeof COMMISSION_STEPS)[number];

const STEP_FROM: Record<CommissionStep, { from: CommissionStatus; to: CommissionStatus }> = {
  agree: { from: 'requested', to: 'agreed' },
  decline: { from: 'requested', to: 'declined' },
  start: { from: 'agreed', to: 'in_progress' },
  begin_review: { from: 'in_progress', to: 'impact_review' },
  close: { from: 'impact_review', to: 'closed' },
};

export const STEP_LABELS: Record<CommissionStep, string> = {
  agree: 'agree',
  decline: 'decline',
  start: 'start',
  begin_review: 'begin the impact review of',
  close: 'close',
};

export interface ImpactMeasure {
  id: string;
  description: string;
  baseline: string;
  target: string;
  /** YYYY-MM-DD */
  reviewDate: string;
  judgement: Judgement | null;
  judgementNote: string | null;
}

/** School-to-school support: the recipient is a school outside the trust. */
export interface ExternalSchool {
  name: string;
  keyOutcomes: string[];
  termCount: number;
}

export const isFinal = (status: CommissionStatus): boolean => status === 'closed' || status === 'declined';

/** Steps that can be taken from a status (the tab shows only these buttons). */
export function stepsFrom(status: CommissionStatus): CommissionStep[] {
  return COMMISSION_STEPS.filter((step) => STEP_FROM[step].from === status);
}

export type TransitionFailure = 'illegal_transition';

/** Where a step leads from the current status, or why it cannot be taken. */
export function nextStatus(current: CommissionStatus, step: CommissionStep): Result<CommissionStatus, TransitionFailure> {
  const rule = STEP_FROM[step];
  if (rule.from !== current) {
    return fail(
      'illegal_transition',
      `This commission is ${STATUS_LABELS[current].toLowerCase()}, so you cannot ${STEP_LABELS[step]} it` +
        (stepsFrom(current).length ? ` (what can happen next: ${stepsFrom(current).map((s) => STEP_LABELS[s]).join(', ')}).` : ' any more.'),
      { status: current },
    );
  }
  return ok(rule.to);
}

export type AgreementFailure = 'measures_required' | 'measure_incomplete' | 'dates_out_of_order' | 'assignment_required';

export interface AgreementTerms {
  measures: ReadonlyArray<Pick<ImpactMeasure, 'description' | 'baseline' | 'target' | 'reviewDate'>>;
  assignedStaff: readonly string[];
  startDate: string;
  endDate: string;
}

/**
 * What agreeing needs: impact measures known in advance (each with baseline, target and a review
 * date inside the commission's dates), someone assigned, and an end after the start.
 */
export function checkAgreement(terms: AgreementTerms): Result<AgreementTerms, AgreementFailure> {
  if (terms.measures.length === 0) return fail('measures_required', 'Agree at least one impact measure, with its baseline, target and review date.');
  for (const [index, m] of terms.measures.entries()) {
    const missing = (['description', 'baseline', 'target', 'reviewDate'] as const).filter((f) => !m[f].trim());
    if (missing.length) {
      return fail('measure_incomplete', `Impact measure ${index + 1} has no ${missing.map((f) => (f === 'reviewDate' ? 'review date' : f)).join(', ')}.`, {
        measure: index + 1,
        missing,
      });
    }
  }
  if (terms.assignedStaff.length === 0) return fail('assignment_required', 'Assign at least one member of trust staff to the commission.');
  if (terms.endDate < terms.startDate) return fail('dates_out_of_order', 'The end date is before the start date.');
  const outside = terms.measures.findIndex((m) => m.reviewDate < terms.startDate);
  if (outside >= 0) return fail('dates_out_of_order', `Impact measure ${outside + 1} is reviewed before the commission starts.`, { measure: outside + 1 });
  return ok(terms);
}

export type ClosingFailure = 'judgement_required';

/** Closing needs an impact judgement on every agreed measure. */
export function checkJudgements(
  measures: readonly ImpactMeasure[],
  judgements: ReadonlyArray<{ measureId: string; judgement: Judgement; note: string }>,
): Result<ImpactMeasure[], ClosingFailure> {
  const byId = new Map(judgements.map((j) => [j.measureId, j]));
  const unjudged = measures.filter((m) => !byId.has(m.id));
  if (unjudged.length) {
    return fail('judgement_required', `Give an impact judgement for every measure before closing (missing: ${unjudged.map((m) => m.description).join('; ')}).`, {
      missing: unjudged.map((m) => m.id),
    });
  }
  return ok(measures.map((m) => ({ ...m, judgement: byId.get(m.id)!.judgement, judgementNote: byId.get(m.id)!.note || null })));
}

/** "CM-0042": the short reference people quote. */
export const commissionReference = (number: number): string => `CM-${String(number).padStart(4, '0')}`;
