import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDevelopmentHub } from '../../src/app.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DEFAULT_TRUST_PROFILE, loadConfig } from '../../src/config.js';
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
    // Every stand-in the Harmony profile lists now has its feature, so the test adds one to a copy of it.
    const dir = mkdtempSync(path.join(tmpdir(), 'devhub-profile-'));
    const profile = JSON.parse(readFileSync(DEFAULT_TRUST_PROFILE, 'utf8')) as { notYetAvailable: unknown[]; sampleRoster: string };
    // The copy lives elsewhere: its relative sample roster path must still reach the real one.
    profile.sampleRoster = path.resolve(path.dirname(DEFAULT_TRUST_PROFILE), profile.sampleRoster);
    profile.notYetAvailable.push({
      feature: 'staff-wellbeing',
      title: 'Staff wellbeing check-ins',
      status: 'not_built',
      cues: ['wellbeing', 'wellbeing check-in'],
      strongCues: ['wellbeing check-in'],
      instead: 'Talk to your line manager or the trust wellbeing lead.',
    });
    const file = path.join(dir, 'profile.json');
    writeFileSync(file, JSON.stringify(profile));
    const withProfile = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', SAMPLE_DATA: 'off', TRUST_PROFILE: file });
    const wellbeing = {
      name: 'staff-wellbeing',
      build: () => ({
        name: 'staff-wellbeing',
        intents: [{ name: 'staff-wellbeing.check_in', score: () => 0.9, suggest: () => ({ title: 'Wellbeing', prompt: 'wellbeing check-in' }), handle: () => Promise.resolve([]) }],
      }),
    };
    try {
      const standIn = await createDevelopmentHub(withProfile, { db: testDb.db, logger: createLogger('silent') });
      try {
        expect((await standIn.router.decide(turn, 'wellbeing check-in')).decision).toMatchObject({ kind: 'answer', intent: 'staff-wellbeing.not_available' });
      } finally {
        await standIn.close();
      }
      const hub = await createDevelopmentHub(withProfile, { db: testDb.db, logger: createLogger('silent'), extraFeatures: [wellbeing] });
      try {
        const plain = await hub.router.decide(turn, 'wellbeing check-in');
        expect(plain.decision.scores.map((s) => s.intent)).not.toContain('staff-wellbeing.not_available');
        expect(plain.decision).toMatchObject({ kind: 'answer', intent: 'staff-wellbeing.check_in' });
      } finally {
        await hub.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
