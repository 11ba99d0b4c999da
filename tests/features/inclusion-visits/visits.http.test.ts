import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/shared/clock.js';
import { teamsPerson, type TeamsPerson } from '../../support/activities.js';
import { adaptiveCards, type Json } from '../../support/connector-stand-in.js';
import { startHub, type HubHarness } from '../../support/hub-harness.js';
import { catherine, daniel, ellie, executeActions, filledForm, inputValue, joseph, marcus, owen, priya, ruth, texts, TRIAGE_CHANNEL_ID, TRIAGE_TEAM, triagePlace } from './visit-fixtures.js';

// Through HTTP: Teams-shaped activities → /api/messages → the real adapter and Teams AI app →
// invoke responses, replies, and the outbox's proactive posts at the connector stand-in.

let h: HubHarness;
const clock = fixedClock('2026-11-23T10:00:00Z');
beforeAll(async () => {
  h = await startHub({ env: { SAMPLE_DATA: 'off' }, clock, runJobs: false });
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
  expect(answer.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
  return answer.body.value;
}

async function say(from: TeamsPerson, text: string): Promise<Json[]> {
  h.connector.clear();
  const answer = await h.post(h.activities.message({ text, from }));
  expect(answer.status).toBeLessThan(300);
  return h.connector.deliveredCards();
}

async function requestForm(from: TeamsPerson): Promise<Json> {
  const [form] = await say(from, 'request an inclusion visit');
  return form;
}

const submissionKeyOf = (form: Json): string => executeActions(form).find((a) => a.verb === 'visits.submit')!.data['submissionKey'] as string;
const rows = () => h.db.selectFrom('inclusion_visit').selectAll().execute();

async function submitted(from: TeamsPerson = priya, overrides: Record<string, unknown> = {}): Promise<{ card: Json; visitId: string }> {
  const form = await requestForm(from);
  const card = await invoke(from, 'visits.submit', { submissionKey: submissionKeyOf(form), ...filledForm(overrides) });
  const [row] = (await rows()).filter((r) => r.requester_aad_id === from.aadObjectId);
  return { card, visitId: row.id };
}

describe('a SENCO requests a visit', () => {
  it('offers the form with her academies, the no-names rule, and academy and contact pre-filled', async () => {
    const form = await requestForm(priya);
    expect(texts(form).join(' ')).toContain('do not name pupils: use initials and year group only');
    const academy = (form.body as Json[]).find((n) => n.id === 'academyId');
    expect(academy.choices.map((c: { value: string }) => c.value)).toEqual(['brookside', 'larkfield']);
    expect(inputValue(form, 'academyId')).toBe('brookside');
    expect(inputValue(form, 'contact')).toBe('priya.sandhu-vale@harmony.example');
    const focus = (form.body as Json[]).find((n) => n.id === 'focusAreaIds');
    expect(focus.choices.map((c: { value: string }) => c.value)).toContain('other');
  });

  it('refuses the form to someone who is neither a SENCO nor a leader', async () => {
    const [card] = await say(ellie, 'request an inclusion visit');
    expect(card.metadata).toEqual({ problemCode: 'not_allowed' });
  });

  it('keeps every answer and marks what to fix when a required field is empty, a date is past or text is too long; nothing is stored', async () => {
    const form = await requestForm(priya);
    const key = submissionKeyOf(form);
    const again = await invoke(priya, 'visits.submit', { submissionKey: key, ...filledForm({ earlyHelp: '', preferredFrom: '2026-11-01', urgency: 'urgent', otherFocus: 'x'.repeat(201), focusAreaIds: 'transition,other' }) });
    const shown = texts(again).join('\n');
    expect(shown).toContain('The early help needed is required.');
    expect(shown).toContain('That date has passed');
    expect(shown).toContain('A reason for urgency is required.');
    expect(shown).toContain('at most 200');
    expect(inputValue(again, 'contact')).toBe('priya.sandhu-vale@harmony.example');
    expect(inputValue(again, 'focusAreaIds')).toBe('transition,other');
    expect(inputValue(again, 'preferredNote')).toBe('Not Fridays');
    expect(submissionKeyOf(again)).toBe(key);
    for (const [field, value, message] of [
      ['focusAreaIds', '', 'Choose at least one focus area.'],
      ['focusAreaIds', 'astrology', 'not offered'],
      ['academyId', 'kingfisher', 'not one you can request a visit for'],
      ['academyId', 'atlantis', 'not one you can request a visit for'],
      ['earlyHelp', 'y'.repeat(2001), 'at most 2000'],
    ] as const) {
      const card = await invoke(priya, 'visits.submit', { submissionKey: key, ...filledForm({ [field]: value }) });
      expect(texts(card).join('\n')).toContain(message);
    }
    expect(await rows()).toEqual([]);
  });

  it('asks to edit or confirm text that looks like a full name before storing anything', async () => {
    const form = await requestForm(priya);
    const key = submissionKeyOf(form);
    const flagged = await invoke(priya, 'visits.submit', { submissionKey: key, ...filledForm({ earlyHelp: 'Jack Smith in Year 6 has been excluded twice.' }) });
    expect(texts(flagged).join(' ')).toContain('This looks like it names someone: Jack Smith');
    expect(inputValue(flagged, 'earlyHelp')).toBe('Jack Smith in Year 6 has been excluded twice.');
    expect(await rows()).toEqual([]);
    const confirm = executeActions(flagged).find((a) => a.title === 'Send as written')!;
    const sent = await invoke(priya, 'visits.submit', { ...confirm.data, ...filledForm({ earlyHelp: 'Support from the Jack Smith outreach service.' }) });
    expect(texts(sent).join(' ')).toContain('Your reference is IV-');
  });

  it('sends once for a double press and confirms with a short reference; the channel gets the triage card', async () => {
    await h.post(h.activities.botAddedToTeam(TRIAGE_TEAM, joseph));
    const form = await requestForm(priya);
    const data = { submissionKey: submissionKeyOf(form), ...filledForm() };
    const [a, b] = await Promise.all([invoke(priya, 'visits.submit', data), invoke(priya, 'visits.submit', data)]);
    const third = await invoke(priya, 'visits.submit', data);
    const all = [a, b, third].map((c) => texts(c).join(' '));
    const reference = /IV-\d{4}/.exec(all[0])![0];
    for (const text of all) expect(text).toContain(reference);
    expect(all.filter((t) => t.includes('Your reference is')).length).toBe(1);
    expect(all.filter((t) => t.includes('You already sent this request')).length).toBe(2);
    expect(await rows()).toHaveLength(1);
    expect(executeActions(a)).toEqual([]);

    h.connector.clear();
    await h.hub.jobs.runDueJobs();
    const posted = h.connector.delivered(TRIAGE_CHANNEL_ID);
    expect(posted).toHaveLength(1);
    const card = adaptiveCards(posted[0].body)[0];
    expect(texts(card).join(' ')).toContain(`Inclusion Support Visit ${reference}`);
    expect(executeActions(card).map((x) => x.title)).toEqual(['Assign to me', 'Assign', 'Save the visit', 'Send the question', 'Decline the request']);
    const [row] = await rows();
    expect(row.channel_activity_id).toBe(posted[0].resourceId);
  });
});

describe('the Inclusion team triages in the channel', () => {
  it('schedules: the channel card is updated for everyone and the SENCO gets a 1:1 update', async () => {
    await h.post(h.activities.botAddedToTeam(TRIAGE_TEAM, joseph));
    await h.post(h.activities.botInstalledInPersonalChat(priya));
    const { visitId } = await submitted();
    await h.hub.jobs.runDueJobs();
    const activityId = (await rows())[0].channel_activity_id;
    h.connector.clear();

    const card = await invoke(joseph, 'visits.triage.schedule', { visitId, version: 1, scheduledDate: '2026-12-03', scheduledTime: '09:30', scheduledWith: 'Joseph Mensah-Clark' }, triagePlace);
    expect(texts(card).join(' ')).toContain('Scheduled');
    expect(texts(card).join(' ')).toContain('2026-12-03 at 09:30 with Joseph Mensah-Clark');
    expect(executeActions(card).map((x) => x.title)).toEqual(['Save the visit', 'Mark completed', 'Send the question', 'Decline the request']);

    await h.hub.jobs.runDueJobs();
    const update = h.connector.calls.find((c) => c.kind === 'update');
    expect(update).toMatchObject({ conversationId: TRIAGE_CHANNEL_ID, activityId });
    expect(texts(adaptiveCards(update!.body)[0]).join(' ')).toContain('2026-12-03 at 09:30');
    const toPriya = h.connector.deliveredCards().filter((c) => texts(c).join(' ').includes('Update on your visit request'));
    expect(toPriya).toHaveLength(1);
    expect(executeActions(toPriya[0])).toEqual([]);
    const audit = await h.db.selectFrom('audit_log').select(['action', 'actor_aad_id', 'details']).where('subject_id', '=', visitId).orderBy('id').execute();
    expect(audit.map((a) => [a.action, a.actor_aad_id])).toEqual([
      ['visits.submitted', priya.aadObjectId],
      ['visits.schedule', joseph.aadObjectId],
    ]);
    expect(JSON.stringify(audit)).not.toContain('JS (Year 6)');
  });

  it('answers a stale card with the current state and a message, never an overwrite', async () => {
    const { visitId } = await submitted();
    await invoke(joseph, 'visits.triage.schedule', { visitId, version: 1, scheduledDate: '2026-12-03', scheduledTime: '09:30', scheduledWith: 'Joseph' }, triagePlace);
    const stale = await invoke(joseph, 'visits.triage.decline', { visitId, version: 1, declineReason: 'Not for us' }, triagePlace);
    expect(texts(stale).join(' ')).toContain('since this card was shown');
    expect(texts(stale).join(' ')).toContain('Scheduled');
    const [row] = await rows();
    expect(row).toMatchObject({ status: 'scheduled', version: 2, decline_reason: null });
  });

  it('refuses an illegal transition and a bad triage input with the current card', async () => {
    const { visitId } = await submitted();
    const early = await invoke(joseph, 'visits.triage.complete', { visitId, version: 1, outcomeNotes: 'Done' }, triagePlace);
    expect(texts(early).join(' ')).toContain('A submitted request cannot be completed.');
    const past = await invoke(joseph, 'visits.triage.schedule', { visitId, version: 1, scheduledDate: '2026-11-01', scheduledTime: '25:00', scheduledWith: '' }, triagePlace);
    expect(texts(past).join(' ')).toContain('That date has passed');
    expect((await rows())[0]).toMatchObject({ status: 'submitted', version: 1 });
    const tampered = await invoke(joseph, 'visits.triage.assign', { visitId: '<script>', version: 'x' }, triagePlace);
    expect(tampered.metadata).toEqual({ problemCode: 'invalid_action' });
  });
});

describe('who can see a request', () => {
  it('shows it to the requester, the academy leader, the Inclusion team and the Director; "not found" for everyone else, even with the id', async () => {
    const { visitId } = await submitted();
    for (const person of [priya, ruth, joseph, catherine]) {
      const card = await invoke(person, 'visits.refresh', { visitId });
      expect(card.metadata, person.name).toBeUndefined();
      expect(texts(card).join(' ')).toContain('JS (Year 6)');
    }
    const stranger = teamsPerson('Someone Else');
    for (const person of [marcus, daniel, ellie, owen, stranger]) {
      for (const [verb, data] of [
        ['visits.refresh', { visitId }],
        ['visits.refresh', { visitId: 'no-such-visit' }],
        ['visits.triage.assign', { visitId, version: 1, assigneeName: '' }],
      ] as const) {
        const card = await invoke(person, verb, data);
        expect(card.metadata, `${person.name} ${verb}`).toEqual({ problemCode: 'not_found' });
        expect(JSON.stringify(card)).not.toContain('Brookside');
      }
    }
    // A leader of the academy sees it but cannot triage.
    const refused = await invoke(ruth, 'visits.triage.assign', { visitId, version: 1, assigneeName: '' });
    expect(refused.metadata).toEqual({ problemCode: 'not_allowed' });
    expect((await rows())[0]).toMatchObject({ status: 'submitted', version: 1 });
  });

  it('lists "my visit requests" for the requester and "open visit requests" for the Inclusion team only', async () => {
    await submitted(priya);
    await submitted(marcus, { academyId: 'kingfisher', urgency: 'urgent', urgencyReason: 'Exclusion meeting next week', focusAreaIds: 'behaviour-exclusions' });
    const [mine] = await say(priya, 'my visit requests');
    expect(texts(mine).filter((t) => /^IV-\d{4} · /.test(t))).toEqual([expect.stringContaining('Brookside')]);
    const [open] = await say(joseph, 'open visit requests');
    expect(texts(open).filter((t) => /^IV-\d{4} · /.test(t))).toEqual([expect.stringContaining('Kingfisher'), expect.stringContaining('Brookside')]);
    const [urgentCentral] = await say(joseph, 'open visit requests urgent central hub');
    expect(texts(urgentCentral).filter((t) => /^IV-\d{4} · /.test(t))).toEqual([expect.stringContaining('Kingfisher')]);
    const [north] = await say(joseph, 'open visit requests north hub transition');
    expect(texts(north).filter((t) => /^IV-\d{4} · /.test(t))).toEqual([expect.stringContaining('Brookside')]);
    const [refused] = await say(priya, 'open visit requests');
    expect(refused.metadata).toEqual({ problemCode: 'not_allowed' });
  });

  it('warns the Inclusion team when the app is not installed in the triage team, and keeps the request for later', async () => {
    await h.db.deleteFrom('conversation_reference').where('key', 'in', [`conversation:${TRIAGE_TEAM.id}`, `conversation:${TRIAGE_CHANNEL_ID}`]).execute();
    await submitted();
    await h.hub.jobs.runDueJobs();
    expect(h.connector.delivered(TRIAGE_CHANNEL_ID)).toEqual([]);
    expect(h.logs.some((l) => l.msg?.includes('Inclusion triage channel not reachable'))).toBe(true);
    const [open] = await say(joseph, 'open visit requests');
    expect(texts(open).join(' ')).toContain('not installed in the team of the "Inclusion triage" channel');
    const job = await h.db.selectFrom('job').selectAll().where('kind', '=', 'visits.channel_card').executeTakeFirstOrThrow();
    expect(job.status).toBe('pending');
  });
});
