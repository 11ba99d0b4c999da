// Deep imports: the package index also loads Teams AI's planners, models and tokenizers, which this
// app does not use (about 26 MB resident in every process).
import { Application } from '@microsoft/teams-ai/lib/Application.js';
import { AdaptiveCardActionExecuteResponseType } from '@microsoft/teams-ai/lib/AdaptiveCards.js';
import type { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter.js';
import type { TurnState } from '@microsoft/teams-ai/lib/TurnState.js';
import { ActivityTypes, CardFactory, TurnContext, type Activity, type MessagingExtensionResult } from 'botbuilder';
import type { Db } from '../db/database.js';
import type { AdaptiveCard, BotReply, CardActionRoute, SearchCommandRoute, TurnInfo } from '../shared/bot-contract.js';
import type { Logger } from '../shared/logger.js';
import { referenceKey, type ConversationReferenceStore } from './conversation-references.js';
import { KyselyStorage } from './kysely-storage.js';
import { send } from './send.js';
import { answerFailedTurn, answerUnsupportedInvoke } from './turn-failure.js';
import { turnInfo } from './turn-info.js';

export interface TeamsAppDeps {
  adapter: TeamsAdapter;
  botAppId: string;
  db: Db;
  logger: Logger;
  references: ConversationReferenceStore;
  /** Card verbs and message-extension commands of every feature. */
  actions: readonly CardActionRoute[];
  searchCommands: readonly SearchCommandRoute[];
  /** Answers a chat message (src/teams/message-router.ts); `chosenIntent` comes from a "Did you mean…" button. */
  routeMessage(turn: TurnInfo, text: string, chosenIntent: string | undefined): Promise<BotReply[]>;
  /** The welcome card: shown on install and for an empty message. */
  welcome(turn: TurnInfo): Promise<AdaptiveCard>;
  /** A card telling the person something went wrong and what to do. */
  problem(turn: TurnInfo, reason: 'unexpected' | 'unknown_action'): AdaptiveCard;
}

export type DevelopmentHubApp = Application<TurnState>;

const ACTION_INVOKE = 'adaptiveCard/action';
const COMPOSE_QUERY_INVOKE = 'composeExtension/query';
const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/**
 * Builds the Teams AI Application: routes chat text through the message router, card Action.Execute verbs to feature action routes, and message-extension queries to
 * search commands. Every incoming turn refreshes the stored conversation reference.
 */
export function createTeamsApp(deps: TeamsAppDeps): { app: DevelopmentHubApp } {
  const { logger, references } = deps;
  const app = new Application<TurnState>({
    adapter: deps.adapter,
    botAppId: deps.botAppId,
    storage: new KyselyStorage(deps.db),
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
    adaptiveCards: { actionExecuteResponseType: AdaptiveCardActionExecuteResponseType.REPLACE_FOR_INTERACTOR },
  });

  app.turn('beforeTurn', async (context) => {
    const info = turnInfo(context);
    // Bookkeeping must not cost the person their answer: a reference that cannot be saved now is
    // saved on their next turn; proactive messages wait until then.
    try {
      await references.remember(
        TurnContext.getConversationReference(context.activity),
        {
          scope: info.conversation.scope,
          aadObjectId: info.speaker.aadObjectId,
          teamId: info.conversation.teamId,
          tenantId: info.speaker.tenantId,
        },
        { installing: isInstallEvent(context.activity) },
      );
    } catch (error) {
      logger.error({ err: error, activityType: context.activity.type, code: 'reference_not_saved' }, 'conversation reference not saved');
    }
    return true;
  });

  app.conversationUpdate('membersAdded', async (context) => {
    const info = turnInfo(context);
    const added = context.activity.membersAdded ?? [];
    const botId = context.activity.recipient?.id;
    const botWasAdded = added.some((m) => m.id === botId);
    // In a team, people joining later should not each trigger a channel post; in a 1:1 chat they should.
    const personJoinedOneToOne = info.conversation.scope === 'personal' && added.some((m) => m.id !== botId);
    if (!botWasAdded && !personJoinedOneToOne) return;
    await send(context, { kind: 'card', card: await deps.welcome(info) });
  });

  app.conversationUpdate('membersRemoved', async (context) => {
    const botId = context.activity.recipient?.id;
    if (!(context.activity.membersRemoved ?? []).some((m) => m.id === botId)) return;
    const info = turnInfo(context);
    await references.forget(referenceKey(info.conversation.scope, info.speaker.aadObjectId, info.conversation.id));
  });

  app.activity(ActivityTypes.InstallationUpdate, async (context) => {
    if (context.activity.action !== 'remove') return;
    const info = turnInfo(context);
    await references.forget(referenceKey(info.conversation.scope, info.speaker.aadObjectId, info.conversation.id));
  });

  app.activity(ActivityTypes.Message, async (context) => {
    const info = turnInfo(context);
    const text = messageText(context.activity);
    const replies = text ? await deps.routeMessage(info, text, chosenIntent(context.activity)) : [{ kind: 'card' as const, card: await deps.welcome(info) }];
    for (const reply of replies) await send(context, reply);
  });

  // Teams only sends adaptiveCard/action for Action.Execute; anything else is malformed or tampered.
  app.addRoute(
    async (context) => context.activity.name === ACTION_INVOKE && actionType(context.activity) !== 'Action.Execute',
    async (context) => {
      logger.warn({ actionType: actionType(context.activity) }, 'card action invoke that is not Action.Execute');
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 200, body: { statusCode: 200, type: CARD_CONTENT_TYPE, value: deps.problem(turnInfo(context), 'unknown_action') } },
      });
    },
    true,
  );

  const verbs = new Set<string>();
  for (const route of deps.actions) {
    verbs.add(route.verb);
    app.adaptiveCards.actionExecute(route.verb, async (context, _state, data) => {
      const info = turnInfo(context);
      let card: AdaptiveCard;
      try {
        card = await route.handle(info, data);
      } catch (error) {
        logger.error({ err: error, verb: route.verb }, 'card action failed');
        card = deps.problem(info, 'unexpected');
      }
      // Answer the invoke ourselves. Given a card with `refresh`, Teams AI would also PUT it over the
      // shared message for everyone (REPLACE_FOR_ALL, and then for every later press of this verb),
      // showing one person's booking card to a whole channel. The invoke response replaces the card
      // for the presser only; its refresh.userIds keeps it current for them.
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: card } },
      });
      return card;
    });
  }
  // A button from an old card (or a tampered one) whose verb no longer exists.
  app.adaptiveCards.actionExecute(
    async (context) => context.activity.name === ACTION_INVOKE && !verbs.has(actionVerb(context.activity)),
    async (context) => {
      logger.warn({ verb: actionVerb(context.activity) }, 'unknown card verb');
      return deps.problem(turnInfo(context), 'unknown_action');
    },
  );

  const commands = deps.searchCommands;
  const commandIds = new Set(commands.map((c) => c.commandId));
  // A search from an app package newer or older than this server: say so rather than fail silently.
  app.addRoute(
    async (context) => context.activity.name === COMPOSE_QUERY_INVOKE && !commandIds.has(commandIdOf(context.activity)),
    async (context) => {
      logger.warn({ commandId: commandIdOf(context.activity) }, 'unknown message-extension command');
      await context.sendActivity({
        type: ActivityTypes.InvokeResponse,
        value: {
          status: 200,
          body: { composeExtension: { type: 'message', text: 'Development Hub does not offer that search here yet. Try asking the bot in chat.' } },
        },
      });
    },
    true,
  );
  for (const command of commands) {
    app.messageExtensions.query(command.commandId, async (context, _state, query): Promise<MessagingExtensionResult> => {
      const raw: unknown = (query.parameters as Record<string, unknown>)['query'];
      const text = typeof raw === 'string' ? raw.trim() : '';
      const items = await command.handle(turnInfo(context), { text, skip: query.skip ?? 0, count: query.count ?? 25 });
      return {
        type: 'result',
        attachmentLayout: 'list',
        attachments: items.map((item) => ({
          ...CardFactory.adaptiveCard(item.card),
          preview: CardFactory.thumbnailCard(item.preview.title, item.preview.text ?? ''),
        })),
      };
    });
  }

  // Registered last, so only an invoke no route above took.
  app.addRoute(async (context) => context.activity.type === 'invoke', (context) => answerUnsupportedInvoke(context, logger), true);

  app.error((context, error) => answerFailedTurn(context, error, logger, () => deps.problem(turnInfo(context), 'unexpected')));

  return { app };
}

/** The app being (re)installed here: Teams sends installationUpdate add and/or conversationUpdate with the bot added. */
function isInstallEvent(activity: Activity): boolean {
  if (activity.type === 'installationUpdate') return typeof activity.action === 'string' && activity.action.startsWith('add');
  if (activity.type === 'conversationUpdate') return (activity.membersAdded ?? []).some((m) => m.id === activity.recipient?.id);
  return false;
}

/**
 * What the person said: typed text, or the prompt a card's Action.Submit button carries
 * ({ prompt: "my bookings" }), so buttons and typing reach the same routes.
 */
export function messageText(activity: Pick<Activity, 'text' | 'value'>): string {
  const typed = (activity.text ?? '').trim();
  if (typed) return typed;
  const value = activity.value as { prompt?: unknown } | undefined;
  return typeof value?.prompt === 'string' ? value.prompt.trim().slice(0, 500) : '';
}

/** The intent a "Did you mean…" button names ({ prompt, intent }), if any. */
function chosenIntent(activity: Pick<Activity, 'value'>): string | undefined {
  const value = activity.value as { intent?: unknown } | undefined;
  return typeof value?.intent === 'string' && /^[a-z0-9._-]{1,80}$/.test(value.intent) ? value.intent : undefined;
}

function actionType(activity: Activity): string {
  const value = activity.value as { action?: { type?: unknown } } | undefined;
  return typeof value?.action?.type === 'string' ? value.action.type : '';
}

function commandIdOf(activity: Activity): string {
  const value = activity.value as { commandId?: unknown } | undefined;
  return typeof value?.commandId === 'string' ? value.commandId : '';
}

function actionVerb(activity: Activity): string {
  const value = activity.value as { action?: { verb?: unknown } } | undefined;
  return typeof value?.action?.verb === 'string' ? value.action.verb : '';
}
