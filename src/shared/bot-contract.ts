/**
 * The seam between features and Teams. Features speak in these plain types; only src/teams/
 * knows about botbuilder and Teams AI, so the maintenance-mode SDK can be swapped for the
 * Teams SDK v2 later without touching a feature.
 */

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: string;
  [key: string]: unknown;
}

export type ConversationScope = 'personal' | 'channel' | 'groupChat';

/** Who is speaking, as Teams reports it (before the directory is consulted). */
export interface Speaker {
  /** The Teams user id for this bot ('29:…'): what a card's refresh.userIds lists. */
  id?: string | undefined;
  aadObjectId: string | undefined;
  name: string;
  tenantId: string | undefined;
}

export interface TurnInfo {
  speaker: Speaker;
  conversation: { id: string; scope: ConversationScope; teamId: string | undefined };
  locale: string | undefined;
}

export type BotReply = { kind: 'card'; card: AdaptiveCard } | { kind: 'text'; text: string };

/** A chat message handler: returns null when the text is not for it, so the next route can try. */
export interface MessageRoute {
  name: string;
  handle(turn: TurnInfo, text: string): Promise<BotReply[] | null>;
}

/**
 * An Action.Execute verb. `data` is the card's untrusted data: the handler parses it with zod.
 * The returned card replaces the one that was pressed, for the person who pressed it.
 */
export interface CardActionRoute {
  verb: string;
  handle(turn: TurnInfo, data: unknown): Promise<AdaptiveCard>;
}

export interface SearchResultItem {
  card: AdaptiveCard;
  preview: { title: string; text?: string };
}

/** A search-based message extension command. */
export interface SearchCommandRoute {
  commandId: string;
  handle(turn: TurnInfo, query: { text: string; skip: number; count: number }): Promise<SearchResultItem[]>;
}

/** A journey the welcome card offers; its button sends `prompt` as if the person typed it. */
export interface Journey {
  id: string;
  title: string;
  summary: string;
  prompt: string;
  /** Offered only to people holding one of these roles; everyone when absent. */
  forRoles?: readonly string[];
}

export interface BotFeature {
  journeys?: Journey[];
  messages?: MessageRoute[];
  actions?: CardActionRoute[];
  searchCommands?: SearchCommandRoute[];
}

/** Proactive delivery; implemented in src/teams/ over stored conversation references. */
export interface Notifier {
  /** Sends to a person's 1:1 chat with the app. Returns false when the app is not installed for them. */
  sendToPerson(aadObjectId: string, reply: BotReply): Promise<boolean>;
  /** Sends to a stored conversation (a channel or group chat) by its reference key. */
  sendToConversation(referenceKey: string, reply: BotReply): Promise<boolean>;
  /**
   * Posts a new message in a channel of a team the app is installed in (the reference captured in
   * that channel, or at install on the team's General channel). Returns the posted activity's id, or undefined when the
   * app is not installed in that team.
   */
  postToChannel(channel: ChannelAddress, reply: BotReply): Promise<string | undefined>;
  /** Replaces a card the app posted in a channel, for everyone. False when the app is not installed there. */
  updateInChannel(channel: ChannelAddress, activityId: string, card: AdaptiveCard): Promise<boolean>;
  /** Whether a channel post can be delivered: the app is installed in that team. */
  canReachChannel(channel: ChannelAddress): Promise<boolean>;
}

export interface ChannelAddress {
  teamId: string;
  channelId: string;
}
