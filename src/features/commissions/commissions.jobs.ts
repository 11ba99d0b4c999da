import { RetryLaterError, type JobHandler } from '../../jobs/worker.js';
import type { Notifier } from '../../shared/bot-contract.js';
import type { Logger } from '../../shared/logger.js';
import { payloadJob } from '../../shared/payload-job.js';
import type { TrustProfile } from '../../trust/trust-profile.schema.js';
import type { PeopleService } from '../people/people.service.js';
import { changeNotice, commissionCard, tabDeepLink } from './commissions.cards.js';
import type { CommissionRepository } from './commissions.repository.js';
import { COMMISSIONS_CHANNEL_CARD_JOB, COMMISSIONS_NOTIFY_DIRECTOR_JOB, commissionJobPayloadSchema } from './commissions.schemas.js';

export interface CommissionJobDeps {
  repository: CommissionRepository;
  people: PeopleService;
  notifier: Notifier;
  profile: TrustProfile;
  logger: Logger;
  teamsAppId: string | undefined;
}

/** How long a channel card waits before trying again when the app is not (yet) installed in the academy's team. */
const NOT_INSTALLED_RETRY_MS = 2 * 60_000;

/**
 * The proactive side of commissions, through the durable outbox (enqueued in the changing transaction):
 * the Director of Education's card when one is raised, and a card in the academy's channel for each
 * status, with a button that opens the tab on that commission. Payloads carry ids only.
 */
export function commissionJobs(deps: CommissionJobDeps): Record<string, JobHandler> {
  const { repository, notifier, profile, logger } = deps;
  return {
    [COMMISSIONS_NOTIFY_DIRECTOR_JOB]: payloadJob({
      schema: commissionJobPayloadSchema,
      logger,
      run: async ({ commissionId }) => {
        const commission = await repository.find(commissionId);
        if (!commission) return;
        const directors = await deps.people.listByRole('director_of_education');
        if (!directors.ok) throw new RetryLaterError('directory unavailable', NOT_INSTALLED_RETRY_MS);
        const channel = await repository.channelOf(commission.academyId);
        // The Director of Education works across academies: the link opens their personal tab.
        const card = commissionCard(profile, commission, {
          notice: `New request for bespoke support from ${commission.raisedByName}.`,
          tabLink: tabDeepLink(deps.teamsAppId, commission.id, undefined),
        });
        let told = 0;
        for (const director of directors.value) {
          if (await notifier.sendToPerson(director.aadObjectId, { kind: 'card', card })) told++;
        }
        logger.info({ commissionId, directors: directors.value.length, told, channelLinked: channel !== undefined }, 'Director of Education told of a new commission');
      },
    }),
    [COMMISSIONS_CHANNEL_CARD_JOB]: payloadJob({
      schema: commissionJobPayloadSchema,
      logger,
      run: async ({ commissionId, status }) => {
        const commission = await repository.find(commissionId);
        if (!commission) return;
        const channel = await repository.channelOf(commission.academyId);
        if (!channel) {
          logger.info({ commissionId, academyId: commission.academyId, code: 'commission_channel_not_linked' }, 'academy has no commission tab in a channel: status card not posted');
          return;
        }
        // Each change announces its own status, even when a later one has happened since (that has its own card).
        const shown = status ? { ...commission, status } : commission;
        const card = commissionCard(profile, shown, { notice: changeNotice(shown), tabLink: tabDeepLink(deps.teamsAppId, commission.id, channel) });
        const posted = await notifier.postToChannel({ teamId: channel.teamId, channelId: channel.channelId }, { kind: 'card', card });
        if (posted) return;
        logger.warn({ commissionId, teamId: channel.teamId, code: 'commission_channel_not_installed' }, 'academy channel not reachable: app not installed in that team; will retry');
        throw new RetryLaterError('app not installed in the academy team', NOT_INSTALLED_RETRY_MS);
      },
    }),
  };
}
