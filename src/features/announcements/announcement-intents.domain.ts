import { containsSequence, wordsOfText } from '../../shared/message-normaliser.domain.js';

/** How well a message asks for each announcements journey, 0..1, on the normalised words. */

const NOUNS = new Set(['announcement', 'announcements', 'newsletter', 'newsletters', 'bulletin', 'bulletins', 'notice', 'notices', 'news']);
const CREATE = [['new'], ['post'], ['write'], ['send'], ['make'], ['create'], ['draft'], ['compose'], ['start']];
const has = (words: readonly string[], phrases: string[][]): boolean => phrases.some((p) => containsSequence(words, p));

/** "new announcement", "post an announcement to the maths network", "announce the SENDCO meeting". */
export function scoreNewAnnouncement(words: readonly string[], typed: string): number {
  // The verb as typed: the shared normaliser folds "announce" into "announcement" by stem.
  if (/\bannounc(e|ing)\b/i.test(typed) && !words.includes('my')) return 0.9;
  const noun = words.some((w) => NOUNS.has(w) && w !== 'news' && w !== 'notice' && w !== 'notices');
  if (!noun || words.includes('my')) return 0;
  // Verbs as typed too: a short verb such as "write" may have been "corrected" into a domain word.
  return has(words, CREATE) || has(wordsOfText(typed), CREATE) ? 0.95 : 0;
}

/** "my announcements", "announcement drafts", "my drafts". */
export function scoreMyAnnouncements(words: readonly string[]): number {
  if (has(words, [['my', 'announcements'], ['my', 'announcement'], ['my', 'drafts'], ['announcement', 'drafts'], ['my', 'newsletters']])) return 0.95;
  return 0;
}

/** "announcements", "any news from the Development Team?", "latest newsletter". */
export function scoreRecentAnnouncements(words: readonly string[]): number {
  if (!words.some((w) => NOUNS.has(w)) || has(words, CREATE) || words.includes('my')) return 0;
  return has(words, [['latest'], ['any'], ['recent'], ['news', 'from'], ['what']]) ? 0.9 : 0.8;
}
