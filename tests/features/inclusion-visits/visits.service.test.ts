import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runExportVisits } from '../../../src/cli/export-visits.js';
import { DEFAULT_TRUST_PROFILE } from '../../../src/config.js';
import { VisitRepository } from '../../../src/features/inclusion-visits/visits.repository.js';
import { submitDataSchema } from '../../../src/features/inclusion-visits/visits.schemas.js';
import { VisitService } from '../../../src/features/inclusion-visits/visits.service.js';
import { createSamplePeopleService } from '../../../src/features/people/people.service.js';
import { fixedClock, uuidGenerator } from '../../../src/shared/clock.js';
import { loadTrustProfile, sampleRosterPath } from '../../../src/trust/load-trust-profile.js';
import { loadRoster } from '../../../src/trust/sample-roster.js';
import { testDatabaseKinds, type TestDb } from '../../support/test-db.js';
import { filledForm, joseph, marcus, priya } from './visit-fixtures.js';

const profile = loadTrustProfile(DEFAULT_TRUST_PROFILE);
const people = createSamplePeopleService(loadRoster(sampleRosterPath(DEFAULT_TRUST_PROFILE, profile)!, profile));
const speaker = (p: typeof priya) => ({ id: p.id, aadObjectId: p.aadObjectId, name: p.name, tenantId: undefined });
const DAY = 24 * 60 * 60 * 1000;

describe.each(testDatabaseKinds())('visit requests on $kind', ({ open }) => {
  let t: TestDb;
  let visits: VisitService;
  const clock = fixedClock('2026-11-23T10:00:00Z');
  beforeAll(async () => {
    t = await open();
    visits = new VisitService({ repository: new VisitRepository(t.db, clock, uuidGenerator), people, profile, clock, logger: pino({ level: 'silent' }), kickJobs: () => undefined });
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(async () => {
    clock.set('2026-11-23T10:00:00Z');
    await t.db.deleteFrom('job').execute();
    await t.db.deleteFrom('audit_log').execute();
    await t.db.deleteFrom('inclusion_visit').execute();
  });

  const submit = async (who = priya, key = uuidGenerator.newId(), overrides: Record<string, unknown> = {}) => {
    const result = await visits.submit(speaker(who), submitDataSchema.parse({ submissionKey: key, ...filledForm(overrides) }));
    if (!result.ok || result.value.kind !== 'submitted') throw new Error(`not submitted: ${JSON.stringify(result)}`);
    return result.value;
  };

  it('makes one request of many simultaneous presses of one form, with one audit entry and one channel job', async () => {
    const key = uuidGenerator.newId();
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => submit(priya, key)));
    expect(new Set(outcomes.map((o) => o.visit.id)).size).toBe(1);
    expect(outcomes.filter((o) => o.created)).toHaveLength(1);
    const counts = await Promise.all(['inclusion_visit', 'audit_log', 'job'].map((table) => t.db.selectFrom(table as 'job').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()));
    expect(counts.map((c) => Number(c.n))).toEqual([1, 1, 1]);
  });

  it('lets exactly one of two simultaneous triage presses on the same card version win; the other is told the card is stale', async () => {
    const { visit } = await submit();
    const [a, b] = await Promise.all([
      visits.triage(speaker(joseph), visit.id, 1, { action: 'schedule', scheduledDate: '2026-12-01', scheduledTime: '10:00', scheduledWith: 'JM' }),
      visits.triage(speaker(joseph), visit.id, 1, { action: 'decline', declineReason: 'Covered by the hub' }),
    ]);
    const results = [a, b];
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const loser = results.find((r) => !r.ok);
    expect(loser).toMatchObject({ ok: false, code: 'stale_card' });
    const row = await t.db.selectFrom('inclusion_visit').selectAll().executeTakeFirstOrThrow();
    expect(row.version).toBe(2);
    expect(['scheduled', 'declined']).toContain(row.status);
    // Only the winner's fields were written.
    expect(row.status === 'scheduled' ? row.decline_reason : row.scheduled_date).toBeNull();
  });

  it('refuses triage by anyone outside the Inclusion team, and says "not found" to those who cannot see it', async () => {
    const { visit } = await submit();
    expect(await visits.triage(speaker(priya), visit.id, 1, { action: 'assign', assigneeName: '' })).toMatchObject({ code: 'not_allowed' });
    expect(await visits.triage(speaker(marcus), visit.id, 1, { action: 'assign', assigneeName: '' })).toMatchObject({ code: 'not_found' });
    expect(await visits.view(speaker(marcus), visit.id)).toMatchObject({ code: 'not_found' });
    expect(await visits.view(speaker(marcus), 'made-up-id')).toMatchObject({ code: 'not_found' });
  });

  it('erases the free text of closed requests once they are older than the retention period; the audit trail stays, without free text', async () => {
    const closed = (await submit()).visit;
    const open = (await submit(priya, undefined, { earlyHelp: 'AB (Y3) still open' })).visit;
    await visits.triage(speaker(joseph), closed.id, 1, { action: 'decline', declineReason: 'Handled by the hub SENCO network' });

    clock.advance((profile.inclusion.retentionDays - 1) * DAY);
    expect(await visits.eraseExpired()).toBe(0);
    clock.advance(2 * DAY);
    expect(await visits.eraseExpired()).toBe(1);
    expect(await visits.eraseExpired()).toBe(0);

    const erased = (await visits.find(closed.id))!;
    expect(erased).toMatchObject({ earlyHelp: null, contact: null, declineReason: null, preferredNote: null, status: 'declined', reference: closed.reference });
    expect(erased.erasedAt).toEqual(clock.now());
    expect((await visits.find(open.id))!.earlyHelp).toBe('AB (Y3) still open');
    const audit = await t.db.selectFrom('audit_log').select(['action', 'details']).where('subject_id', '=', closed.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['visits.submitted', 'visits.decline', 'visits.erased']);
    expect(JSON.stringify(audit)).not.toMatch(/JS \(Year 6\)|hub SENCO network|Not Fridays/);
  });

  it('exports a person\'s requests and audit trail as JSON and CSV for a subject-access request, and nobody else\'s', async () => {
    const mine = (await submit(priya, undefined, { earlyHelp: '=HYPERLINK("x"), with "quotes"' })).visit;
    await submit(marcus, undefined, { academyId: 'kingfisher' });
    const printed: string[] = [];
    const io = { db: t.db, clock, out: (text: string) => printed.push(text), err: (line: string) => printed.push(`ERR ${line}`) };

    expect(await runExportVisits([priya.aadObjectId], io)).toBe(0);
    const json = JSON.parse(printed.pop()!) as { requests: Array<{ reference: string }>; audit: Array<{ action: string }> };
    expect(json.requests.map((r) => r.reference)).toEqual([mine.reference]);
    expect(json.audit.map((a) => a.action)).toEqual(['visits.submitted']);

    expect(await runExportVisits([priya.aadObjectId, '--format', 'csv'], io)).toBe(0);
    const csv = printed.pop()!;
    const lines = csv.split('\r\n');
    expect(lines[0]).toMatch(/^reference,status,academyId,/);
    expect(lines[1]).toContain(`${mine.reference},submitted,brookside,north,`);
    expect(lines[1]).toContain(`"'=HYPERLINK(""x""), with ""quotes"""`);
    expect(csv).not.toContain('kingfisher');

    expect(await runExportVisits(['not-an-id'], io)).toBe(2);
    expect(await runExportVisits([priya.aadObjectId, '--format', 'xml'], io)).toBe(2);
  });
});
