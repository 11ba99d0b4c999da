import type { NewJob } from '../../../jobs/outbox.js';
import type { Speaker } from '../../../shared/bot-contract.js';
import { fail, ok, type Result } from '../../../shared/result.js';
import { can, type Person } from '../../people/people.domain.js';
import { resolvePerson, type FollowUpDeps } from '../follow-up/follow-up.context.js';
import { FEEDBACK_REQUEST_JOB, IMPACT_CHECK_IN_JOB } from '../follow-up/follow-up.schemas.js';
import { findSession, sessionsMatching, type SessionContext } from '../follow-up/session-context.js';
import {
  belongsOnRegister,
  checkMarks,
  decideRegisterOpen,
  runsSession,
  type AttendanceStatus,
  type RegisterEntry,
  type RegisterFailureCode,
} from './attendance.domain.js';
import { AttendanceRepository } from './attendance.repository.js';

export interface RegisterView {
  session: SessionContext;
  entries: RegisterEntry[];
  /** Set after a Save: how many marks changed. */
  saved?: { changed: number };
  /** The Development Team may also move or cancel the session from the register. */
  canChange: boolean;
}

/**
 * The register: the facilitator or the Development Team marks everyone booked present, absent or
 * late-cancelled; it can be corrected later, and every change is audited. Marking someone present
 * queues their feedback request and impact check-in in the same transaction.
 */
export class AttendanceService {
  private readonly repository: AttendanceRepository;

  constructor(private readonly deps: FollowUpDeps) {
    this.repository = new AttendanceRepository(deps.db, deps.clock, deps.ids);
  }

  /** Sessions whose course title has these words, that the speaker may take a register for (nearest first). */
  async findRegisters(speaker: Speaker, words: readonly string[]): Promise<Result<{ sessions: SessionContext[]; person: Person }, RegisterFailureCode>> {
    const person = await resolvePerson(this.deps.people, speaker);
    if (!person.ok) return person;
    const found = await sessionsMatching(this.deps.db, words, this.deps.clock.now(), 20);
    const mine = found.filter((s) => this.mayTake(person.value, s));
    if (found.length > 0 && mine.length === 0) {
      return fail('not_your_session', 'Only the facilitator of a session or the Development Team can take its register.');
    }
    return ok({ sessions: mine.slice(0, 5), person: person.value });
  }

  async open(speaker: Speaker, sessionId: string): Promise<Result<RegisterView, RegisterFailureCode>> {
    const checked = await this.checked(speaker, sessionId);
    if (!checked.ok) return checked;
    return ok(await this.view(checked.value.session, checked.value.person));
  }

  async save(speaker: Speaker, sessionId: string, marks: ReadonlyMap<string, AttendanceStatus>): Promise<Result<RegisterView, RegisterFailureCode>> {
    const checked = await this.checked(speaker, sessionId);
    if (!checked.ok) return checked;
    const { session, person } = checked.value;
    const before = await this.view(session, person);
    const changes = checkMarks(marks, before.entries);
    if (!changes.ok) return changes;
    const jobs = changes.value.filter((c) => c.status === 'present').flatMap((c) => this.followUpJobs(session, c.entry.personAadId));
    await this.repository.saveMarks(
      session.sessionId,
      person.aadObjectId,
      changes.value.map((c) => ({ bookingId: c.entry.bookingId, personAadId: c.entry.personAadId, from: c.entry.mark, to: c.status })),
      jobs,
    );
    this.deps.logger.info({ sessionId, changed: changes.value.length }, 'register saved');
    if (jobs.length > 0) this.deps.kickJobs();
    return ok({ ...(await this.view(session, person)), saved: { changed: changes.value.length } });
  }

  attended(sessionId: string, personAadId: string): Promise<boolean> {
    return this.repository.attended(sessionId, personAadId);
  }

  private mayTake(person: Person, session: SessionContext): boolean {
    return can(person, 'cpd.manage_bookings') || runsSession(session.facilitator, person);
  }

  private async checked(speaker: Speaker, sessionId: string): Promise<Result<{ session: SessionContext; person: Person }, RegisterFailureCode>> {
    const person = await resolvePerson(this.deps.people, speaker);
    if (!person.ok) return person;
    const session = await findSession(this.deps.db, sessionId);
    if (!session) return fail('session_not_found', 'Development Hub has no CPD session with that reference.');
    if (!this.mayTake(person.value, session)) {
      return fail('not_your_session', 'Only the facilitator of this session or the Development Team can take its register.');
    }
    const open = decideRegisterOpen(session.startsAt, this.deps.clock.now());
    if (!open.ok) return open;
    return ok({ session, person: person.value });
  }

  private async view(session: SessionContext, person: Person): Promise<RegisterView> {
    const rows = await this.repository.bookingsWithMarks(session.sessionId, session.offeringId);
    const entries = rows
      .filter((r) => r.mark !== null || belongsOnRegister({ status: r.status, cancelledAt: r.cancelledAt }, session.bookingClosesAt))
      .map((r) => ({ ...r, bookingStatus: r.status === 'confirmed' ? ('confirmed' as const) : ('cancelled' as const) }));
    return { session, entries, canChange: can(person, 'cpd.manage_bookings') };
  }

  /** The attendee's feedback request (after the session) and impact check-in (weeks later), once each. */
  private followUpJobs(session: SessionContext, personAadId: string): NewJob[] {
    const now = this.deps.clock.now().getTime();
    const { feedbackAfterMinutes, impactCheckInWeeks } = this.deps.settings;
    const payload = { sessionId: session.sessionId, personAadId };
    return [
      {
        kind: FEEDBACK_REQUEST_JOB,
        payload,
        idempotencyKey: `${FEEDBACK_REQUEST_JOB}:${session.sessionId}:${personAadId}`,
        runAt: new Date(Math.max(now, session.endsAt.getTime() + feedbackAfterMinutes * 60_000)),
      },
      {
        kind: IMPACT_CHECK_IN_JOB,
        payload,
        idempotencyKey: `${IMPACT_CHECK_IN_JOB}:${session.sessionId}:${personAadId}`,
        runAt: new Date(Math.max(now, session.endsAt.getTime() + impactCheckInWeeks * 7 * 86_400_000)),
      },
    ];
  }
}
