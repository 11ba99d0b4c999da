import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookingCard, myBookingsCard } from '../../src/features/cpd/booking/booking.cards.js';
import type { CpdSearchService } from '../../src/features/cpd/search/search.service.js';
import { searchResultsCard } from '../../src/features/cpd/search/search.cards.js';
import { coursesSearchCommand } from '../../src/features/cpd/search/courses-command.js';
import type { Resource } from '../../src/features/resources/resource-hits.domain.js';
import { understandResourceQuery } from '../../src/features/resources/resource-query.domain.js';
import { resourceCard, resourceResultsCard } from '../../src/features/resources/resources.cards.js';
import type { ResourcePage } from '../../src/features/resources/resources.service.js';
import type { SearchCommandAnswer, TurnInfo } from '../../src/shared/bot-contract.js';
import { didYouMeanCard, notSureCard, welcomeCard } from '../../src/features/home/home.cards.js';
import type { AdaptiveCard } from '../../src/shared/bot-contract.js';
import { renderCard } from '../../src/shared/cards.js';
import { problemCard } from '../../src/shared/problem-card.js';
import { questionCard, requestFormCard, triageChannelMissingCard, visitCard, visitListCard } from '../../src/features/inclusion-visits/visits.cards.js';
import type { VisitQuestion } from '../../src/features/inclusion-visits/visit-questions.repository.js';
import type { InclusionVisitRequest } from '../../src/features/inclusion-visits/visits.repository.js';
import { commissionCard } from '../../src/features/commissions/commissions.cards.js';
import { announcementCard, announcementListCard, formCard, statusCard } from '../../src/features/announcements/announcements.cards.js';
import { EMPTY_COUNTS } from '../../src/features/announcements/announcement-status.domain.js';
import type { AnnouncementContent } from '../../src/features/announcements/announcements.domain.js';
import type { Announcement } from '../../src/features/announcements/announcements.repository.js';
import { communityListCard, joinRequestCard, membersCard } from '../../src/features/communities/communities.cards.js';
import type { Commission } from '../../src/features/commissions/commissions.repository.js';
import { loadTrustProfile } from '../../src/trust/load-trust-profile.js';
import { bookingSetup, speaker, type BookingSetup } from '../features/cpd/booking/booking-fixtures.js';
import { smallTaxonomy } from '../features/cpd/cpd-fixtures.js';
import { openPgliteTestDb, type TestDb } from '../support/test-db.js';
import { CpdSearchService as SearchService } from '../../src/features/cpd/search/search.service.js';

const SRC = path.resolve(import.meta.dirname, '..', '..', 'src');
const harmony = loadTrustProfile(path.join(SRC, 'trust', 'profiles', 'harmony.json'));
const commission: Commission = {
  id: 'c1',
  reference: 'CM-0001',
  academyId: 'brookside',
  supportTypeId: 'director-of-education-intervention',
  need: 'Reading',
  evidence: 'Visit',
  externalSchool: null,
  measures: [],
  assignedStaff: [],
  startDate: null,
  endDate: null,
  status: 'requested',
  version: 1,
  declineReason: null,
  raisedByAadId: 'a1',
  raisedByName: 'Ruth Pennington',
  createdAt: new Date('2026-12-01T10:00:00Z'),
  updatedAt: new Date('2026-12-01T10:00:00Z'),
  closedAt: null,
};
const visit: InclusionVisitRequest = {
  id: 'v1', reference: 'IV-0001', academyId: 'brookside', hubId: 'north', requesterAadId: 'a1', requesterName: 'Priya', requesterTeamsId: '29:p',
  focusAreaIds: ['transition', 'other'], otherFocus: 'Attendance', earlyHelp: 'JS (Year 6)', urgency: 'urgent', urgencyReason: 'Soon', preferredFrom: '2026-12-01',
  preferredTo: null, preferredNote: 'Not Fridays', contact: 'p@example', status: 'scheduled', version: 3, assigneeAadId: null, assigneeName: 'Joseph',
  scheduledDate: '2026-12-03', scheduledTime: '09:30', scheduledWith: 'Joseph', declineReason: null, outcomeNotes: null, followUp: null, recommended: null,
  channelActivityId: '1', createdAt: new Date('2026-11-23T10:00:00Z'), updatedAt: new Date('2026-11-23T10:00:00Z'), closedAt: null, erasedAt: null,
};
const question: VisitQuestion = {
  id: 'q1', visitId: 'v1', askedByAadId: 'a2', askedByName: 'Joseph', question: 'Which year?', askedAt: new Date('2026-11-23T10:00:00Z'),
  answer: null, answeredByAadId: null, answeredAt: null,
};

const cardSettings = { libraryTitle: 'Universal Resource Library', locale: 'en-GB', timeZone: 'Europe/London' };
const resource: Resource = {
  id: 'r1', title: 'Improving Literacy in KS2', kind: 'pdf', webUrl: 'https://harmony.sharepoint.com/sites/URL/Shared%20Documents/EEF/ks2.pdf',
  snippet: 'Seven recommendations on vocabulary', author: 'EEF', modified: new Date('2026-10-01T09:00:00Z'),
};
function resourcePage(text: string, resources: Resource[], extra: Partial<ResourcePage> = {}): ResourcePage {
  return { query: understandResourceQuery(text), resources, from: 0, size: 10, moreAvailable: false, total: resources.length, searchedAs: 'app', ...extra };
}
const turn: TurnInfo = { speaker: { id: '29:viewer', aadObjectId: 'a1', name: 'Ola', tenantId: 't1' }, conversation: { id: 'c1', scope: 'personal', teamId: undefined }, locale: 'en-GB' };
/** The cards a message-extension answer carries; a message instead of cards means the sample data found nothing. */
function answerCards(answer: SearchCommandAnswer): AdaptiveCard[] {
  if (!Array.isArray(answer)) throw new Error(`expected results, got ${answer.kind}`);
  expect(answer.length).toBeGreaterThan(0);
  return answer.map((item) => item.card);
}

/** Every cards/*.json template under src/, relative to src/. */
function templates(dir = SRC): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return templates(full);
    return path.basename(dir) === 'cards' && e.name.endsWith('.json') ? [path.relative(SRC, full)] : [];
  });
}

/** `${…}` left in a rendered card means a binding the data did not fill. */
function unbound(card: AdaptiveCard): string[] {
  return JSON.stringify(card).match(/\$\{[^}]*\}/g) ?? [];
}

describe('every Adaptive Card template renders with typed sample data and no unbound ${…}', () => {
  let testDb: TestDb;
  let s: BookingSetup;
  let search: CpdSearchService;
  beforeAll(async () => {
    testDb = await openPgliteTestDb();
    s = await bookingSetup(testDb.db);
    search = new SearchService(s.catalogue, smallTaxonomy, s.clock);
  });
  afterAll(async () => testDb.close());

  const sendco = harmony.communities[0];
  const content: AnnouncementContent = {
    title: 'SENDCO Hub network: spring meeting',
    body: 'We meet **in person** this term.',
    audience: { communityIds: [sendco.id], hubIds: [], academyIds: [], roles: [] },
    delivery: 'both',
    event: { date: '2027-02-10', time: '15:30', place: 'Trust office' },
    link: { title: 'Agenda', url: 'https://example.org/agenda' },
    sendAt: null,
  };
  const announcement: Announcement = {
    ...content,
    id: 'a1',
    authorAadId: 'a-author',
    authorName: 'Development Team',
    status: 'sending',
    version: 2,
    statusCardActivityId: null,
    mutedCount: 1,
    createdAt: new Date('2027-01-10T09:00:00Z'),
    startedAt: new Date('2027-01-10T09:01:00Z'),
    finishedAt: null,
  };
  const member = { aadObjectId: 'p1', displayName: 'Sam Lee', email: 'sam@example.org', academyId: null, roles: ['staff' as const], leaderOfAcademyIds: [], sencoOfAcademyIds: [], source: 'sample_roster' as const };
  const standing = { person: member, memberOf: new Set([sendco.id]), requested: new Set<string>() };
  const now = new Date('2027-01-10T09:00:00Z');

  // A render may give several cards (a message-extension answer carries one per result).
  const renders: Record<string, Array<() => Promise<AdaptiveCard | AdaptiveCard[]>>> = {
    'shared/cards/problem.json': [
      async () => problemCard({ code: 'booking_closed', title: 'Booking has closed', message: 'Booking closed on 10 January.', nextStep: 'Ask what else is on.' }),
    ],
    'features/home/cards/welcome.json': [
      async () =>
        welcomeCard({
          trustName: 'The Harmony Trust',
          teamName: 'Development Team',
          greeting: 'Hi Ola',
          example: 'any phonics training?',
          journeys: [{ title: 'Find CPD', summary: 'Courses', prompt: 'What CPD is on next month?', buttonTitle: 'Start' }],
        }),
    ],
    'features/home/cards/did-you-mean.json': [
      async () =>
        didYouMeanCard({
          message: 'Choose',
          options: [
            { title: 'CPD courses on vocabulary', prompt: 'CPD courses on vocabulary', intent: 'cpd.search' },
            { title: 'Resources', prompt: 'find resources on vocabulary', intent: 'resources.not_available' },
          ],
        }),
    ],
    'features/home/cards/not-sure.json': [
      async () => notSureCard({ message: 'Is it one of these?', journeys: [{ title: 'Find CPD', summary: 'Courses', prompt: 'cpd' }], footer: 'Type help.' }),
    ],
    'features/cpd/search/cards/results.json': [
      async () => searchResultsCard((await search.search('phonics', { roles: ['staff'] }))!, smallTaxonomy),
      async () => searchResultsCard((await search.search('any astrophysics courses?', { roles: ['staff'] }))!, smallTaxonomy),
    ],
    'features/cpd/search/cards/course.json': [
      async () => {
        const command = coursesSearchCommand({ search, taxonomy: smallTaxonomy, askerOf: async () => ({ roles: ['staff'] }) });
        return [...answerCards(await command.handle(turn, { text: 'phonics', skip: 0, count: 25 })), ...answerCards(await command.handle(turn, { text: '', skip: 0, count: 25 }))];
      },
    ],
    'features/resources/cards/results.json': [
      async () => resourceResultsCard({ page: resourcePage('resources on vocabulary', [resource], { moreAvailable: true, total: 30 }), pageNumber: 1, queryText: 'vocabulary', suggestions: [], shortcuts: [], offerSignIn: true }, cardSettings),
      async () =>
        resourceResultsCard(
          { page: resourcePage('astrophysics videos', []), pageNumber: 0, queryText: 'astrophysics videos', suggestions: ['phonics'], shortcuts: [{ title: 'Making best use of TAs', url: 'https://eef.org.uk/ta' }], offerSignIn: false },
          cardSettings,
        ),
      async () => resourceResultsCard({ page: resourcePage('', []), pageNumber: 0, queryText: '', suggestions: [], shortcuts: [], offerSignIn: false }, cardSettings),
    ],
    'features/resources/cards/resource.json': [
      async () => resourceCard(resource, cardSettings),
      async () => resourceCard({ ...resource, kind: 'link', author: undefined, modified: undefined, snippet: '' }, cardSettings),
    ],
    'features/cpd/booking/cards/booking.json': [
      async () => {
        const booked = await s.service.book(speaker(1), 'phonics-jan');
        if (!booked.ok) throw new Error(booked.code);
        return bookingCard(booked.value, smallTaxonomy, '29:viewer');
      },
    ],
    'features/cpd/booking/cards/my-bookings.json': [
      async () => {
        const mine = await s.service.myBookings(speaker(1));
        if (!mine.ok) throw new Error(mine.code);
        expect(mine.value.items.length).toBeGreaterThan(0);
        return myBookingsCard({ ...mine.value, notice: { change: 'cancelled', title: 'Phonics' } }, smallTaxonomy, '29:viewer', 'What CPD is on next month?');
      },
      async () => {
        const none = await s.service.myBookings(speaker(2));
        if (!none.ok) throw new Error(none.code);
        return myBookingsCard(none.value, smallTaxonomy, undefined, 'What CPD is on next month?');
      },
    ],
    'features/inclusion-visits/cards/request-form.json': [
      async () => requestFormCard(harmony, { academies: [{ id: 'brookside', name: 'Brookside' }], values: { academyId: 'brookside' }, submissionKey: 'k1', today: '2026-11-23' }),
      async () => requestFormCard(harmony, { academies: [{ id: 'brookside', name: 'Brookside' }], values: {}, errors: { earlyHelp: 'Required.' }, flaggedNames: ['Jo Bloggs'], submissionKey: 'k1', today: '2026-11-23' }),
    ],
    'features/inclusion-visits/cards/visit.json': [
      async () => visitCard(harmony, visit, { triage: true, today: '2026-11-23', notice: 'Scheduled', refreshFor: ['29:p'] }),
      async () => visitCard(harmony, { ...visit, status: 'declined', erasedAt: new Date('2027-01-01T00:00:00Z') }, { triage: false, today: '2026-11-23', openQuestion: question }),
    ],
    'features/inclusion-visits/cards/visit-list.json': [
      async () => visitListCard(harmony, { heading: 'Open', subheading: 'All', emptyText: 'None', warning: 'Not installed', visits: [visit] }),
      async () => visitListCard(harmony, { heading: 'Mine', subheading: 'All', emptyText: 'None', visits: [] }),
    ],
    'features/inclusion-visits/cards/question.json': [
      async () => questionCard(harmony, { visit, question, answerError: 'The answer is required.', answerValue: '' }),
      async () => questionCard(harmony, { visit, question: { ...question, answer: 'Year 6', answeredAt: new Date(), answeredByAadId: 'a1' }, notice: 'Sent' }),
    ],
    'features/commissions/cards/commission.json': [
      async () => commissionCard(harmony, commission, { notice: 'New request', tabLink: '' }),
      async () =>
        commissionCard(
          harmony,
          { ...commission, status: 'declined', declineReason: 'Covered elsewhere', externalSchool: { name: 'St Anne', keyOutcomes: ['Reading'], termCount: 5 }, startDate: '2027-01-05', endDate: '2027-07-16', assignedStaff: ['Trust Leader'] },
          { notice: 'Declined', tabLink: 'https://teams.microsoft.com/l/entity/app/commissions' },
        ),
    ],
    'features/inclusion-visits/cards/triage-channel-missing.json': [async () => triageChannelMissingCard(harmony, 2), async () => triageChannelMissingCard(harmony, 0)],
    'features/announcements/cards/form.json': [
      async () => formCard(harmony, { draftId: 'd1', version: 1, values: {}, today: '2027-01-10' }),
      async () => formCard(harmony, { draftId: 'd1', version: 2, values: { title: '', body: 'x' }, errors: { title: 'A title is needed.' }, notice: 'Check the form', today: '2027-01-10' }),
    ],
    'features/announcements/cards/announcement.json': [
      async () => announcementCard(harmony, { id: 'a1', authorName: 'Development Team', content, copy: 'person', rsvp: { going: 3, notGoing: 1, mine: 'going' }, muted: new Set() }),
      async () => announcementCard(harmony, { id: 'a1', authorName: 'Development Team', content: { ...content, event: null, link: null }, copy: 'preview', notice: 'Preview' }),
    ],
    'features/announcements/cards/status.json': [
      async () => statusCard(harmony, { announcement, counts: { ...EMPTY_COUNTS, pending: 40, sent: 58, unreachable: 2 }, reasons: [{ reason: 'no_conversation_reference', n: 2 }], rsvp: { going: 5, notGoing: 1 }, now }),
      async () => statusCard(harmony, { announcement: { ...announcement, status: 'sent', finishedAt: now }, counts: { ...EMPTY_COUNTS, sent: 100 }, reasons: [], rsvp: { going: 0, notGoing: 0 }, now, notice: 'Done' }),
    ],
    'features/announcements/cards/list.json': [
      async () => announcementListCard('My announcements', [{ id: 'a1', title: 'Spring meeting', line: 'Draft', button: 'Open', verb: 'announcements.open' }], 'No announcements yet.', [{ title: 'New announcement', prompt: 'new announcement' }]),
      async () => announcementListCard('My announcements', [], 'No announcements yet.', []),
    ],
    'features/communities/cards/community-list.json': [
      async () =>
        communityListCard(harmony, { heading: 'Networks', communities: harmony.communities.slice(0, 3), standing, mayManage: () => true, leadNames: new Map(), now, today: '2027-01-10', footer: [{ title: 'My networks', prompt: 'my networks' }] }),
      async () => communityListCard(harmony, { heading: 'Networks', communities: [], standing, mayManage: () => false, leadNames: new Map(), now, today: '2027-01-10', emptyText: 'Nothing found.' }),
    ],
    'features/communities/cards/join-request.json': [
      async () => joinRequestCard(harmony, sendco, { id: 'r1', communityId: sendco.id, aadObjectId: 'p1', displayName: 'Sam Lee', status: 'pending', decidedByAadId: null }),
      async () => joinRequestCard(harmony, sendco, { id: 'r1', communityId: sendco.id, aadObjectId: 'p1', displayName: 'Sam Lee', status: 'approved', decidedByAadId: 'lead' }, 'Approved'),
    ],
    'features/communities/cards/members.json': [
      async () => membersCard(sendco, [{ communityId: sendco.id, aadObjectId: 'p1', displayName: 'Sam Lee', joinedAt: now }], false),
      async () => membersCard(sendco, [{ communityId: sendco.id, aadObjectId: 'p1', displayName: '=Sam', joinedAt: now }], true),
    ],
  };

  it('covers every template in src/', () => {
    expect(templates().sort()).toEqual(Object.keys(renders).sort());
  });

  it.each(Object.keys(renders))('%s', async (template) => {
    for (const render of renders[template]) {
      for (const card of [await render()].flat()) {
        expect(card.version).toBe('1.5');
        expect(unbound(card)).toEqual([]);
      }
    }
  });

  it('catches a binding the data does not fill', () => {
    const template = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: '${title}' }, { type: 'TextBlock', text: '${missing}' }] };
    expect(unbound(renderCard(template, { title: 'Phonics' }))).toEqual(['${missing}']);
  });
});
