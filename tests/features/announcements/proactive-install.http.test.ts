import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphClient } from '../../../src/graph/graph-client.js';
import { fixedClock } from '../../../src/shared/clock.js';
import type { TeamsPerson } from '../../support/activities.js';
import { startGraphStandIn, type GraphStandIn } from '../../support/graph-stand-in.js';
import { startHub, type HubHarness } from '../../support/hub-harness.js';
import { ellie, executeActions, hannah, tom } from '../communities/community-fixtures.js';

// Someone who never opened the app: with the trust's permission the fan-out installs it for them
// through Graph (the stand-in's documented routes), adopts the chat that creates and delivers there;
// without it they are recorded as unreachable with the reason.

const MANIFEST_ID = '8a2f1c3e-1111-4222-8333-944455556666';
let graph: GraphStandIn;
let h: HubHarness;
const clock = fixedClock('2026-11-23T10:00:00Z');

beforeAll(async () => {
  graph = await startGraphStandIn();
  graph.addUser({ id: tom.aadObjectId, displayName: tom.name });
  graph.teamsApps.publish(MANIFEST_ID, 'catalogue-app-1');
  const connection = createGraphClient(graph.appConfig(), { credentialOptions: { authorityCa: graph.certificatePem }, retry: { delaySeconds: 0 } });
  h = await startHub({ env: { SAMPLE_DATA: 'off', PEOPLE_DIRECTORY: 'sample', PROACTIVE_INSTALL: 'on', TEAMS_APP_ID: MANIFEST_ID }, clock, graph: connection, runJobs: false });
  for (const person of [ellie, hannah]) await h.post(h.activities.botInstalledInPersonalChat(person));
});
afterAll(async () => {
  await h?.close();
  await graph?.close();
});
beforeEach(async () => {
  for (const table of ['job', 'announcement_recipient', 'announcement', 'community_member'] as const) await h.db.deleteFrom(table).execute();
  graph.teamsApps.installations.clear();
  graph.clearRequests();
  h.connector.clear();
});

async function press(from: TeamsPerson, verb: string, data: Record<string, unknown>): Promise<unknown> {
  const answer = await h.post(h.activities.cardAction({ verb, data, from }));
  return answer.body.value as unknown;
}

async function announceToSendcoNetwork(): Promise<void> {
  await press(tom, 'communities.join', { communityId: 'sendco-hub-network' });
  // Tom joined from a device; the app has no chat with him (as if joined by a lead, or uninstalled).
  await h.db.deleteFrom('conversation_reference').where('key', '=', `person:${tom.aadObjectId}`).execute();
  await h.post(h.activities.message({ text: 'new announcement', from: hannah }));
  const form = h.connector.deliveredCards().at(-1);
  const send = executeActions(form).find((a) => a.verb === 'announcements.send')!;
  await press(hannah, send.verb, { ...send.data, title: 'Hello', body: 'News', communityIds: 'sendco-hub-network', delivery: 'personal' });
  await h.hub.jobs.runDueJobs();
}

describe('reaching people with no chat with the app', () => {
  it('installs the app for them through Graph and delivers into the new chat', async () => {
    await announceToSendcoNetwork();
    const [row] = await h.db.selectFrom('announcement_recipient').selectAll().execute();
    expect(row).toMatchObject({ target: tom.aadObjectId, status: 'sent' });
    const chatId = `19:${tom.aadObjectId}_stand-in-bot@unq.gbl.spaces`;
    expect(h.connector.delivered().map((c) => c.conversationId), JSON.stringify(h.connector.delivered().map((c) => c.conversationId))).toContain(chatId);
    const paths = graph.requests.map((r) => `${r.method} ${r.path}`);
    expect(paths).toContain(`POST /v1.0/users/${tom.aadObjectId}/teamwork/installedApps`);
    expect(paths.some((p) => p.startsWith('GET /v1.0/appCatalogs/teamsApps'))).toBe(true);
    expect(paths.some((p) => p.endsWith('/chat'))).toBe(true);
  });

  it('records them as unreachable, with the reason, when the permission is not granted', async () => {
    graph.teamsApps.permissionGranted = false;
    try {
      await announceToSendcoNetwork();
      const [row] = await h.db.selectFrom('announcement_recipient').selectAll().execute();
      expect(row).toMatchObject({ target: tom.aadObjectId, status: 'unreachable', reason: 'no_conversation_reference' });
    } finally {
      graph.teamsApps.permissionGranted = true;
    }
  });
});
