import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { Clock, IdGenerator } from '../../../shared/clock.js';
import type { PersonSummary } from '../../people/people.service.js';
import type { Criterion } from '../evaluation/evaluation.domain.js';

/** Illustrative "do differently" answers for the sample feedback (demo data, not anyone's words). */
const SAMPLE_REFLECTIONS = [
  'Model the first example live before the class tries it.',
  'Use the shared planning template with my year group partner.',
  'Check phonics groupings every three weeks instead of every half term.',
  '',
  'Build in two minutes of retrieval at the start of each lesson.',
];

/**
 * History for a local run, relative to the seeding day like the sample catalogue: the sessions
 * already over get confirmed places for a few sample people, a register (most present, one absent),
 * feedback from most of those present, and one impact check-in, so "my CPD" and the evaluation
 * summary show something. Runs only when no register has been taken yet.
 */
export async function loadSampleFollowUp(
  db: Db,
  clock: Clock,
  ids: IdGenerator,
  people: readonly PersonSummary[],
  criteria: readonly Criterion[],
  recorder: string,
): Promise<{ loaded: boolean; attendance: number; feedback: number }> {
  const taken = await db.selectFrom('cpd_attendance').select('session_id').limit(1).executeTakeFirst();
  if (taken || people.length === 0) return { loaded: false, attendance: 0, feedback: 0 };
  const now = clock.now();
  const past = await sql<{ id: string; offering_id: string; starts_at: Date; ends_at: Date }>`
    select s.id, s.offering_id, s.starts_at, s.ends_at from cpd_session s
    join cpd_offering o on o.id = s.offering_id
    where s.ends_at < ${now} and o.status = 'scheduled'
    order by s.starts_at`.execute(db);
  let attendance = 0;
  let feedback = 0;
  await db.transaction().execute(async (trx) => {
    const bookingOf = new Map<string, string>();
    for (const session of past.rows) {
      for (const [i, person] of people.entries()) {
        const key = `${session.offering_id}|${person.aadObjectId}`;
        let bookingId = bookingOf.get(key);
        if (!bookingId) {
          bookingId = ids.newId();
          bookingOf.set(key, bookingId);
          const bookedAt = new Date(new Date(session.starts_at).getTime() - 14 * 86_400_000);
          await trx
            .insertInto('cpd_booking')
            .values({ id: bookingId, offering_id: session.offering_id, person_aad_id: person.aadObjectId, person_name: person.displayName, person_email: null, status: 'confirmed', created_at: bookedAt, updated_at: bookedAt, cancelled_at: null })
            .execute();
        }
        // Everyone present but the last person, who missed one session in two.
        const present = i < people.length - 1 || attendance % 2 === 0;
        const at = new Date(session.ends_at);
        await trx
          .insertInto('cpd_attendance')
          .values({ session_id: session.id, booking_id: bookingId, person_aad_id: person.aadObjectId, status: present ? 'present' : 'absent', recorded_by_aad_id: recorder, recorded_at: at })
          .execute();
        attendance += 1;
        if (!present || i % 3 === 2) continue;
        const scores = Object.fromEntries(criteria.map((c, j) => [c.id, 3 + ((i + j) % 3)]));
        const reflection = SAMPLE_REFLECTIONS[(i + feedback) % SAMPLE_REFLECTIONS.length] ?? '';
        await trx
          .insertInto('cpd_feedback')
          .values({ session_id: session.id, person_aad_id: person.aadObjectId, offering_id: session.offering_id, scores: JSON.stringify(scores), do_differently: reflection || null, submitted_at: at, updated_at: at })
          .execute();
        feedback += 1;
        if (feedback === 1) {
          await trx
            .insertInto('cpd_impact_check_in')
            .values({ session_id: session.id, person_aad_id: person.aadObjectId, offering_id: session.offering_id, applied: 'yes', pupil_change: 'More pupils explain their reasoning aloud in maths.', answered_at: now })
            .execute();
        }
      }
    }
  });
  return { loaded: true, attendance, feedback };
}
