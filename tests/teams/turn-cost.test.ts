import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureModule } from '../../src/features/feature-module.js';
import { ConversationReferenceStore } from '../../src/teams/conversation-references.js';
import { systemClock } from '../../src/shared/clock.js';
import { teamsPerson, type TeamsPerson } from '../support/activities.js';
import { startHub, type HubHarness } from '../support/hub-harness.js';
import { StatementLog } from '../support/statement-log.js';
import { openPgliteTestDb, type TestDb } from '../support/test-db.js';

/** Fails any statement that would store this person's reference, as a database refusing a row would. */
class RefuseReferenceOf implements KyselyPlugin {
  aadObjectId: string | undefined;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.aadObjectId && args.node.kind === 'InsertQueryNode' && JSON.stringify(args.node).includes(`person:${this.aadObjectId}`)) {
      throw new Error('refused: this row cannot be stored');
    }
    return args.node;
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

/** Answers without the database: what is left is the stack's own cost per turn. */
function pingFeature(): FeatureModule {
  return {
    name: 'ping',
    intents: [
      {
        name: 'ping.ping',
        claims: (text) => text === 'ping',
        score: (message) => (message.text === 'ping' ? 1 : 0),
        suggest: () => ({ title: 'Ping', prompt: 'ping' }),
        handle: () => Promise.resolve([{ kind: 'text', text: 'pong' }]),
      },
    ],
    actions: [
      {
        verb: 'ping.card',
        handle: () => Promise.resolve({ type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body: [{ type: 'TextBlock', text: 'pong' }] }),
      },
    ],
  };
}

// The stack adds no database round trip to a turn: no Teams AI turn state is read or written, and a
// conversation reference already stored is not stored again. A feature that needs nothing from the
// database answers with no statement at all.
describe('what a turn costs the database', () => {
  let h: HubHarness;
  let testDb: TestDb;
  const counter = new StatementLog();
  beforeAll(async () => {
    testDb = await openPgliteTestDb();
    h = await startHub({ db: testDb.db.withPlugin(counter), runJobs: false, env: { SAMPLE_DATA: 'off' }, extraFeatures: [{ name: 'ping', build: pingFeature }] });
  });
  afterAll(async () => {
    await h?.close();
    await testDb?.close();
  });

  it('stores the conversation reference on the first turn, and makes no statement on the turns after', async () => {
    const person = teamsPerson('Priya Ping');
    counter.clear();
    await h.post(h.activities.message({ text: 'ping', from: person }));
    expect(counter.kinds).toEqual(['InsertQueryNode']);

    counter.clear();
    const message = await h.post(h.activities.message({ text: 'ping', from: person }));
    expect(message.status).toBe(200);
    const invoke = await h.post(h.activities.cardAction({ verb: 'ping.card', data: {}, from: person }));
    expect(invoke.status).toBe(200);
    expect(JSON.stringify(invoke.body)).toContain('pong');
    expect(h.connector.delivered().map((c) => String(c.body.text))).toEqual(['pong', 'pong']);
    expect(counter.kinds).toEqual([]);
  });

  it('stores the reference of everyone in a crowd before their turn is answered', async () => {
    const crowd = Array.from({ length: 40 }, (_, i) => teamsPerson(`Crowd Person ${i + 1}`));
    counter.clear();
    const stored = await Promise.all(
      crowd.map(async (person) => {
        const answer = await h.post(h.activities.cardAction({ verb: 'ping.card', data: {}, from: person }));
        const row = await h.db.selectFrom('conversation_reference').select('key').where('key', '=', `person:${person.aadObjectId}`).executeTakeFirst();
        return { status: answer.status, stored: row !== undefined };
      }),
    );
    expect(stored.every((s) => s.status === 200 && s.stored)).toBe(true);
    expect(counter.kinds.filter((k) => k === 'InsertQueryNode').length).toBeLessThanOrEqual(crowd.length);
  });
});

describe('references arriving together', () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openPgliteTestDb();
  });
  afterAll(async () => {
    await testDb?.close();
  });
  const remember = (store: ConversationReferenceStore, person: TeamsPerson) =>
    store.remember(
      { serviceUrl: 'https://smba.example/emea/', conversation: { id: `a:${person.aadObjectId}`, name: '', isGroup: false, conversationType: 'personal' }, user: { id: person.id, name: person.name } },
      { scope: 'personal', aadObjectId: person.aadObjectId, teamId: undefined, tenantId: 'tenant' },
    );
  const storedKeys = async () => (await testDb.db.selectFrom('conversation_reference').select('key').execute()).map((r) => r.key).sort();

  it('are one statement, and each caller goes on only once its row is stored', async () => {
    await testDb.db.deleteFrom('conversation_reference').execute();
    const counter = new StatementLog();
    const store = new ConversationReferenceStore(testDb.db.withPlugin(counter), systemClock);
    const crowd = Array.from({ length: 40 }, (_, i) => teamsPerson(`Together ${i + 1}`));
    const seen = await Promise.all(crowd.map(async (p) => {
      await remember(store, p);
      return (await testDb.db.selectFrom('conversation_reference').select('key').where('key', '=', `person:${p.aadObjectId}`).executeTakeFirst())?.key;
    }));
    expect(seen).toEqual(crowd.map((p) => `person:${p.aadObjectId}`));
    expect(counter.kinds).toEqual(['InsertQueryNode']);
    // Known now: the same people again cost nothing.
    counter.clear();
    await Promise.all(crowd.map((p) => remember(store, p)));
    expect(counter.kinds).toEqual([]);
  });

  it("one that cannot be stored costs no one else theirs, fails its own caller, and is stored when asked again", async () => {
    await testDb.db.deleteFrom('conversation_reference').execute();
    const refuse = new RefuseReferenceOf();
    const store = new ConversationReferenceStore(testDb.db.withPlugin(refuse), systemClock);
    const crowd = Array.from({ length: 12 }, (_, i) => teamsPerson(`Batch Person ${i + 1}`));
    const unlucky = crowd[5];
    refuse.aadObjectId = unlucky.aadObjectId;
    const outcomes = await Promise.allSettled(crowd.map((p) => remember(store, p)));
    expect(outcomes.map((o) => o.status)).toEqual(crowd.map((p) => (p === unlucky ? 'rejected' : 'fulfilled')));
    expect(await storedKeys()).toEqual(crowd.filter((p) => p !== unlucky).map((p) => `person:${p.aadObjectId}`).sort());

    refuse.aadObjectId = undefined;
    await remember(store, unlucky);
    expect(await storedKeys()).toEqual(crowd.map((p) => `person:${p.aadObjectId}`).sort());
  });
});
