import type { Clock } from '../../shared/clock.js';
import type { TrustProfile } from '../../trust/trust-profile.schema.js';
import type { PeopleService } from '../people/people.service.js';
import type { CommissionRepository } from './commissions.repository.js';
import type { CommissionService } from './commissions.service.js';

const DAY_MS = 24 * 3600_000;

/**
 * Local runs and demos: a few commissions at different stages for the sample leaders' academies, made
 * through the service as the sample people would (so they are logged and audited like real ones).
 * Only into an empty table, and only with the sample directory.
 */
export async function loadSampleCommissions(deps: { repository: CommissionRepository; service: CommissionService; people: PeopleService; profile: TrustProfile; clock: Clock }): Promise<void> {
  if (deps.people.directory !== 'sample' || (await deps.repository.count()) > 0) return;
  const leaders = await deps.people.listByRole('academy_leader');
  const directors = await deps.people.listByRole('director_of_education');
  if (!leaders.ok || !directors.ok || directors.value.length === 0) return;
  const director = await deps.people.get(directors.value[0].aadObjectId);
  if (!director.ok) return;
  const types = deps.profile.bespokeSupport.types.filter((t) => t.recipient === 'academy');
  const day = (offset: number) => new Date(deps.clock.now().getTime() + offset * DAY_MS).toISOString().slice(0, 10);
  for (const [index, summary] of leaders.value.entries()) {
    const leader = await deps.people.get(summary.aadObjectId);
    const academyId = leader.ok ? leader.value.leaderOfAcademyIds[0] : undefined;
    if (!leader.ok || !academyId) continue;
    const raised = await deps.service.raise(leader.value, {
      submissionKey: `sample-${index}-a`,
      academyId,
      supportTypeId: types[index % types.length].id,
      need: 'Reading outcomes at the end of Key Stage 1 fell below the trust average; phonics teaching is inconsistent across Year 1 classes.',
      evidence: 'Self-evaluation (autumn), the termly academy visit, and phonics screening check results for the last two years.',
    });
    await deps.service.raise(leader.value, {
      submissionKey: `sample-${index}-b`,
      academyId,
      supportTypeId: types[(index + 1) % types.length].id,
      need: 'Middle leaders new to post need support to lead curriculum subjects with confidence.',
      evidence: 'Leadership review in the termly academy visit.',
    });
    if (!raised.ok || index > 0) continue;
    // The first academy's first commission is agreed and under way, so the tab shows a timeline and measures.
    const agreed = await deps.service.step(director.value, raised.value.commission.id, 1, {
      step: 'agree',
      body: {
        version: 1,
        measures: [
          { description: 'Year 1 phonics screening pass rate', baseline: '68%', target: '82%', reviewDate: day(120) },
          { description: 'Lessons observed with consistent phonics routines', baseline: '4 of 8', target: '8 of 8', reviewDate: day(60) },
        ],
        assignedStaff: ['Trust English Lead'],
        startDate: day(-30),
        endDate: day(150),
        note: 'Agreed at the Academy Improvement Board.',
      },
    });
    if (!agreed.ok) continue;
    const started = await deps.service.step(director.value, raised.value.commission.id, agreed.value.commission.version, { step: 'start', note: '' });
    if (started.ok) await deps.service.recordReview(director.value, raised.value.commission.id, started.value.commission.version, 'First coaching cycle complete; routines now seen in 6 of 8 lessons.');
  }
}
