import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import { enqueueJob, type NewJob } from '../../../jobs/outbox.js';
import type { Clock, IdGenerator } from '../../../shared/clock.js';
import type { AttendanceStatus, RegisterEntry } from './attendance.domain.js';

interface EntryRow {
  booking_id: string;
  person_aad_id: string;
  person_name: string;
  status: 'confirmed' | 'waitlisted' | 'cancelled';
  cancelled_at: Date | null;
  mark: AttendanceStatus | null;
  recorded_by_aad_id: string | null;
  recorded_at: Date | null;
}

export interface MarkChange {
  bookingId: string;
  personAadId: string;
  from: AttendanceStatus | null;
  to: AttendanceStatus;
}

export class AttendanceRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /** Every booking on the session's offering (the service decides who belongs), with this session's mark. */
  async bookingsWithMarks(sessionId: string, offeringId: string): Promise<Array<Omit<RegisterEntry, 'bookingStatus'> & { status: EntryRow['status']; cancelledAt: Date | null }>> {
    const result = await sql<EntryRow>`
      select b.id as booking_id, b.person_aad_id, b.person_name, b.status, b.cancelled_at,
             a.status as mark, a.recorded_by_aad_id, a.recorded_at
      from cpd_booking b
      left join cpd_attendance a on a.booking_id = b.id and a.session_id = ${sessionId}
      where b.offering_id = ${offeringId}
      order by b.person_name, b.arrival_seq`.execute(this.db);
    return result.rows.map((r) => ({
      bookingId: r.booking_id,
      personAadId: r.person_aad_id,
      personName: r.person_name,
      status: r.status,
      cancelledAt: r.cancelled_at === null ? null : new Date(r.cancelled_at),
      mark: r.mark,
      markedByAadId: r.recorded_by_aad_id,
      markedAt: r.recorded_at === null ? null : new Date(r.recorded_at),
    }));
  }

  /**
   * Writes the changed marks, an audit row for each (who changed whom from what to what), and the
   * follow-up jobs, in one transaction: a crash leaves either all of it or none.
   */
  async saveMarks(sessionId: string, actorAadId: string, changes: readonly MarkChange[], jobs: readonly NewJob[]): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      for (const change of changes) {
        await trx
          .insertInto('cpd_attendance')
          .values({
            session_id: sessionId,
            booking_id: change.bookingId,
            person_aad_id: change.personAadId,
            status: change.to,
            recorded_by_aad_id: actorAadId,
            recorded_at: now,
          })
          .onConflict((oc) => oc.columns(['session_id', 'booking_id']).doUpdateSet({ status: change.to, recorded_by_aad_id: actorAadId, recorded_at: now }))
          .execute();
        await trx
          .insertInto('audit_log')
          .values({
            at: now,
            actor_aad_id: actorAadId,
            action: change.from === null ? 'cpd.attendance.marked' : 'cpd.attendance.corrected',
            subject_type: 'cpd_booking',
            subject_id: change.bookingId,
            details: JSON.stringify({ sessionId, from: change.from, to: change.to }),
          })
          .execute();
      }
      for (const job of jobs) await enqueueJob(trx, job, this.clock, this.ids);
    });
  }

  /** Whether the register shows this person present at this session. */
  async attended(sessionId: string, personAadId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('cpd_attendance')
      .select('status')
      .where('session_id', '=', sessionId)
      .where('person_aad_id', '=', personAadId)
      .where('status', '=', 'present')
      .executeTakeFirst();
    return row !== undefined;
  }
}
