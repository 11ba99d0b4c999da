// Deep imports: the package index also loads Teams AI's planners, models and tokenizers, which this
// app does not use (about 26 MB resident in every process).
import { Application } from '@microsoft/teams-ai/lib/Application.js';
import { AdaptiveCardActionExecuteResponseType } from '@microsoft/teams-ai/lib/AdaptiveCards.js';
import type { TeamsAdapter } from '@microsoft/teams-ai/lib/TeamsAdapter.js';
import type { TurnState } from '@microsoft/teams-ai/lib/TurnState.js';
import { ActivityTypes, CardFactory, TurnContext, type Activity, type MessagingExtensionResult } from 'botbuilder';
import type { AdaptiveCard, BotReply, CardActionRoute, LinkUnfurlRoute, SearchCommandAnswer, SearchCommandRoute, SearchResultItem, TurnInfo } from '../shared/bot-contract.js';
import type { Logger } from '../shared/logger.js';
import { referenceKey, type ConversationReferenceStore } from './conversation-references.js';
import { send, SSO_KEY } from './send.js';
import type { TeamsSso } from './sso.js';
import { answerFailedTurn, answerUnsupportedInvoke } from './turn-failure.js';
import { SIGN_IN_KEY, turnInfo } from './turn-info.js';

export interface TeamsAppDeps {
  adapter: TeamsAdapter;
  botAppId: string;
  logger: Logger;
  references: ConversationReferenceStore;
  /** Card verbs and message-extension commands of every feature. */
  actions: readonly CardActionRoute[];
  searchCommands: readonly SearchCommandRoute[];
  /** Link unfurling for the hosts in the manifest's messageHandlers. */
  linkUnfurlers?: readonly LinkUnfurlRoute[];
  /** Teams single sign-on for the bot (off when no OAuth connection is configured). */
  sso?: TeamsSso;
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
const TOKEN_EXCHANGE_INVOKE = 'signin/tokenExchange';
const VERIFY_STATE_INVOKE = 'signin/verifyState';
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
    // No storage: no feature keeps Teams AI turn state (each keeps what it needs in its own tables),
    // and reading two empty scopes was a database round trip on every turn.
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
    adaptiveCards: { actionExecuteResponseType: AdaptiveCardActionExecuteResponseType.REPLACE_FOR_INTERACTOR },
  });

  app.turn('beforeTurn', async (context) => {
    if (deps.sso?.enabled) {
      context.turnState.set(SSO_KEY, deps.sso);
      context.turnState.set(SIGN_IN_KEY, deps.sso.forTurn(context));
    }
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
      // After a sign-in popup Teams repeats the query with the magic code as `state`.
      const state = (context.activity.value as { state?: unknown } | undefined)?.state;
      if (typeof state === 'string' && deps.sso?.enabled) await deps.sso.claimMagicCode(context, state);
      const raw: unknown = (query.parameters as Record<string, unknown>)['query'];
      const text = typeof raw === 'string' ? raw.trim() : '';
      let answer: SearchCommandAnswer;
      try {
        answer = await command.handle(turnInfo(context), { text, skip: query.skip ?? 0, count: query.count ?? 25 });
      } catch (error) {
        logger.error({ err: error, commandId: command.commandId }, 'message-extension search failed');
        answer = { kind: 'message', text: 'Development Hub could not search just now. Please try again in a minute.' };
      }
      return await searchResult(context, answer);
    });
  }

  const unfurlers = deps.linkUnfurlers ?? [];
  if (unfurlers.length) {
    app.messageExtensions.queryLink(async (context, _state, url): Promise<MessagingExtensionResult> => {
      const host = hostOf(url);
      const unfurler = unfurlers.find((u) => u.hosts.some((h) => h.toLowerCase() === host));
      let item: SearchResultItem | null = null;
      try {
        item = unfurler ? await unfurler.unfurl(turnInfo(context), url) : null;
      } catch (error) {
        logger.error({ err: error, code: 'unfurl_failed' }, 'link unfurling failed');
      }
      // No card: Teams keeps the plain link (its own preview), which is right for a file we cannot show.
      return { type: 'result', attachmentLayout: 'list', attachments: item ? [asAttachment(item)] : [] };
    });
  }

  if (deps.sso?.enabled) {
    const sso = deps.sso;
    app.addRoute(async (context) => context.activity.type === 'invoke' && context.activity.name === TOKEN_EXCHANGE_INVOKE, (context) => sso.answerTokenExchange(context), true);
    app.addRoute(
      async (context) => context.activity.type === 'invoke' && context.activity.name === VERIFY_STATE_INVOKE,
      async (context) => {
        if (await sso.answerVerifyState(context)) await send(context, { kind: 'text', text: 'You are signed in. Ask again and your results include everything you may open.' });
      },
      true,
    );
  }

  async function searchResult(context: TurnContext, answer: SearchCommandAnswer): Promise<MessagingExtensionResult> {
    if (Array.isArray(answer)) return { type: 'result', attachmentLayout: 'list', attachments: answer.map(asAttachment) };
    if (answer.kind === 'message') return { type: 'message', text: answer.text };
    const link = deps.sso?.enabled ? await deps.sso.signInLink(context) : undefined;
    if (!link) return { type: 'message', text: `${answer.title}: single sign-on is not set up for Development Hub here.` };
    return { type: 'auth', suggestedActions: { actions: [{ type: 'openUrl', value: link, title: answer.title }] } };
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

function asAttachment(item: SearchResultItem): ReturnType<typeof CardFactory.adaptiveCard> & { preview: ReturnType<typeof CardFactory.thumbnailCard> } {
  return { ...CardFactory.adaptiveCard(item.card), preview: CardFactory.thumbnailCard(item.preview.title, item.preview.text ?? '') };
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return '';
  }
}

function commandIdOf(activity: Activity): string {
  const value = activity.value as { commandId?: unknown } | undefined;
  return typeof value?.commandId === 'string' ? value.commandId : '';
}

function actionVerb(activity: Activity): string {
  const value = activity.value as { action?: { verb?: unknown } } | undefined;
  return typeof value?.action?.verb === 'string' ? value.action.verb : '';
}
