import type { NewJob } from '../../jobs/outbox.js';
import type { Clock, IdGenerator } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { fail, ok, type Failure, type Result } from '../../shared/result.js';
import type { TrustProfile } from '../../trust/trust-profile.schema.js';
import { can, type Person } from '../people/people.domain.js';
import {
  checkAgreement,
  checkJudgements,
  isFinal,
  nextStatus,
  stepsFrom,
  type AgreementFailure,
  type ClosingFailure,
  type CommissionStep,
  type TransitionFailure,
} from './commissions.domain.js';
import type { Commission, CommissionRepository, CommissionUpdate, Decision } from './commissions.repository.js';
import { COMMISSIONS_CHANNEL_CARD_JOB, COMMISSIONS_NOTIFY_DIRECTOR_JOB, type AgreeBody, type RaiseBody } from './commissions.schemas.js';

export type CommissionFailureCode =
  | 'not_found'
  | 'not_allowed'
  | 'unknown_academy'
  | 'unknown_support_type'
  | 'external_school_required'
  | 'external_school_not_expected'
  | 'version_conflict'
  | 'unknown_measure'
  | TransitionFailure
  | AgreementFailure
  | ClosingFailure;

type Fail = Failure<CommissionFailureCode>;
export type Outcome<T> = Result<T, CommissionFailureCode>;

/** One the person may not see is "not found", exactly like one that does not exist: ids reveal nothing. */
const notFound = (): Fail => fail('not_found', 'There is no commission with that reference that you can see.');
const notManager = (): Fail => fail('not_allowed', 'Only the Director of Education (or a trust administrator) agrees, reviews and closes commissions.');

export interface CommissionServiceDeps {
  repository: CommissionRepository;
  profile: TrustProfile;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  kickJobs(): void;
}

export interface CommissionDetail {
  commission: Commission;
  updates: CommissionUpdate[];
  /** What this viewer may do next: the steps (Director of Education) and whether they may add an update. */
  steps: CommissionStep[];
  canAddUpdate: boolean;
}

export interface CommissionList {
  commissions: Commission[];
  counts: { byStatus: Record<string, number>; byType: Record<string, number> };
}

/** A status change, and the step it came from: the channel card says which. */
export type StepInput =
  | { step: 'agree'; body: AgreeBody }
  | { step: 'decline'; reason: string }
  | { step: 'start'; note: string }
  | { step: 'begin_review'; note: string }
  | { step: 'close'; judgements: Array<{ measureId: string; judgement: 'met' | 'partly_met' | 'not_met'; note: string }>; note: string };

const LOG_KIND = { agree: 'agreed', decline: 'declined', start: 'started', begin_review: 'review_begun', close: 'closed' } as const;

/**
 * Bespoke support: leaders raise, the Director of Education agrees (measures, assignment, dates),
 * declines, reviews and closes with a judgement per measure. Every read and write asks `can()`;
 * every change is versioned, logged, audited and notified through the outbox in one transaction.
 */
export class CommissionService {
  constructor(private readonly deps: CommissionServiceDeps) {}

  /** Academies this person may see commissions of, in profile order. */
  visibleAcademies(person: Person): TrustProfile['academies'] {
    return this.deps.profile.academies.filter((a) => can(person, 'commissions.view', { academyId: a.id }));
  }

  canManage(person: Person): boolean {
    return can(person, 'commissions.manage');
  }

  async list(person: Person, academyId: string | undefined): Promise<Outcome<CommissionList>> {
    if (academyId !== undefined) {
      if (!this.deps.profile.academies.some((a) => a.id === academyId)) return fail('unknown_academy', 'The trust has no academy with that id.');
      if (!can(person, 'commissions.view', { academyId })) return fail('not_allowed', 'You can see the commissions of the academies you lead.');
    }
    const visible = this.visibleAcademies(person).map((a) => a.id);
    const all = visible.length === this.deps.profile.academies.length;
    const commissions = await this.deps.repository.list(academyId !== undefined ? [academyId] : all ? undefined : visible);
    const byStatus: Record<string, number> = {};
    const byType: Record<string, number> = {};
    for (const c of commissions) {
      byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
      byType[c.supportTypeId] = (byType[c.supportTypeId] ?? 0) + 1;
    }
    return ok({ commissions, counts: { byStatus, byType } });
  }

  async detail(person: Person, commissionId: string): Promise<Outcome<CommissionDetail>> {
    const commission = await this.deps.repository.find(commissionId);
    if (!commission || !can(person, 'commissions.view', { academyId: commission.academyId })) return notFound();
    return ok(await this.describe(person, commission));
  }

  async raise(person: Person, body: RaiseBody): Promise<Outcome<{ commission: Commission; created: boolean }>> {
    if (!this.deps.profile.academies.some((a) => a.id === body.academyId)) return fail('unknown_academy', 'The trust has no academy with that id.');
    if (!can(person, 'commissions.raise', { academyId: body.academyId })) {
      return fail('not_allowed', 'Commissions are raised by the academy\'s leaders or the Director of Education.');
    }
    const type = this.deps.profile.bespokeSupport.types.find((t) => t.id === body.supportTypeId);
    if (!type) return fail('unknown_support_type', 'Choose one of the trust\'s types of bespoke support.');
    if (type.recipient === 'external_school' && !body.externalSchool) {
      return fail('external_school_required', `${type.label}: name the school receiving the support, the agreement's key outcomes and the number of terms.`);
    }
    if (type.recipient === 'academy' && body.externalSchool) {
      return fail('external_school_not_expected', `${type.label} is for the academy itself: only school-to-school support names a school outside the trust.`);
    }
    const { commission, created } = await this.deps.repository.insert(
      {
        // Scoped to the person, so one person's key can never find another's commission.
        submissionKey: `${person.aadObjectId}:${body.submissionKey}`,
        academyId: body.academyId,
        supportTypeId: body.supportTypeId,
        need: body.need,
        evidence: body.evidence,
        externalSchool: body.externalSchool ?? null,
        raisedByAadId: person.aadObjectId,
        raisedByName: person.displayName,
      },
      (c) => [
        { kind: COMMISSIONS_NOTIFY_DIRECTOR_JOB, payload: { commissionId: c.id, version: c.version }, idempotencyKey: `${COMMISSIONS_NOTIFY_DIRECTOR_JOB}:${c.id}` },
        channelCardJob(c),
      ],
    );
    if (created) {
      this.deps.logger.info({ commissionId: commission.id, academyId: commission.academyId, code: 'commission_raised' }, 'commission raised');
      this.deps.kickJobs();
    }
    return ok({ commission, created });
  }

  /** A status change by the Director of Education, under the row lock and the version the tab showed. */
  async step(person: Person, commissionId: string, version: number, input: StepInput): Promise<Outcome<CommissionDetail>> {
    return this.changeAsManager(person, commissionId, version, (current) => {
      const to = nextStatus(current.status, input.step);
      if (!to.ok) return { refuse: to };
      const decision = (change: Decision['change'], text: string | null, details: Record<string, unknown> = {}): Decision => ({
        change: { ...change, status: to.value },
        log: { kind: LOG_KIND[input.step], text: text || null },
        audit: { action: `commissions.${LOG_KIND[input.step]}`, details: { from: current.status, ...details } },
        jobs: (c) => [channelCardJob(c)],
      });
      switch (input.step) {
        case 'agree': {
          const terms = checkAgreement(input.body);
          if (!terms.ok) return { refuse: terms };
          const measures = input.body.measures.map((m) => ({ ...m, id: this.deps.ids.newId(), judgement: null, judgementNote: null }));
          return {
            decision: decision(
              { measures, assigned_staff: input.body.assignedStaff, start_date: input.body.startDate, end_date: input.body.endDate },
              input.body.note,
              { measures: measures.length, assigned: input.body.assignedStaff.length },
            ),
          };
        }
        case 'decline':
          return { decision: decision({ decline_reason: input.reason }, input.reason) };
        case 'start':
        case 'begin_review':
          return { decision: decision({}, input.note) };
        case 'close': {
          const unknown = input.judgements.find((j) => !current.measures.some((m) => m.id === j.measureId));
          if (unknown) return { refuse: fail('unknown_measure', 'A judgement names a measure this commission does not have; reload and try again.') };
          const judged = checkJudgements(current.measures, input.judgements);
          if (!judged.ok) return { refuse: judged };
          return { decision: decision({ measures: judged.value }, input.note, { judgements: judged.value.map((m) => m.judgement) }) };
        }
      }
    });
  }

  /** A dated review entry by the Director of Education while the support runs; no status change. */
  async recordReview(person: Person, commissionId: string, version: number, text: string): Promise<Outcome<CommissionDetail>> {
    return this.changeAsManager(person, commissionId, version, (current) => {
      if (current.status !== 'in_progress' && current.status !== 'impact_review') {
        return { refuse: fail('illegal_transition', 'Reviews are recorded while the support is in progress or under impact review.', { status: current.status }) };
      }
      return { decision: { change: {}, log: { kind: 'review', text }, audit: { action: 'commissions.reviewed', details: {} }, jobs: () => [] } };
    });
  }

  /** An update in the log from anyone who may see the commission (a leader's progress note), until it is closed. */
  async addNote(person: Person, commissionId: string, version: number, text: string): Promise<Outcome<CommissionDetail>> {
    const result = await this.deps.repository.change(commissionId, person, (current) => {
      if (!can(person, 'commissions.view', { academyId: current.academyId })) return { refuse: notFound() };
      if (current.version !== version) return { refuse: conflict(current) };
      if (isFinal(current.status)) return { refuse: fail('illegal_transition', 'This commission is finished: its log is closed.', { status: current.status }) };
      return { change: {}, log: { kind: 'note', text }, audit: { action: 'commissions.noted', details: {} }, jobs: () => [] };
    });
    return this.answer(person, result);
  }

  private async changeAsManager(
    person: Person,
    commissionId: string,
    version: number,
    decide: (current: Commission) => { decision: Decision } | { refuse: Fail },
  ): Promise<Outcome<CommissionDetail>> {
    const result = await this.deps.repository.change(commissionId, person, (current) => {
      if (!can(person, 'commissions.view', { academyId: current.academyId })) return { refuse: notFound() };
      if (!can(person, 'commissions.manage')) return { refuse: notManager() };
      // Checked under the lock: the second of two editors sees the first's version.
      if (current.version !== version) return { refuse: conflict(current) };
      const outcome = decide(current);
      return 'refuse' in outcome ? outcome : outcome.decision;
    });
    const answered = await this.answer(person, result);
    if (answered.ok) {
      this.deps.logger.info({ commissionId, status: answered.value.commission.status, code: 'commission_changed' }, 'commission changed');
      this.deps.kickJobs();
    }
    return answered;
  }

  private async answer(person: Person, result: { commission: Commission; refused?: Fail } | undefined): Promise<Outcome<CommissionDetail>> {
    if (!result) return notFound();
    if (result.refused) return result.refused;
    return ok(await this.describe(person, result.commission));
  }

  private async describe(person: Person, commission: Commission): Promise<CommissionDetail> {
    return {
      commission,
      updates: await this.deps.repository.updates(commission.id),
      steps: this.canManage(person) ? stepsFrom(commission.status) : [],
      canAddUpdate: !isFinal(commission.status),
    };
  }
}

function conflict(current: Commission): Fail {
  return fail(
    'version_conflict',
    `Someone else changed ${current.reference} while you had it open (it is now version ${current.version}). Your change was not saved: reload to see theirs, then try again.`,
    { version: current.version, status: current.status },
  );
}

export function channelCardJob(c: Pick<Commission, 'id' | 'version' | 'status'>): NewJob {
  return { kind: COMMISSIONS_CHANNEL_CARD_JOB, payload: { commissionId: c.id, version: c.version, status: c.status }, idempotencyKey: `${COMMISSIONS_CHANNEL_CARD_JOB}:${c.id}:${c.version}` };
}
