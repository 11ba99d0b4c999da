import type { Notifier, Speaker } from '../../shared/bot-contract.js';
import type { Clock, IdGenerator } from '../../shared/clock.js';
import type { Logger } from '../../shared/logger.js';
import { fail, ok, type Result } from '../../shared/result.js';
import type { TrustProfile } from '../../trust/trust-profile.schema.js';
import { localDay } from '../communities/communities.domain.js';
import { can, type Person } from '../people/people.domain.js';
import type { PeopleService } from '../people/people.service.js';
import { announcementCard } from './announcements.cards.js';
import { checkAnnouncement, draftContent, type AnnouncementContent, type AnnouncementFailureCode } from './announcements.domain.js';
import type { Announcement, AnnouncementRepository } from './announcements.repository.js';
import type { AnnouncementFormData } from './announcements.schemas.js';
import type { FanOutRepository } from './fan-out.repository.js';

export interface AnnouncementServiceDeps {
  repository: AnnouncementRepository;
  fanOut: FanOutRepository;
  people: PeopleService;
  notifier: Notifier;
  profile: TrustProfile;
  clock: Clock;
  ids: IdGenerator;
  logger: Logger;
  kickJobs(): void;
}

type R<T> = Promise<Result<T, AnnouncementFailureCode>>;

/** Composing, previewing, sending, cancelling and recalling announcements; RSVPs and mutes. */
export class AnnouncementService {
  constructor(private readonly deps: AnnouncementServiceDeps) {}

  today(): string {
    return localDay(this.deps.clock.now(), this.deps.profile.trust.timeZone);
  }

  newDraftId(): string {
    return this.deps.ids.newId();
  }

  /** Only the Development Team announces; everyone else is told so politely. */
  async author(speaker: Speaker): R<Person> {
    const person = await this.deps.people.resolve(speaker);
    if (!person.ok) return person;
    if (!can(person.value, 'announcements.post')) {
      return fail('not_allowed', `Announcements are posted by the ${this.deps.profile.trust.teamName}. If you have news for a network, send it to its leads or the ${this.deps.profile.trust.teamName} and they can share it.`);
    }
    return ok(person.value);
  }

  async save(speaker: Speaker, data: AnnouncementFormData): R<Announcement> {
    const author = await this.author(speaker);
    if (!author.ok) return author;
    return this.store(author.value, data, draftContent(data));
  }

  /** Checks it as if sending, saves it, and sends the card to the author alone. */
  async preview(speaker: Speaker, data: AnnouncementFormData): R<{ announcement: Announcement; delivered: boolean }> {
    const author = await this.author(speaker);
    if (!author.ok) return author;
    const checked = this.check(data);
    if (!checked.ok) return checked;
    const saved = await this.store(author.value, data, { ...checked.value, sendAt: null });
    if (!saved.ok) return saved;
    const card = announcementCard(this.deps.profile, { id: saved.value.id, authorName: author.value.displayName, content: checked.value, copy: 'preview' });
    const outcome = await this.deps.notifier.sendToPerson(author.value.aadObjectId, { kind: 'card', card });
    return ok({ announcement: saved.value, delivered: outcome.kind === 'sent' });
  }

  /** Checks, saves and hands it to the durable fan-out (now, or at the scheduled time). */
  async send(speaker: Speaker, data: AnnouncementFormData): R<Announcement> {
    const author = await this.author(speaker);
    if (!author.ok) return author;
    const checked = this.check(data);
    if (!checked.ok) return checked;
    const saved = await this.store(author.value, data, checked.value);
    if (!saved.ok) return saved;
    const sending = await this.deps.repository.markSending(saved.value.id, saved.value.version, author.value.aadObjectId, checked.value.sendAt);
    if (!sending) return fail('stale_card', 'This announcement was sent or changed from another card.');
    this.deps.logger.info({ announcementId: sending.id, scheduled: sending.sendAt !== null }, 'announcement handed to the fan-out');
    this.deps.kickJobs();
    return ok(sending);
  }

  async cancel(speaker: Speaker, announcementId: string): R<Announcement> {
    const owned = await this.owned(speaker, announcementId);
    if (!owned.ok) return owned;
    if (!(await this.deps.repository.cancel(announcementId, owned.value.person.aadObjectId))) {
      return fail('not_cancellable', 'It has already finished sending (or was cancelled), so there is nothing to cancel. You can still recall it.');
    }
    return this.found(announcementId);
  }

  async recall(speaker: Speaker, announcementId: string): R<Announcement> {
    const owned = await this.owned(speaker, announcementId);
    if (!owned.ok) return owned;
    if (!(await this.deps.repository.recall(announcementId, owned.value.person.aadObjectId))) {
      return fail('not_recallable', owned.value.announcement.status === 'recalled' ? 'It has already been recalled.' : 'Only an announcement that has been sent can be recalled.');
    }
    this.deps.kickJobs();
    return this.found(announcementId);
  }

  /** The author (or anyone in the Development Team) looking at a send. */
  async owned(speaker: Speaker, announcementId: string): R<{ person: Person; announcement: Announcement }> {
    const person = await this.author(speaker);
    if (!person.ok) return person;
    const announcement = await this.deps.repository.find(announcementId);
    if (!announcement) return fail('not_found', 'That announcement no longer exists.');
    return ok({ person: person.value, announcement });
  }

  async draft(speaker: Speaker, announcementId: string): R<Announcement> {
    const owned = await this.owned(speaker, announcementId);
    if (!owned.ok) return owned;
    if (owned.value.announcement.status !== 'draft') return fail('not_draft', 'It has been sent, so it cannot be edited. Open its status instead.');
    return ok(owned.value.announcement);
  }

  async mine(speaker: Speaker): R<Announcement[]> {
    const author = await this.author(speaker);
    if (!author.ok) return author;
    return ok(await this.deps.repository.byAuthor(author.value.aadObjectId, 8));
  }

  async received(speaker: Speaker): R<Announcement[]> {
    const person = await this.deps.people.resolve(speaker);
    if (!person.ok) return person;
    return ok(await this.deps.repository.receivedBy(person.value.aadObjectId, 5));
  }

  /** Going / Can't go, as often as they change their mind: one answer per person. */
  async rsvp(speaker: Speaker, announcementId: string, answer: 'going' | 'not_going'): R<{ announcement: Announcement; person: Person; counts: { going: number; notGoing: number } }> {
    const person = await this.deps.people.resolve(speaker);
    if (!person.ok) return person;
    const announcement = await this.deps.repository.find(announcementId);
    if (!announcement || !announcement.event || (announcement.status !== 'sending' && announcement.status !== 'sent')) {
      return fail('not_found', 'That event is no longer open for replies.');
    }
    await this.deps.repository.rsvp(announcementId, person.value.aadObjectId, answer);
    return ok({ announcement, person: person.value, counts: await this.deps.repository.rsvpCounts(announcementId) });
  }

  async mute(speaker: Speaker, announcementId: string, communityId: string, mute: boolean): R<{ announcement: Announcement; person: Person; muted: Set<string> }> {
    const person = await this.deps.people.resolve(speaker);
    if (!person.ok) return person;
    const announcement = await this.deps.repository.find(announcementId);
    if (!announcement || !announcement.audience.communityIds.includes(communityId)) return fail('not_found', 'That announcement or community no longer exists.');
    await this.deps.repository.setMute(person.value.aadObjectId, communityId, mute);
    return ok({ announcement, person: person.value, muted: await this.deps.repository.mutedBy(person.value.aadObjectId) });
  }

  rsvpOf(announcementId: string, aadObjectId: string) {
    return this.deps.repository.rsvpOf(announcementId, aadObjectId);
  }

  private check(data: AnnouncementFormData) {
    return checkAnnouncement(data, {
      profile: this.deps.profile,
      now: this.deps.clock.now(),
      cardBytes: (content) => new TextEncoder().encode(JSON.stringify(announcementCard(this.deps.profile, { id: data.draftId, authorName: 'x'.repeat(64), content, copy: 'person', rsvp: { going: 99_999, notGoing: 99_999 } }))).length,
    });
  }

  private async store(author: Person, data: AnnouncementFormData, content: AnnouncementContent): R<Announcement> {
    const saved = await this.deps.repository.saveDraft(data.draftId, data.version, author, content);
    if (saved) return ok(saved);
    const current = await this.deps.repository.find(data.draftId);
    if (current && current.status !== 'draft') return fail('not_draft', 'This announcement has already been sent, so the form cannot change it.', { announcement: current });
    return fail('stale_card', 'This form is older than the saved draft (it was changed on another card).', current ? { announcement: current } : undefined);
  }

  private async found(id: string): R<Announcement> {
    const announcement = await this.deps.repository.find(id);
    return announcement ? ok(announcement) : fail('not_found', 'That announcement no longer exists.');
  }
}
