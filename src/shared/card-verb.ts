import type { ZodType } from 'zod/v4';
import type { AdaptiveCard, CardActionRoute, TurnInfo } from './bot-contract.js';
import type { Failure, Result } from './result.js';

/**
 * The one shape of a card verb handler: parse the card's untrusted data with zod, call one service,
 * and answer with the card for the outcome or a problem card for the expected failure. A payload
 * that does not parse never reaches the service.
 */
export interface CardVerbSpec<Data, Value, Code extends string> {
  verb: string;
  /** The zod schema of the card's `data` (the verb itself is already stripped or ignored by it). */
  schema: ZodType<Data>;
  /** The card for data that does not parse: nothing was read or changed. */
  invalid(): AdaptiveCard;
  /** The one service call; an expected failure is a value, not a throw. */
  call(turn: TurnInfo, data: Data): Promise<Result<Value, Code>>;
  render(value: Value, turn: TurnInfo, data: Data): AdaptiveCard | Promise<AdaptiveCard>;
  problem(failure: Failure<Code>): AdaptiveCard;
}

export function cardVerb<Data, Value, Code extends string>(spec: CardVerbSpec<Data, Value, Code>): CardActionRoute {
  return {
    verb: spec.verb,
    handle: async (turn, data) => {
      const parsed = spec.schema.safeParse(data);
      if (!parsed.success) return spec.invalid();
      const result = await spec.call(turn, parsed.data);
      return result.ok ? spec.render(result.value, turn, parsed.data) : spec.problem(result);
    },
  };
}
