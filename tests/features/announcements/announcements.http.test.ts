import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/shared/clock.js';
import type { TeamsPerson } from '../../support/activities.js';
import type { Json } from '../../support/connector-stand-in.js';
import { startHub, type HubHarness } from '../../support/hub-harness.js';
import { ellie, executeActions, hannah, joseph, priya, texts, tom } from '../communities/community-fixtures.js';

// The Development Team's journey through HTTP: the form, its bad inputs, preview, send, the durable
// fan-out run by the job worker, the status card, RSVP, mute, cancel and recall at the connector stand-in.

let h: HubHarness;
const clock = fixedClock('2026-11-23T10:00:00Z');
beforeAll(async () => {
  h = await startHub({ env: { SAMPLE_DATA: 'off', ANNOUNCEMENT_SENDERS: '2' }, clock, runJobs: false });
  for (const person of [ellie, tom, priya, hannah, joseph]) await h.post(h.activities.botInstalledInPersonalChat(person));
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  h.connector.clear();
  for (const table of ['job', 'announcement_mute', 'announcement_rsvp', 'announcement_recipient', 'announcement', 'community_member'] as const) await h.db.deleteFrom(table).execute();
  for (const person of [ellie, priya]) await press(person, 'communities.join', { communityId: 'sendco-hub-network' });
  h.connector.clear();
});

const chatOf = (person: TeamsPerson): string => String(h.activities.message({ text: 'x', from: person }).conversation.id);

async function say(from: TeamsPerson, text: string): Promise<Json> {
  h.connector.clear();
  await h.post(h.activities.message({ text, from }));
  const [card] = h.connector.deliveredCards();
  return card;
}

async function press(from: TeamsPerson, verb: string, data: Record<string, unknown>): Promise<Json> {
  const answer = await h.post(h.activities.cardAction({ verb, data, from }));
  expect(answer.status).toBe(200);
  return answer.body.value;
}

function filled(form: Json, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const send = executeActions(form).find((a) => a.verb === 'announcements.send')!;
  return {
    ...send.data,
    title: 'SENDCO Hub network: spring meeting',
    body: 'Our next meeting looks at **the new SEND policy appendices**.\n\n- bring your provision map',
    communityIds: 'sendco-hub-network',
    hubIds: '',
    academyIds: '',
    roles: '',
    delivery: 'personal',
    eventDate: '2026-12-02',
    eventTime: '13:30',
    eventPlace: 'Online (Teams meeting)',
    linkTitle: 'Agenda',
    linkUrl: 'https://harmony.example/agenda',
    sendDate: '',
    sendTime: '',
    ...overrides,
  };
}

const recipients = () => h.db.selectFrom('announcement_recipient').selectAll().execute();

describe('composing', () => {
  it('refuses anyone outside the Development Team, politely', async () => {
    for (const person of [ellie, joseph]) {
      const card = await say(person, 'new announcement');
      expect(card.metadata).toEqual({ problemCode: 'not_allowed' });
      expect(texts(card).join(' ')).toContain('Announcements are posted by the Development Team');
    }
    const form = await say(hannah, 'new announcement');
    expect((await press(ellie, 'announcements.send', filled(form))).metadata).toEqual({ problemCode: 'not_allowed' });
    expect(await h.db.selectFrom('announcement').selectAll().execute()).toHaveLength(0);
  });

  it('brings the form back with every problem and the values kept; nothing is stored as sending', async () => {
    const form = await say(hannah, 'new announcement');
    const bad = await press(hannah, 'announcements.send', filled(form, { title: '', communityIds: 'no-such-network', eventDate: '2026-11-01', linkUrl: 'http://insecure.example' }));
    const shown = texts(bad).join('\n');
    expect(shown).toContain('A title is required.');
    expect(shown).toContain('does not know the community "no-such-network"');
    expect(shown).toContain('That date and time has passed');
    expect(shown).toContain('must be a web address starting https://');
    expect(shown).toContain('Our next meeting looks at');
    const empty = await press(hannah, 'announcements.send', filled(form, { communityIds: '', body: '' }));
    expect(texts(empty).join('\n')).toContain('Choose who it is for');
    expect(texts(empty).join('\n')).toContain('The message is required.');
    const huge = await press(hannah, 'announcements.send', filled(form, { body: 'x'.repeat(4001) }));
    expect(texts(huge).join('\n')).toContain('at most 4000 characters');
    const noChannel = await press(hannah, 'announcements.send', filled(form, { communityIds: 'eyfs-network', delivery: 'channel' }));
    expect(texts(noChannel).join('\n')).toContain('None of the chosen communities has a Teams channel');
    const past = await press(hannah, 'announcements.send', filled(form, { sendDate: '2026-11-22', sendTime: '09:00' }));
    expect(texts(past).join('\n')).toContain('That time has passed');
    expect(await h.db.selectFrom('announcement').selectAll().where('status', '!=', 'draft').execute()).toHaveLength(0);
    expect(await recipients()).toHaveLength(0);
  });

  it('keeps drafts, refuses a stale form, and previews to the author alone', async () => {
    const form = await say(hannah, 'new announcement');
    const saved = await press(hannah, 'announcements.save', filled(form, { title: 'Draft one' }));
    expect(texts(saved).join(' ')).toContain('Draft saved');
    const stale = await press(hannah, 'announcements.save', filled(form, { title: 'Old card' }));
    expect(texts(stale).join(' ')).toContain('Here is the saved draft');
    const current = executeActions(saved).find((a) => a.verb === 'announcements.preview')!;
    h.connector.clear();
    const previewed = await press(hannah, 'announcements.preview', { ...filled(saved), ...current.data });
    expect(texts(previewed).join(' ')).toContain('Preview sent to you alone');
    const delivered = h.connector.deliveredCards();
    expect(delivered).toHaveLength(1);
    expect(h.connector.delivered(chatOf(hannah))).toHaveLength(1);
    expect(texts(delivered[0]).join(' ')).toContain('Preview: only you can see this');
    const mine = await say(hannah, 'my announcements');
    expect(texts(mine).join(' ')).toContain('SENDCO Hub network: spring meeting');
  });
});

describe('sending', () => {
  async function sent(overrides: Record<string, unknown> = {}): Promise<{ status: Json; announcementId: string }> {
    const form = await say(hannah, 'new announcement');
    const status = await press(hannah, 'announcements.send', filled(form, overrides));
    const [row] = await h.db.selectFrom('announcement').select('id').execute();
    return { status, announcementId: row.id };
  }

  it('fans out once per member, posts and updates the author status card, and ends as sent', async () => {
    const { status, announcementId } = await sent();
    expect(texts(status).join(' ')).toContain('Sending now');
    await h.hub.jobs.runDueJobs();
    const rows = await recipients();
    expect(rows.map((r) => [r.target, r.status]).sort()).toEqual([
      [ellie.aadObjectId, 'sent'],
      [priya.aadObjectId, 'sent'],
    ]);
    for (const person of [ellie, priya]) {
      const cards = h.connector.deliveredCards(chatOf(person));
      expect(cards).toHaveLength(1);
      expect(executeActions(cards[0]).map((a) => a.title)).toEqual(['Going', "Can't go", 'Mute SENDCO Hub network']);
    }
    const statusCard = h.connector.deliveredCards(chatOf(hannah));
    // The form (the reply to "new announcement") and one status card, later updated in place.
    expect(statusCard.map((c) => texts(c)[0])).toEqual(['New announcement', 'Sending…']);
    const updates = h.connector.calls.filter((c) => c.kind === 'update' && c.conversationId === chatOf(hannah));
    expect(updates.length).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(updates.at(-1)!.body)).toContain('2 of 2');
    expect((await h.db.selectFrom('announcement').select('status').where('id', '=', announcementId).executeTakeFirstOrThrow()).status).toBe('sent');

    // Running the jobs again sends nothing more.
    h.connector.clear();
    await h.hub.jobs.runDueJobs();
    expect(h.connector.deliveredCards()).toHaveLength(0);
  });

  it('posts in the community channel too, and records people with no chat as unreachable', async () => {
    await press(tom, 'communities.join', { communityId: 'sendco-hub-network' });
    await h.post(h.activities.installationUpdate('remove', tom));
    await h.post(h.activities.botAddedToTeam({ id: '19:dev-team-general@thread.tacv2', name: 'Harmony staff', aadGroupId: 'a0000000-0000-4000-8000-00000000000b' }, hannah));
    const { announcementId } = await sent({ delivery: 'both' });
    await h.hub.jobs.runDueJobs();
    const rows = await recipients();
    expect(rows.find((r) => r.kind === 'channel')).toMatchObject({ target: '19:dev-team-general@thread.tacv2', status: 'sent' });
    expect(rows.find((r) => r.target === tom.aadObjectId)).toMatchObject({ status: 'unreachable', reason: 'no_conversation_reference' });
    const status = await press(hannah, 'announcements.status', { announcementId });
    expect(texts(status).join(' ')).toContain('1 no chat with the app');
  });

  it('lets recipients RSVP and change their mind, one answer each', async () => {
    const { announcementId } = await sent();
    await h.hub.jobs.runDueJobs();
    await press(ellie, 'announcements.rsvp', { announcementId, answer: 'going' });
    await press(ellie, 'announcements.rsvp', { announcementId, answer: 'going' });
    const changed = await press(ellie, 'announcements.rsvp', { announcementId, answer: 'not_going' });
    expect(texts(changed).join(' ')).toContain("0 going · 1 can't go");
    await press(priya, 'announcements.rsvp', { announcementId, answer: 'going' });
    const status = await press(hannah, 'announcements.status', { announcementId });
    expect(texts(status).join(' ')).toContain("1 going · 1 can't go");
    expect((await press(ellie, 'announcements.rsvp', { announcementId, answer: 'maybe' })).metadata).toEqual({ problemCode: 'invalid_action' });
  });

  it('leaves out someone who muted the community, and counts them', async () => {
    const first = await sent();
    await h.hub.jobs.runDueJobs();
    const muted = await press(ellie, 'announcements.mute', { announcementId: first.announcementId, communityId: 'sendco-hub-network', mute: true });
    expect(texts(muted).join(' ')).toContain('Unmute SENDCO Hub network');
    await h.db.deleteFrom('announcement_recipient').execute();
    await h.db.deleteFrom('announcement').execute();
    const second = await sent();
    await h.hub.jobs.runDueJobs();
    expect((await recipients()).map((r) => r.target)).toEqual([priya.aadObjectId]);
    expect(texts(await press(hannah, 'announcements.status', { announcementId: second.announcementId })).join(' ')).toContain('1 muted this community');
  });

  it('schedules for later, and Cancel before the time sends nothing', async () => {
    const { status, announcementId } = await sent({ sendDate: '2026-11-24', sendTime: '08:00' });
    expect(texts(status).join(' ')).toContain('Scheduled');
    await h.hub.jobs.runDueJobs();
    expect(await recipients()).toHaveLength(0);
    const cancelled = await press(hannah, 'announcements.cancel', { announcementId });
    expect(texts(cancelled).join(' ')).toContain('Send cancelled');
    clock.set('2026-11-24T08:01:00Z');
    try {
      await h.hub.jobs.runDueJobs();
      expect(await recipients()).toHaveLength(0);
    } finally {
      clock.set('2026-11-23T10:00:00Z');
    }
  });

  it('recalls a sent announcement: every delivered copy is deleted and recorded', async () => {
    const { announcementId } = await sent();
    await h.hub.jobs.runDueJobs();
    const sentIds = (await recipients()).map((r) => r.activity_id);
    const recalling = await press(hannah, 'announcements.recall', { announcementId });
    expect(texts(recalling).join(' ')).toContain('Recalling');
    await h.hub.jobs.runDueJobs();
    const deletes = h.connector.calls.filter((c) => c.kind === 'delete').map((c) => c.activityId);
    expect(deletes.sort()).toEqual([...sentIds].sort());
    expect((await recipients()).every((r) => r.status === 'recalled')).toBe(true);
    expect((await press(hannah, 'announcements.recall', { announcementId })).metadata).toEqual({ problemCode: 'not_recallable' });
    expect((await press(ellie, 'announcements.rsvp', { announcementId, answer: 'going' })).metadata).toEqual({ problemCode: 'not_found' });
  });
});
