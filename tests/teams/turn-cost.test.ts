import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureModule } from '../../src/features/feature-module.js';
import { teamsPerson } from '../support/activities.js';
import { startHub, type HubHarness } from '../support/hub-harness.js';
import { openPgliteTestDb, type TestDb } from '../support/test-db.js';

/** Counts every statement the app sends to the database, by its first words. */
class StatementCounter implements KyselyPlugin {
  readonly statements: string[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.statements.push(args.node.kind);
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
  const counter = new StatementCounter();
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
    counter.statements.length = 0;
    await h.post(h.activities.message({ text: 'ping', from: person }));
    expect(counter.statements).toEqual(['InsertQueryNode']);

    counter.statements.length = 0;
    const message = await h.post(h.activities.message({ text: 'ping', from: person }));
    expect(message.status).toBe(200);
    const invoke = await h.post(h.activities.cardAction({ verb: 'ping.card', data: {}, from: person }));
    expect(invoke.status).toBe(200);
    expect(JSON.stringify(invoke.body)).toContain('pong');
    expect(h.connector.delivered().map((c) => String(c.body.text))).toEqual(['pong', 'pong']);
    expect(counter.statements).toEqual([]);
  });
});
