import type { AdaptiveCard, Journey } from '../../shared/bot-contract.js';
import { renderCard } from '../../shared/cards.js';
import didYouMeanTemplate from './cards/did-you-mean.json' with { type: 'json' };
import notSureTemplate from './cards/not-sure.json' with { type: 'json' };
import template from './cards/welcome.json' with { type: 'json' };

type JourneyLine = Pick<Journey, 'title' | 'summary' | 'prompt'>;

export interface WelcomeCardData {
  trustName: string;
  teamName: string;
  greeting: string;
  example: string;
  journeys: Array<JourneyLine & { buttonTitle: string }>;
}

export function welcomeCard(data: WelcomeCardData): AdaptiveCard {
  return renderCard(template, data);
}

export interface DidYouMeanCardData {
  message: string;
  options: Array<{ title: string; prompt: string; intent: string }>;
}

/** One button per reading; each sends its prompt and names its intent, so pressing it answers at once. */
export function didYouMeanCard(data: DidYouMeanCardData): AdaptiveCard {
  return renderCard(didYouMeanTemplate, data);
}

export interface NotSureCardData {
  message: string;
  journeys: JourneyLine[];
  footer: string;
}

export function notSureCard(data: NotSureCardData): AdaptiveCard {
  return renderCard(notSureTemplate, data);
}
