import { sql } from 'kysely';
import type { Speaker } from '../../../shared/bot-contract.js';
import { ok, type Result } from '../../../shared/result.js';
import { Delivery } from '../follow-up/delivery.js';
import { resolvePerson, type FollowUpDeps } from '../follow-up/follow-up.context.js';
import { REMINDER_JOB, REMINDER_SWEEP_JOB } from '../follow-up/follow-up.schemas.js';
import { findSession, type SessionContext } from '../follow-up/session-context.js';
import { isReminderDue, nextSweepSlot, REMINDER_LOOKAHEAD_MS, reminderKey } from './reminders.domain.js';

export interface ReminderToSend {
  session: SessionContext;
  bookingId: string;
  personAadId: string;
  personTeamsId: string | null;
}

const INSERT_CHUNK = 1000;

/**
 * Reminders before each session. A sweep job runs every minute (one per minute slot, whichever
 * instance enqueues it first): it finds sessions whose reminder is due and enqueues one job per
 * confirmed place, keyed by booking, session and start time, so each reminder is enqueued once
 * however many instances sweep; each job then sends through the notifier at most once (Delivery).
 */
export class ReminderService {
  readonly delivery: Delivery;

  constructor(private readonly deps: FollowUpDeps) {
    this.delivery = new Delivery(deps.db, deps.notifier, deps.clock, deps.logger);
  }

  /** Enqueues the sweep for the current minute (start-up) or the next one (after a sweep). */
  async scheduleSweep(at: Date): Promise<void> {
    const slot = new Date(Math.floor(at.getTime() / 60_000) * 60_000);
    await this.deps.db
      .insertInto('job')
      .values({
        id: this.deps.ids.newId(),
        kind: REMINDER_SWEEP_JOB,
        payload: JSON.stringify({}),
        idempotency_key: `${REMINDER_SWEEP_JOB}:${slot.toISOString()}`,
        status: 'pending',
        attempts: 0,
        max_attempts: 3,
        run_at: slot,
        locked_until: null,
        last_error: null,
        created_at: this.deps.clock.now(),
        updated_at: this.deps.clock.now(),
      })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
  }

  /** One sweep: enqueue every due reminder not yet enqueued; returns how many were new. Then the next sweep. */
  async sweep(): Promise<number> {
    const now = this.deps.clock.now();
    // The next sweep first: a sweep that fails still leaves the chain of minutes going.
    await this.scheduleSweep(nextSweepSlot(now));
    const { reminder } = this.deps.settings;
    const sessions = await this.deps.db
      .selectFrom('cpd_session as s')
      .innerJoin('cpd_offering as o', 'o.id', 's.offering_id')
      .select(['s.id', 's.starts_at', 's.offering_id'])
      .where('o.status', '=', 'scheduled')
      .where('s.starts_at', '>', now)
      .where('s.starts_at', '<=', new Date(now.getTime() + REMINDER_LOOKAHEAD_MS))
      .execute();
    const due = sessions.filter((s) => isReminderDue(new Date(s.starts_at), reminder, this.deps.taxonomy.timeZone, now));
    let enqueued = 0;
    for (const session of due) {
      const startsAt = new Date(session.starts_at);
      const bookings = await this.deps.db
        .selectFrom('cpd_booking')
        .select('id')
        .where('offering_id', '=', session.offering_id)
        .where('status', '=', 'confirmed')
        .execute();
      for (let i = 0; i < bookings.length; i += INSERT_CHUNK) {
        const rows = bookings.slice(i, i + INSERT_CHUNK).map((b) => ({
          id: this.deps.ids.newId(),
          kind: REMINDER_JOB,
          payload: JSON.stringify({ bookingId: b.id, sessionId: session.id, startsAt: startsAt.toISOString() }),
          idempotency_key: reminderKey(b.id, session.id, startsAt),
          status: 'pending' as const,
          attempts: 0,
          max_attempts: 6,
          run_at: now,
          locked_until: null,
          last_error: null,
          created_at: now,
          updated_at: now,
        }));
        const result = await this.deps.db.insertInto('job').values(rows).onConflict((oc) => oc.column('idempotency_key').doNothing()).executeTakeFirst();
        enqueued += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
    }
    if (enqueued > 0) {
      this.deps.logger.info({ enqueued, sessions: due.length }, 'CPD reminders enqueued');
      this.deps.kickJobs();
    }
    return enqueued;
  }

  /**
   * What one reminder job should send, or why not: already sent (or found undeliverable), the place
   * was cancelled, the session moved (its new time has its own reminder) or was cancelled, it has
   * started, or the person muted reminders. The booking, the mute and the delivery row come in one
   * query: 10,000 reminders due in one minute make this the hot path of the send.
   */
  async reminderFor(payload: { bookingId: string; sessionId: string; startsAt: string }, key: string): Promise<ReminderToSend | { skip: string; personAadId: string | undefined }> {
    const row = await this.deps.db
      .selectFrom('cpd_booking as b')
      .leftJoin('cpd_follow_up_preference as p', 'p.person_aad_id', 'b.person_aad_id')
      .select((eb) => [
        'b.id',
        'b.status',
        'b.person_aad_id',
        'b.person_teams_id',
        'p.reminders_muted',
        eb.exists(eb.selectFrom('cpd_delivery as d').select('d.key').where('d.key', '=', key)).as('done'),
      ])
      .where('b.id', '=', payload.bookingId)
      .executeTakeFirst();
    if (!row) return { skip: 'booking_gone', personAadId: undefined };
    if (row.done) return { skip: 'already_done', personAadId: undefined };
    if (row.status !== 'confirmed') return { skip: 'not_confirmed', personAadId: row.person_aad_id };
    const session = await findSession(this.deps.db, payload.sessionId);
    if (!session || session.offeringStatus === 'cancelled') return { skip: 'session_cancelled', personAadId: row.person_aad_id };
    if (session.startsAt.toISOString() !== payload.startsAt) return { skip: 'session_moved', personAadId: row.person_aad_id };
    if (session.startsAt.getTime() <= this.deps.clock.now().getTime()) return { skip: 'session_started', personAadId: row.person_aad_id };
    if (row.reminders_muted === true) return { skip: 'muted', personAadId: row.person_aad_id };
    return { session, bookingId: row.id, personAadId: row.person_aad_id, personTeamsId: row.person_teams_id };
  }

  async isMuted(personAadId: string): Promise<boolean> {
    const row = await this.deps.db.selectFrom('cpd_follow_up_preference').select('reminders_muted').where('person_aad_id', '=', personAadId).executeTakeFirst();
    return row?.reminders_muted === true;
  }

  /** Mute or unmute one's own reminders (audited: a person may ask later why they got none). */
  async setMuted(speaker: Speaker, muted: boolean): Promise<Result<{ muted: boolean }, 'person_not_in_directory' | 'directory_unavailable'>> {
    const person = await resolvePerson(this.deps.people, speaker);
    if (!person.ok) return person;
    const now = this.deps.clock.now();
    const who = person.value.aadObjectId;
    await this.deps.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('cpd_follow_up_preference')
        .values({ person_aad_id: who, reminders_muted: muted, updated_at: now })
        .onConflict((oc) => oc.column('person_aad_id').doUpdateSet({ reminders_muted: muted, updated_at: now }))
        .execute();
      await trx
        .insertInto('audit_log')
        .values({ at: now, actor_aad_id: who, action: muted ? 'cpd.reminders.muted' : 'cpd.reminders.unmuted', subject_type: 'person', subject_id: who, details: JSON.stringify({}) })
        .execute();
    });
    return ok({ muted });
  }

  /** Reminder jobs still waiting (for the bench and health checks). */
  async pendingCount(): Promise<number> {
    const r = await sql<{ n: string }>`select count(*) as n from job where kind = ${REMINDER_JOB} and status in ('pending', 'running')`.execute(this.deps.db);
    return Number(r.rows[0]?.n ?? 0);
  }
}
