import type { BotReply, Intent, Journey } from '../../shared/bot-contract.js';
import { cueScore, type Cue } from '../../shared/router.domain.js';
import type { TrustProfile } from '../../trust/trust-profile.schema.js';
import type { PeopleService } from '../people/people.service.js';
import { statusLabel, tabDeepLink } from './commissions.cards.js';
import { isFinal } from './commissions.domain.js';
import type { CommissionService } from './commissions.service.js';

const CUE_WEIGHT = 0.65;
const STRONG_CUE_WEIGHT = 0.8;
/** How many open commissions the chat answer lists before pointing to the tab. */
const LISTED = 5;

/**
 * In chat, commissions are a pointer to the tab: the person's open commissions in a line each and
 * a link that opens the Commissions tab. Raising and agreeing happen in the tab, where there is room
 * for measures and evidence.
 */
export function commissionsBot(deps: { service: CommissionService; people: PeopleService; profile: TrustProfile; teamsAppId: string | undefined }) {
  const { profile } = deps;
  const cues: Cue[] = [
    ...profile.bespokeSupport.cues.map((phrase) => ({ phrase, weight: CUE_WEIGHT })),
    ...profile.bespokeSupport.strongCues.map((phrase) => ({ phrase, weight: STRONG_CUE_WEIGHT })),
  ];
  const intent: Intent = {
    name: 'commissions.status',
    score: (message) => cueScore(message, cues),
    suggest: () => ({ title: 'Bespoke support commissions', prompt: 'my commissions' }),
    handle: async (turn): Promise<BotReply[]> => {
      const person = await deps.people.resolve(turn.speaker);
      if (!person.ok) return [{ kind: 'text', text: person.message }];
      if (deps.service.visibleAcademies(person.value).length === 0) {
        return [{ kind: 'text', text: 'Bespoke support commissions are followed by academy leaders and the Director of Education. Ask your principal about the support your academy has.' }];
      }
      const listed = await deps.service.list(person.value, undefined);
      if (!listed.ok) return [{ kind: 'text', text: listed.message }];
      const open = listed.value.commissions.filter((c) => !isFinal(c.status));
      const link = tabDeepLink(deps.teamsAppId, undefined, undefined);
      const name = (id: string) => profile.academies.find((a) => a.id === id)?.name ?? id;
      const lines = open.slice(0, LISTED).map((c) => `- **${c.reference}** ${name(c.academyId)}: ${statusLabel(profile, c.status)}`);
      const more = open.length > LISTED ? `\n\n…and ${open.length - LISTED} more.` : '';
      const where = link ? `[Open the Commissions tab](${link})` : 'Open the Commissions tab in Teams';
      const text = open.length
        ? `You can see ${open.length} open commission${open.length === 1 ? '' : 's'}:\n\n${lines.join('\n')}${more}\n\n${where} to raise one, agree it or follow its impact.`
        : `There are no open commissions for you to follow. ${where} to raise one.`;
      return [{ kind: 'text', text }];
    },
  };
  const journeys: Journey[] = [];
  return { intents: [intent], journeys };
}
