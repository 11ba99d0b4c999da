import type { AdaptiveCard, Journey } from '../../shared/bot-contract.js';
import { renderCard } from '../../shared/cards.js';
import template from './cards/welcome.json' with { type: 'json' };

export interface WelcomeCardData {
  trustName: string;
  teamName: string;
  greeting: string;
  example: string;
  journeys: Array<Pick<Journey, 'title' | 'summary' | 'prompt'> & { buttonTitle: string }>;
}

export function welcomeCard(data: WelcomeCardData): AdaptiveCard {
  return renderCard(template, data);
}
