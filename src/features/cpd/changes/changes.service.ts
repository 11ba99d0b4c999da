import type { Speaker } from '../../../shared/bot-contract.js';
import { fail, ok, type Result } from '../../../shared/result.js';
import { can } from '../../people/people.domain.js';
import type { BookingRepository } from '../booking/booking.repository.js';
import { PROMOTION_NOTICE_JOB, promotionNoticeKey } from '../booking/booking.schemas.js';
import { CALENDAR_ADD_JOB, CALENDAR_REMOVE_JOB, calendarAddKey, calendarRemoveKey } from '../calendar/calendar.schemas.js';
import { placesToFill } from '../booking/booking.domain.js';
import { resolvePerson, type FollowUpDeps } from '../follow-up/follow-up.context.js';
import { CALENDAR_REFRESH_JOB, CHANGE_NOTICE_JOB } from '../follow-up/follow-up.schemas.js';
import { findSession, sessionsMatching, type SessionContext } from '../follow-up/session-context.js';
import { cancelledLine, decideMove, type ChangeFailureCode, type MoveInput } from './changes.domain.js';

export interface ChangeOutcome {
  session: SessionContext;
  change: 'moved' | 'cancelled';
  lines: string[];
  notified: number;
  promoted: number;
}

/**
 * The Development Team moves a session (time, venue, link), changes capacity or cancels a course.
 * Each change runs in one transaction under the offering's row lock (the booking lock), writes its
 * audit row, and enqueues a notice for every booked and waitlisted person and their calendar work,
 * so a crash never leaves half the people told.
 */
export class ChangesService {
  constructor(
    private readonly deps: FollowUpDeps & { calendarConnected: boolean },
    private readonly bookings: BookingRepository,
  ) {}

  /** Upcoming sessions matching the words, for "cancel session …" (Development Team only). */
  async find(speaker: Speaker, words: readonly string[]): Promise<Result<SessionContext[], ChangeFailureCode>> {
    const allowed = await this.allowed(speaker);
    if (!allowed.ok) return allowed;
    const now = this.deps.clock.now();
    const found = await sessionsMatching(this.deps.db, words, now, 20);
    return ok(found.filter((s) => s.startsAt.getTime() > now.getTime() && s.offeringStatus === 'scheduled').slice(0, 5));
  }

  async session(speaker: Speaker, sessionId: string): Promise<Result<SessionContext, ChangeFailureCode>> {
    const allowed = await this.allowed(speaker);
    if (!allowed.ok) return allowed;
    const session = await findSession(this.deps.db, sessionId);
    return session ? ok(session) : fail('session_not_found', 'Development Hub has no CPD session with that reference.');
  }

  async move(speaker: Speaker, sessionId: string, input: MoveInput): Promise<Result<ChangeOutcome, ChangeFailureCode>> {
    const allowed = await this.allowed(speaker);
    if (!allowed.ok) return allowed;
    const actor = allowed.value;
    const now = this.deps.clock.now();
    const changeId = this.deps.ids.newId();
    const outcome = await this.bookings.transaction(async (unit): Promise<Result<ChangeOutcome, ChangeFailureCode>> => {
      const trx = unit.executor;
      const session = await findSession(trx, sessionId);
      if (!session) return fail('session_not_found', 'Development Hub has no CPD session with that reference, so nothing was changed.');
      const offering = await unit.lockOffering(session.offeringId);
      if (!offering || offering.status === 'cancelled') return fail('offering_cancelled', 'This course has been cancelled, so its sessions cannot be changed.');
      const counts = await unit.counts(session.offeringId);
      const decision = decideMove({ ...session, capacity: offering.capacity, confirmed: counts.confirmed }, input, now, this.deps.taxonomy.timeZone);
      if (!decision.ok) return decision;
      const d = decision.value;
      await trx
        .updateTable('cpd_session')
        .set({ starts_at: d.to.startsAt, ends_at: d.to.endsAt, venue: d.to.venue, meeting_url: d.to.meetingUrl, mode: d.to.mode, updated_at: now })
        .where('id', '=', sessionId)
        .execute();
      if (d.capacity !== offering.capacity) await trx.updateTable('cpd_offering').set({ capacity: d.capacity, updated_at: now }).where('id', '=', session.offeringId).execute();
      await trx
        .insertInto('audit_log')
        .values({
          at: now,
          actor_aad_id: actor,
          action: 'cpd.session.changed',
          subject_type: 'cpd_session',
          subject_id: sessionId,
          details: JSON.stringify({
            changeId,
            from: { startsAt: session.startsAt, endsAt: session.endsAt, venue: session.venue, meetingUrl: session.meetingUrl, capacity: offering.capacity },
            to: { ...d.to, capacity: d.capacity },
          }),
        })
        .execute();
      let notified = 0;
      if (d.timeChanged || d.placeChanged) {
        const people = await trx.selectFrom('cpd_booking').select(['id', 'status']).where('offering_id', '=', session.offeringId).where('status', 'in', ['confirmed', 'waitlisted']).execute();
        for (const b of people) {
          await unit.enqueue({ kind: CHANGE_NOTICE_JOB, payload: { bookingId: b.id, change: 'moved', sessionId, lines: d.lines, changeId }, idempotencyKey: `${CHANGE_NOTICE_JOB}:${changeId}:${b.id}` });
          if (b.status === 'confirmed' && this.deps.calendarConnected) {
            await unit.enqueue({ kind: CALENDAR_REFRESH_JOB, payload: { bookingId: b.id }, idempotencyKey: `${CALENDAR_REFRESH_JOB}:${changeId}:${b.id}` });
          }
          notified += 1;
        }
      }
      // Raising capacity fills the new seats from the waitlist in arrival order, as a cancellation does.
      let promoted = 0;
      if (d.capacityRaisedBy > 0) {
        const promotedRows = await unit.promoteFromWaitlist(session.offeringId, placesToFill(d.capacity, counts.confirmed, counts.waitlisted));
        for (const booking of promotedRows) {
          await unit.audit({ actorAadId: actor, action: 'cpd.booking.promoted', bookingId: booking.id, details: { offeringId: session.offeringId, capacityRaised: true } });
          if (this.deps.calendarConnected) await unit.enqueue({ kind: CALENDAR_ADD_JOB, payload: { bookingId: booking.id }, idempotencyKey: calendarAddKey(booking.id) });
          await unit.enqueue({ kind: PROMOTION_NOTICE_JOB, payload: { bookingId: booking.id }, idempotencyKey: promotionNoticeKey(booking.id) });
        }
        promoted = promotedRows.length;
      }
      return ok({ session: (await findSession(trx, sessionId))!, change: 'moved', lines: d.lines, notified, promoted });
    });
    if (outcome.ok) this.deps.kickJobs();
    return outcome;
  }

  /** Cancels the whole offering the session belongs to: every place is released and everyone told. */
  async cancel(speaker: Speaker, sessionId: string): Promise<Result<ChangeOutcome, ChangeFailureCode>> {
    const allowed = await this.allowed(speaker);
    if (!allowed.ok) return allowed;
    const actor = allowed.value;
    const now = this.deps.clock.now();
    const changeId = this.deps.ids.newId();
    const outcome = await this.bookings.transaction(async (unit): Promise<Result<ChangeOutcome, ChangeFailureCode>> => {
      const trx = unit.executor;
      const session = await findSession(trx, sessionId);
      if (!session) return fail('session_not_found', 'Development Hub has no CPD session with that reference, so nothing was cancelled.');
      const offering = await unit.lockOffering(session.offeringId);
      if (!offering || offering.status === 'cancelled') return fail('offering_cancelled', 'This course is already cancelled.');
      if (offering.firstStartsAt && offering.firstStartsAt.getTime() <= now.getTime() && session.startsAt.getTime() <= now.getTime()) {
        return fail('move_into_past', 'This session has already happened, so it cannot be cancelled.');
      }
      const sessions = await trx.selectFrom('cpd_session').select('starts_at').where('offering_id', '=', session.offeringId).orderBy('starts_at').execute();
      const lines = [cancelledLine(session.title, new Date(sessions[0].starts_at), this.deps.taxonomy.timeZone)];
      await trx.updateTable('cpd_offering').set({ status: 'cancelled', updated_at: now }).where('id', '=', session.offeringId).execute();
      const active = await trx
        .updateTable('cpd_booking')
        .set({ status: 'cancelled', cancelled_at: now, updated_at: now })
        .where('offering_id', '=', session.offeringId)
        .where('status', 'in', ['confirmed', 'waitlisted'])
        .returning(['id'])
        .execute();
      const wasConfirmed = new Set(
        (await trx.selectFrom('cpd_calendar_event').select('booking_id').where('booking_id', 'in', active.length > 0 ? active.map((a) => a.id) : ['']).execute()).map((r) => r.booking_id),
      );
      await trx
        .insertInto('audit_log')
        .values({ at: now, actor_aad_id: actor, action: 'cpd.offering.cancelled', subject_type: 'cpd_offering', subject_id: session.offeringId, details: JSON.stringify({ changeId, places: active.length }) })
        .execute();
      for (const b of active) {
        await unit.enqueue({ kind: CHANGE_NOTICE_JOB, payload: { bookingId: b.id, change: 'cancelled', lines, changeId }, idempotencyKey: `${CHANGE_NOTICE_JOB}:${changeId}:${b.id}` });
        if (this.deps.calendarConnected && wasConfirmed.has(b.id)) {
          await unit.enqueue({ kind: CALENDAR_REMOVE_JOB, payload: { bookingId: b.id }, idempotencyKey: calendarRemoveKey(b.id) });
        }
      }
      return ok({ session: { ...session, offeringStatus: 'cancelled' as const }, change: 'cancelled', lines, notified: active.length, promoted: 0 });
    });
    if (outcome.ok) this.deps.kickJobs();
    return outcome;
  }

  private async allowed(speaker: Speaker): Promise<Result<string, ChangeFailureCode>> {
    const person = await resolvePerson(this.deps.people, speaker);
    if (!person.ok) return person;
    if (!can(person.value, 'cpd.manage_catalogue')) return fail('not_allowed', 'Only the Development Team can move or cancel CPD sessions.');
    return ok(person.value.aadObjectId);
  }
}
