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
  /** The person's single sign-on, when the bot has SSO set up (absent in local mode and the playground). */
  signIn?: PersonSignIn | undefined;
}

/** The Teams side of single sign-on, as a feature sees it. */
export interface PersonSignIn {
  /** The person's Teams SSO token (for the app's own API), or undefined when they have not signed in. */
  token(): Promise<string | undefined>;
}

export type BotReply =
  | { kind: 'card'; card: AdaptiveCard }
  | { kind: 'text'; text: string }
  /** Teams' sign-in card for the bot's OAuth connection (silent token exchange where Teams can do it). */
  | { kind: 'sign_in'; title: string; text: string };

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
  /**
   * An exact command no phrasing shares (the bench's "echo …"): true claims the raw text before any
   * intent scores it, so a literal command costs no scoring. Claimed by two intents, it is scored
   * like any message; a claim never depends on the order of the list.
   */
  claims?(text: string): boolean;
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

/**
 * What a search command answers: results, a sentence instead of results (type at least two
 * letters, busy, …), or a request to sign in first.
 */
export type SearchCommandAnswer = SearchResultItem[] | { kind: 'message'; text: string } | { kind: 'sign_in'; title: string };

/** A search-based message extension command. */
export interface SearchCommandRoute {
  commandId: string;
  handle(turn: TurnInfo, query: { text: string; skip: number; count: number }): Promise<SearchCommandAnswer>;
}

/** Link unfurling (composeExtension/queryLink) for URLs on these hosts (the manifest's messageHandlers). */
export interface LinkUnfurlRoute {
  hosts: readonly string[];
  /** Null when the link is not one this feature can show (Teams then shows its own preview). */
  unfurl(turn: TurnInfo, url: string): Promise<SearchResultItem | null>;
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

/**
 * Why a proactive message cannot reach its conversation. Final for this message: retrying will not
 * help until the person or team installs the app again.
 * - `no_conversation_reference`: the app was never installed there (or was removed and we know it).
 * - `app_removed_or_blocked`: Teams answered 403 (the app was uninstalled, blocked by the person, or disabled by the admin).
 * - `conversation_gone`: Teams answered 404 (the chat, channel or the message to update no longer exists).
 */
export type UnreachableReason = 'no_conversation_reference' | 'app_removed_or_blocked' | 'conversation_gone';

/**
 * What became of one proactive message. Throttling is not an outcome: the notifier throws
 * RetryLaterError (src/jobs/worker.ts) so the durable job comes back later; other failures throw too.
 */
export type SendOutcome = { kind: 'sent'; activityId: string } | { kind: 'unreachable'; reason: UnreachableReason };

export interface ProactiveSendOptions {
  /**
   * `notice` (default): a message someone is waiting for (booking notice, reminder, triage card).
   * `bulk`: one message of a fan-out (announcements); waits behind this process's notices.
   */
  priority?: 'notice' | 'bulk';
}

/**
 * Proactive delivery; implemented in src/teams/ over stored conversation references. Every method
 * that calls Teams is paced (src/pacing/): tenant-wide rate shared through the database,
 * per-conversation windows, the global throttle. Interactive replies in a turn never wait for it.
 */
export interface Notifier {
  /** Sends to a person's 1:1 chat with the app. */
  sendToPerson(aadObjectId: string, reply: BotReply, options?: ProactiveSendOptions): Promise<SendOutcome>;
  /**
   * Reads these people's 1:1 chats in one query for sends about to follow (a fan-out batch): each
   * person's next sendToPerson within a few seconds uses what was read instead of a query of its own.
   */
  preparePeople(aadObjectIds: readonly string[]): Promise<void>;
  /** Sends to a stored conversation (a channel or group chat) by its reference key. */
  sendToConversation(referenceKey: string, reply: BotReply, options?: ProactiveSendOptions): Promise<SendOutcome>;
  /**
   * Posts a new message in a channel of a team the app is installed in (the reference captured in
   * that channel, or at install on the team's General channel); `sent` carries the new post's id.
   */
  postToChannel(channel: ChannelAddress, reply: BotReply, options?: ProactiveSendOptions): Promise<SendOutcome>;
  /** Whether a channel post can be delivered: the app is installed in that team. */
  canReachChannel(channel: ChannelAddress): Promise<boolean>;
  /** Replies under a post the app made in a channel (the post's thread). */
  replyInThread(channel: ChannelAddress, activityId: string, reply: BotReply, options?: ProactiveSendOptions): Promise<SendOutcome>;
  /**
   * The Teams user ids ('29:…', what a card's refresh.userIds lists) of these people, for those who
   * have a 1:1 chat with the app; people without one are left out.
   */
  teamsUserIdsOf(aadObjectIds: readonly string[]): Promise<string[]>;
  /**
   * Replaces a card the app sent, in a person's 1:1 chat or a channel (an author's status card);
   * paced like a send. `sent` carries the same activity id.
   */
  updateMessage(target: MessageTarget, activityId: string, card: AdaptiveCard, options?: ProactiveSendOptions): Promise<SendOutcome>;
  /**
   * Deletes a message the app sent, for everyone (recall); paced like a send. `sent` means Teams
   * accepted the delete; `conversation_gone` means there is nothing left to delete there.
   */
  deleteMessage(target: MessageTarget, activityId: string, options?: ProactiveSendOptions): Promise<SendOutcome>;
  /**
   * Remembers a person's 1:1 chat the app was installed into through Microsoft Graph (its chat id),
   * so `sendToPerson` reaches them. False when the app knows no conversation in the tenant to copy
   * the connector address from. Makes no call to Teams.
   */
  adoptPersonalChat(aadObjectId: string, chatId: string, tenantId: string | undefined): Promise<boolean>;
}

/** Where a message the app sent lives: a person's 1:1 chat, or a channel. */
export type MessageTarget = { kind: 'person'; aadObjectId: string } | { kind: 'channel'; channel: ChannelAddress };

export interface ChannelAddress {
  teamId: string;
  channelId: string;
}
