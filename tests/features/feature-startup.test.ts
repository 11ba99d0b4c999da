import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDevelopmentHub } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/shared/logger.js';
import type { TurnInfo } from '../../src/shared/bot-contract.js';
import { openPgliteTestDb, type TestDb } from '../support/test-db.js';

const turn: TurnInfo = { speaker: { aadObjectId: undefined, name: '', tenantId: undefined }, conversation: { id: 'a:1', scope: 'personal', teamId: undefined }, locale: undefined };

describe('the app assembling its features at start', () => {
  let testDb: TestDb;
  beforeEach(async () => {
    testDb = await openPgliteTestDb();
  });
  afterEach(async () => testDb.close());
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', SAMPLE_DATA: 'off' });

  it('refuses to start when a feature claims a verb CPD already owns, naming both', async () => {
    const intruder = { name: 'visits', build: () => ({ name: 'visits', actions: [{ verb: 'cpd.book', handle: () => Promise.reject(new Error('never')) }] }) };
    await expect(createDevelopmentHub(config, { db: testDb.db, logger: createLogger('silent'), extraFeatures: [intruder] })).rejects.toThrow(
      'The card verb "cpd.book" is claimed by both the cpd and the visits features.',
    );
  });

  it('lets a registered feature replace its "not available yet" stand-in', async () => {
    // CPD follow-up is still a "not available yet" stand-in in the Harmony profile, and no module of that name is registered.
    const followUp = {
      name: 'cpd-follow-up',
      build: () => ({
        name: 'cpd-follow-up',
        intents: [{ name: 'cpd-follow-up.record', score: () => 0.9, suggest: () => ({ title: 'My CPD', prompt: 'my CPD' }), handle: () => Promise.resolve([]) }],
      }),
    };
    const hub = await createDevelopmentHub(config, { db: testDb.db, logger: createLogger('silent'), extraFeatures: [followUp] });
    try {
      const plain = await hub.router.decide(turn, 'my CPD record');
      expect(plain.decision.scores.map((s) => s.intent)).not.toContain('cpd-follow-up.not_available');
      expect(plain.decision).toMatchObject({ kind: 'answer', intent: 'cpd-follow-up.record' });
    } finally {
      await hub.close();
    }
  });
});
