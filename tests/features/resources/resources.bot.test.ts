import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGraphClient } from '../../../src/graph/graph-client.js';
import { fixedClock } from '../../../src/shared/clock.js';
import { groupChat, teamsPerson } from '../../support/activities.js';
import { adaptiveCards, type Json } from '../../support/connector-stand-in.js';
import { startGraphStandIn, type GraphStandIn } from '../../support/graph-stand-in.js';
import { PRIVATE_OWNER_ID, SAMPLE_SITE_URL } from '../../support/graph-stand-in/url-library.js';
import { startHub, type HubHarness } from '../../support/hub-harness.js';

/** The whole app against the Graph stand-in (app-only search, as in local runs): chat, paging, the message extension and link unfurling. */
let graph: GraphStandIn;
let h: HubHarness;
const ola = teamsPerson('Ola Nowak', PRIVATE_OWNER_ID);

beforeAll(async () => {
  graph = await startGraphStandIn();
  h = await startHub({
    env: { SAMPLE_DATA: 'on' },
    clock: fixedClock('2026-11-23T10:00:00Z'),
    graph: createGraphClient(graph.appConfig(), { credentialOptions: { authorityCa: graph.certificatePem } }),
  });
});
afterAll(async () => {
  await h.close();
  await graph.close();
});
beforeEach(() => {
  h.connector.clear();
  graph.clearFailures();
  graph.clearRequests();
});

async function say(text: string, from = ola): Promise<Json> {
  h.connector.clear();
  const message = h.activities.message({ text, from });
  await h.post(message);
  const [card] = adaptiveCards((await h.connector.waitForDelivery(message.conversation.id)).body);
  return card;
}
const actionsOf = (card: Json): Json[] => JSON.stringify(card).match(/\{"type":"Action\.[A-Za-z]+"[^{}]*(\{[^{}]*\})?[^{}]*\}/g)?.map((a): Json => JSON.parse(a)) ?? [];
const query = (commandId: string, text: string, options: { skip?: number; count?: number } = {}) =>
  h.post(h.activities.messageExtensionQuery({ commandId, parameters: [{ name: 'query', value: text }], from: ola, ...options }));

describe('resources in chat', () => {
  it('"resources on vocabulary" answers with one card: titles, kinds, authors, dates, clean snippets, Open and Share for each', async () => {
    const card = await say('resources on vocabulary');
    const text = JSON.stringify(card);
    expect(text).toContain('Resources on vocabulary');
    const opens = actionsOf(card).filter((a) => a.title === 'Open');
    expect(opens.length).toBe(5);
    for (const open of opens) expect(open.url).toMatch(new RegExp(`^${SAMPLE_SITE_URL}/`));
    const shares = actionsOf(card).filter((a) => a.title === 'Share');
    expect(shares[0].url).toMatch(/^https:\/\/teams\.microsoft\.com\/share\?href=https%3A%2F%2Fharmonytrust/);
    expect(text).toMatch(/(Presentation|PDF|Document|Video) · [A-Z][a-z]+ [A-Z][a-z]+ · updated \d{1,2} [A-Z][a-z]{2} 202\d/);
    expect(text).not.toMatch(/<c0>|<ddd\/>/);
    // App-only search offers nothing to sign in to in a local run (no SSO).
    expect(text).not.toContain('Sign in');
    expect(actionsOf(card).find((a) => a.title === 'More')).toMatchObject({ type: 'Action.Execute', verb: 'resources.more', data: { page: 1 } });
  });

  it('More shows the next page in place of the card, and Previous goes back', async () => {
    const card = await say('find phonics videos');
    expect(JSON.stringify(card)).toContain('Resources on phonics videos');
    const more = actionsOf(card).find((a) => a.title === 'More');
    const first = actionsOf(card).filter((a) => a.title === 'Open').map((a) => String(a.url));
    if (!more) {
      // Fewer than a page of phonics videos: every result is a video.
      expect(first.every((u: string) => /\.mp4$/.test(u))).toBe(true);
      return;
    }
    const answer = await h.post(h.activities.cardAction({ verb: 'resources.more', data: more.data, from: ola }));
    const next = answer.body.value;
    const second = actionsOf(next).filter((a) => a.title === 'Open').map((a) => String(a.url));
    expect(second.some((u: string) => first.includes(u))).toBe(false);
    expect(actionsOf(next).some((a) => a.title === 'Previous')).toBe(true);
  });

  it('the EEF and planning phrasings find the right items', async () => {
    expect(JSON.stringify(await say('EEF guidance on teaching assistants'))).toContain('Making Best Use of Teaching Assistants');
    expect(JSON.stringify(await say('curriculum planning documents for maths'))).toMatch(/Maths long-term plan|Mathematics curriculum map/);
  });

  it('nothing found: says so, suggests nearby topics from the trust vocabulary and the EEF shortcuts', async () => {
    const card = await say('resources on astrophysics');
    const text = JSON.stringify(card);
    expect(text).toContain('Nothing in the Universal Resource Library matches \\"astrophysics\\"');
    const suggestions = actionsOf(card).filter((a) => a.type === 'Action.Submit' && /^resources on /.test(a.data?.prompt ?? ''));
    expect(suggestions.length).toBeGreaterThan(0);
    expect(text).toContain('EEF: Making Best Use of Teaching Assistants');
    expect(text).toContain('educationendowmentfoundation.org.uk');
  });

  it('a misspelt topic gets nearby topics that resemble it', async () => {
    graph.library.items = graph.library.items.filter((i) => !/phonics/i.test(i.name + i.text));
    try {
      const card = await say('resources on phonix');
      const prompts = actionsOf(card).map((a) => String(a.data?.prompt ?? '')).filter(Boolean);
      expect(prompts).toContain('resources on phonics');
    } finally {
      graph.library.items = (await import('../../support/graph-stand-in/url-library.js')).sampleUrlLibrary();
    }
  });

  it('a busy library gets a "busy, try again" card; a broken answer gets a friendly card', async () => {
    graph.failNext('search.query', 1, { status: 429, retryAfter: '20' });
    expect((await say('resources on oracy')).metadata).toEqual({ problemCode: 'busy' });
    graph.failNext('search.query', 1, { status: 200, body: { value: 42 } });
    expect((await say('resources on retrieval')).metadata).toEqual({ problemCode: 'unexpected_response' });
  });

  it('a tampered More button gets the invalid-page card and searches nothing', async () => {
    for (const data of [{}, { query: '', page: 1 }, { query: 'x', page: -1 }, { query: 'x', page: 1.5 }, { query: 'x'.repeat(201), page: 1 }]) {
      const answer = await h.post(h.activities.cardAction({ verb: 'resources.more', data, from: ola }));
      expect(answer.body.value.metadata).toEqual({ problemCode: 'invalid_search_page' });
    }
    expect(graph.requestsTo('search.query')).toHaveLength(0);
  });

  it('logs no query text, at info or anywhere', async () => {
    const before = h.logs.length;
    await say('resources on zebrafishcurriculum');
    expect(JSON.stringify(h.logs.slice(before))).not.toContain('zebrafish');
  });
});

describe('the message extension', () => {
  it('searchResources answers with resource cards and thumbnail previews, up to 25', async () => {
    const answer = await query('searchResources', 'phonics');
    expect(answer.status).toBe(200);
    const result = answer.body.composeExtension;
    expect(result).toMatchObject({ type: 'result', attachmentLayout: 'list' });
    expect(result.attachments.length).toBeGreaterThan(3);
    expect(result.attachments.length).toBeLessThanOrEqual(25);
    const first = result.attachments[0];
    expect(first.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(first.preview.contentType).toBe('application/vnd.microsoft.card.thumbnail');
    expect(first.preview.content.title).toMatch(/phonics/i);
    expect(actionsOf(first.content).map((a) => String(a.title))).toEqual(['Open', 'Share']);
    expect(graph.requestsTo('search.query').at(-1)!.body.requests[0]).toMatchObject({ from: 0, size: 25 });
  });

  it('an empty query shows the newest items; one letter asks for more; KQL and 1,000 characters never crash', async () => {
    const empty = await query('searchResources', '');
    expect(empty.body.composeExtension.attachments.length).toBe(25);
    expect(graph.requestsTo('search.query').at(-1)!.body.requests[0].sortProperties).toEqual([{ name: 'lastModifiedDateTime', isDescending: true }]);
    expect((await query('searchResources', 'p')).body.composeExtension).toEqual({ type: 'message', text: 'Type at least two letters to search the Universal Resource Library.' });
    const kql = await query('searchResources', 'phonics OR path:"https://harmonytrust.sharepoint.com/sites/HumanResources" author:HR');
    for (const a of kql.body.composeExtension.attachments ?? []) expect(JSON.stringify(a.content)).not.toContain('HumanResources');
    const long = await query('searchResources', 'vocabulary '.repeat(100));
    expect(long.status).toBe(200);
    expect(long.body.composeExtension.type).toMatch(/result|message/);
  });

  it('pages with skip as Teams asks', async () => {
    await query('searchResources', 'curriculum', { skip: 25, count: 25 });
    expect(graph.requestsTo('search.query').at(-1)!.body.requests[0]).toMatchObject({ from: 25, size: 25 });
  });

  it('says busy as a message when Graph throttles beyond the 5-second budget', async () => {
    graph.failNext('search.query', 1, { status: 503, retryAfter: '10' });
    expect((await query('searchResources', 'oracy')).body.composeExtension).toEqual({ type: 'message', text: 'The resource library is busy. Try again in a minute.' });
  });

  it('searchCourses shares a course card whose Book button books for whoever presses it, in any chat', async () => {
    const answer = await query('searchCourses', 'phonics');
    const attachments = answer.body.composeExtension.attachments as Json[];
    expect(attachments.length).toBeGreaterThan(0);
    const card = attachments[0].content;
    const book = actionsOf(card).find((a) => a.type === 'Action.Execute');
    expect(book).toMatchObject({ verb: 'cpd.book', data: { offeringId: expect.any(String) } });
    // Someone else in a group chat presses Book on the shared card: the place is theirs.
    const chat = groupChat();
    const sam = teamsPerson('Sam Okoro', 'b0000000-0000-4000-8000-000000000002');
    const pressed = await h.post(h.activities.cardAction({ verb: 'cpd.book', data: book!.data, from: sam, place: chat }));
    expect(pressed.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expect(JSON.stringify(pressed.body.value)).toMatch(/Booked|waitlist|waiting list/i);
    const mine = JSON.stringify(await say('my bookings', sam));
    expect(mine).toContain(card.body[0].text);
  });

  it('searchCourses with one letter asks for more', async () => {
    expect((await query('searchCourses', 'x')).body.composeExtension.type).toBe('message');
  });
});

describe('link unfurling', () => {
  const unfurl = (url: string) =>
    h.post(h.activities.messageExtensionQuery({ commandId: '', parameters: [], from: ola, overrides: { name: 'composeExtension/queryLink', value: { url } } }));

  it('unfurls a link to a library file into the resource card', async () => {
    const file = graph.library.items.find((i) => i.name.startsWith('Tier 2 vocabulary'))!;
    const answer = await unfurl(`${file.webUrl}?web=1`);
    const [attachment] = answer.body.composeExtension.attachments as Json[];
    expect(JSON.stringify(attachment.content)).toContain('Tier 2 vocabulary - teaching routine');
    expect(actionsOf(attachment.content).find((a) => a.title === 'Open').url).toBe(file.webUrl);
  });

  it('leaves other links alone: another site, an unknown file, not a URL', async () => {
    for (const url of ['https://harmonytrust.sharepoint.com/sites/HumanResources/Shared%20Documents/x.pdf', `${SAMPLE_SITE_URL}/Shared%20Documents/nothing-here.docx`, 'not a url']) {
      const answer = await unfurl(url);
      expect(answer.status).toBe(200);
      expect(answer.body.composeExtension.attachments).toEqual([]);
    }
  });
});
