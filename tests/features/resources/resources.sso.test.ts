import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphClient } from '../../../src/graph/graph-client.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { teamsPerson, type TeamsPerson } from '../../support/activities.js';
import type { Json } from '../../support/connector-stand-in.js';
import { startGraphStandIn, type GraphStandIn } from '../../support/graph-stand-in.js';
import { PRIVATE_OWNER_ID } from '../../support/graph-stand-in/url-library.js';
import { startHub, type HubHarness } from '../../support/hub-harness.js';
import { TokenServiceStandIn } from '../../support/token-service-stand-in.js';

/**
 * Teams SSO for resource search: the Bot Framework token service stand-in holds the OAuth
 * connection's tokens, the Graph stand-in exchanges them on-behalf-of for Graph tokens.
 */
let graph: GraphStandIn;
let tokens: TokenServiceStandIn;
let h: HubHarness;
const CONNECTION = 'graph-sso';

beforeAll(async () => {
  graph = await startGraphStandIn();
  tokens = await TokenServiceStandIn.start(CONNECTION);
  h = await startHub({
    env: { SAMPLE_DATA: 'on', ...graph.appEnv(), BOT_SSO_CONNECTION: CONNECTION, BOT_OAUTH_URL: tokens.url },
    clock: fixedClock('2026-11-23T10:00:00Z'),
    graph: createGraphClient(graph.appConfig(), { credentialOptions: { authorityCa: graph.certificatePem } }),
    personGraphOptions: { authorityCa: graph.certificatePem },
  });
});
afterAll(async () => {
  await h.close();
  await tokens.close();
  await graph.close();
});
beforeEach(() => {
  h.connector.clear();
  graph.clearRequests();
  tokens.requests.length = 0;
});

async function say(text: string, from: TeamsPerson): Promise<Json[]> {
  h.connector.clear();
  const message = h.activities.message({ text, from });
  await h.post(message);
  await h.connector.waitForDelivery(message.conversation.id);
  // Replies arrive one by one; a short settle lets a second reply (the sign-in card) land too.
  await new Promise((resolve) => setTimeout(resolve, 150));
  return h.connector.calls.flatMap((c): Json[] => (c.body as { attachments?: Json[] } | undefined)?.attachments ?? []);
}
const oauthCards = (attachments: Json[]): Json[] => attachments.filter((a) => a.contentType === 'application/vnd.microsoft.card.oauth');
const results = (attachments: Json[]): string => JSON.stringify(attachments.filter((a) => a.contentType === 'application/vnd.microsoft.card.adaptive'));

describe('signing in for resource search', () => {
  const ola = teamsPerson('Ola Nowak', PRIVATE_OWNER_ID);

  it('not signed in: app-only results with a Sign in note, and the sign-in card once (with token exchange for silent SSO)', async () => {
    const first = await say('resources on phonics', ola);
    expect(results(first)).toContain('Resources on phonics');
    expect(results(first)).toContain('Sign in to include files shared with you');
    expect(results(first)).not.toContain('observation notes');
    const [oauth] = oauthCards(first);
    expect(oauth.content).toMatchObject({ connectionName: CONNECTION, tokenExchangeResource: { id: 'exchange-1', uri: expect.stringMatching(/^api:\/\//) } });
    expect(oauth.content.buttons[0]).toMatchObject({ type: 'signin', value: expect.stringContaining(`${tokens.url}/signin`) });
    expect(tokens.requestsTo('/api/usertoken/GetToken')[0]?.query).toMatchObject({ userId: ola.id, connectionName: CONNECTION, channelId: 'msteams' });
    expect(graph.requestsTo('search.query')[0].body.requests[0].region).toBe('GBR');

    // Declining (ignoring the card) is remembered: the next search is not interrupted again.
    const second = await say('resources on vocabulary', ola);
    expect(oauthCards(second)).toEqual([]);
    expect(results(second)).toContain('Sign in to include files shared with you');
  });

  it('a refused token exchange answers 412 so Teams shows the sign-in button; a good one signs the person in', async () => {
    const exchange = (token: string) =>
      h.post(h.activities.cardAction({ verb: '', from: ola, overrides: { name: 'signin/tokenExchange', value: { id: 'exchange-1', connectionName: CONNECTION, token } } }));
    const refused = await exchange('a-teams-token-nobody-knows');
    expect(refused.status).toBe(412);
    expect(refused.body).toMatchObject({ id: 'exchange-1', failureDetail: expect.any(String) });

    tokens.allowExchange('teams-sso-ola', ola.id, 'api-token-ola');
    graph.addUserAssertion('api-token-ola', PRIVATE_OWNER_ID);
    const accepted = await exchange('teams-sso-ola');
    expect(accepted.status).toBe(200);
    expect(tokens.requestsTo('/api/usertoken/exchange').at(-1)!.body).toEqual({ token: 'teams-sso-ola' });

    // Now searched as Ola: on-behalf-of her token, no region, and her private draft is there.
    const found = await say('resources on observation notes', ola);
    expect(results(found)).toContain('Phonics lesson observation notes');
    expect(results(found)).not.toContain('Sign in to include');
    expect(graph.requestsTo('search.query').at(-1)!.body.requests[0].region).toBeUndefined();
    const obo = graph.requestsTo('authority.token').find((r) => r.body.grant_type === 'urn:ietf:params:oauth:grant-type:jwt-bearer');
    expect(obo?.body).toMatchObject({ assertion: 'api-token-ola', requested_token_use: 'on_behalf_of' });
    // No token reaches the logs.
    expect(JSON.stringify(h.logs)).not.toMatch(/api-token-ola|teams-sso-ola|stand-in-token/);
  });

  it('the message extension searches as the signed-in person too', async () => {
    const answer = await h.post(h.activities.messageExtensionQuery({ commandId: 'searchResources', parameters: [{ name: 'query', value: 'vocabulary' }], from: ola }));
    expect(JSON.stringify(answer.body.composeExtension.attachments)).toContain('Vocabulary audit - my class');
  });

  it('"sign in" when signed in says so; the magic-code sign-in (verifyState) signs another person in', async () => {
    h.connector.clear();
    const already = h.activities.message({ text: 'sign in', from: ola });
    await h.post(already);
    expect(JSON.stringify((await h.connector.waitForDelivery(already.conversation.id)).body)).toContain('already signed in');

    const sam = teamsPerson('Sam Okoro', 'b0000000-0000-4000-8000-000000000002');
    const ask = await say('sign in', sam);
    expect(oauthCards(ask)).toHaveLength(1);
    tokens.pendingSignIn('123456', sam.id, 'api-token-sam');
    h.connector.clear();
    const bad = await h.post(h.activities.cardAction({ verb: '', from: sam, overrides: { name: 'signin/verifyState', value: { state: 'wrong' } } }));
    expect(bad.status).toBe(404);
    const verified = await h.post(h.activities.cardAction({ verb: '', from: sam, overrides: { name: 'signin/verifyState', value: { state: '123456' } } }));
    expect(verified.status).toBe(200);
    expect(JSON.stringify((await h.connector.waitForDelivery()).body)).toContain('You are signed in');
  });
});
