import type { JobHandler } from '../../jobs/worker.js';
import type { Notifier } from '../../shared/bot-contract.js';
import type { Logger } from '../../shared/logger.js';
import { payloadJob } from '../../shared/payload-job.js';
import type { TrustProfile } from '../../trust/trust-profile.schema.js';
import type { PeopleService } from '../people/people.service.js';
import { joinRequestCard } from './communities.cards.js';
import { NOTIFY_DECISION_JOB, NOTIFY_LEADS_JOB } from './communities.repository.js';
import { requestJobSchema } from './communities.schemas.js';
import type { CommunityService } from './communities.service.js';

export interface CommunityJobDeps {
  communities: CommunityService;
  notifier: Notifier;
  people: PeopleService;
  profile: TrustProfile;
  logger: Logger;
}

/**
 * A join request reaches the community's leads as a card with Approve / Decline (the Development
 * Team when it names no leads, or none of them can be reached); the requester is told the outcome.
 */
export function communityJobs(deps: CommunityJobDeps): Record<string, JobHandler> {
  return {
    [NOTIFY_LEADS_JOB]: payloadJob({
      schema: requestJobSchema,
      logger: deps.logger,
      run: async ({ requestId }) => {
        const request = await deps.communities.findRequest(requestId);
        const community = request ? deps.communities.find(request.communityId) : undefined;
        if (!request || !community || request.status !== 'pending') return;
        const card = joinRequestCard(deps.profile, community, request);
        let reached = 0;
        for (const lead of community.leads) if (await deps.notifier.sendToPerson(lead.toLowerCase(), { kind: 'card', card })) reached += 1;
        if (reached > 0) return;
        const team = await deps.people.listByRole('development_team', 20);
        if (!team.ok) throw new Error('directory unavailable: join request not delivered yet');
        for (const person of team.value) if (await deps.notifier.sendToPerson(person.aadObjectId, { kind: 'card', card })) reached += 1;
        if (reached === 0) deps.logger.warn({ requestId, communityId: community.id, code: 'no_lead_reachable' }, 'no lead of the community can be reached');
      },
    }),
    [NOTIFY_DECISION_JOB]: payloadJob({
      schema: requestJobSchema,
      logger: deps.logger,
      run: async ({ requestId }) => {
        const request = await deps.communities.findRequest(requestId);
        const community = request ? deps.communities.find(request.communityId) : undefined;
        if (!request || !community || request.status === 'pending') return;
        const text =
          request.status === 'approved'
            ? `Good news: you are now a member of the ${community.name}. Type "my networks" to see when it meets next.`
            : `The leads of the ${community.name} have not added you this time. Ask them or the ${deps.profile.trust.teamName} if you would like to know more.`;
        const delivered = await deps.notifier.sendToPerson(request.aadObjectId, { kind: 'text', text });
        if (!delivered) deps.logger.info({ requestId, code: 'requester_unreachable' }, 'requester has no chat with the app');
      },
    }),
  };
}
