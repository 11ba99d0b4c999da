import { describe, expect, it } from 'vitest';
import { FeatureConflictError, mergeFeatures } from '../../src/features/assemble.js';
import type { ConversationCards, FeatureModule } from '../../src/features/feature-module.js';
import { FEATURES } from '../../src/features/registry.js';
import type { AdaptiveCard } from '../../src/shared/bot-contract.js';

const card: AdaptiveCard = { type: 'AdaptiveCard', version: '1.5', body: [] };
const conversation: ConversationCards = {
  welcome: () => Promise.resolve(card),
  problem: () => card,
  didYouMean: () => card,
  notSure: () => Promise.resolve(card),
};
const home: FeatureModule = { name: 'home', conversation };
const verb = (v: string) => ({ verb: v, handle: () => Promise.resolve(card) });
const job = { run: () => Promise.resolve() };

describe('assembling feature modules at start-up', () => {
  it('merges what each feature contributes, keeping journeys in registry order and tagging intents with their feature', () => {
    const intent = { name: 'cpd.search', score: () => 1, suggest: () => ({ title: 't', prompt: 'p' }), handle: () => Promise.resolve([]) };
    const merged = mergeFeatures([
      home,
      { name: 'cpd', actions: [verb('cpd.book')], jobs: { 'cpd.calendar_add': job }, intents: [intent], journeys: [{ id: 'cpd.find', title: 'Find CPD', summary: 's', prompt: 'p' }] },
      { name: 'resources', actions: [verb('resources.open')], journeys: [{ id: 'resources.find', title: 'Find', summary: 's', prompt: 'p' }] },
    ]);
    expect(merged.actions.map((a) => a.verb)).toEqual(['cpd.book', 'resources.open']);
    expect(Object.keys(merged.jobs)).toEqual(['cpd.calendar_add']);
    expect(merged.journeys.map((j) => j.id)).toEqual(['cpd.find', 'resources.find']);
    expect(merged.intents.map((i) => [i.name, i.feature, i.score({ text: '', corrected: '', words: [], concepts: new Set() }, undefined as never)])).toEqual([['cpd.search', 'cpd', 1]]);
  });

  it.each([
    ['card verb', { actions: [verb('cpd.book')] }, { actions: [verb('cpd.book')] }, 'The card verb "cpd.book" is claimed by both the cpd and the visits features.'],
    ['job kind', { jobs: { 'cpd.reminder': job } }, { jobs: { 'cpd.reminder': job } }, 'The job kind "cpd.reminder" is claimed by both the cpd and the visits features.'],
    [
      'API route',
      { apiRoutes: [{ method: 'GET' as const, path: 'bookings', handle: () => Promise.resolve({ ok: true as const, value: null }) }] },
      { apiRoutes: [{ method: 'GET' as const, path: 'bookings', handle: () => Promise.resolve({ ok: true as const, value: null }) }] },
      'The API route "GET /api/v1/bookings" is claimed by both the cpd and the visits features.',
    ],
    [
      'message-extension command',
      { searchCommands: [{ commandId: 'findCpd', handle: () => Promise.resolve([]) }] },
      { searchCommands: [{ commandId: 'findCpd', handle: () => Promise.resolve([]) }] },
      'The message-extension command "findCpd" is claimed by both the cpd and the visits features.',
    ],
  ])('refuses a duplicate %s with one sentence naming both owners', (_what, a, b, sentence) => {
    expect(() => mergeFeatures([home, { name: 'cpd', ...a }, { name: 'visits', ...b }])).toThrow(new FeatureConflictError(sentence));
  });

  it('refuses a verb one feature registers twice, two features of one name, and an app with no conversation cards', () => {
    expect(() => mergeFeatures([home, { name: 'cpd', actions: [verb('cpd.book'), verb('cpd.book')] }])).toThrow('The card verb "cpd.book" is registered twice by the cpd feature.');
    expect(() => mergeFeatures([home, { name: 'cpd' }, { name: 'cpd' }])).toThrow('The feature name "cpd" is registered twice by the cpd feature.');
    expect(() => mergeFeatures([{ name: 'cpd' }])).toThrow(/No feature provides the conversation cards/);
  });

  it('registers home, people, cpd, inclusion visits, communities, announcements, resources and commissions as modules like the rest, with the not-yet-available stand-ins last', () => {
    expect(FEATURES.map((f) => f.name)).toEqual(['home', 'people', 'cpd', 'inclusion-visits', 'communities', 'announcements', 'resources', 'commissions', 'coming-soon']);
  });

  it('runs every module start-up hook once, in registry order, and stops at the first that fails', async () => {
    const started: string[] = [];
    const starting = (name: string, fail = false): FeatureModule => ({
      name,
      start: () => {
        started.push(name);
        return fail ? Promise.reject(new Error(`${name} cannot start`)) : Promise.resolve();
      },
    });
    await mergeFeatures([home, starting('cpd'), { name: 'quiet' }, starting('inclusion-visits')]).start();
    expect(started).toEqual(['cpd', 'inclusion-visits']);
    started.length = 0;
    await expect(mergeFeatures([home, starting('a', true), starting('b')]).start()).rejects.toThrow('a cannot start');
    expect(started).toEqual(['a']);
  });
});
