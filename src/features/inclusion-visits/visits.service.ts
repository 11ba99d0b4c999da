import type { NewJob } from '../../jobs/outbox.js';
import type { Speaker } from '../../shared/bot-contract.js';
import type { Clock } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { fail, ok, type Failure, type Result } from '../../shared/result.js';
import type { TrustProfile } from '../../trust/trust-profile.schema.js';
import { can, type Person } from '../people/people.domain.js';
import type { PeopleService } from '../people/people.service.js';
import type { VisitQuestion, VisitQuestionRepository } from './visit-questions.repository.js';
import { validateTriage, type TriageChange, type TriageInput } from './triage.domain.js';
import { nextStatus, retentionCutoff, validateVisitRequest, type VisitFailureCode } from './visits.domain.js';
import type { InclusionVisitRequest, OpenFilters, VisitAuditEntry, VisitRepository, VisitUpdate } from './visits.repository.js';
import { VISITS_CHANNEL_CARD_JOB, VISITS_NOTIFY_REQUESTER_JOB, type SubmitData } from './visits.schemas.js';

export interface VisitServiceDeps {
  repository: VisitRepository;
  people: PeopleService;
  profile: TrustProfile;
  clock: Clock;
  logger: Logger;
  kickJobs(): void;
}

/** What the request form needs to show for this person. */
export interface RequestFormView {
  person: Person;
  academies: Array<{ id: string; name: string }>;
}

export type SubmitOutcome =
  | { kind: 'submitted'; visit: InclusionVisitRequest; created: boolean }
  /** Nothing stored: the text looks like it names someone; the person edits or confirms. */
  | { kind: 'names_flagged'; names: string[] };

export interface TriageOutcome {
  visit: InclusionVisitRequest;
  viewer: Person;
}

type Fail = Failure<VisitFailureCode>;

/** A request someone may not see is "not found", exactly like one that does not exist: ids reveal nothing. */
const notFound = (): Fail => fail('not_found', 'There is no visit request with that reference that you can see.');

/**
 * Inclusion Support Visit requests: SENCOs and academy leaders submit, the Inclusion team triages,
 * the requester is told of every change (outbox jobs enqueued in the changing transaction).
 */
export class VisitService {
  constructor(private readonly deps: VisitServiceDeps) {}

  private get inclusion(): TrustProfile['inclusion'] {
    return this.deps.profile.inclusion;
  }

  /** Today in the trust's time zone, YYYY-MM-DD. */
  today(): string {
    return new Intl.DateTimeFormat('en-CA', { timeZone: this.deps.profile.trust.timeZone }).format(this.deps.clock.now());
  }

  async requestForm(speaker: Speaker): Promise<Result<RequestFormView, VisitFailureCode>> {
    const person = await this.deps.people.resolve(speaker);
    if (!person.ok) return person;
    const academies = this.deps.profile.academies.filter((a) => can(person.value, 'visits.request', { academyId: a.id }));
    if (academies.length === 0) {
      return fail('not_allowed', 'Inclusion Support Visits are requested by an academy\'s SENCO or leaders, and the directory does not list you as either.');
    }
    return ok({ person: person.value, academies: academies.map((a) => ({ id: a.id, name: a.name })) });
  }

  async submit(speaker: Speaker, data: SubmitData): Promise<Result<SubmitOutcome, VisitFailureCode>> {
    const form = await this.requestForm(speaker);
    if (!form.ok) return form;
    const draft = validateVisitRequest(data, {
      today: this.today(),
      academyIds: form.value.academies.map((a) => a.id),
      focusAreaIds: this.inclusion.visitFocusAreas.map((f) => f.id),
    });
    if (!draft.ok) return draft;
    const d = draft.value;
    if (!data.namesConfirmed) {
      // compromise's lexicon costs ~60 MB resident: it loads with the first visit request that needs it.
      const { flagFullNamesIn } = await import('./pupil-names.domain.js');
      const names = flagFullNamesIn({ otherFocus: d.otherFocus, earlyHelp: d.earlyHelp, urgencyReason: d.urgencyReason, preferredNote: d.preferredNote });
      if (names.length > 0) return ok({ kind: 'names_flagged', names });
    }
    const academy = this.deps.profile.academies.find((a) => a.id === d.academyId)!;
    const person = form.value.person;
    const { visit, created } = await this.deps.repository.insert(
      {
        ...d,
        submissionKey: `${person.aadObjectId}:${data.submissionKey}`,
        hubId: academy.hubId,
        requesterAadId: person.aadObjectId,
        requesterName: person.displayName,
        requesterTeamsId: speaker.id ?? null,
      },
      (v) => [channelCardJob(v)],
    );
    if (created) {
      this.deps.logger.info({ visitId: visit.id, academyId: visit.academyId, urgency: visit.urgency }, 'visit request submitted');
      this.deps.kickJobs();
    }
    return ok({ kind: 'submitted', visit, created });
  }

  /**
   * A triage button: checked for the role, the input, the card's version and the state machine
   * under the row lock. A card older than the request gets `stale_card` with the current request.
   */
  async triage(speaker: Speaker, visitId: string, cardVersion: number, input: TriageInput): Promise<Result<TriageOutcome, VisitFailureCode>> {
    const person = await this.deps.people.resolve(speaker);
    if (!person.ok) return person;
    const viewer = person.value;
    if (!can(viewer, 'visits.triage')) {
      const visit = await this.deps.repository.find(visitId);
      if (!visit || !can(viewer, 'visits.view', { academyId: visit.academyId, requestedByAadObjectId: visit.requesterAadId })) return notFound();
      return fail('not_allowed', 'Only the Inclusion team can triage visit requests.');
    }
    const change = validateTriage(input, this.today());
    if (!change.ok) return change;
    const result = await this.deps.repository.change<Fail>(visitId, (current) => {
      if (current.version !== cardVersion) {
        return { refuse: fail('stale_card', `Someone changed ${current.reference} since this card was shown: here it is as it stands now. Nothing was changed.`) };
      }
      const to = nextStatus(current.status, change.value.action);
      if (!to.ok) return { refuse: to };
      return {
        update: { status: to.value, ...updateFor(change.value, viewer) },
        audit: { actorAadId: viewer.aadObjectId, action: `visits.${change.value.action}`, details: { from: current.status, to: to.value, version: current.version + 1 } },
        jobs: [channelCardJob({ ...current, version: current.version + 1 }), notifyJob({ ...current, version: current.version + 1 })],
      };
    });
    if (!result) return notFound();
    if (result.refused) return { ...result.refused, details: { ...result.refused.details, visit: result.visit } };
    this.deps.logger.info({ visitId, action: change.value.action, status: result.visit.status }, 'visit request triaged');
    this.deps.kickJobs();
    return ok({ visit: result.visit, viewer });
  }

  async view(speaker: Speaker, visitId: string): Promise<Result<TriageOutcome, VisitFailureCode>> {
    const person = await this.deps.people.resolve(speaker);
    if (!person.ok) return person;
    const visit = await this.deps.repository.find(visitId);
    if (!visit || !can(person.value, 'visits.view', { academyId: visit.academyId, requestedByAadObjectId: visit.requesterAadId })) return notFound();
    return ok({ visit, viewer: person.value });
  }

  async mine(speaker: Speaker): Promise<Result<{ viewer: Person; visits: InclusionVisitRequest[] }, VisitFailureCode>> {
    const person = await this.deps.people.resolve(speaker);
    if (!person.ok) return person;
    return ok({ viewer: person.value, visits: await this.deps.repository.byRequester(person.value.aadObjectId) });
  }

  async open(speaker: Speaker, filters: OpenFilters): Promise<Result<{ viewer: Person; visits: InclusionVisitRequest[] }, VisitFailureCode>> {
    const person = await this.deps.people.resolve(speaker);
    if (!person.ok) return person;
    if (!can(person.value, 'visits.list_open')) return fail('not_allowed', 'Open visit requests are listed for the Inclusion team and the Director of Education.');
    return ok({ viewer: person.value, visits: await this.deps.repository.open(filters) });
  }

  /** The retention job: erases the free text of requests closed longer ago than the profile allows. */
  async eraseExpired(): Promise<number> {
    const erased = await this.deps.repository.eraseClosedBefore(retentionCutoff(this.deps.clock.now(), this.inclusion.retentionDays));
    if (erased.length > 0) this.deps.logger.info({ count: erased.length }, 'visit requests past retention: free text erased');
    return erased.length;
  }

  /** Subject-access export: every request a person made, with its audit trail. */
  find(visitId: string): Promise<InclusionVisitRequest | undefined> {
    return this.deps.repository.find(visitId);
  }

  recordChannelCard(visitId: string, activityId: string): Promise<boolean> {
    return this.deps.repository.setChannelActivity(visitId, activityId);
  }

  awaitingChannelCard(): Promise<InclusionVisitRequest[]> {
    return this.deps.repository.awaitingChannelCard();
  }
}

export interface SubjectAccessExport {
  visits: InclusionVisitRequest[];
  /** Questions the Inclusion team asked about those requests, with the person's answers. */
  questions: VisitQuestion[];
  audit: VisitAuditEntry[];
}

/**
 * Every request a person made, the questions asked about them with the person's answers, and the
 * audit trail, for the data protection officer (no Teams turn, no role check: run by the operator).
 */
export async function subjectAccessExport(
  sources: { visits: Pick<VisitRepository, 'byRequester' | 'auditTrail'>; questions: Pick<VisitQuestionRepository, 'forVisits'> },
  aadObjectId: string,
): Promise<SubjectAccessExport> {
  const visits = await sources.visits.byRequester(aadObjectId, 100_000);
  const ids = visits.map((v) => v.id);
  return { visits, questions: await sources.questions.forVisits(ids), audit: await sources.visits.auditTrail(ids) };
}

function updateFor(change: TriageChange, viewer: Person): VisitUpdate {
  switch (change.action) {
    case 'assign':
      return change.assigneeName
        ? { assignee_aad_id: null, assignee_name: change.assigneeName }
        : { assignee_aad_id: viewer.aadObjectId, assignee_name: viewer.displayName };
    case 'schedule':
      return {
        scheduled_date: change.scheduledDate,
        scheduled_time: change.scheduledTime,
        scheduled_with: change.scheduledWith,
        assignee_aad_id: viewer.aadObjectId,
        assignee_name: viewer.displayName,
      };
    case 'decline':
      return { decline_reason: change.declineReason };
    case 'complete':
      return { outcome_notes: change.outcomeNotes, follow_up: change.followUp, recommended: change.recommended };
  }
}

/** Jobs carry ids and the version they announce, never the request's text. */
export function channelCardJob(visit: Pick<InclusionVisitRequest, 'id' | 'version'>): NewJob {
  return { kind: VISITS_CHANNEL_CARD_JOB, payload: { visitId: visit.id, version: visit.version }, idempotencyKey: `${VISITS_CHANNEL_CARD_JOB}:${visit.id}:${visit.version}` };
}

export function notifyJob(visit: Pick<InclusionVisitRequest, 'id' | 'version'>): NewJob {
  return { kind: VISITS_NOTIFY_REQUESTER_JOB, payload: { visitId: visit.id, version: visit.version }, idempotencyKey: `${VISITS_NOTIFY_REQUESTER_JOB}:${visit.id}:${visit.version}` };
}
