import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { personalChat, teamChannel, teamsTeam } from '../../support/activities.js';
import { EntraStandIn } from '../../support/entra-stand-in.js';
import { startHub, type HubHarness } from '../../support/hub-harness.js';
import { agreeBody, api, catherine, daniel, ellie, expectError, raiseBody, ruth } from './commission-fixtures.js';

let entra: EntraStandIn;
let h: HubHarness;
beforeAll(async () => {
  entra = await EntraStandIn.start();
  h = await startHub({ env: { SAMPLE_DATA: 'off', TEAMS_APP_ID: 'c0ffee00-0000-4000-8000-000000000001', ...entra.env() }, runJobs: false });
});
afterAll(async () => {
  await h?.close();
  await entra?.close();
});
beforeEach(async () => {
  h.connector.clear();
  await h.db.deleteFrom('job').execute();
  await h.db.deleteFrom('commission').execute();
});

const call = (who: Parameters<typeof api>[2], method: string, path: string, body?: unknown) => api(h, entra, who, method, path, body);

async function raised(overrides: Record<string, unknown> = {}): Promise<{ id: string; version: number }> {
  const answer = await call(ruth, 'POST', 'commissions', raiseBody(overrides));
  expect(answer.status).toBe(201);
  return { id: answer.body.commission.id, version: answer.body.commission.version };
}

describe('who sees and does what', () => {
  it('lets a leader raise for her academy; the Director of Education and she see it; a leader of another academy and ordinary staff do not', async () => {
    const { id } = await raised();
    const mine = await call(ruth, 'GET', 'commissions');
    expect(mine.body.commissions.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(mine.body.counts).toEqual({ byStatus: { requested: 1 }, byType: { 'director-of-education-intervention': 1 } });
    expect((await call(catherine, 'GET', 'commissions')).body.commissions).toHaveLength(1);

    expect((await call(daniel, 'GET', 'commissions')).body.commissions).toEqual([]);
    // Another academy's commission is "not found", exactly like one that does not exist.
    expectError(await call(daniel, 'GET', `commissions/${id}`), 404, 'not_found');
    expectError(await call(daniel, 'GET', 'commissions/no-such-id'), 404, 'not_found');
    expectError(await call(daniel, 'GET', 'commissions?academyId=brookside'), 403, 'not_allowed');
    expectError(await call(daniel, 'POST', `commissions/${id}/notes`, { version: 1, text: 'peek' }), 404, 'not_found');

    const options = await call(ellie, 'GET', 'commissions/options');
    expect(options.body.academies).toEqual([]);
    expect(options.body.canManage).toBe(false);
    expectError(await call(ellie, 'POST', 'commissions', raiseBody()), 403, 'not_allowed');
    expectError(await call(daniel, 'POST', 'commissions', raiseBody({ academyId: 'brookside' })), 403, 'not_allowed');
  });

  it('offers leaders only their own academies and the Director of Education every academy, with the trust\'s support types and status words', async () => {
    const ruths = await call(ruth, 'GET', 'commissions/options');
    expect(ruths.body.academies).toEqual([{ id: 'brookside', name: 'Brookside Primary Academy', canRaise: true }]);
    expect(ruths.body.supportTypes.map((t: { id: string }) => t.id)).toContain('school-to-school-support');
    expect(ruths.body.statuses.find((s: { id: string }) => s.id === 'impact_review').label).toBe('Impact review');
    const catherines = await call(catherine, 'GET', 'commissions/options');
    expect(catherines.body.academies).toHaveLength(h.hub.profile.academies.length);
    expect(catherines.body.canManage).toBe(true);
  });

  it('leaves agreeing, declining and closing to the Director of Education', async () => {
    const { id } = await raised();
    expectError(await call(ruth, 'POST', `commissions/${id}/agree`, agreeBody(1)), 403, 'not_allowed');
    expectError(await call(ruth, 'POST', `commissions/${id}/decline`, { version: 1, reason: 'no' }), 403, 'not_allowed');
    const detail = await call(ruth, 'GET', `commissions/${id}`);
    expect(detail.body.steps).toEqual([]);
    expect((await call(catherine, 'GET', `commissions/${id}`)).body.steps).toEqual(['agree', 'decline']);
  });
});

describe('bad input gets a stable code and a message, and nothing is saved', () => {
  it('refuses missing fields, oversized text, unknown fields and ids with 400 invalid_request naming the field', async () => {
    const missing = await call(ruth, 'POST', 'commissions', raiseBody({ need: '   ' }));
    expectError(missing, 400, 'invalid_request');
    expect(missing.body.error.message).toContain('The need is required');
    expect(missing.body.error.details.issues[0].path).toBe('body.need');
    const long = await call(ruth, 'POST', 'commissions', raiseBody({ evidence: 'x'.repeat(4001) }));
    expectError(long, 400, 'invalid_request');
    expect(long.body.error.message).toContain('at most 4000 characters');
    expectError(await call(ruth, 'POST', 'commissions', { ...raiseBody(), status: 'closed' }), 400, 'invalid_request');
    expectError(await call(ruth, 'POST', 'commissions', raiseBody({ academyId: 'Not An Id!' })), 400, 'invalid_request');
    expectError(await call(ruth, 'GET', 'commissions/has%20space'), 400, 'invalid_request');
    expect(await h.db.selectFrom('commission').selectAll().execute()).toEqual([]);
  });

  it('checks the support type and the school-to-school recipient against the trust profile', async () => {
    expectError(await call(ruth, 'POST', 'commissions', raiseBody({ supportTypeId: 'free-money' })), 422, 'unknown_support_type');
    expectError(await call(ruth, 'POST', 'commissions', raiseBody({ supportTypeId: 'school-to-school-support' })), 422, 'external_school_required');
    const school = { name: 'St Anne\'s Primary', keyOutcomes: ['Leadership capacity', 'Reading outcomes'], termCount: 5 };
    expectError(await call(ruth, 'POST', 'commissions', raiseBody({ externalSchool: school })), 422, 'external_school_not_expected');
    expectError(await call(ruth, 'POST', 'commissions', raiseBody({ supportTypeId: 'school-to-school-support', externalSchool: { ...school, keyOutcomes: [] } })), 400, 'invalid_request');
    const made = await call(ruth, 'POST', 'commissions', raiseBody({ supportTypeId: 'school-to-school-support', externalSchool: school }));
    expect(made.status).toBe(201);
    expect(made.body.commission.externalSchool).toEqual(school);
    expect(await h.db.selectFrom('commission').select('id').execute()).toHaveLength(1);
  });

  it('refuses an agreement with a measure without a target, no measures, no one assigned or dates out of order, and keeps the commission as it was', async () => {
    const { id } = await raised();
    const noTarget = agreeBody(1);
    (noTarget.measures as Array<Record<string, string>>)[1].target = ' ';
    const refused = await call(catherine, 'POST', `commissions/${id}/agree`, noTarget);
    expectError(refused, 400, 'invalid_request');
    expect(refused.body.error.message).toContain('target is required');
    expect(refused.body.error.details.issues[0].path).toBe('body.measures.1.target');
    expectError(await call(catherine, 'POST', `commissions/${id}/agree`, agreeBody(1, { measures: [] })), 422, 'measures_required');
    expectError(await call(catherine, 'POST', `commissions/${id}/agree`, agreeBody(1, { assignedStaff: [] })), 422, 'assignment_required');
    expectError(await call(catherine, 'POST', `commissions/${id}/agree`, agreeBody(1, { endDate: '2026-11-01' })), 422, 'dates_out_of_order');
    expectError(await call(catherine, 'POST', `commissions/${id}/decline`, { version: 1, reason: '' }), 400, 'invalid_request');
    const detail = await call(catherine, 'GET', `commissions/${id}`);
    expect(detail.body.commission).toMatchObject({ status: 'requested', version: 1, measures: [], assignedStaff: [] });
    expect(detail.body.updates.map((u: { kind: string }) => u.kind)).toEqual(['raised']);
  });
});

describe('the state machine', () => {
  it('runs requested → agreed → in progress → impact review → closed with a judgement per measure, logging each dated step', async () => {
    const { id } = await raised();
    expectError(await call(catherine, 'POST', `commissions/${id}/start`, { version: 1 }), 409, 'illegal_transition');
    const agreed = await call(catherine, 'POST', `commissions/${id}/agree`, agreeBody(1, { note: 'Agreed at the board.' }));
    expect(agreed.body.commission).toMatchObject({ status: 'agreed', version: 2, assignedStaff: ['Trust English Lead'], startDate: '2026-12-01' });
    expect(agreed.body.steps).toEqual(['start']);
    expectError(await call(catherine, 'POST', `commissions/${id}/reviews`, { version: 2, text: 'Too early' }), 409, 'illegal_transition');
    const started = await call(catherine, 'POST', `commissions/${id}/start`, { version: 2 });
    const reviewed = await call(catherine, 'POST', `commissions/${id}/reviews`, { version: started.body.commission.version, text: 'First cycle done.' });
    const noted = await call(ruth, 'POST', `commissions/${id}/notes`, { version: reviewed.body.commission.version, text: 'Staff training held.' });
    const review = await call(catherine, 'POST', `commissions/${id}/begin-review`, { version: noted.body.commission.version });
    expect(review.body.commission.status).toBe('impact_review');
    const measures = review.body.commission.measures as Array<{ id: string }>;
    const partial = await call(catherine, 'POST', `commissions/${id}/close`, { version: review.body.commission.version, judgements: [{ measureId: measures[0].id, judgement: 'met' }] });
    expectError(partial, 422, 'judgement_required');
    expectError(
      await call(catherine, 'POST', `commissions/${id}/close`, { version: review.body.commission.version, judgements: [{ measureId: measures[0].id, judgement: 'excellent' }] }),
      400,
      'invalid_request',
    );
    const closed = await call(catherine, 'POST', `commissions/${id}/close`, {
      version: review.body.commission.version,
      judgements: [
        { measureId: measures[0].id, judgement: 'met', note: '84%' },
        { measureId: measures[1].id, judgement: 'partly_met' },
      ],
    });
    expect(closed.status).toBe(200);
    expect(closed.body.commission.status).toBe('closed');
    expect(closed.body.commission.measures.map((m: { judgement: string }) => m.judgement)).toEqual(['met', 'partly_met']);
    expect(closed.body.updates.map((u: { kind: string }) => u.kind)).toEqual(['raised', 'agreed', 'started', 'review', 'note', 'review_begun', 'closed']);
    expect(closed.body.canAddUpdate).toBe(false);
    expectError(await call(ruth, 'POST', `commissions/${id}/notes`, { version: closed.body.commission.version, text: 'late' }), 409, 'illegal_transition');
    const audit = await h.db.selectFrom('audit_log').select(['action', 'actor_aad_id']).where('subject_id', '=', id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['commissions.raised', 'commissions.agreed', 'commissions.started', 'commissions.reviewed', 'commissions.noted', 'commissions.review_begun', 'commissions.closed']);
    expect(JSON.stringify(audit)).not.toContain('Staff training held');
  });

  it('declines with a reason, after which it cannot be agreed', async () => {
    const { id } = await raised();
    const declined = await call(catherine, 'POST', `commissions/${id}/decline`, { version: 1, reason: 'Covered by the English hub programme.' });
    expect(declined.body.commission).toMatchObject({ status: 'declined', declineReason: 'Covered by the English hub programme.' });
    expectError(await call(catherine, 'POST', `commissions/${id}/agree`, agreeBody(2)), 409, 'illegal_transition');
  });

  it('tells the second of two concurrent editors that someone else changed it, and keeps only the first edit', async () => {
    const { id } = await raised();
    const [a, b] = await Promise.all([
      call(catherine, 'POST', `commissions/${id}/agree`, agreeBody(1, { assignedStaff: ['First editor'] })),
      call(catherine, 'POST', `commissions/${id}/agree`, agreeBody(1, { assignedStaff: ['Second editor'] })),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const loser = a.status === 409 ? a : b;
    const winner = a.status === 200 ? a : b;
    expectError(loser, 409, 'version_conflict');
    expect(loser.body.error.details).toEqual({ version: 2, status: 'agreed' });
    const detail = await call(ruth, 'GET', `commissions/${id}`);
    expect(detail.body.commission.assignedStaff).toEqual(winner.body.commission.assignedStaff);
    expect(detail.body.updates.filter((u: { kind: string }) => u.kind === 'agreed')).toHaveLength(1);
    // A stale page (version 1) is refused too.
    expectError(await call(ruth, 'POST', `commissions/${id}/notes`, { version: 1, text: 'from an old page' }), 409, 'version_conflict');
  });

  it('finds the same commission when the form is sent twice', async () => {
    const body = raiseBody();
    const first = await call(ruth, 'POST', 'commissions', body);
    const second = await call(ruth, 'POST', 'commissions', body);
    expect(second.body.commission.id).toBe(first.body.commission.id);
    expect(await h.db.selectFrom('commission').select('id').execute()).toHaveLength(1);
  });
});

describe('notifications', () => {
  it('sends the Director of Education a card when a commission is raised, and each status change to the academy channel with a deep link to the tab', async () => {
    const team = teamsTeam('Brookside leadership');
    const channel = { id: `19:brookside-commissions-${Date.now()}@thread.tacv2`, name: 'Commissions' };
    await h.post(h.activities.botInstalledInPersonalChat(catherine));
    await h.post(h.activities.botAddedToTeam(team, ruth));
    const linked = await call(ruth, 'PUT', 'commissions/channel', { academyId: 'brookside', teamId: team.id, channelId: channel.id, entityId: 'commissions-brookside' });
    expect(linked.status).toBe(200);
    expectError(await call(daniel, 'PUT', 'commissions/channel', { academyId: 'brookside', teamId: team.id, channelId: channel.id, entityId: 'x' }), 403, 'not_allowed');
    h.connector.clear();

    const { id } = await raised();
    await call(catherine, 'POST', `commissions/${id}/agree`, agreeBody(1));
    await h.hub.jobs.runDueJobs();
    const director = h.connector.deliveredCards(personalChat(catherine).conversationId);
    expect(director).toHaveLength(1);
    expect(JSON.stringify(director[0])).toContain('New request for bespoke support from Ruth Pennington');
    const posted = h.connector.deliveredCards(teamChannel(team, channel).channel.id);
    // One card per status (the worker may deliver two due at once in either order).
    const statusOf = (card: (typeof posted)[number]) => JSON.stringify(card.body).match(/"text":"(Requested|Agreed)"/)?.[1];
    expect(posted.map(statusOf).sort()).toEqual(['Agreed', 'Requested']);
    const agreedCard = posted.find((c) => statusOf(c) === 'Agreed')!;
    expect(JSON.stringify(agreedCard.body)).toContain('The Director of Education agreed this commission');
    const open = (agreedCard.actions as Array<{ type: string; url: string }>)[0];
    expect(open.type).toBe('Action.OpenUrl');
    const link = new URL(open.url);
    expect(link.pathname).toBe('/l/entity/c0ffee00-0000-4000-8000-000000000001/commissions-brookside');
    expect(JSON.parse(link.searchParams.get('context')!)).toEqual({ subEntityId: id, channelId: channel.id });
  });
});
