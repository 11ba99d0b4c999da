import { enqueueJob } from '../../jobs/outbox.js';
import { RetryLaterError, type JobHandler } from '../../jobs/worker.js';
import type { Db } from '../../db/database.js';
import type { Notifier, SendOutcome } from '../../shared/bot-contract.js';
import type { Clock, IdGenerator } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import type { TrustProfile } from '../../trust/trust-profile.schema.js';
import type { PeopleService } from '../people/people.service.js';
import type { VisitQuestionService } from './visit-questions.service.js';
import { changeNotice } from './visits.bot.js';
import { MAX_REFRESH_USERS, questionCard, triageChannelMissingCard, visitCard } from './visits.cards.js';
import type { InclusionVisitRequest } from './visits.repository.js';
import {
  questionJobPayloadSchema,
  VISITS_ANSWER_JOB,
  VISITS_CHANNEL_CARD_JOB,
  VISITS_NOTIFY_REQUESTER_JOB,
  VISITS_QUESTION_JOB,
  VISITS_RETENTION_JOB,
  VISITS_TELL_ADMINS_JOB,
  visitJobPayloadSchema,
} from './visits.schemas.js';
import { channelCardJob, type VisitService } from './visits.service.js';

export interface VisitJobDeps {
  visits: VisitService;
  questions: VisitQuestionService;
  people: PeopleService;
  notifier: Notifier;
  profile: TrustProfile;
  db: Db;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
}

/** How long a channel card waits before trying again when the app is not (yet) installed in the team. */
const NOT_INSTALLED_RETRY_MS = 2 * 60_000;
/**
 * The admins hear about an unreachable triage channel this long after a start, not at once: the
 * messages that queued up while the app restarted are answered first, instead of waiting behind the
 * notice's queries and card.
 */
export const START_NOTICE_DELAY_MS = 10_000;
const DAY_MS = 24 * 60 * 60_000;

/**
 * The proactive side of visit requests, all through the durable outbox: the triage card in the
 * Inclusion team's channel (posted once, then updated in place for everyone on each change), the
 * requester's 1:1 update, and the daily retention sweep. Every job renders the request as it is
 * when the job runs, so a late job never shows an old state.
 */
export function visitJobs(deps: VisitJobDeps): Record<string, JobHandler> {
  const { visits, notifier, profile, logger } = deps;
  const channel = { teamId: profile.inclusion.triageChannel.teamId, channelId: profile.inclusion.triageChannel.channelId };

  return {
    [VISITS_CHANNEL_CARD_JOB]: {
      run: async (job) => {
        const payload = visitJobPayloadSchema.safeParse(job.payload);
        if (!payload.success) return logger.error({ jobId: job.id }, 'visit channel-card job has an unreadable payload: dropped');
        const visit = await visits.find(payload.data.visitId);
        if (!visit || visit.erasedAt) return;
        // A newer change has its own job, which will show the newer state.
        if (visit.channelActivityId && visit.version > payload.data.version) return;
        const card = visitCard(profile, visit, { triage: true, today: visits.today(), notice: changeNotice(visit), refreshFor: await refreshUsers(deps, visit) });
        let outcome: SendOutcome;
        if (visit.channelActivityId) {
          outcome = await notifier.updateMessage({ kind: 'channel', channel }, visit.channelActivityId, card);
          if (outcome.kind === 'sent') return;
        } else {
          outcome = await notifier.postToChannel(channel, { kind: 'card', card });
          if (outcome.kind === 'sent') {
            await visits.recordChannelCard(visit.id, outcome.activityId);
            return;
          }
        }
        // The triage channel is the trust's configured place for requests: keep trying (bounded by the job's attempts).
        logger.warn({ visitId: visit.id, teamId: channel.teamId, code: outcome.reason }, 'Inclusion triage channel not reachable; will retry');
        throw new RetryLaterError('app not installed in the triage team', NOT_INSTALLED_RETRY_MS);
      },
    },
    [VISITS_NOTIFY_REQUESTER_JOB]: {
      run: async (job) => {
        const payload = visitJobPayloadSchema.safeParse(job.payload);
        if (!payload.success) return logger.error({ jobId: job.id }, 'visit notify job has an unreadable payload: dropped');
        const visit = await visits.find(payload.data.visitId);
        if (!visit || visit.erasedAt || visit.version > payload.data.version) return;
        const card = visitCard(profile, visit, {
          triage: false,
          today: visits.today(),
          notice: `Update on your visit request: ${changeNotice(visit)}`,
          ...(visit.requesterTeamsId ? { refreshFor: [visit.requesterTeamsId] } : {}),
        });
        const outcome = await notifier.sendToPerson(visit.requesterAadId, { kind: 'card', card });
        if (outcome.kind === 'unreachable') {
          logger.info({ visitId: visit.id, code: outcome.reason }, 'requester cannot be reached in a 1:1 chat with Development Hub: update not sent');
        }
      },
    },
    [VISITS_QUESTION_JOB]: {
      run: async (job) => {
        const payload = questionJobPayloadSchema.safeParse(job.payload);
        if (!payload.success) return logger.error({ jobId: job.id }, 'visit question job has an unreadable payload: dropped');
        const visit = await visits.find(payload.data.visitId);
        const question = await deps.questions.find(payload.data.questionId);
        if (!visit || !question || visit.erasedAt || question.answeredAt || !question.question) return;
        const asked = await notifier.sendToPerson(visit.requesterAadId, { kind: 'card', card: questionCard(profile, { visit, question }) });
        if (asked.kind === 'sent') return;
        // The requester has no chat with the app (or removed it): tell the Inclusion team under the card rather than drop it.
        logger.info({ visitId: visit.id, questionId: question.id, code: asked.reason }, 'requester cannot be reached in a 1:1 chat with Development Hub: question not delivered');
        if (visit.channelActivityId) {
          await notifier.replyInThread(channel, visit.channelActivityId, {
            kind: 'text',
            text: `I could not send the question to ${visit.requesterName}: they have not opened a chat with Development Hub. Please contact them directly${visit.contact ? ` (${visit.contact})` : ''}.`,
          });
        }
      },
    },
    [VISITS_ANSWER_JOB]: {
      run: async (job) => {
        const payload = questionJobPayloadSchema.safeParse(job.payload);
        if (!payload.success) return logger.error({ jobId: job.id }, 'visit answer job has an unreadable payload: dropped');
        const visit = await visits.find(payload.data.visitId);
        const question = await deps.questions.find(payload.data.questionId);
        if (!visit || !question || visit.erasedAt || question.answer === null) return;
        const text = `**${visit.requesterName} answered** (${visit.reference}) ${question.askedByName}'s question "${question.question ?? ''}":\n\n${question.answer}`;
        // The card has not been posted yet (app not installed in the team): wait for it, as the card does.
        const replied = visit.channelActivityId ? await notifier.replyInThread(channel, visit.channelActivityId, { kind: 'text', text }) : undefined;
        if (replied?.kind === 'sent') return;
        logger.warn({ visitId: visit.id, teamId: channel.teamId, code: replied?.reason ?? 'no_channel_card' }, 'Inclusion triage channel card not reachable for the answer; will retry');
        throw new RetryLaterError('triage card not posted yet', NOT_INSTALLED_RETRY_MS);
      },
    },
    [VISITS_RETENTION_JOB]: {
      run: async () => {
        await visits.eraseExpired();
        await scheduleRetention(deps, new Date(deps.clock.now().getTime() + DAY_MS));
      },
    },
    [VISITS_TELL_ADMINS_JOB]: {
      run: async () => {
        // Installed in the team since the start that queued this: nothing to tell.
        if (await notifier.canReachChannel(channel)) return;
        await tellAdmins(deps);
      },
    },
  };
}

/**
 * Who sees their own view of the channel card: the requester first (never cut off), then the
 * Inclusion team members whose Teams ids the app knows (from their 1:1 chats), at most 60.
 */
async function refreshUsers(deps: VisitJobDeps, visit: InclusionVisitRequest): Promise<string[]> {
  const team = await deps.people.listByRole('inclusion_team', MAX_REFRESH_USERS);
  const known = team.ok ? await deps.notifier.teamsUserIdsOf(team.value.map((p) => p.aadObjectId)) : [];
  return [...new Set([...(visit.requesterTeamsId ? [visit.requesterTeamsId] : []), ...known])].slice(0, MAX_REFRESH_USERS);
}

/** One retention run per day: the idempotency key is the day, so every instance's start-up schedules it once. */
export function scheduleRetention(deps: Pick<VisitJobDeps, 'db' | 'clock' | 'ids'>, runAt: Date): Promise<void> {
  const day = runAt.toISOString().slice(0, 10);
  return enqueueJob(deps.db, { kind: VISITS_RETENTION_JOB, payload: {}, idempotencyKey: `${VISITS_RETENTION_JOB}:${day}`, runAt }, deps.clock, deps.ids);
}

/**
 * At start-up: say plainly when the triage channel cannot be reached, post the cards of requests
 * still waiting for one, and make sure the retention sweep is scheduled. Only jobs are queued here:
 * the admins' cards, like the channel cards, are sent by the worker once the app listens, so a slow
 * or unreachable Teams never holds up the start (nor does rendering the card).
 */
export async function startVisits(deps: VisitJobDeps): Promise<void> {
  const triage = deps.profile.inclusion.triageChannel;
  if (!(await deps.notifier.canReachChannel({ teamId: triage.teamId, channelId: triage.channelId }))) {
    deps.logger.warn(
      { teamId: triage.teamId, channelId: triage.channelId, code: 'triage_channel_not_installed' },
      'Development Hub is not installed in the Inclusion triage team: visit requests are kept and posted once it is',
    );
    const now = deps.clock.now();
    await enqueueJob(
      deps.db,
      { kind: VISITS_TELL_ADMINS_JOB, payload: {}, idempotencyKey: `${VISITS_TELL_ADMINS_JOB}:start:${now.toISOString()}`, runAt: new Date(now.getTime() + START_NOTICE_DELAY_MS) },
      deps.clock,
      deps.ids,
    );
  }
  for (const visit of await deps.visits.awaitingChannelCard()) {
    await enqueueJob(deps.db, { ...channelCardJob(visit), idempotencyKey: `${VISITS_CHANNEL_CARD_JOB}:${visit.id}:start:${deps.clock.now().toISOString()}` }, deps.clock, deps.ids);
  }
  await scheduleRetention(deps, deps.clock.now());
}

/** Once per start (its job): each trust admin with a 1:1 chat gets a card saying the triage channel is unreachable and what to do. */
async function tellAdmins(deps: VisitJobDeps): Promise<void> {
  const admins = await deps.people.listByRole('admin');
  if (!admins.ok) {
    deps.logger.warn({ code: admins.code }, 'cannot list the trust admins to tell them about the triage channel');
    return;
  }
  // Rendering the card is the costly part (its template is prepared on first use): only when an admin can get it.
  if ((await deps.notifier.teamsUserIdsOf(admins.value.map((a) => a.aadObjectId))).length === 0) {
    deps.logger.info({ admins: admins.value.length, told: 0, code: 'triage_channel_not_installed' }, 'no trust admin has a chat with Development Hub to be told the triage channel is not reachable');
    return;
  }
  const card = triageChannelMissingCard(deps.profile, (await deps.visits.awaitingChannelCard()).length);
  let told = 0;
  for (const admin of admins.value) {
    try {
      if ((await deps.notifier.sendToPerson(admin.aadObjectId, { kind: 'card', card })).kind === 'sent') told++;
    } catch (error) {
      // One admin's failed send must not stop the app starting.
      deps.logger.warn({ err: error, aadObjectId: admin.aadObjectId }, 'could not send the triage-channel card to an admin');
    }
  }
  deps.logger.info({ admins: admins.value.length, told, code: 'triage_channel_not_installed' }, 'trust admins told the triage channel is not reachable');
}
