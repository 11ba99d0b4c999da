import type { TurnContext } from 'botbuilder';
import type { ConversationScope, PersonSignIn, TurnInfo } from '../shared/bot-contract.js';

/** Where app.ts leaves this turn's single sign-on (src/teams/sso.ts) for turnInfo and send. */
export const SIGN_IN_KEY = Symbol('developmentHub.signIn');

interface TeamsChannelData {
  tenant?: { id?: string };
  team?: { id?: string };
}

/** Reads the Teams-specific parts of an activity into the plain TurnInfo features receive. */
export function turnInfo(context: TurnContext): TurnInfo {
  const activity = context.activity;
  const channelData = (activity.channelData ?? {}) as TeamsChannelData;
  return {
    speaker: {
      id: activity.from?.id,
      aadObjectId: activity.from?.aadObjectId,
      name: activity.from?.name ?? '',
      tenantId: channelData.tenant?.id ?? activity.conversation?.tenantId,
    },
    conversation: {
      id: activity.conversation?.id ?? '',
      scope: conversationScope(activity.conversation?.conversationType),
      teamId: channelData.team?.id,
    },
    locale: activity.locale,
    signIn: context.turnState.get<PersonSignIn | undefined>(SIGN_IN_KEY),
  };
}

export function conversationScope(conversationType: string | undefined): ConversationScope {
  if (conversationType === 'channel' || conversationType === 'groupChat') return conversationType;
  return 'personal';
}
