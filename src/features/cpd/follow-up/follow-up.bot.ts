import type { AdaptiveCard, BotReply, CardActionRoute, Intent, Journey, NormalisedMessage, TurnInfo } from '../../../shared/bot-contract.js';
import { registerPickerCard } from '../attendance/attendance.cards.js';
import { changePickerCard } from '../changes/changes.cards.js';
import { feedbackCard, feedbackPickerCard, summaryCard } from '../evaluation/evaluation.cards.js';
import { recordCard } from '../record/record.cards.js';
import { mutedCard } from '../reminders/reminders.cards.js';
import { followUpActions, registerRenderer, type FollowUpBotDeps } from './follow-up.actions.js';
import { changeSessionRequest, feedbackScore, muteRequest, myCpdScore, registerRequest, summaryRequest } from './follow-up-intents.domain.js';
import { changeProblemCard, feedbackProblemCard, recordProblemCard, registerProblemCard } from './follow-up.problems.js';

export const CPD_MY_CPD_JOURNEY: Journey = { id: 'cpd.my_cpd', title: 'My CPD record', summary: 'Hours by academic year, feedback waiting, goals, a CSV download', prompt: 'my cpd' };
const REGISTER_JOURNEY: Journey = {
  id: 'cpd.register',
  title: 'Take a register',
  summary: 'Mark who came to a session you run',
  prompt: 'register for',
  forRoles: ['development_team'],
};
const SUMMARY_JOURNEY: Journey = {
  id: 'cpd.evaluation_summary',
  title: 'CPD evaluation summary',
  summary: 'Response rates, scores per quality criterion, comments and impact',
  prompt: 'evaluation summary',
  forRoles: ['development_team', 'director_of_education'],
};

const personalOnly = (what: string): BotReply[] => [
  { kind: 'text', text: `Your ${what} is personal, so I only show it in our 1:1 chat. Open a chat with Development Hub and ask there.` },
];
const cardReply = (card: AdaptiveCard): BotReply[] => [{ kind: 'card', card }];

/**
 * Reads the corrected text and, failing that, what was typed: the normaliser may "correct" a word
 * these readers need (csv, attended) towards another word the app knows.
 */
function reading<R extends { score: number }>(read: (text: string) => R, m: NormalisedMessage): R {
  const corrected = read(m.corrected);
  if (corrected.score > 0 || m.corrected === m.text) return corrected;
  return read(m.text);
}
const scoreOf = (read: (text: string) => number) => (m: NormalisedMessage) => Math.max(read(m.corrected), read(m.text));

/** CPD after booking in chat: the register, feedback, impact, "my CPD", reminders, and the Development Team's changes and summary. */
export function cpdFollowUpBot(deps: FollowUpBotDeps): { journeys: Journey[]; intents: Intent[]; actions: CardActionRoute[] } {
  const tz = deps.taxonomy.timeZone;
  const strands = deps.taxonomy.strands;

  const renderRegister = registerRenderer(deps);

  const myCpd = async (turn: TurnInfo): Promise<AdaptiveCard> => {
    const view = await deps.record.view(turn.speaker);
    return view.ok ? recordCard(view.value, { timeZone: tz, strands }) : recordProblemCard(view);
  };

  const intents: Intent[] = [
    {
      name: 'cpd.my_cpd',
      score: scoreOf(myCpdScore),
      suggest: () => ({ title: 'My CPD record', prompt: 'my cpd' }),
      handle: async (turn) => (turn.conversation.scope === 'personal' ? cardReply(await myCpd(turn)) : personalOnly('CPD record')),
    },
    {
      name: 'cpd.register',
      score: (m) => reading(registerRequest, m).score,
      suggest: () => ({ title: 'Take a register', prompt: 'register for' }),
      handle: async (turn, m) => {
        const { words } = reading(registerRequest, m);
        const found = await deps.attendance.findRegisters(turn.speaker, words);
        if (!found.ok) return cardReply(registerProblemCard(found));
        const only = found.value.sessions.length === 1 ? found.value.sessions[0] : undefined;
        if (only) {
          const opened = await deps.attendance.open(turn.speaker, only.sessionId);
          return cardReply(opened.ok ? await renderRegister(opened.value) : registerProblemCard(opened));
        }
        return cardReply(registerPickerCard(found.value.sessions, tz, words.join(' ')));
      },
    },
    {
      name: 'cpd.feedback',
      score: scoreOf(feedbackScore),
      suggest: () => ({ title: 'Give feedback on CPD', prompt: 'feedback' }),
      handle: async (turn) => {
        if (turn.conversation.scope !== 'personal') return personalOnly('feedback');
        const waiting = await deps.evaluation.awaiting(turn.speaker);
        if (!waiting.ok) return cardReply(feedbackProblemCard(waiting));
        const only = waiting.value.length === 1 ? waiting.value[0] : undefined;
        if (only) {
          const form = await deps.evaluation.form(turn.speaker, only.sessionId);
          if (form.ok) return cardReply(feedbackCard(form.value, deps.evaluation.criteria, tz));
        }
        return cardReply(feedbackPickerCard(waiting.value, tz));
      },
    },
    {
      name: 'cpd.evaluation_summary',
      score: (m) => reading(summaryRequest, m).score,
      suggest: () => ({ title: 'CPD evaluation summary', prompt: 'evaluation summary' }),
      handle: async (turn, m) => {
        const { words } = reading(summaryRequest, m);
        const summary = await deps.evaluation.summary(turn.speaker, words);
        return cardReply(summary.ok ? summaryCard(summary.value, tz, words.join(' ')) : feedbackProblemCard(summary));
      },
    },
    {
      name: 'cpd.reminders_mute',
      score: (m) => reading(muteRequest, m).score,
      suggest: () => ({ title: 'Mute CPD reminders', prompt: 'mute reminders' }),
      handle: async (turn, m) => {
        const result = await deps.reminders.setMuted(turn.speaker, reading(muteRequest, m).muted);
        return cardReply(result.ok ? mutedCard(result.value.muted) : recordProblemCard(result));
      },
    },
    {
      name: 'cpd.change_session',
      score: (m) => reading(changeSessionRequest, m).score,
      suggest: () => ({ title: 'Change or cancel a session', prompt: 'cancel session' }),
      handle: async (turn, m) => {
        const { words } = reading(changeSessionRequest, m);
        const found = await deps.changes.find(turn.speaker, words);
        return cardReply(found.ok ? changePickerCard(found.value, tz, words.join(' ')) : changeProblemCard(found));
      },
    },
  ];

  const actions = followUpActions(deps);

  return { journeys: [CPD_MY_CPD_JOURNEY, REGISTER_JOURNEY, SUMMARY_JOURNEY], intents, actions };
}
