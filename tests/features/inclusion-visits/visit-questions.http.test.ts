import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runExportVisits } from '../../../src/cli/export-visits.js';
import { START_NOTICE_DELAY_MS } from '../../../src/features/inclusion-visits/visits.jobs.js';
import { enqueueJob } from '../../../src/jobs/outbox.js';
import { fixedClock, uuidGenerator } from '../../../src/shared/clock.js';
import { teamsPerson, type TeamsPerson } from '../../support/activities.js';
import { adaptiveCards, type Json } from '../../support/connector-stand-in.js';
import { startHub, type HubHarness } from '../../support/hub-harness.js';
import { ellie, executeActions, filledForm, joseph, marcus, priya, ruth, texts, TRIAGE_CHANNEL_ID, TRIAGE_TEAM, triagePlace } from './visit-fixtures.js';

// Asking the requester a question from the triage card, and each person's own view of the channel
// card through Teams' refresh: Teams-shaped activities through /api/messages, replies at the connector stand-in.

let h: HubHarness;
const clock = fixedClock('2026-11-23T10:00:00Z');
beforeAll(async () => {
  h = await startHub({ env: { SAMPLE_DATA: 'off' }, clock, runJobs: false });
  await h.post(h.activities.botAddedToTeam(TRIAGE_TEAM, joseph));
  // People with a 1:1 chat: the requester and one Inclusion team member (Ellie is ordinary staff).
  for (const person of [priya, joseph, ellie]) await h.post(h.activities.botInstalledInPersonalChat(person));
});
afterAll(async () => {
  await h?.close();
});
beforeEach(async () => {
  h.connector.clear();
  await h.db.deleteFrom('job').execute();
  await h.db.deleteFrom('audit_log').execute();
  await h.db.deleteFrom('inclusion_visit').execute();
});

async function invoke(from: TeamsPerson, verb: string, data: Record<string, unknown>, place?: typeof triagePlace): Promise<Json> {
  const answer = await h.post(h.activities.cardAction({ verb, data, from, ...(place ? { place } : {}) }));
  expect(answer.status).toBe(200);
  return answer.body.value;
}

/** Priya submits; the channel card is posted. Returns the request id and the channel card's activity id. */
async function postedRequest(): Promise<{ visitId: string; activityId: string; channelCard: Json }> {
  await h.post(h.activities.message({ text: 'request an inclusion visit', from: priya }));
  const form = h.connector.deliveredCards().at(-1)!;
  const submissionKey = executeActions(form).find((a) => a.verb === 'visits.submit')!.data['submissionKey'];
  await invoke(priya, 'visits.submit', { submissionKey, ...filledForm() });
  await h.hub.jobs.runDueJobs();
  const row = await h.db.selectFrom('inclusion_visit').selectAll().executeTakeFirstOrThrow();
  const posted = h.connector.delivered(TRIAGE_CHANNEL_ID).at(-1)!;
  h.connector.clear();
  return { visitId: row.id, activityId: row.channel_activity_id!, channelCard: adaptiveCards(posted.body)[0] };
}

const questions = () => h.db.selectFrom('inclusion_visit_question').selectAll().execute();
const auditOf = (visitId: string) => h.db.selectFrom('audit_log').select(['action', 'actor_aad_id', 'details']).where('subject_id', '=', visitId).orderBy('id').execute();

describe('the Inclusion team asks the SENCO a question', () => {
  it('sends her a 1:1 card, posts her answer under the channel card, audits both, and leaves the status alone', async () => {
    const { visitId, activityId } = await postedRequest();
    const asked = await invoke(joseph, 'visits.triage.ask', { visitId, version: 1, question: 'Is JS on the SEN register?' }, triagePlace);
    expect(texts(asked).join(' ')).toContain('Question sent to Priya Sandhu-Vale');

    await h.hub.jobs.runDueJobs();
    const toPriya = h.connector.deliveredCards().find((c) => texts(c).join(' ').includes('Is JS on the SEN register?'))!;
    expect(toPriya).toBeDefined();
    const send = executeActions(toPriya).find((a) => a.verb === 'visits.answer')!;
    const questionId = send.data['questionId'] as string;

    // Only the requester may answer: the Inclusion team, the academy's leader, another academy's SENCO and a stranger get "not found".
    for (const person of [joseph, ruth, marcus, ellie, teamsPerson('Someone Else')]) {
      const card = await invoke(person, 'visits.answer', { questionId, answer: 'Yes' });
      expect(card.metadata, person.name).toEqual({ problemCode: 'not_found' });
    }
    const empty = await invoke(priya, 'visits.answer', { questionId, answer: '   ' });
    expect(texts(empty).join(' ')).toContain('The answer is required.');
    const long = await invoke(priya, 'visits.answer', { questionId, answer: 'y'.repeat(2001) });
    expect(texts(long).join(' ')).toContain('at most 2000');
    expect((await questions())[0]).toMatchObject({ answer: null, answered_at: null });

    h.connector.clear();
    const answered = await invoke(priya, 'visits.answer', { questionId, answer: 'Yes, since Year 4 (SEN support).' });
    expect(texts(answered).join(' ')).toContain('Sent to the Inclusion team');
    expect(executeActions(answered)).toEqual([]);
    const again = await invoke(priya, 'visits.answer', { questionId, answer: 'Another answer' });
    expect(texts(again).join(' ')).toContain('already answered');

    await h.hub.jobs.runDueJobs();
    const thread = h.connector.delivered(`${TRIAGE_CHANNEL_ID};messageid=${activityId}`);
    expect(thread).toHaveLength(1);
    expect(JSON.stringify(thread[0].body)).toContain('Yes, since Year 4 (SEN support).');
    expect(JSON.stringify(thread[0].body)).not.toContain('Another answer');

    expect(await h.db.selectFrom('inclusion_visit').select(['status', 'version']).executeTakeFirstOrThrow()).toEqual({ status: 'submitted', version: 1 });
    const audit = await auditOf(visitId);
    expect(audit.map((a) => [a.action, a.actor_aad_id])).toEqual([
      ['visits.submitted', priya.aadObjectId],
      ['visits.question_asked', joseph.aadObjectId],
      ['visits.question_answered', priya.aadObjectId],
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/SEN register|Year 4/);

    // The subject-access export holds the question and her answer, in JSON and CSV.
    const printed: string[] = [];
    const io = { db: h.db, clock, out: (text: string) => printed.push(text), err: (line: string) => printed.push(`ERR ${line}`) };
    expect(await runExportVisits([priya.aadObjectId], io)).toBe(0);
    const json = JSON.parse(printed.pop()!) as { questions: Array<{ question: string; answer: string; askedByName: string }> };
    expect(json.questions).toEqual([
      expect.objectContaining({ question: 'Is JS on the SEN register?', answer: 'Yes, since Year 4 (SEN support).', askedByName: joseph.name }),
    ]);
    expect(await runExportVisits([priya.aadObjectId, '--format', 'csv'], io)).toBe(0);
    const csv = printed.pop()!.split('\r\n');
    const header = csv.indexOf('reference,askedAt,askedBy,question,answeredAt,answer');
    expect(header).toBeGreaterThan(0);
    expect(csv[header + 1]).toContain('Is JS on the SEN register?');
    expect(csv[header + 1]).toContain('"Yes, since Year 4 (SEN support)."');
  });

  it('refuses a question from outside the Inclusion team ("not found" when they cannot see it), an empty or oversized one, and one on a closed request', async () => {
    const { visitId } = await postedRequest();
    expect((await invoke(ellie, 'visits.triage.ask', { visitId, version: 1, question: 'Hello?' })).metadata).toEqual({ problemCode: 'not_found' });
    expect((await invoke(marcus, 'visits.triage.ask', { visitId, version: 1, question: 'Hello?' })).metadata).toEqual({ problemCode: 'not_found' });
    expect((await invoke(ruth, 'visits.triage.ask', { visitId, version: 1, question: 'Hello?' })).metadata).toEqual({ problemCode: 'not_allowed' });
    expect(texts(await invoke(joseph, 'visits.triage.ask', { visitId, version: 1, question: '' }, triagePlace)).join(' ')).toContain('Nothing was sent. The question is required.');
    expect(texts(await invoke(joseph, 'visits.triage.ask', { visitId, version: 1, question: 'q'.repeat(1001) }, triagePlace)).join(' ')).toContain('at most 1000');
    await invoke(joseph, 'visits.triage.decline', { visitId, version: 1, declineReason: 'Outside our remit' }, triagePlace);
    const closed = await invoke(joseph, 'visits.triage.ask', { visitId, version: 2, question: 'One more thing?' }, triagePlace);
    expect(texts(closed).join(' ')).toContain('questions can be asked only while a request is open');
    expect(executeActions(closed).map((a) => a.title)).not.toContain('Send the question');
    expect(await questions()).toEqual([]);
    const invalid = await invoke(joseph, 'visits.triage.ask', { visitId: '../x', question: 'x' }, triagePlace);
    expect(invalid.metadata).toEqual({ problemCode: 'invalid_action' });
  });

  it('erases questions and answers with the request once it is past retention', async () => {
    const { visitId } = await postedRequest();
    await invoke(joseph, 'visits.triage.ask', { visitId, version: 1, question: 'Which year group?' }, triagePlace);
    const [q] = await questions();
    await invoke(priya, 'visits.answer', { questionId: q.id, answer: 'Year 6' });
    await h.db.updateTable('inclusion_visit').set({ status: 'declined', closed_at: new Date('2020-01-01T00:00:00Z') }).where('id', '=', visitId).execute();
    await enqueueJob(h.db, { kind: 'visits.retention', payload: {}, idempotencyKey: 'retention-test', runAt: clock.now() }, clock, uuidGenerator);
    await h.hub.jobs.runDueJobs();
    expect((await questions())[0]).toMatchObject({ question: null, answer: null, asked_by_aad_id: joseph.aadObjectId });
  });
});

describe("each person's own view of the channel card (Teams' refresh)", () => {
  it('lists the requester and the Inclusion team members the app knows in refresh.userIds; the shared card works alone', async () => {
    const { channelCard } = await postedRequest();
    expect(channelCard.refresh).toMatchObject({ action: { type: 'Action.Execute', verb: 'visits.refresh' } });
    const userIds: string[] = channelCard.refresh.userIds;
    expect(userIds[0]).toBe(priya.id);
    expect(userIds).toContain(joseph.id);
    expect(userIds).not.toContain(ellie.id);
    expect(userIds.length).toBeLessThanOrEqual(60);
    // The shared card (what the Agents Playground shows) carries the triage buttons on its own.
    expect(executeActions(channelCard).map((a) => a.title)).toEqual(['Assign to me', 'Assign', 'Save the visit', 'Send the question', 'Decline the request']);
  });

  it('refreshes into triage buttons for the Inclusion team, a read-only card with the question to answer for the requester, "not found" for others', async () => {
    const { visitId, channelCard } = await postedRequest();
    const data = channelCard.refresh.action.data as Record<string, unknown>;
    const team = await invoke(joseph, 'visits.refresh', data, triagePlace);
    expect(executeActions(team).map((a) => a.verb)).toEqual(expect.arrayContaining(['visits.triage.assign', 'visits.triage.schedule', 'visits.triage.ask']));

    const before = await invoke(priya, 'visits.refresh', data, triagePlace);
    expect(executeActions(before)).toEqual([]);
    await invoke(joseph, 'visits.triage.ask', { visitId, version: 1, question: 'Can we visit on a Tuesday?' }, triagePlace);
    const requester = await invoke(priya, 'visits.refresh', data, triagePlace);
    expect(texts(requester).join(' ')).toContain('Can we visit on a Tuesday?');
    expect(executeActions(requester).map((a) => a.verb)).toEqual(['visits.answer']);
    // Her answer from this view is checked like any other press.
    const questionId = executeActions(requester)[0].data['questionId'];
    expect(texts(await invoke(priya, 'visits.answer', { questionId, answer: 'Yes, Tuesdays suit us' }, triagePlace)).join(' ')).toContain('Sent to the Inclusion team');
    expect(executeActions(await invoke(priya, 'visits.refresh', data, triagePlace))).toEqual([]);

    for (const person of [ellie, marcus]) expect((await invoke(person, 'visits.refresh', data, triagePlace)).metadata).toEqual({ problemCode: 'not_found' });
    // A press of a triage button by the requester is refused by the server, whatever card she holds.
    expect((await invoke(priya, 'visits.triage.assign', { visitId, version: 1, assigneeName: '' }, triagePlace)).metadata).toEqual({ problemCode: 'not_allowed' });
  });
});

describe('a missing triage-channel reference at start-up', () => {
  it('sends each trust admin with a 1:1 chat a card saying what to do, once per start, and nobody else', async () => {
    const owen = teamsPerson('Owen Price', 'b0000000-0000-4000-8000-000000000011');
    await h.post(h.activities.botInstalledInPersonalChat(owen));
    const triageKeys = [`conversation:${TRIAGE_TEAM.id}`, `conversation:${TRIAGE_CHANNEL_ID}`];
    // As if the app had been removed from the team: the references are marked uninstalled.
    await h.db.updateTable('conversation_reference').set({ uninstalled_at: clock.now() }).where('key', 'in', triageKeys).execute();
    h.connector.clear();
    const restarted = await startHub({ db: h.db, connector: h.connector, clock, runJobs: false, env: { SAMPLE_DATA: 'off' } });
    try {
      // The start only queued the card, for a little later: the first turns after a restart go first.
      const notices = () => h.connector.delivered().filter((c) => JSON.stringify(c.body).includes('triage_channel_not_installed'));
      expect(notices()).toEqual([]);
      await restarted.hub.jobs.runDueJobs();
      expect(notices()).toEqual([]);
      clock.advance(START_NOTICE_DELAY_MS);
      await restarted.hub.jobs.runDueJobs();
      const cards = h.connector.deliveredCards().filter((c) => c.metadata?.problemCode === 'triage_channel_not_installed');
      expect(cards).toHaveLength(1);
      const toOwen = h.connector.delivered().filter((c) => JSON.stringify(c.body).includes('triage_channel_not_installed'));
      const owenChat = await h.db.selectFrom('conversation_reference').select('conversation_id').where('key', '=', `person:${owen.aadObjectId}`).executeTakeFirstOrThrow();
      expect(toOwen.map((c) => c.conversationId)).toEqual([owenChat.conversation_id]);
      expect(texts(cards[0]).join(' ')).toContain('add Development Hub');
      expect(texts(cards[0]).join(' ')).toContain('Inclusion triage');
      expect(restarted.logs.some((l) => l.msg === 'trust admins told the triage channel is not reachable')).toBe(true);
    } finally {
      await restarted.close();
      await h.db.updateTable('conversation_reference').set({ uninstalled_at: null }).where('key', 'in', triageKeys).execute();
    }
    // With the reference back, a start tells nobody.
    h.connector.clear();
    const healthy = await startHub({ db: h.db, connector: h.connector, clock, runJobs: false, env: { SAMPLE_DATA: 'off' } });
    clock.advance(START_NOTICE_DELAY_MS);
    await healthy.hub.jobs.runDueJobs();
    await healthy.close();
    expect(h.connector.deliveredCards().filter((c) => c.metadata?.problemCode === 'triage_channel_not_installed')).toEqual([]);
  });

  it('tells nobody, and says so, when no trust admin has a chat with the app', async () => {
    const triageKeys = [`conversation:${TRIAGE_TEAM.id}`, `conversation:${TRIAGE_CHANNEL_ID}`];
    const personal = await h.db.selectFrom('conversation_reference').select('key').where('scope', '=', 'personal').where('uninstalled_at', 'is', null).execute();
    const keys = [...triageKeys, ...personal.map((r) => r.key)];
    await h.db.updateTable('conversation_reference').set({ uninstalled_at: clock.now() }).where('key', 'in', keys).execute();
    h.connector.clear();
    const restarted = await startHub({ db: h.db, connector: h.connector, clock, runJobs: false, env: { SAMPLE_DATA: 'off' } });
    try {
      clock.advance(START_NOTICE_DELAY_MS);
      await restarted.hub.jobs.runDueJobs();
      expect(h.connector.delivered()).toEqual([]);
      expect(restarted.logs.some((l) => l.msg === 'no trust admin has a chat with Development Hub to be told the triage channel is not reachable' && l['told'] === 0)).toBe(true);
      expect(restarted.logs.some((l) => l.msg === 'trust admins told the triage channel is not reachable')).toBe(false);
    } finally {
      await restarted.close();
      await h.db.updateTable('conversation_reference').set({ uninstalled_at: null }).where('key', 'in', keys).execute();
    }
  });
});
