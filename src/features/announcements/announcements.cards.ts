import type { AdaptiveCard } from '../../shared/bot-contract.js';
import { promptAction, renderCard } from '../../shared/cards.js';
import type { TrustProfile } from '../../trust/trust-profile.schema.js';
import { formatDay, formatTime } from '../cpd/cpd-time.domain.js';
import { timeLeft, totalOf, type FanOutCounts } from './announcement-status.domain.js';
import { CAPS, describeAudience, type AnnouncementContent, type FieldErrors, type FormField } from './announcements.domain.js';
import type { Announcement } from './announcements.repository.js';
import {
  ANNOUNCEMENTS_CANCEL_VERB,
  ANNOUNCEMENTS_MUTE_VERB,
  ANNOUNCEMENTS_OPEN_VERB,
  ANNOUNCEMENTS_PREVIEW_VERB,
  ANNOUNCEMENTS_RECALL_VERB,
  ANNOUNCEMENTS_RSVP_VERB,
  ANNOUNCEMENTS_SAVE_VERB,
  ANNOUNCEMENTS_SEND_VERB,
  ANNOUNCEMENTS_STATUS_VERB,
} from './announcements.schemas.js';
import announcementTemplate from './cards/announcement.json' with { type: 'json' };
import formTemplate from './cards/form.json' with { type: 'json' };
import listTemplate from './cards/list.json' with { type: 'json' };
import statusTemplate from './cards/status.json' with { type: 'json' };

type Profile = Pick<TrustProfile, 'communities' | 'hubs' | 'academies' | 'roles' | 'trust'>;

const FIELDS: readonly FormField[] = ['title', 'body', 'communityIds', 'hubIds', 'academyIds', 'roles', 'delivery', 'eventDate', 'eventTime', 'eventPlace', 'linkTitle', 'linkUrl', 'sendDate', 'sendTime', 'audience'];

export interface FormCardInput {
  draftId: string;
  version: number;
  values: Partial<Record<FormField, string>>;
  errors?: FieldErrors;
  notice?: string;
  today: string;
}

/** The compose form: empty, then again with the author's values, what to fix, or what happened. */
export function formCard(profile: Profile, input: FormCardInput): AdaptiveCard {
  const errors = Object.fromEntries(FIELDS.map((f) => [f, input.errors?.[f] ?? '']));
  const count = Object.values(errors).filter(Boolean).length;
  return renderCard(formTemplate, {
    teamName: profile.trust.teamName,
    values: { delivery: 'both', ...Object.fromEntries(FIELDS.map((f) => [f, input.values[f] ?? ''])), ...(input.values.delivery ? { delivery: input.values.delivery } : {}) },
    errors,
    errorSummary: count === 0 ? '' : `Nothing was sent: ${count === 1 ? 'one answer needs' : `${count} answers need`} changing (marked below).`,
    notice: input.notice ?? '',
    caps: CAPS,
    communityChoices: profile.communities.map((c) => ({ title: c.name, value: c.id })),
    hubChoices: profile.hubs.map((h) => ({ title: h.name, value: h.id })),
    academyChoices: profile.academies.map((a) => ({ title: a.name, value: a.id })),
    roleChoices: profile.roles.map((r) => ({ title: r.label, value: r.id })),
    draftId: input.draftId,
    version: input.version,
    today: input.today,
    saveVerb: ANNOUNCEMENTS_SAVE_VERB,
    previewVerb: ANNOUNCEMENTS_PREVIEW_VERB,
    sendVerb: ANNOUNCEMENTS_SEND_VERB,
  });
}

/** A stored announcement's values as the form shows them. */
export function formValues(a: AnnouncementContent): Partial<Record<FormField, string>> {
  return {
    title: a.title,
    body: a.body,
    communityIds: a.audience.communityIds.join(','),
    hubIds: a.audience.hubIds.join(','),
    academyIds: a.audience.academyIds.join(','),
    roles: a.audience.roles.join(','),
    delivery: a.delivery,
    eventDate: a.event?.date ?? '',
    eventTime: a.event?.time ?? '',
    eventPlace: a.event?.place ?? '',
    linkTitle: a.link?.title ?? '',
    linkUrl: a.link?.url ?? '',
  };
}

export interface AnnouncementCardInput {
  id: string;
  authorName: string;
  content: AnnouncementContent;
  /** Where this copy goes: a person gets Mute buttons, a channel does not. */
  copy: 'person' | 'channel' | 'preview';
  rsvp?: { going: number; notGoing: number; mine?: 'going' | 'not_going' | undefined };
  muted?: ReadonlySet<string>;
  notice?: string;
}

/** The announcement as recipients see it; the preview is the same card with a banner. */
export function announcementCard(profile: Profile, input: AnnouncementCardInput): AdaptiveCard {
  const { content } = input;
  const communities = profile.communities.filter((c) => content.audience.communityIds.includes(c.id));
  const rsvp = input.rsvp ?? { going: 0, notGoing: 0 };
  const actions: Array<Record<string, unknown>> = [];
  if (content.event) {
    const rsvpAction = (title: string, answer: 'going' | 'not_going') => ({
      type: 'Action.Execute',
      title: rsvp.mine === answer ? `✓ ${title}` : title,
      verb: ANNOUNCEMENTS_RSVP_VERB,
      data: { announcementId: input.id, answer },
      ...(answer === 'going' ? { style: 'positive' } : {}),
    });
    actions.push(rsvpAction('Going', 'going'), rsvpAction("Can't go", 'not_going'));
  }
  if (content.link) actions.push({ type: 'Action.OpenUrl', title: content.link.title, url: content.link.url });
  if (input.copy === 'person') {
    for (const c of communities.slice(0, 2)) {
      const muted = input.muted?.has(c.id) ?? false;
      actions.push({ type: 'Action.Execute', title: muted ? `Unmute ${c.name}` : `Mute ${c.name}`, verb: ANNOUNCEMENTS_MUTE_VERB, data: { announcementId: input.id, communityId: c.id, mute: !muted } });
    }
  }
  const eventAt = content.event ? `${content.event.date} ${content.event.time}` : '';
  return renderCard(announcementTemplate, {
    banner: input.copy === 'preview' ? 'Preview: only you can see this. Nothing has been sent.' : '',
    title: content.title,
    fromLine: `${profile.trust.teamName} · ${input.authorName} · to ${describeAudience(profile, content.audience)}`,
    body: content.body,
    hasEvent: content.event !== null,
    eventWhen: eventAt,
    eventPlace: content.event?.place ?? '',
    rsvpLine: `${rsvp.going} going · ${rsvp.notGoing} can't go${rsvp.mine ? ` · you: ${rsvp.mine === 'going' ? 'going' : "can't go"}` : ''}`,
    notice: input.notice ?? '',
    actions,
  });
}

export interface StatusCardInput {
  announcement: Announcement;
  counts: FanOutCounts;
  reasons: ReadonlyArray<{ reason: string; n: number }>;
  rsvp: { going: number; notGoing: number };
  now: Date;
  notice?: string;
}

const HEADINGS: Record<Announcement['status'], string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  sending: 'Sending…',
  sent: 'Sent',
  cancelled: 'Send cancelled',
  recalled: 'Recalled',
};

const REASONS: Record<string, string> = {
  no_conversation_reference: 'no chat with the app',
  app_removed_or_blocked: 'removed or blocked the app',
  conversation_gone: 'chat no longer exists',
  install_not_permitted: 'the app may not be installed for them (permission not granted)',
  install_failed: 'installing the app for them failed',
  not_in_catalogue: 'the app is not in the tenant catalogue',
  send_error: 'Teams did not accept it',
  channel_unreachable: 'app not installed in the team',
};

/** The author's live status card: counts, RSVPs, time left, and Cancel / Recall. */
export function statusCard(profile: Profile, input: StatusCardInput): AdaptiveCard {
  const { announcement: a, counts } = input;
  const tz = profile.trust.timeZone;
  const facts = [
    { title: 'Sent', value: `${counts.sent} of ${totalOf(counts)}` },
    { title: 'Pending', value: String(counts.pending + counts.sending) },
    { title: 'Failed', value: String(counts.failed) },
    { title: 'Unreachable', value: String(counts.unreachable) },
    ...(counts.cancelled > 0 ? [{ title: 'Cancelled', value: String(counts.cancelled) }] : []),
    ...(counts.recalled > 0 ? [{ title: 'Recalled', value: String(counts.recalled) }] : []),
    ...(a.mutedCount > 0 ? [{ title: 'Muted', value: `${a.mutedCount} muted this community` }] : []),
    ...(counts.maybeRepeated > 0 ? [{ title: 'May have repeated', value: `${counts.maybeRepeated} (a restart during their send)` }] : []),
    ...(a.event ? [{ title: 'Replies', value: `${input.rsvp.going} going · ${input.rsvp.notGoing} can't go` }] : []),
    ...(a.status === 'scheduled' && a.sendAt ? [{ title: 'Sends at', value: `${formatDay(a.sendAt, tz)}, ${formatTime(a.sendAt, tz)}` }] : []),
  ];
  const left = a.status === 'sending' ? timeLeft(counts, a.startedAt, input.now) : undefined;
  if (left) facts.push({ title: 'Time left', value: left });
  const actions: Array<Record<string, unknown>> = [{ type: 'Action.Execute', title: 'Refresh', verb: ANNOUNCEMENTS_STATUS_VERB, data: { announcementId: a.id } }];
  if (a.status === 'sending' || a.status === 'scheduled') actions.push({ type: 'Action.Execute', title: 'Cancel send', verb: ANNOUNCEMENTS_CANCEL_VERB, data: { announcementId: a.id }, style: 'destructive' });
  if (a.status === 'sending' || a.status === 'sent' || a.status === 'cancelled') actions.push({ type: 'Action.Execute', title: 'Recall', verb: ANNOUNCEMENTS_RECALL_VERB, data: { announcementId: a.id } });
  return renderCard(statusTemplate, {
    heading: HEADINGS[a.status],
    title: a.title,
    audience: describeAudience(profile, a.audience),
    where: a.delivery === 'both' ? 'channel and 1:1' : a.delivery === 'channel' ? 'channel' : '1:1',
    notice: input.notice ?? '',
    facts,
    reasons: input.reasons.map((r) => `${r.n} ${REASONS[r.reason] ?? r.reason}`).join(' · '),
    updatedAt: `${formatDay(input.now, tz)}, ${formatTime(input.now, tz)}`,
    actions,
  });
}

export function announcementListCard(heading: string, items: ReadonlyArray<{ id: string; title: string; line: string; button: string; verb: string }>, emptyText: string, footer: ReadonlyArray<{ title: string; prompt: string }>): AdaptiveCard {
  return renderCard(listTemplate, { heading, items, emptyText, footer: footer.map((f) => promptAction(f.title, f.prompt)) });
}

export { ANNOUNCEMENTS_OPEN_VERB, ANNOUNCEMENTS_STATUS_VERB };
