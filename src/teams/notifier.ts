import type { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter.js';
import { CardFactory, type ConversationReference, type TurnContext } from 'botbuilder';
import type { AdaptiveCard, BotReply, ChannelAddress, MessageTarget, Notifier, ProactiveSendOptions, SendOutcome, UnreachableReason } from '../shared/bot-contract.js';
import type { Logger } from '../shared/logger.js';
import { RetryLaterError } from '../jobs/worker.js';
import { THROTTLE_STATUSES, parseRetryAfter } from '../pacing/pacing.domain.js';
import type { SendPacer } from '../pacing/send-pacer.js';
import type { ConversationReferenceStore } from './conversation-references.js';

interface RestErrorLike {
  statusCode?: number;
  response?: { headers?: { get(name: string): string | undefined } };
}

/** How long a reference read by preparePeople stands in for a query of its own (it is used once). */
const PREPARED_MS = 5_000;

/**
 * Proactive messages over stored conversation references, paced by the SendPacer: each call to
 * Teams waits for its slot in the tenant-wide schedule and its conversation's windows, and is made
 * once. Nothing retries in-process (the proactive connector has no retry policy, see adapter.ts):
 * a throttle pauses every instance and throws RetryLaterError, so the durable job comes back after
 * the pause instead of this process hammering a throttled tenant. 403/404 are outcomes, not errors.
 */
export class TeamsNotifier implements Notifier {
  private readonly prepared = new Map<string, { reference: Partial<ConversationReference> | undefined; until: number }>();

  constructor(
    private readonly adapter: TeamsAdapter,
    private readonly botAppId: string,
    private readonly references: ConversationReferenceStore,
    private readonly pacer: SendPacer,
    private readonly logger: Logger,
  ) {}

  sendToPerson(aadObjectId: string, reply: BotReply, options: ProactiveSendOptions = {}): Promise<SendOutcome> {
    return this.sendToConversation(`person:${aadObjectId}`, reply, options);
  }

  async preparePeople(aadObjectIds: readonly string[]): Promise<void> {
    const now = this.pacer.nowMs();
    for (const [key, entry] of this.prepared) if (entry.until < now) this.prepared.delete(key);
    const keys = aadObjectIds.map((id) => `person:${id}`);
    const found = await this.references.findMany(keys);
    for (const key of keys) this.prepared.set(key, { reference: found.get(key), until: now + PREPARED_MS });
  }

  async sendToConversation(referenceKey: string, reply: BotReply, options: ProactiveSendOptions = {}): Promise<SendOutcome> {
    const reference = await this.lookUp(referenceKey);
    if (!reference) {
      this.logger.info({ referenceKey }, 'no conversation reference: app not installed there');
      return unreachable('no_conversation_reference');
    }
    const outcome = await this.paced(reference, options, (context) => context.sendActivity(activityOf(reply)));
    // The person removed or blocked the app: remember it, so later sends stop at once (a reinstall clears it).
    if (outcome.kind === 'unreachable' && referenceKey.startsWith('person:')) await this.references.forget(referenceKey);
    return outcome;
  }

  async postToChannel(channel: ChannelAddress, reply: BotReply, options: ProactiveSendOptions = {}): Promise<SendOutcome> {
    const reference = await this.channelReference(channel);
    if (!reference) return unreachable('no_conversation_reference');
    return this.paced(reference, options, (context) => context.sendActivity(activityOf(reply)));
  }

  async replyInThread(channel: ChannelAddress, activityId: string, reply: BotReply, options: ProactiveSendOptions = {}): Promise<SendOutcome> {
    const reference = await this.channelReference(channel);
    if (!reference) return unreachable('no_conversation_reference');
    // A channel thread is its own conversation: the channel id with the root post's id.
    const thread = { ...reference, conversation: { ...reference.conversation!, id: `${channel.channelId};messageid=${activityId}` } };
    return this.paced(thread, options, (context) => context.sendActivity(activityOf(reply)));
  }

  teamsUserIdsOf(aadObjectIds: readonly string[]): Promise<string[]> {
    return this.references.teamsUserIdsOf(aadObjectIds);
  }

  async canReachChannel(channel: ChannelAddress): Promise<boolean> {
    return (await this.channelReference(channel)) !== undefined;
  }

  async updateMessage(target: MessageTarget, activityId: string, card: AdaptiveCard, options: ProactiveSendOptions = {}): Promise<SendOutcome> {
    const reference = await this.referenceFor(target);
    if (!reference) return unreachable('no_conversation_reference');
    const outcome = await this.paced(reference, options, (context) =>
      context.updateActivity({ id: activityId, type: 'message', attachments: [CardFactory.adaptiveCard(card)] }),
    );
    // An update answers 200 with no id of its own: the card keeps the activity id it had.
    return outcome.kind === 'sent' ? { kind: 'sent', activityId } : outcome;
  }

  async deleteMessage(target: MessageTarget, activityId: string, options: ProactiveSendOptions = {}): Promise<SendOutcome> {
    const reference = await this.referenceFor(target);
    if (!reference) return unreachable('no_conversation_reference');
    const outcome = await this.paced(reference, options, async (context) => {
      await context.deleteActivity(activityId);
    });
    return outcome.kind === 'sent' ? { kind: 'sent', activityId } : outcome;
  }

  async adoptPersonalChat(aadObjectId: string, chatId: string, tenantId: string | undefined): Promise<boolean> {
    const template = await this.references.latestInTenant(tenantId);
    if (!template?.serviceUrl) return false;
    const reference: Partial<ConversationReference> = {
      channelId: template.channelId ?? 'msteams',
      serviceUrl: template.serviceUrl,
      ...(template.bot ? { bot: template.bot } : {}),
      user: { id: '', name: '', aadObjectId },
      conversation: { id: chatId, conversationType: 'personal', isGroup: false, name: '', ...(tenantId ? { tenantId } : {}) },
    };
    await this.references.remember(reference, { scope: 'personal', aadObjectId, teamId: undefined, tenantId }, { installing: true });
    return true;
  }

  /** A reference read by preparePeople (once, while fresh), else from the store. */
  private lookUp(key: string): Promise<Partial<ConversationReference> | undefined> {
    const entry = this.prepared.get(key);
    if (entry) {
      this.prepared.delete(key);
      if (entry.until >= this.pacer.nowMs()) return Promise.resolve(entry.reference);
    }
    return this.references.find(key);
  }

  private referenceFor(target: MessageTarget): Promise<Partial<ConversationReference> | undefined> {
    return target.kind === 'person' ? this.references.find(`person:${target.aadObjectId}`) : this.channelReference(target.channel);
  }

  /** One paced call to Teams: wait for the slot, call once, turn the answer into an outcome. */
  private async paced(
    reference: Partial<ConversationReference>,
    options: ProactiveSendOptions,
    call: (context: TurnContext) => Promise<{ id?: string } | undefined | void>,
  ): Promise<SendOutcome> {
    const conversationId = reference.conversation?.id ?? '';
    await this.pacer.acquire(conversationId, options.priority ?? 'notice');
    let id: string | undefined;
    try {
      await this.inConversation(reference, async (context) => {
        id = (await call(context))?.id;
      });
    } catch (error) {
      const status = (error as RestErrorLike)?.statusCode;
      if (status === 403 || status === 404) {
        const reason: UnreachableReason = status === 403 ? 'app_removed_or_blocked' : 'conversation_gone';
        this.logger.info({ status, reason }, 'proactive message cannot be delivered: recorded as unreachable');
        return unreachable(reason);
      }
      if (status !== undefined && THROTTLE_STATUSES.has(status)) {
        const retryAfter = parseRetryAfter((error as RestErrorLike).response?.headers?.get('retry-after'), this.pacer.nowMs());
        const pauseMs = await this.pacer.throttled(retryAfter);
        throw new RetryLaterError(`connector answered ${status}`, pauseMs, { countsAsAttempt: false });
      }
      throw error;
    }
    this.pacer.succeeded();
    return { kind: 'sent', activityId: id ?? '' };
  }

  /**
   * A channel is reached with a reference captured in it, or else with the team's: installing the
   * app in a team gives the reference of its General channel (whose id is the team id), and any
   * other channel of that team is reached with it and the channel's id.
   */
  private async channelReference(channel: ChannelAddress): Promise<Partial<ConversationReference> | undefined> {
    const reference = (await this.references.find(`conversation:${channel.channelId}`)) ?? (await this.references.find(`conversation:${channel.teamId}`));
    if (!reference) {
      this.logger.info({ teamId: channel.teamId, channelId: channel.channelId }, 'no conversation reference for the channel or its team: app not installed there');
      return undefined;
    }
    return { ...reference, conversation: { ...reference.conversation!, id: channel.channelId } };
  }

  private async inConversation(reference: Partial<ConversationReference>, work: (context: TurnContext) => Promise<void>): Promise<void> {
    // Catch inside the turn: otherwise the adapter's onTurnError (set by app.error) swallows the
    // failure and the caller would believe the message was delivered.
    let failure: unknown;
    let failed = false;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      try {
        await work(context);
      } catch (error) {
        failed = true;
        failure = error;
      }
    });
    if (failed) throw failure instanceof Error ? failure : new Error('proactive send failed', { cause: failure });
  }
}

// A sign-in card belongs to one person's turn, never to a proactive post: only its words are sent.
function activityOf(reply: BotReply): { attachments: ReturnType<typeof CardFactory.adaptiveCard>[] } | { text: string } {
  return reply.kind === 'card' ? { attachments: [CardFactory.adaptiveCard(reply.card)] } : { text: reply.text };
}

function unreachable(reason: UnreachableReason): SendOutcome {
  return { kind: 'unreachable', reason };
}
