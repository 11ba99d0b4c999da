import type { TeamsAdapter } from '@microsoft/teams-ai';
import { CardFactory, type ConversationReference, type TurnContext } from 'botbuilder';
import type { AdaptiveCard, BotReply, ChannelAddress, DeliveryOutcome, MessageTarget, Notifier } from '../shared/bot-contract.js';
import type { Logger } from '../shared/logger.js';
import { send, withSendRetry } from './send.js';
import type { ConversationReferenceStore } from './conversation-references.js';

/**
 * Proactive messages over stored conversation references. The connector client retries
 * 429/5xx itself (honouring Retry-After); a send that still fails throws so a durable job
 * can try again later.
 */
export class TeamsNotifier implements Notifier {
  constructor(
    private readonly adapter: TeamsAdapter,
    private readonly botAppId: string,
    private readonly references: ConversationReferenceStore,
    private readonly logger: Logger,
  ) {}

  sendToPerson(aadObjectId: string, reply: BotReply): Promise<boolean> {
    return this.sendToConversation(`person:${aadObjectId}`, reply);
  }

  async sendToConversation(referenceKey: string, reply: BotReply): Promise<boolean> {
    const reference = await this.references.find(referenceKey);
    if (!reference) {
      this.logger.info({ referenceKey }, 'no conversation reference: app not installed there');
      return false;
    }
    await this.inConversation(reference, (context) => send(context, reply));
    return true;
  }

  async postToChannel(channel: ChannelAddress, reply: BotReply): Promise<string | undefined> {
    const reference = await this.channelReference(channel);
    if (!reference) return undefined;
    let id: string | undefined;
    await this.inConversation(reference, async (context) => {
      const activity = reply.kind === 'card' ? { attachments: [CardFactory.adaptiveCard(reply.card)] } : { text: reply.text };
      const response = await withSendRetry(() => context.sendActivity(activity));
      id = response?.id;
    });
    if (!id) throw new Error('channel post returned no activity id');
    return id;
  }

  async updateInChannel(channel: ChannelAddress, activityId: string, card: AdaptiveCard): Promise<boolean> {
    const reference = await this.channelReference(channel);
    if (!reference) return false;
    await this.inConversation(reference, async (context) => {
      await withSendRetry(() => context.updateActivity({ id: activityId, type: 'message', attachments: [CardFactory.adaptiveCard(card)] }));
    });
    return true;
  }

  async replyInThread(channel: ChannelAddress, activityId: string, reply: BotReply): Promise<boolean> {
    const reference = await this.channelReference(channel);
    if (!reference) return false;
    // A channel thread is its own conversation: the channel id with the root post's id.
    const thread = { ...reference, conversation: { ...reference.conversation!, id: `${channel.channelId};messageid=${activityId}` } };
    await this.inConversation(thread, (context) => send(context, reply));
    return true;
  }

  teamsUserIdsOf(aadObjectIds: readonly string[]): Promise<string[]> {
    return this.references.teamsUserIdsOf(aadObjectIds);
  }

  async canReachChannel(channel: ChannelAddress): Promise<boolean> {
    return (await this.channelReference(channel)) !== undefined;
  }

  async deliver(target: MessageTarget, reply: BotReply): Promise<DeliveryOutcome> {
    const reference = await this.referenceFor(target);
    if (!reference) return { kind: 'unreachable', reason: 'no_conversation' };
    let id: string | undefined;
    try {
      await this.inConversation(reference, async (context) => {
        const activity = reply.kind === 'card' ? { attachments: [CardFactory.adaptiveCard(reply.card)] } : { text: reply.text };
        id = (await context.sendActivity(activity))?.id;
      });
    } catch (error) {
      const unreachable = unreachableReason(error);
      if (!unreachable) throw error;
      // 403: the person removed or blocked the app; its reference would fail every time from now on.
      if (unreachable === 'app_removed' && target.kind === 'person') await this.references.forget(`person:${target.aadObjectId}`);
      return { kind: 'unreachable', reason: unreachable };
    }
    if (!id) throw new Error('proactive send returned no activity id');
    return { kind: 'sent', activityId: id };
  }

  async updateMessage(target: MessageTarget, activityId: string, card: AdaptiveCard): Promise<boolean> {
    const reference = await this.referenceFor(target);
    if (!reference) return false;
    await this.inConversation(reference, async (context) => {
      await context.updateActivity({ id: activityId, type: 'message', attachments: [CardFactory.adaptiveCard(card)] });
    });
    return true;
  }

  async deleteMessage(target: MessageTarget, activityId: string): Promise<boolean> {
    const reference = await this.referenceFor(target);
    if (!reference) return false;
    try {
      await this.inConversation(reference, (context) => context.deleteActivity(activityId));
    } catch (error) {
      // Already gone (deleted by hand, chat removed): recalled all the same.
      if (unreachableReason(error) === 'conversation_gone') return true;
      throw error;
    }
    return true;
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

  private referenceFor(target: MessageTarget): Promise<Partial<ConversationReference> | undefined> {
    return target.kind === 'person' ? this.references.find(`person:${target.aadObjectId}`) : this.channelReference(target.channel);
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
    let failure: Error | undefined;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      try {
        await work(context);
      } catch (error) {
        failure = error instanceof Error ? error : new Error('proactive send failed', { cause: error });
      }
    });
    if (failure) throw failure;
  }
}

/** The connector's answers that say a message can never arrive there (as opposed to "later"). */
function unreachableReason(error: unknown): 'app_removed' | 'conversation_gone' | undefined {
  const status = (error as { statusCode?: unknown })?.statusCode;
  if (status === 403) return 'app_removed';
  if (status === 404) return 'conversation_gone';
  return undefined;
}
