import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/shared/clock.js';
import type { TeamsPerson } from '../../support/activities.js';
import type { Json } from '../../support/connector-stand-in.js';
import { startHub, type HubHarness } from '../../support/hub-harness.js';
import { ellie, executeActions, hannah, joseph, priya, texts, tom } from './community-fixtures.js';

// Through HTTP: chat and card presses → the real adapter → the communities feature → cards, rows,
// audit entries, and the outbox's cards to leads and requesters at the connector stand-in.

let h: HubHarness;
const clock = fixedClock('2026-11-23T10:00:00Z');
beforeAll(async () => {
  h = await startHub({ env: { SAMPLE_DATA: 'off' }, clock, runJobs: false });
  for (const person of [ellie, tom, priya, hannah, joseph]) await h.post(h.activities.botInstalledInPersonalChat(person));
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  h.connector.clear();
  await h.db.deleteFrom('job').execute();
  await h.db.deleteFrom('community_member').execute();
  await h.db.deleteFrom('community_join_request').execute();
});

async function say(from: TeamsPerson, text: string): Promise<Json> {
  h.connector.clear();
  const answer = await h.post(h.activities.message({ text, from }));
  expect(answer.status).toBeLessThan(300);
  const cards = h.connector.deliveredCards();
  expect(cards).toHaveLength(1);
  return cards[0];
}

async function press(from: TeamsPerson, verb: string, data: Record<string, unknown>): Promise<Json> {
  const answer = await h.post(h.activities.cardAction({ verb, data, from }));
  expect(answer.status).toBe(200);
  return answer.body.value;
}

const members = (communityId: string) => h.db.selectFrom('community_member').selectAll().where('community_id', '=', communityId).execute();

describe('finding communities in chat', () => {
  it('lists the networks with their next meeting and a Join button each', async () => {
    const card = await say(ellie, 'networks');
    const shown = texts(card).join('\n');
    expect(shown).toContain('SENDCO Hub network');
    expect(shown).toContain('Maths subject leaders network');
    expect(shown).not.toContain('Reading HLC');
    // The SENDCO Hub network meets on the first Wednesday of the month at 13:30: 2 December 2026.
    expect(shown).toContain('Wed 2 Dec 2026, 13:30');
    expect(executeActions(card).filter((a) => a.verb === 'communities.join').length).toBeGreaterThan(3);
  });

  it('answers "what is there for EYFS?" with the EYFS network, the Early Years HLC and the early literacy research team', async () => {
    const shown = texts(await say(ellie, 'what is there for EYFS?')).join('\n');
    for (const name of ['EYFS network', 'Early Years HLC', 'Professional Learning and Research Team: early literacy']) expect(shown).toContain(name);
    expect(shown).not.toContain('Maths subject leaders network');
  });

  it('forgives typos and synonyms: "HLCs", "Harmony Learning Communities" and "learning comunities" list the HLCs alone', async () => {
    for (const text of ['HLCs', 'Harmony Learning Communities', 'learning comunities']) {
      const shown = texts(await say(ellie, text)).join('\n');
      expect(shown, text).toContain('Reading HLC');
      expect(shown, text).not.toContain('EYFS network');
    }
  });

  it('shows a time-limited workhub with its dates, by request', async () => {
    const shown = texts(await say(ellie, 'workhubs')).join('\n');
    expect(shown).toContain('Persistent absence workhub');
    expect(shown).toContain('2026-11-02 to 2027-03-25');
    expect(shown).toContain('join by request');
  });
});

describe('joining and leaving', () => {
  it('joins the SENDCO network from chat, idempotently, and audits it', async () => {
    const card = await say(priya, 'join the SENDCo network');
    expect(texts(card).join(' ')).toContain('You joined the SENDCO Hub network.');
    expect(executeActions(card).map((a) => a.title)).toContain('Leave');
    const again = await press(priya, 'communities.join', { communityId: 'sendco-hub-network' });
    expect(texts(again).join(' ')).toContain('You are already a member of the SENDCO Hub network.');
    expect(await members('sendco-hub-network')).toHaveLength(1);
    const audit = await h.db.selectFrom('audit_log').selectAll().where('action', '=', 'communities.join').where('subject_id', '=', 'sendco-hub-network').execute();
    expect(audit).toHaveLength(1);
  });

  it('keeps one membership when the same person presses Join twice at once', async () => {
    await Promise.all([press(ellie, 'communities.join', { communityId: 'eyfs-network' }), press(ellie, 'communities.join', { communityId: 'eyfs-network' })]);
    expect(await members('eyfs-network')).toHaveLength(1);
  });

  it('leaves the maths network by chat, and says so when not a member', async () => {
    await press(ellie, 'communities.join', { communityId: 'maths-subject-leaders-network' });
    const left = await say(ellie, 'leave the maths network');
    expect(texts(left).join(' ')).toContain('You left the Maths subject leaders network.');
    expect(await members('maths-subject-leaders-network')).toHaveLength(0);
    const notMember = await press(ellie, 'communities.leave', { communityId: 'maths-subject-leaders-network' });
    expect(notMember.metadata).toEqual({ problemCode: 'not_a_member' });
  });

  it('lists "my networks"', async () => {
    await press(tom, 'communities.join', { communityId: 'reading-hlc' });
    const mine = texts(await say(tom, 'my networks')).join('\n');
    expect(mine).toContain('Reading HLC');
    expect(mine).not.toContain('EYFS network');
    const none = texts(await say(ellie, 'my HLCs')).join('\n');
    expect(none).toContain('You have not joined any yet');
  });

  it('refuses an unknown community and a button without one', async () => {
    expect((await press(ellie, 'communities.join', { communityId: 'no-such-network' })).metadata).toEqual({ problemCode: 'not_found' });
    expect((await press(ellie, 'communities.join', { communityId: '../../etc' })).metadata).toEqual({ problemCode: 'invalid_action' });
    expect((await press(ellie, 'communities.join', {})).metadata).toEqual({ problemCode: 'invalid_action' });
  });

  it('refuses to join a workhub that has finished', async () => {
    clock.set('2027-04-01T10:00:00Z');
    try {
      const card = await press(ellie, 'communities.join', { communityId: 'persistent-absence-workhub' });
      expect(card.metadata).toEqual({ problemCode: 'community_ended' });
    } finally {
      clock.set('2026-11-23T10:00:00Z');
    }
  });
});

describe('join requests for a community that is by request', () => {
  it('sends the request to the leads with Approve / Decline; the first decision holds and the person is told', async () => {
    const asked = await press(ellie, 'communities.join', { communityId: 'metacognition-research-team' });
    expect(texts(asked).join(' ')).toContain('I have asked the leads');
    const twice = await press(ellie, 'communities.join', { communityId: 'metacognition-research-team' });
    expect(texts(twice).join(' ')).toContain('already asked to join');
    expect(await members('metacognition-research-team')).toHaveLength(0);

    await h.hub.jobs.runDueJobs();
    const hannahChat = h.activities.message({ text: 'x', from: hannah }).conversation.id;
    const [leadCard] = h.connector.deliveredCards(hannahChat);
    expect(texts(leadCard).join(' ')).toContain('Ellie Brightwater');
    const approve = executeActions(leadCard).find((a) => a.verb === 'communities.approve')!;

    // Someone who does not lead it cannot decide.
    expect((await press(tom, approve.verb, approve.data)).metadata).toEqual({ problemCode: 'not_allowed' });
    const decided = await press(hannah, approve.verb, approve.data);
    expect(texts(decided).join(' ')).toContain('You approved the request');
    const late = await press(hannah, 'communities.decline', approve.data);
    expect(texts(late).join(' ')).toContain('already approved');
    expect(await members('metacognition-research-team')).toHaveLength(1);

    h.connector.clear();
    await h.hub.jobs.runDueJobs();
    const ellieChat = h.activities.message({ text: 'x', from: ellie }).conversation.id;
    const told = h.connector.delivered(ellieChat).map((c) => String(c.body.text ?? ''));
    expect(told.join(' ')).toContain('you are now a member of the Professional Learning and Research Team: metacognition');
  });
});

describe('member lists for leads', () => {
  it('shows the leads the members as a table and as CSV, and nobody else', async () => {
    await press(ellie, 'communities.join', { communityId: 'sendco-hub-network' });
    await press(priya, 'communities.join', { communityId: 'sendco-hub-network' });
    const table = await press(joseph, 'communities.members', { communityId: 'sendco-hub-network' });
    expect(texts(table).join(' ')).toContain('2 members');
    const csv = await press(joseph, 'communities.members_csv', { communityId: 'sendco-hub-network' });
    const body = texts(csv).find((t) => t.startsWith('community,name,joined'))!;
    expect(body.split('\r\n')).toEqual(['community,name,joined', 'SENDCO Hub network,Ellie Brightwater,2026-11-23', 'SENDCO Hub network,Priya Sandhu-Vale,2026-11-23']);
    expect((await press(ellie, 'communities.members', { communityId: 'sendco-hub-network' })).metadata).toEqual({ problemCode: 'not_allowed' });
  });

  it('shows Members on the list card only to those who may see them', async () => {
    const asLead = executeActions(await say(joseph, 'networks')).filter((a) => a.verb === 'communities.members').map((a) => a.data['communityId']);
    expect(asLead).toContain('sendco-hub-network');
    const asStaff = executeActions(await say(ellie, 'networks')).filter((a) => a.verb === 'communities.members');
    expect(asStaff).toHaveLength(0);
  });
});
