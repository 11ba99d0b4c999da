import type { Journey } from '../shared/bot-contract.js';
import type { Vocabulary } from '../shared/message-normaliser.domain.js';
import type { TrustProfile } from './trust-profile.schema.js';

/**
 * The words the message normaliser knows for this trust: its synonym groups (the concepts), and
 * the words of its strands, audiences, roles, communities, visit focus areas, support types, terms,
 * the not-yet-available features' cues and the app's journeys. Misspellings are corrected towards these.
 */
export function trustVocabulary(profile: TrustProfile, journeys: readonly Journey[]): Vocabulary {
  return {
    synonyms: [...profile.search.synonyms, ...profile.search.audiencePhrases.map((a) => a.phrases)],
    words: [
      ...profile.cpd.strands.flatMap((s) => [s.name, s.summary]),
      ...profile.cpd.categories.map((c) => c.name),
      ...profile.cpd.audiences.map((a) => a.label),
      ...profile.roles.flatMap((r) => [r.label, r.summary]),
      ...profile.communityKinds.flatMap((k) => [k.label, k.plural, ...k.cues]),
      ...profile.communities.flatMap((c) => [c.name, c.summary]),
      ...profile.inclusion.visitFocusAreas.map((f) => f.label),
      ...profile.bespokeSupport.types.map((t) => t.label),
      ...profile.terms.flatMap((t) => [t.name, ...t.aliases]),
      ...profile.notYetAvailable.flatMap((e) => [e.title, ...e.cues, ...e.strongCues]),
      ...journeys.flatMap((j) => [j.title, j.summary, j.prompt]),
    ],
  };
}
