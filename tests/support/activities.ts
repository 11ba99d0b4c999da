import { randomUUID } from 'node:crypto';
import type { Json } from './connector-stand-in.js';

/**
 * Builders for activities exactly as Microsoft Teams posts them to a bot's messaging endpoint
 * (Teams platform docs: "Conversation events", "Receive messages", "Universal Actions",
 * "Respond to search command"). Every builder fills the envelope Teams always sends
 * (channelId, serviceUrl, from with aadObjectId, recipient '28:<bot id>', conversation with
 * conversationType and tenantId, channelData.tenant, locale, ids, timestamps); `overrides` is
 * deep-merged last so a test can change or remove (set to undefined) anything.
 */

/** A Teams user as a bot sees them: '29:…' is the bot-specific id, aadObjectId the Entra ID object id. */
export interface TeamsPerson {
  id: string;
  name: string;
  aadObjectId: string;
}

export interface TeamsTeam {
  /** The team's thread id, which is also the General channel's id. */
  id: string;
  name: string;
  aadGroupId: string;
}

export interface TeamsChannel {
  id: string;
  name: string;
}

/** Where an activity happens. */
export interface PersonalPlace {
  kind: 'personal';
  conversationId: string;
}
export interface ChannelPlace {
  kind: 'channel';
  team: TeamsTeam;
  channel: TeamsChannel;
}
export interface GroupChatPlace {
  kind: 'groupChat';
  conversationId: string;
}
export type Place = PersonalPlace | ChannelPlace | GroupChatPlace;

export interface ActivityDefaults {
  /** The connector (stand-in) base URL, ending in '/'. */
  serviceUrl: string;
  botId: string;
  botName: string;
  tenantId: string;
  locale: string;
  now(): Date;
}

export type WireActivity = Record<string, Json> & { type: string; id: string };
export type Overrides = Record<string, unknown>;

export const SAMPLE_TENANT_ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const SAMPLE_BOT_ID = '00000000-0000-0000-0000-00000000b07d';

const shortId = (): string => randomUUID().replaceAll('-', '');

/** A person with realistic Teams ids; pass aadObjectId to match a roster entry. */
export function teamsPerson(name: string, aadObjectId: string = randomUUID()): TeamsPerson {
  return { id: `29:1${Buffer.from(aadObjectId).toString('base64url')}`, name, aadObjectId };
}

export function teamsTeam(name = 'Development Team'): TeamsTeam {
  return { id: `19:${shortId()}@thread.tacv2`, name, aadGroupId: randomUUID() };
}

/** The 1:1 chat between a person and the bot ('a:…' ids are stable per person and bot). */
export function personalChat(person: TeamsPerson): PersonalPlace {
  return { kind: 'personal', conversationId: `a:1${Buffer.from(person.aadObjectId).toString('base64url')}` };
}

/** A channel of a team; by default the General channel, whose id equals the team id. */
export function teamChannel(team: TeamsTeam, channel?: TeamsChannel): ChannelPlace {
  return { kind: 'channel', team, channel: channel ?? { id: team.id, name: 'General' } };
}

export function groupChat(conversationId = `19:${shortId()}@thread.v2`): GroupChatPlace {
  return { kind: 'groupChat', conversationId };
}

/** The conversation id a channel message arrives on: the channel plus the thread root. */
export function channelThreadId(channelId: string, rootMessageId: string): string {
  return `${channelId};messageid=${rootMessageId}`;
}

export interface MessageOptions {
  text: string;
  from: TeamsPerson;
  place?: Place;
  /** In channels and group chats a person must @mention the bot; on by default there. */
  mentionBot?: boolean;
  /** Channel messages: the thread's root message id (a new post starts its own thread). */
  threadRootId?: string;
  replyToId?: string;
  value?: unknown;
  overrides?: Overrides;
}

export interface CardActionOptions {
  verb: string;
  data?: Record<string, unknown>;
  from: TeamsPerson;
  place?: Place;
  trigger?: 'manual' | 'automatic';
  /** The id of the message holding the card that was pressed. */
  replyToId?: string;
  overrides?: Overrides;
}

export interface SearchQueryOptions {
  commandId: string;
  parameters: Array<{ name: string; value: string }>;
  from: TeamsPerson;
  place?: Place;
  skip?: number;
  count?: number;
  overrides?: Overrides;
}

export interface TeamsActivityBuilders {
  defaults: ActivityDefaults;
  bot: { id: string; name: string };
  message(options: MessageOptions): WireActivity;
  /** The person installs the app for themselves: conversationUpdate with the bot in membersAdded. */
  botInstalledInPersonalChat(person: TeamsPerson, overrides?: Overrides): WireActivity;
  /** Someone adds the app to a team: conversationUpdate teamMemberAdded with the bot, on the General channel. */
  botAddedToTeam(team: TeamsTeam, addedBy: TeamsPerson, overrides?: Overrides): WireActivity;
  /** Someone adds the app to a group chat: conversationUpdate with the bot in membersAdded. */
  botAddedToGroupChat(chat: GroupChatPlace, addedBy: TeamsPerson, overrides?: Overrides): WireActivity;
  /** A person joins a team the bot is already in. */
  memberAddedToTeam(team: TeamsTeam, member: TeamsPerson, addedBy: TeamsPerson, overrides?: Overrides): WireActivity;
  /** The bot is removed from a team (membersRemoved with the bot). */
  botRemovedFromTeam(team: TeamsTeam, removedBy: TeamsPerson, overrides?: Overrides): WireActivity;
  installationUpdate(action: 'add' | 'remove' | 'add-upgrade' | 'remove-upgrade', from: TeamsPerson, place?: Place, overrides?: Overrides): WireActivity;
  cardAction(options: CardActionOptions): WireActivity;
  messageExtensionQuery(options: SearchQueryOptions): WireActivity;
}

/** Builders bound to one connector, bot and tenant. */
export function teamsActivities(defaults: Partial<ActivityDefaults> & { serviceUrl: string }): TeamsActivityBuilders {
  const d: ActivityDefaults = {
    botId: SAMPLE_BOT_ID,
    botName: 'Development Hub',
    tenantId: SAMPLE_TENANT_ID,
    locale: 'en-GB',
    now: () => new Date(),
    ...defaults,
  };
  const bot = { id: `28:${d.botId}`, name: d.botName };

  const envelope = (type: string, from: TeamsPerson, place: Place, id: string): WireActivity => {
    const now = d.now();
    return {
      type,
      id,
      timestamp: now.toISOString(),
      localTimestamp: localTimestamp(now),
      localTimezone: 'Europe/London',
      serviceUrl: d.serviceUrl,
      channelId: 'msteams',
      from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
      conversation: conversationOf(place, d.tenantId),
      recipient: { ...bot },
      entities: [{ type: 'clientInfo', locale: d.locale, country: 'GB', platform: 'Web', timezone: 'Europe/London' }],
      channelData: channelDataOf(place, d.tenantId),
      locale: d.locale,
    };
  };

  const messageId = (): string => `${d.now().getTime()}${Math.floor(Math.random() * 900 + 100)}`;
  const eventId = (): string => `f:${Math.floor(Math.random() * 1e18).toString()}`;

  return {
    defaults: d,
    bot,

    message(o) {
      const place = o.place ?? personalChat(o.from);
      const id = messageId();
      const activity = envelope('message', o.from, place, id);
      const mention = o.mentionBot ?? place.kind !== 'personal';
      activity.textFormat = 'plain';
      activity.attachments = [];
      if (mention) {
        const tag = `<at>${d.botName}</at>`;
        activity.text = `${tag} ${o.text}`;
        activity.entities.unshift({ type: 'mention', text: tag, mentioned: { id: bot.id, name: d.botName } });
      } else {
        activity.text = o.text;
      }
      if (place.kind === 'channel') {
        activity.conversation.id = channelThreadId(place.channel.id, o.threadRootId ?? id);
      }
      if (o.replyToId) activity.replyToId = o.replyToId;
      if (o.value !== undefined) activity.value = o.value;
      return merge(activity, o.overrides);
    },

    botInstalledInPersonalChat(person, overrides) {
      const activity = envelope('conversationUpdate', person, personalChat(person), eventId());
      activity.membersAdded = [{ id: bot.id }];
      delete activity.entities;
      delete activity.locale;
      return merge(activity, overrides);
    },

    botAddedToTeam(team, addedBy, overrides) {
      const activity = envelope('conversationUpdate', addedBy, teamChannel(team), eventId());
      activity.membersAdded = [{ id: bot.id }];
      activity.channelData = {
        team: { aadGroupId: team.aadGroupId, name: team.name, id: team.id },
        eventType: 'teamMemberAdded',
        tenant: { id: d.tenantId },
        settings: { selectedChannel: { id: team.id } },
      };
      delete activity.entities;
      delete activity.locale;
      return merge(activity, overrides);
    },

    botAddedToGroupChat(chat, addedBy, overrides) {
      const activity = envelope('conversationUpdate', addedBy, chat, eventId());
      activity.membersAdded = [{ id: bot.id }];
      delete activity.entities;
      delete activity.locale;
      return merge(activity, overrides);
    },

    memberAddedToTeam(team, member, addedBy, overrides) {
      const activity = envelope('conversationUpdate', addedBy, teamChannel(team), eventId());
      activity.membersAdded = [{ id: member.id, aadObjectId: member.aadObjectId }];
      activity.channelData = {
        team: { aadGroupId: team.aadGroupId, name: team.name, id: team.id },
        eventType: 'teamMemberAdded',
        tenant: { id: d.tenantId },
      };
      delete activity.entities;
      delete activity.locale;
      return merge(activity, overrides);
    },

    botRemovedFromTeam(team, removedBy, overrides) {
      const activity = envelope('conversationUpdate', removedBy, teamChannel(team), eventId());
      activity.membersRemoved = [{ id: bot.id }];
      activity.channelData = {
        team: { aadGroupId: team.aadGroupId, name: team.name, id: team.id },
        eventType: 'teamMemberRemoved',
        tenant: { id: d.tenantId },
      };
      delete activity.entities;
      delete activity.locale;
      return merge(activity, overrides);
    },

    installationUpdate(action, from, place, overrides) {
      const where = place ?? personalChat(from);
      const activity = envelope('installationUpdate', from, where, eventId());
      activity.action = action;
      activity.channelData = {
        ...channelDataOf(where, d.tenantId),
        settings: { source: { name: 'message' } },
        source: { name: 'message' },
      };
      delete activity.entities;
      return merge(activity, overrides);
    },

    cardAction(o) {
      const place = o.place ?? personalChat(o.from);
      const activity = envelope('invoke', o.from, place, eventId());
      activity.name = 'adaptiveCard/action';
      activity.value = {
        action: { type: 'Action.Execute', id: randomUUID(), verb: o.verb, data: o.data ?? {} },
        trigger: o.trigger ?? 'manual',
      };
      activity.replyToId = o.replyToId ?? messageId();
      if (place.kind === 'channel') activity.conversation.id = channelThreadId(place.channel.id, activity.replyToId);
      return merge(activity, o.overrides);
    },

    messageExtensionQuery(o) {
      const place = o.place ?? personalChat(o.from);
      const activity = envelope('invoke', o.from, place, eventId());
      activity.name = 'composeExtension/query';
      activity.value = {
        commandId: o.commandId,
        parameters: o.parameters,
        queryOptions: { skip: o.skip ?? 0, count: o.count ?? 25 },
      };
      activity.channelData = { ...activity.channelData, source: { name: 'compose' } };
      return merge(activity, o.overrides);
    },
  };
}

function conversationOf(place: Place, tenantId: string): Record<string, unknown> {
  switch (place.kind) {
    case 'personal':
      return { conversationType: 'personal', tenantId, id: place.conversationId };
    case 'channel':
      return { isGroup: true, conversationType: 'channel', tenantId, id: place.channel.id, name: place.channel.name };
    case 'groupChat':
      return { isGroup: true, conversationType: 'groupChat', tenantId, id: place.conversationId };
  }
}

function channelDataOf(place: Place, tenantId: string): Record<string, unknown> {
  switch (place.kind) {
    case 'personal':
    case 'groupChat':
      return { tenant: { id: tenantId } };
    case 'channel':
      return {
        teamsChannelId: place.channel.id,
        teamsTeamId: place.team.id,
        channel: { id: place.channel.id, name: place.channel.name },
        team: { id: place.team.id, name: place.team.name, aadGroupId: place.team.aadGroupId },
        tenant: { id: tenantId },
      };
  }
}

/** Teams sends the sender's wall-clock time with its offset (Europe/London here). */
function localTimestamp(at: Date): string {
  const offsetMinutes = londonOffsetMinutes(at);
  const local = new Date(at.getTime() + offsetMinutes * 60_000).toISOString().replace('Z', '');
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const hh = String(Math.floor(Math.abs(offsetMinutes) / 60)).padStart(2, '0');
  const mm = String(Math.abs(offsetMinutes) % 60).padStart(2, '0');
  return `${local}${sign}${hh}:${mm}`;
}

function londonOffsetMinutes(at: Date): number {
  const name = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'short' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  return name === 'BST' ? 60 : 0;
}

/** Deep merge for plain objects; arrays and other values replace; `undefined` removes the key. */
export function merge<T extends Record<string, unknown>>(base: T, overrides: Overrides | undefined): T {
  if (!overrides) return base;
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete result[key];
    else if (isPlainObject(value) && isPlainObject(result[key])) result[key] = merge(result[key], value);
    else result[key] = value;
  }
  return result as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}
