import type { Intent } from '../../shared/bot-contract.js';
import { cueScore, type Cue } from '../../shared/router.domain.js';
import type { FeatureContext, FeatureModule } from '../feature-module.js';

/** Score of a message holding one of an entry's cues; strong cues say more. */
const CUE_WEIGHT = 0.65;
const STRONG_CUE_WEIGHT = 0.8;

/** `resources.not_available`: the intent standing in for a feature that is not here yet. */
export function notAvailableIntentName(feature: string): string {
  return `${feature}.not_available`;
}

/**
 * Honest answers for what the app offers but this deployment cannot do yet, read from the trust
 * profile's `notYetAvailable` list: "that is not available yet" and what to do instead. An entry steps
 * aside as soon as a feature module of that name is registered, so the real feature answers instead.
 */
export function comingSoonFeature(ctx: FeatureContext): FeatureModule {
  const entries = ctx.profile.notYetAvailable.filter((e) => !ctx.featureNames.includes(e.feature));
  const intents = entries.map((entry): Intent => {
    const cues: Cue[] = [
      ...entry.cues.map((phrase) => ({ phrase, weight: CUE_WEIGHT })),
      ...entry.strongCues.map((phrase) => ({ phrase, weight: STRONG_CUE_WEIGHT })),
    ];
    const status = entry.status === 'switched_off' ? `is not switched on for ${ctx.profile.trust.shortName} yet` : 'is not available in Development Hub yet';
    return {
      name: notAvailableIntentName(entry.feature),
      score: (message) => cueScore(message, cues),
      suggest: (message) => ({ title: entry.title, prompt: message.text }),
      handle: () => Promise.resolve([{ kind: 'text', text: `${entry.title} ${status}. ${entry.instead}` }]),
    };
  });
  return { name: 'coming-soon', intents };
}
