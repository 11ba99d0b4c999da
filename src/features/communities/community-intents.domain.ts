import type { NormalisedMessage } from '../../shared/bot-contract.js';
import type { CommunityMatcher } from './community-match.domain.js';

/** Words that make a message about announcements (the announcements feature), not the community itself. */
const ANNOUNCEMENT_WORDS = new Set(['announcement', 'announcements', 'announce', 'newsletter', 'bulletin', 'post', 'mute', 'unmute']);

/**
 * How sure it is that a message is about communities (0..1), for the scoring router. Naming a kind
 * ("networks", "HLCs") or "communities" is near certain; a join/leave verb with a community the
 * words match is certain; "what is there for EYFS?" counts when communities match the topic; a
 * bare topic ("EYFS") is left to CPD search; CPD words ("training") and announcement words lower it.
 */
export function scoreCommunityMessage(matcher: CommunityMatcher, message: Pick<NormalisedMessage, 'words'>): number {
  const r = matcher.read(message);
  const names = r.kindIds.length > 0 || r.namesCommunities;
  if (message.words.some((w) => ANNOUNCEMENT_WORDS.has(w))) return names ? 0.4 : 0;
  // Searched only where the answer depends on it: every chat message is scored, most are not about communities.
  const matches = (): boolean => r.terms.length > 0 && matcher.findsAny(r);
  switch (r.verb) {
    case 'join':
    case 'leave':
      if (names) return 0.95;
      if (!r.mentionsCpd && matches()) return 0.85;
      return 0;
    case 'mine':
      return names ? 0.95 : 0;
    case 'members':
      return names || (!r.mentionsCpd && matches()) ? 0.85 : 0;
    case 'browse':
      if (r.mentionsCpd) return names ? 0.6 : 0;
      if (names) return r.terms.length === 0 || matches() ? 0.9 : 0.7;
      if (matches()) return r.asksWhatExists ? 0.9 : 0.4;
      return 0;
  }
}
