import type { BotReply, Intent, Journey, NormalisedMessage, TurnInfo } from '../shared/bot-contract.js';
import type { Logger } from '../shared/logger.js';
import { closestJourneys, decideRoute, type RouteDecision, type ScoredIntent } from '../shared/router.domain.js';
import type { ConversationCards } from '../features/feature-module.js';

export interface MessageRouterDeps {
  intents: ReadonlyArray<Intent & { feature: string }>;
  normalise(text: string): NormalisedMessage;
  cards: ConversationCards;
  journeys(): readonly Journey[];
  logger: Logger;
}

/**
 * The Teams side of routing: every intent scores the normalised message, router.domain decides,
 * and the winner answers (or a "Did you mean…" / "not sure" card does). A button of a "Did you
 * mean…" card names its intent, so pressing it answers with that reading without asking again.
 * Decisions are logged at debug with intent names and scores; the message text is never logged.
 */
export interface MessageRouter {
  /** Who should answer: scores every intent and decides (no reply is sent). */
  decide(turn: TurnInfo, text: string): Promise<{ message: NormalisedMessage; decision: RouteDecision }>;
  /** Decides and answers. */
  route(turn: TurnInfo, text: string, chosenIntent?: string): Promise<BotReply[]>;
}

export function createMessageRouter(deps: MessageRouterDeps): MessageRouter {
  const byName = new Map(deps.intents.map((i) => [i.name, i]));
  const decide: MessageRouter['decide'] = async (turn, text) => {
    const message = deps.normalise(text);
    const scores: ScoredIntent[] = await Promise.all(
      deps.intents.map(async (intent) => ({ intent: intent.name, feature: intent.feature, score: await intent.score(message, turn) })),
    );
    return { message, decision: decideRoute(scores) };
  };
  const route: MessageRouter['route'] = async (turn, text, chosenIntent) => {
    const chosen = chosenIntent ? byName.get(chosenIntent) : undefined;
    if (chosen) {
      deps.logger.debug({ intent: chosen.name, chosen: true }, 'message routed by the button pressed');
      return chosen.handle(turn, deps.normalise(text));
    }
    const claimed = deps.intents.filter((intent) => intent.claims?.(text) === true);
    const [only] = claimed;
    if (only && claimed.length === 1) {
      deps.logger.debug({ intent: only.name, claimed: true }, 'message claimed by an exact command');
      return only.handle(turn, deps.normalise(text));
    }
    const { message, decision } = await decide(turn, text);
    deps.logger.debug(
      {
        decision: decision.kind,
        corrected: message.corrected !== message.text,
        scores: decision.scores.filter((s) => s.score > 0).slice(0, 5).map((s) => `${s.intent}=${s.score.toFixed(2)}`),
      },
      'message routed',
    );
    switch (decision.kind) {
      case 'answer':
        return byName.get(decision.intent)!.handle(turn, message);
      case 'did_you_mean': {
        const options = decision.intents.map((name) => ({ ...byName.get(name)!.suggest(message), intent: name }));
        return [{ kind: 'card', card: deps.cards.didYouMean(turn, options) }];
      }
      case 'not_sure':
        return [{ kind: 'card', card: await deps.cards.notSure(turn, closestJourneys(message, deps.journeys())) }];
    }
  };
  return { decide, route };
}
