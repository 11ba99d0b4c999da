import { ActivityTypes, INVOKE_RESPONSE_KEY, type TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../shared/bot-contract.js';
import type { Logger } from '../shared/logger.js';
import { isConnectorUnreachable } from './connector-deadline.js';
import { send } from './send.js';

const ACTION_INVOKE = 'adaptiveCard/action';
const COMPOSE_QUERY_INVOKE = 'composeExtension/query';
const CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

/** An invoke no route answered (an unknown name or a tampered activity): a clean 400, not botbuilder's bare 501. */
export async function answerUnsupportedInvoke(context: TurnContext, logger: Logger): Promise<void> {
  logger.warn({ invokeName: context.activity.name ?? '', code: 'unsupported_invoke' }, 'invoke nobody handles');
  await context.sendActivity({
    type: ActivityTypes.InvokeResponse,
    value: { status: 400, body: { error: { code: 'unsupported_invoke', message: 'Development Hub does not handle this invoke.' } } },
  });
}

/**
 * A turn that failed outside a feature's own error handling: a statement the feature did not expect to fail,
 * or a reply that could not be sent. Logged once; the person still gets an answer: a
 * problem card in reply to a message, the problem card as the invoke response to a card action,
 * a short text for a search, and a clean 400 for any other invoke. Nothing more is sent when the
 * failure was the connector itself being unreachable (the answer would only wait for it again).
 */
export async function answerFailedTurn(context: TurnContext, error: unknown, logger: Logger, problemCard: () => AdaptiveCard): Promise<void> {
  const activity = context.activity;
  logger.error({ err: error, activityType: activity.type, invokeName: activity.type === 'invoke' ? (activity.name ?? '') : undefined }, 'turn failed');
  if (activity.type === 'invoke') {
    if (context.turnState.get(INVOKE_RESPONSE_KEY)) return;
    const body =
      activity.name === ACTION_INVOKE
        ? { status: 200, body: { statusCode: 200, type: CARD_CONTENT_TYPE, value: problemCard() } }
        : activity.name === COMPOSE_QUERY_INVOKE
          ? { status: 200, body: { composeExtension: { type: 'message', text: 'Development Hub could not search just now. Please try again in a minute.' } } }
          : { status: 400, body: { error: { code: 'unsupported_invoke', message: 'Development Hub could not handle this invoke.' } } };
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: body });
    return;
  }
  if (activity.type !== 'message' || isConnectorUnreachable(error)) return;
  try {
    await send(context, { kind: 'card', card: problemCard() });
  } catch (sendError) {
    logger.error({ err: sendError }, 'could not tell the person about the failure');
  }
}
