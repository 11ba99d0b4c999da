import type { TeamsAdapter } from '@microsoft/teams-ai';
import type { BotReply, Notifier } from '../shared/bot-contract.js';
import type { Logger } from '../shared/logger.js';
import { send } from './send.js';
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
    // Catch inside the turn: otherwise the adapter's onTurnError (set by app.error) swallows the
    // failure and the caller would believe the message was delivered.
    let failure: Error | undefined;
    await this.adapter.continueConversationAsync(this.botAppId, reference, async (context) => {
      try {
        await send(context, reply);
      } catch (error) {
        failure = error instanceof Error ? error : new Error('proactive send failed', { cause: error });
      }
    });
    if (failure) throw failure;
    return true;
  }
}
