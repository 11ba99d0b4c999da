import type { AdaptiveCard, BotFeature, Journey, TurnInfo } from '../../shared/bot-contract.js';
import { problemCard } from '../../shared/problem-card.js';
import { welcomeCard } from './home.cards.js';
import { journeysFor, isGreetingOrHelp } from './home.domain.js';

export interface HomeDeps {
  trustName: string;
  teamName: string;
  /** Every journey the registered features offer, in the order the welcome card shows them. */
  journeys: Journey[];
  /** Who is speaking, for a personal greeting and role-tailored journeys. */
  describe(turn: TurnInfo): Promise<{ firstName: string; roles: readonly string[] }>;
}

export interface HomeFeature extends BotFeature {
  welcome(turn: TurnInfo): Promise<AdaptiveCard>;
  problem(turn: TurnInfo, reason: 'unexpected' | 'unknown_action'): AdaptiveCard;
}

export function homeFeature(deps: HomeDeps): HomeFeature {
  const welcome = async (turn: TurnInfo): Promise<AdaptiveCard> => {
    const who = await deps.describe(turn);
    const journeys = journeysFor(deps.journeys, who.roles);
    return welcomeCard({
      trustName: deps.trustName,
      teamName: deps.teamName,
      greeting: who.firstName
        ? `Hi ${who.firstName}, I'm the ${deps.teamName}'s assistant. Here is what I can help you with:`
        : `Hi, I'm the ${deps.teamName}'s assistant. Here is what I can help you with:`,
      example: journeys[0]?.prompt ?? 'help',
      journeys: journeys.map((j) => ({ title: j.title, summary: j.summary, prompt: j.prompt, buttonTitle: 'Start' })),
    });
  };
  return {
    welcome,
    problem: (_turn, reason) =>
      reason === 'unknown_action'
        ? problemCard({
            code: 'unknown_action',
            title: 'That button no longer works',
            message: 'This card is from an older version of Development Hub, so its button is not recognised.',
            nextStep: 'Type help to get an up-to-date card and try again.',
          })
        : problemCard({
            code: 'unexpected',
            title: 'Something went wrong on our side',
            message: 'Development Hub could not finish that. Nothing was changed.',
            nextStep: 'Please try again in a minute. If it keeps happening, tell the Development Team.',
          }),
    messages: [
      {
        name: 'home.help',
        handle: async (turn, text) => (isGreetingOrHelp(text) ? [{ kind: 'card', card: await welcome(turn) }] : null),
      },
    ],
  };
}
