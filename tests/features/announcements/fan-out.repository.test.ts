import { sql } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import { fixedClock } from '../../../src/shared/clock.js';
import { FanOutRepository, type RecipientTarget } from '../../../src/features/announcements/fan-out.repository.js';
import { describeOnEachDatabase, type TestDb } from '../../support/test-db.js';

// The outbox state machine of a fan-out, on each database: pending → sending (claimed, leased) →
// sent / failed / unreachable; two workers never hold one row; a lease that runs out (the worker
// died) lets another take it; a row marked sent is never claimed again.

describeOnEachDatabase('announcement recipients on $kind', ({ open }) => {
  let handle: TestDb | undefined;
  afterEach(async () => {
    await handle?.close();
    handle = undefined;
  });

  async function setUp(count: number) {
    handle = await open();
    const clock = fixedClock('2026-11-23T10:00:00Z');
    let n = 0;
    const ids = { newId: () => `r-${String(++n).padStart(5, '0')}` };
    const now = clock.now();
    await handle.db
      .insertInto('announcement')
      .values({ id: 'a-1', author_aad_id: 'x', author_name: 'X', status: 'sending', title: 't', body: 'b', audience: JSON.stringify({ communityIds: [], hubIds: [], academyIds: [], roles: [] }), delivery: 'personal', created_at: now, updated_at: now })
      .execute();
    const targets: RecipientTarget[] = Array.from({ length: count }, (_, i) => ({ kind: 'person', aadObjectId: `p-${i}` }));
    const one = new FanOutRepository(handle.db, clock, ids);
    const two = new FanOutRepository(handle.db, clock, ids);
    await one.addRecipients('a-1', targets);
    await one.addRecipients('a-1', targets.slice(0, 10));
    return { db: handle.db, clock, one, two };
  }

  it('claims a batch through the claim index, in its order, without sorting every pending row', async () => {
    const { db, one } = await setUp(3000);
    await sql`analyze announcement_recipient`.execute(db);
    const plan = (await one.claimQuery('a-1', 10, 60_000).explain()).map((row) => String(Object.values(row)[0])).join('\n');
    expect(plan).toContain('announcement_recipient_claim');
    expect(plan).not.toMatch(/\bSort\b/);
  });

  it('lists each conversation once however often the audience is expanded', async () => {
    const { one } = await setUp(25);
    expect((await one.counts('a-1')).pending).toBe(25);
  });

  it('gives two workers claiming at once disjoint rows, until every row is taken', async () => {
    const { one, two } = await setUp(40);
    const seen = new Set<string>();
    for (;;) {
      const [a, b] = await Promise.all([one.claim('a-1', 7, 60_000), two.claim('a-1', 7, 60_000)]);
      if (a.length + b.length === 0) break;
      for (const r of [...a, ...b]) {
        expect(seen.has(r.id)).toBe(false);
        seen.add(r.id);
      }
    }
    expect(seen.size).toBe(40);
    expect((await one.counts('a-1')).sending).toBe(40);
  });

  it('resumes after a worker dies: its in-flight rows come back when the lease runs out; sent rows never do', async () => {
    const { db, one, two, clock } = await setUp(10);
    const claimed = await one.claim('a-1', 10, 60_000);
    await one.settle(claimed.slice(0, 6).map((r) => ({ id: r.id, status: 'sent' as const, activityId: `act-${r.id}` })));
    // The worker dies here with four rows in flight. Before the lease ends nobody may take them.
    expect(await two.claim('a-1', 10, 60_000)).toHaveLength(0);
    clock.advance(60_001);
    const resumed = await two.claim('a-1', 10, 60_000);
    expect(resumed.map((r) => r.id).sort()).toEqual(claimed.slice(6).map((r) => r.id).sort());
    expect(resumed.every((r) => r.claims === 2)).toBe(true);
    await two.settle(resumed.map((r) => ({ id: r.id, status: 'sent' as const, activityId: `act2-${r.id}` })));
    const counts = await two.counts('a-1');
    expect(counts).toMatchObject({ sent: 10, pending: 0, sending: 0, maybeRepeated: 4 });
    // One statement settles a batch, each row with its own activity id and the time it was sent.
    const rows = await db.selectFrom('announcement_recipient').select(['id', 'activity_id', 'sent_at', 'lease_until']).execute();
    const expected = new Map([...claimed.slice(0, 6).map((r) => [r.id, `act-${r.id}`] as const), ...resumed.map((r) => [r.id, `act2-${r.id}`] as const)]);
    expect(rows.map((r) => [r.id, r.activity_id]).sort()).toEqual([...expected].sort());
    expect(rows.every((r) => r.sent_at !== null && r.lease_until === null)).toBe(true);
    clock.advance(3_600_000);
    expect(await two.claim('a-1', 10, 60_000)).toHaveLength(0);
  });

  it('keeps a row cancelled or recalled meanwhile from being marked sent, and gives throttled rows back as they were', async () => {
    const { db, one } = await setUp(3);
    const [a, b, c] = (await one.claim('a-1', 3, 60_000)).sort((x, y) => x.id.localeCompare(y.id));
    await db.updateTable('announcement_recipient').set({ status: 'recalled' }).where('id', '=', a.id).execute();
    await one.settle([
      { id: a.id, status: 'sent', activityId: 'late' },
      { id: b.id, status: 'unreachable', reason: 'no_conversation_reference' },
    ]);
    await one.release([c.id]);
    const rows = await db.selectFrom('announcement_recipient').select(['id', 'status', 'reason', 'claims']).orderBy('id').execute();
    expect(rows).toEqual([
      { id: a.id, status: 'recalled', reason: null, claims: 1 },
      { id: b.id, status: 'unreachable', reason: 'no_conversation_reference', claims: 1 },
      { id: c.id, status: 'pending', reason: null, claims: 0 },
    ]);
    expect(await one.reasons('a-1')).toEqual([{ reason: 'no_conversation_reference', n: 1 }]);
  });
});
