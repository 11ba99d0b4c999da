import { fail, ok, type Result } from '../../shared/result.js';
import { ROLES } from '../../trust/roles.js';
import type { TrustProfile } from '../../trust/trust-profile.schema.js';
import { localInstant, localParts } from '../cpd/cpd-time.domain.js';
import type { AnnouncementFormData } from './announcements.schemas.js';

/**
 * Pure rules of an announcement: what a complete one needs, the limits that keep its card inside
 * Teams' 28 KB, who it is for, and where it goes. Drafts keep whatever was typed.
 */

export type AnnouncementFailureCode =
  | 'invalid_announcement'
  | 'not_allowed'
  | 'not_found'
  | 'stale_card'
  | 'not_draft'
  | 'not_cancellable'
  | 'not_recallable'
  | 'person_not_in_directory'
  | 'directory_unavailable';

export type Delivery = 'channel' | 'personal' | 'both';
export const DELIVERIES: readonly Delivery[] = ['channel', 'personal', 'both'];

export interface Audience {
  communityIds: string[];
  hubIds: string[];
  academyIds: string[];
  roles: string[];
}

export interface AnnouncementContent {
  title: string;
  body: string;
  audience: Audience;
  delivery: Delivery;
  event: { date: string; time: string; place: string } | null;
  link: { title: string; url: string } | null;
  sendAt: Date | null;
}

export const CAPS = { title: 120, body: 4000, eventPlace: 200, linkTitle: 40, linkUrl: 500 } as const;
/** Teams refuses cards over about 28 KB; the rendered announcement card must fit. */
export const CARD_BUDGET_BYTES = 28_000;

export type FormField = Exclude<keyof AnnouncementFormData, 'draftId' | 'version'> | 'audience';
export type FieldErrors = Partial<Record<FormField, string>>;

export interface ContentContext {
  profile: Pick<TrustProfile, 'communities' | 'hubs' | 'academies' | 'trust'>;
  now: Date;
  /** The size in bytes of the announcement's card as recipients would get it. */
  cardBytes(content: AnnouncementContent): number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const MAX_SCHEDULE_MS = 366 * 86_400_000;

/** What a draft holds: the typed values, capped but otherwise as they are (nothing is refused). */
export function draftContent(data: AnnouncementFormData): AnnouncementContent {
  return {
    title: data.title.slice(0, CAPS.title * 2),
    body: data.body.slice(0, CAPS.body * 2),
    audience: { communityIds: data.communityIds, hubIds: data.hubIds, academyIds: data.academyIds, roles: data.roles },
    delivery: (DELIVERIES as readonly string[]).includes(data.delivery) ? (data.delivery as Delivery) : 'both',
    event: data.eventDate || data.eventTime || data.eventPlace ? { date: data.eventDate, time: data.eventTime, place: data.eventPlace.slice(0, CAPS.eventPlace * 2) } : null,
    link: data.linkUrl || data.linkTitle ? { title: data.linkTitle.slice(0, CAPS.linkTitle * 2), url: data.linkUrl.slice(0, CAPS.linkUrl * 2) } : null,
    sendAt: null,
  };
}

/**
 * A complete announcement from the form, or every problem at once (by field) so the form comes
 * back with the author's values and a message beside each answer to change.
 */
export function checkAnnouncement(data: AnnouncementFormData, ctx: ContentContext): Result<AnnouncementContent, 'invalid_announcement'> {
  const errors: FieldErrors = {};
  const tz = ctx.profile.trust.timeZone;
  const need = (field: FormField, value: string, label: string, cap?: number): void => {
    if (value === '') errors[field] = `${label} is required.`;
    else if (cap !== undefined && value.length > cap) errors[field] = `${label} must be at most ${cap} characters (it is ${value.length}).`;
  };
  need('title', data.title, 'A title', CAPS.title);
  need('body', data.body, 'The message', CAPS.body);

  const known = (ids: readonly string[], valid: readonly string[]): string[] => ids.filter((id) => !valid.includes(id));
  const unknownCommunities = known(data.communityIds, ctx.profile.communities.map((c) => c.id));
  if (unknownCommunities.length > 0) errors.communityIds = `Development Hub does not know the community "${unknownCommunities[0]}". Choose from the list.`;
  if (known(data.hubIds, ctx.profile.hubs.map((h) => h.id)).length > 0) errors.hubIds = 'Choose hubs from the list.';
  if (known(data.academyIds, ctx.profile.academies.map((a) => a.id)).length > 0) errors.academyIds = 'Choose academies from the list.';
  if (known(data.roles, ROLES).length > 0) errors.roles = 'Choose roles from the list.';
  const audience: Audience = { communityIds: data.communityIds, hubIds: data.hubIds, academyIds: data.academyIds, roles: data.roles };
  if (audience.communityIds.length + audience.hubIds.length + audience.academyIds.length + audience.roles.length === 0) {
    errors.audience = 'Choose who it is for: one or more communities, or everyone in a hub, academy or role.';
  }

  const delivery = (DELIVERIES as readonly string[]).includes(data.delivery) ? (data.delivery as Delivery) : undefined;
  if (!delivery) errors.delivery = 'Choose where it goes: the community channel, a 1:1 chat with each person, or both.';
  const withChannel = ctx.profile.communities.filter((c) => audience.communityIds.includes(c.id) && c.channel);
  if (delivery === 'channel' && withChannel.length === 0) {
    errors.delivery = 'None of the chosen communities has a Teams channel: choose "1:1 to each person" or "Both".';
  } else if (delivery === 'channel' && audience.hubIds.length + audience.academyIds.length + audience.roles.length > 0) {
    errors.delivery = 'Hubs, academies and roles have no channel: choose "1:1 to each person" or "Both" to reach them.';
  }

  let event: AnnouncementContent['event'] = null;
  if (data.eventDate || data.eventTime || data.eventPlace) {
    const at = instantOf(data.eventDate, data.eventTime, tz);
    if (!DATE.test(data.eventDate)) errors.eventDate = 'An event needs its date.';
    else if (!TIME.test(data.eventTime)) errors.eventTime = 'An event needs its start time (HH:MM).';
    else if (!at || at.getTime() <= ctx.now.getTime()) errors.eventDate = 'That date and time has passed: choose when the event will be.';
    if (data.eventPlace === '') errors.eventPlace = 'Say where the event is (a room, an academy or "Online").';
    else if (data.eventPlace.length > CAPS.eventPlace) errors.eventPlace = `The place must be at most ${CAPS.eventPlace} characters.`;
    event = { date: data.eventDate, time: data.eventTime, place: data.eventPlace };
  }

  let link: AnnouncementContent['link'] = null;
  if (data.linkUrl || data.linkTitle) {
    if (!isHttpsUrl(data.linkUrl)) errors.linkUrl = 'The link must be a web address starting https://.';
    else if (data.linkUrl.length > CAPS.linkUrl) errors.linkUrl = `The link must be at most ${CAPS.linkUrl} characters.`;
    if (data.linkTitle.length > CAPS.linkTitle) errors.linkTitle = `The button text must be at most ${CAPS.linkTitle} characters.`;
    link = { title: data.linkTitle || 'Open link', url: data.linkUrl };
  }

  let sendAt: Date | null = null;
  if (data.sendDate || data.sendTime) {
    const at = instantOf(data.sendDate, data.sendTime, tz);
    if (!at) errors.sendDate = 'To schedule it, give both the date and the time (HH:MM); leave both empty to send now.';
    else if (at.getTime() <= ctx.now.getTime()) errors.sendDate = 'That time has passed: choose a later one, or leave both empty to send now.';
    else if (at.getTime() - ctx.now.getTime() > MAX_SCHEDULE_MS) errors.sendDate = 'Schedule it within the next year.';
    else sendAt = at;
  }

  const content: AnnouncementContent = { title: data.title, body: data.body, audience, delivery: delivery ?? 'both', event, link, sendAt };
  if (Object.keys(errors).length === 0) {
    const bytes = ctx.cardBytes(content);
    if (bytes > CARD_BUDGET_BYTES) errors.body = `The announcement is too long for a Teams card (${Math.ceil(bytes / 1000)} KB of at most 28 KB): shorten the message.`;
  }
  if (Object.keys(errors).length > 0) {
    const count = Object.keys(errors).length;
    return fail('invalid_announcement', `${count === 1 ? 'One answer needs' : `${count} answers need`} changing.`, { errors });
  }
  return ok(content);
}

export function fieldErrorsOf(failure: { details?: Record<string, unknown> }): FieldErrors {
  return (failure.details?.['errors'] as FieldErrors | undefined) ?? {};
}

function instantOf(date: string, time: string, timeZone: string): Date | undefined {
  if (!DATE.test(date) || !TIME.test(time)) return undefined;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const at = localInstant(y, m, d, hh, mm, timeZone);
  // 2026-02-31 rolls over to March: that is not the date typed.
  const back = localParts(at, timeZone);
  return back.year === y && back.month === m && back.day === d ? at : undefined;
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

/** "SENDCO Hub network, North hub, SENCOs": who an announcement is for, in the trust's words. */
export function describeAudience(profile: Pick<TrustProfile, 'communities' | 'hubs' | 'academies' | 'roles'>, audience: Audience): string {
  const names = [
    ...audience.communityIds.map((id) => profile.communities.find((c) => c.id === id)?.name ?? id),
    ...audience.hubIds.map((id) => `everyone in ${profile.hubs.find((h) => h.id === id)?.name ?? id}`),
    ...audience.academyIds.map((id) => `everyone at ${profile.academies.find((a) => a.id === id)?.name ?? id}`),
    ...audience.roles.map((id) => `every ${profile.roles.find((r) => r.id === id)?.label ?? id}`),
  ];
  return names.join(', ') || 'nobody yet';
}
