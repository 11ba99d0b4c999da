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

/**
 * A chat message after the one shared normalisation every intent sees: misspellings of words the
 * app knows corrected ("phonix" → "phonics"), and the trust's synonym groups found ("SENDCo" and
 * "SENCO" are one concept). Intents score this, never the raw activity.
 */
export interface NormalisedMessage {
  /** What the person typed (or the button sent), trimmed and capped. */
  text: string;
  /** `text` with corrected misspellings, original casing elsewhere: what a search should use. */
  corrected: string;
  /** Lower-case words of `corrected`, punctuation removed. */
  words: readonly string[];
  /** Keys of the trust-vocabulary concepts the message mentions (each synonym group's first phrase, lower-case). */
  concepts: ReadonlySet<string>;
}

/** What "Did you mean…" offers for an intent's reading of a message: a button label and what it sends. */
export interface IntentSuggestion {
  title: string;
  prompt: string;
}

/**
 * One thing a feature understands in chat. The router asks every intent to score each message
 * (0 = not for me, 1 = certainly for me) and lets the best one answer.
 */
export interface Intent {
  /** `<feature>.<what>`, e.g. `cpd.search`; logged with the score. */
  name: string;
  score(message: NormalisedMessage, turn: TurnInfo): number | Promise<number>;
  /** The button "Did you mean…" shows for this intent. */
  suggest(message: NormalisedMessage): IntentSuggestion;
  handle(turn: TurnInfo, message: NormalisedMessage): Promise<BotReply[]>;
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
  /**
   * Replies under a post the app made in a channel (the post's thread). False when the app is not
   * installed in that team.
   */
  replyInThread(channel: ChannelAddress, activityId: string, reply: BotReply): Promise<boolean>;
  /**
   * The Teams user ids ('29:…', what a card's refresh.userIds lists) of these people, for those who
   * have a 1:1 chat with the app; people without one are left out.
   */
  teamsUserIdsOf(aadObjectIds: readonly string[]): Promise<string[]>;
  /**
   * Sends to a person's 1:1 chat or posts in a channel and says how it went: the posted activity's
   * id, or why it cannot arrive. Throttling and outages throw, so a durable job tries again later.
   */
  deliver(target: MessageTarget, reply: BotReply): Promise<DeliveryOutcome>;
  /** Replaces a card the app sent (an author's status card). False when the conversation cannot be reached. */
  updateMessage(target: MessageTarget, activityId: string, card: AdaptiveCard): Promise<boolean>;
  /** Deletes a message the app sent, for everyone (recall). False when the conversation cannot be reached. */
  deleteMessage(target: MessageTarget, activityId: string): Promise<boolean>;
  /**
   * Remembers a person's 1:1 chat the app was installed into through Microsoft Graph (its chat id),
   * so `deliver` reaches them. False when the app knows no conversation in the tenant to copy the
   * connector address from.
   */
  adoptPersonalChat(aadObjectId: string, chatId: string, tenantId: string | undefined): Promise<boolean>;
}

/** Where a proactive message goes. */
export type MessageTarget = { kind: 'person'; aadObjectId: string } | { kind: 'channel'; channel: ChannelAddress };

/** Why a message cannot arrive: no chat with the app, the app removed or blocked (403), the conversation gone (404). */
export type UnreachableReason = 'no_conversation' | 'app_removed' | 'conversation_gone';

export type DeliveryOutcome = { kind: 'sent'; activityId: string } | { kind: 'unreachable'; reason: UnreachableReason };

export interface ChannelAddress {
  teamId: string;
  channelId: string;
}
