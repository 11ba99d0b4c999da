/**
 * What a chat message asks of CPD follow-up, read from its corrected text. Each reader returns a
 * score (0 = not for it) and, where the request names a course, the words to match its title with.
 */

const FILLER = new Set([
  'the', 'a', 'an', 'for', 'of', 'on', 'my', 'our', 'this', 'that', 'session', 'sessions', 'course', 'courses',
  'today', 'todays', "today's", 'please', 'cpd', 'training', 'to', 'in', 'at', 'me', 'show', 'i', 'want', 'it',
]);

export function titleWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s'-]/gu, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 1 && !FILLER.has(w))
    .slice(0, 8);
}

const t = (text: string): string => text.trim().replace(/\s+/g, ' ').toLowerCase();

const MY_CPD = /^(?:(?:show|see|view|open|get|export|download)\s+(?:me\s+)?)?(?:my\s+)?(?:cpd|professional\s+development|training)\s+(?:record|history|log|file|hours|portfolio|summary)(?:\s+(?:as\s+)?(?:csv|spreadsheet|please))?\s*[?.!]*$|^(?:show\s+|see\s+)?my\s+(?:cpd|cpd\s+hours|training\s+record|development\s+goals?|goals?|certificates?)\s*[?.!]*$/;
const HOURS = /\bhow\s+(?:many|much)\s+(?:hours\s+(?:of\s+)?)?(?:cpd|training)\b|\bhow\s+many\s+cpd\s+hours\b/;
const ADD_EXTERNAL = /\b(?:add|log|record)\b.*\b(?:external|npq|masters|conference|outside)\b|\bcertificates?\b/;

/** "my CPD", "my cpd record", "export my cpd record as csv", "how many hours of CPD have I done", "add external CPD". */
export function myCpdScore(text: string): number {
  const s = t(text);
  if (MY_CPD.test(s) || HOURS.test(s)) return 0.95;
  if (s.length <= 120 && ADD_EXTERNAL.test(s)) return 0.93;
  return 0;
}

const REGISTER = /^(?:(?:please\s+)?(?:take|do|open|show|mark|fill\s+in)\s+(?:the\s+|a\s+)?)?(?:attendance\s+)?register\s*(?:for|of|on)?\s*(.*)$|^(?:who\s+(?:attended|came\s+to))\s+(.*)$/;

/** "register for phonics", "take the register for the DSL update", "who attended reading comprehension". */
export function registerRequest(text: string): { score: number; words: string[] } {
  const m = REGISTER.exec(t(text).replace(/[?.!]+$/, ''));
  if (!m) return { score: 0, words: [] };
  return { score: 0.95, words: titleWords(m[1] ?? m[2] ?? '') };
}

const SUMMARY = /\b(?:evaluation|evaluations|feedback|survey)\s+(?:summary|summaries|results|report)\b|\b(?:summar(?:y|ise)|results)\s+(?:of\s+)?(?:the\s+)?(?:evaluations?|feedback)\b|\bhow\s+(?:did|was)\b.*\b(?:rated|evaluated)\b/;

/** "evaluation summary for phonics", "feedback results", "feedback summary". */
export function summaryRequest(text: string): { score: number; words: string[] } {
  const s = t(text).replace(/[?.!]+$/, '');
  if (!SUMMARY.test(s)) return { score: 0, words: [] };
  const rest = s.replace(SUMMARY, ' ').replace(/\b(?:for|of|on|from)\b/g, ' ');
  return { score: 0.96, words: titleWords(rest).filter((w) => !['evaluation', 'evaluations', 'feedback', 'summary', 'results', 'report', 'survey'].includes(w)) };
}

const FEEDBACK = /^(?:(?:i\s+want\s+to\s+|can\s+i\s+|let\s+me\s+)?(?:give|leave|send|submit|do|fill\s+in|write)\s+(?:my\s+|some\s+|the\s+)?)?(?:feedback|evaluation|evaluate|survey)(?:\s+(?:for|on|about)\s+.*)?$|^evaluate\s+.*$/;

/** "feedback", "give feedback", "leave feedback on the phonics session", "evaluate". */
export function feedbackScore(text: string): number {
  const s = t(text).replace(/[?.!]+$/, '');
  if (SUMMARY.test(s)) return 0;
  // Above "my bookings" (0.95), whose change-my-booking reading also catches "leave … session".
  return FEEDBACK.test(s) ? 0.96 : 0;
}

const MUTE = /^(?:please\s+)?(?:mute|stop|turn\s+off|switch\s+off|pause|no\s+more|disable)\s+(?:my\s+|the\s+|cpd\s+|session\s+)*reminders?\s*[?.!]*$/;
const UNMUTE = /^(?:please\s+)?(?:unmute|turn\s+on|switch\s+on|resume|enable|start)\s+(?:my\s+|the\s+|cpd\s+|session\s+)*reminders?(?:\s+again)?\s*[?.!]*$|^(?:turn|switch)\s+(?:my\s+|cpd\s+)?reminders?\s+(?:back\s+)?on\s*[?.!]*$/;

/** "mute reminders" / "turn reminders back on". */
export function muteRequest(text: string): { score: number; muted: boolean } {
  const s = t(text);
  if (MUTE.test(s)) return { score: 0.96, muted: true };
  if (UNMUTE.test(s)) return { score: 0.96, muted: false };
  return { score: 0, muted: true };
}

const CHANGE_SESSION = /^(?:please\s+)?(cancel|move|reschedule|change|postpone)\s+(?:the\s+)?(?:session|course|training)\s+(?!.*\bmy\b)(.+)$/;

/**
 * "cancel session phonics", "move the course DSL update": the Development Team's wording. "Cancel
 * my session" stays with my bookings (it names "my"); the service refuses anyone else.
 */
export function changeSessionRequest(text: string): { score: number; words: string[] } {
  const m = CHANGE_SESSION.exec(t(text).replace(/[?.!]+$/, ''));
  if (!m) return { score: 0, words: [] };
  return { score: 0.97, words: titleWords(m[2] ?? '') };
}
