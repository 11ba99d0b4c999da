import type { AdaptiveCard, Intent, TurnInfo } from '../../shared/bot-contract.js';
import { problemCard } from '../../shared/problem-card.js';
import type { ConversationCards, FeatureContext, FeatureModule } from '../feature-module.js';
import { didYouMeanCard, notSureCard, welcomeCard } from './home.cards.js';
import { firstName, isGreetingOrHelp, isThanks, journeysFor } from './home.domain.js';

export const HOME_HELP_INTENT = 'home.help';
export const HOME_THANKS_INTENT = 'home.thanks';

/**
 * Home: the welcome card, "help" and greetings, and the cards the conversation itself needs
 * (something went wrong, did you mean…, not sure). Journeys come from every assembled feature.
 */
export function homeFeature(ctx: FeatureContext): FeatureModule {
  const { trust } = ctx.profile;
  const describe = async (turn: TurnInfo): Promise<{ firstName: string; roles: readonly string[] }> => {
    const person = await ctx.people.resolve(turn.speaker);
    return person.ok
      ? { firstName: firstName(person.value.displayName), roles: person.value.roles }
      : { firstName: firstName(turn.speaker.name), roles: [] };
  };

  const welcome = async (turn: TurnInfo): Promise<AdaptiveCard> => {
    const who = await describe(turn);
    const journeys = journeysFor(ctx.journeys(), who.roles);
    return welcomeCard({
      trustName: trust.name,
      teamName: trust.teamName,
      greeting: who.firstName
        ? `Hi ${who.firstName}, I'm the ${trust.teamName}'s assistant. Here is what I can help you with:`
        : `Hi, I'm the ${trust.teamName}'s assistant. Here is what I can help you with:`,
      example: journeys[0]?.prompt ?? 'help',
      journeys: journeys.map((j) => ({ title: j.title, summary: j.summary, prompt: j.prompt, buttonTitle: 'Start' })),
    });
  };

  const conversation: ConversationCards = {
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
    didYouMean: (_turn, options) =>
      didYouMeanCard({ message: 'I can read that more than one way. Choose what you are after:', options: [...options] }),
    notSure: async (turn, closest) => {
      const who = await describe(turn);
      const mine = closest.filter((j) => journeysFor([j], who.roles).length > 0);
      return notSureCard({
        message: 'I could not tell what you are asking for. Is it one of these?',
        journeys: mine.map((j) => ({ title: j.title, summary: j.summary, prompt: j.prompt })),
        footer: `Type help to see everything I can do, or contact the ${trust.teamName} if what you need is not here.`,
      });
    },
  };

  const help: Intent = {
    name: HOME_HELP_INTENT,
    score: (message) => (isGreetingOrHelp(message.text) ? 1 : 0),
    suggest: () => ({ title: 'See what I can do', prompt: 'help' }),
    handle: async (turn) => [{ kind: 'card', card: await welcome(turn) }],
  };
  const thanks: Intent = {
    name: HOME_THANKS_INTENT,
    score: (message) => (isThanks(message.text) ? 0.9 : 0),
    suggest: () => ({ title: 'Nothing more, thanks', prompt: 'thanks' }),
    handle: () => Promise.resolve([{ kind: 'text', text: 'You are welcome. Type help whenever you need me.' }]),
  };

  return { name: 'home', intents: [help, thanks], conversation };
}
