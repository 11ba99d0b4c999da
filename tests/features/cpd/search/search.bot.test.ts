import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AdaptiveCard, TurnInfo } from '../../../../src/shared/bot-contract.js';
import { createNormaliser } from '../../../../src/shared/message-normaliser.domain.js';
import { CatalogueService } from '../../../../src/features/cpd/catalogue/catalogue.service.js';
import { CPD_FIND_JOURNEY, cpdSearchFeature } from '../../../../src/features/cpd/search/search.bot.js';
import { CPD_BOOK_VERB, CPD_SEARCH_MORE_VERB } from '../../../../src/features/cpd/search/search.schemas.js';
import { CpdSearchService } from '../../../../src/features/cpd/search/search.service.js';
import type { TestDb } from '../../../support/test-db.js';
import { TODAY, sampleCatalogueDb } from '../cpd-fixtures.js';
import { cardNodes, cardTexts } from '../../../support/card-nodes.js';

const turn: TurnInfo = {
  speaker: { aadObjectId: '00000000-0000-0000-0000-000000000001', name: 'Sam Teacher', tenantId: 't' },
  conversation: { id: 'c1', scope: 'personal', teamId: undefined },
  locale: 'en-GB',
};

const executes = (card: AdaptiveCard) => cardNodes(card).filter((n) => n['type'] === 'Action.Execute');

describe('CPD search in chat', () => {
  let testDb: TestDb;
  let feature: ReturnType<typeof cpdSearchFeature>;
  const normalise = createNormaliser({ synonyms: [], words: [] });
  let clock: Awaited<ReturnType<typeof sampleCatalogueDb>>['clock'];
  let search: CpdSearchService;

  beforeAll(async () => {
    const setup = await sampleCatalogueDb();
    ({ testDb, clock } = setup);
    search = new CpdSearchService(CatalogueService.forDatabase(testDb.db, clock), setup.taxonomy, clock);
    feature = cpdSearchFeature({ search, taxonomy: setup.taxonomy, askerOf: async () => ({ roles: ['staff'] }) });
  });
  afterAll(async () => testDb.close());

  const ask = async (text: string): Promise<AdaptiveCard | null> => {
    const intent = feature.intents[0];
    if ((await intent.score(normalise(text), turn)) < 0.5) return null;
    const replies = await intent.handle(turn, normalise(text));
    expect(replies).toHaveLength(1);
    const [reply] = replies;
    if (reply.kind !== 'card') throw new Error('expected a card');
    return reply.card;
  };
  const more = (data: unknown) => feature.actions.find((a) => a.verb === CPD_SEARCH_MORE_VERB)!.handle(turn, data);

  it('offers the Find CPD journey for the welcome card', () => {
    expect(feature.journeys).toEqual([CPD_FIND_JOURNEY]);
    expect(CPD_FIND_JOURNEY).toEqual({
      id: 'cpd.find',
      title: 'Find CPD',
      summary: 'Courses, programmes and sessions across the trust',
      prompt: 'What CPD is on next month?',
    });
  });

  it('answers a question with one schema 1.5 card: header, when, where, places and a Book button per offering', async () => {
    const card = (await ask('CPD for TAs next month'))!;
    expect(card.version).toBe('1.5');
    const all = cardTexts(card);
    expect(all).toContain('TAs · next month (December 2026)');
    expect(all).toContain('Maximising the Practice of Teaching Assistants');
    expect(all).toContain('3 sessions from Wed 2 Dec 2026');
    expect(all).toContain('Online (Teams) and Hall, Meadowbank Primary Academy (South hub)');
    expect(all).toContain('30 places left');
    expect(all).toContain('Wed 9 Dec 2026, 15:45–17:15');
    const books = executes(card).filter((a) => a['verb'] === CPD_BOOK_VERB);
    expect(books.map((b) => b['data'])).toEqual([
      { offeringId: 'maximising-tas-winter' },
      { offeringId: 'behaviour-framework-december' },
      { offeringId: 'eyfs-enabling-environments-december' },
    ]);
    expect(books[0]['title']).toBe('Book the programme');
    // Details toggles target containers that exist on the card.
    const toggles = cardNodes(card).filter((n) => n['type'] === 'Action.ToggleVisibility');
    const ids = new Set(cardNodes(card).map((n) => n['id']));
    expect(toggles).toHaveLength(3);
    for (const t of toggles) for (const target of t['targetElements'] as string[]) expect(ids.has(target)).toBe(true);
  });

  it('reads and ranks a message once for the score and the answer, and afresh for anything after', async () => {
    const intent = feature.intents[0];
    const assess = vi.spyOn(search, 'assess');
    try {
      const message = normalise('any phonics training?');
      expect(await intent.score(message, turn)).toBeGreaterThan(0.8);
      const first = await intent.handle(turn, message);
      expect(assess).toHaveBeenCalledTimes(1);
      // The same card as a turn that was never scored.
      expect(await intent.handle(turn, normalise('any phonics training?'))).toEqual(first);
      expect(assess).toHaveBeenCalledTimes(2);
      // The assessment went with the answer: answering the same message again reads it again.
      await intent.handle(turn, message);
      expect(assess).toHaveBeenCalledTimes(3);
      // Scored for one turn, answered for another person: that person's own reading.
      await intent.score(message, turn);
      await intent.handle({ ...turn, speaker: { ...turn.speaker, aadObjectId: '00000000-0000-0000-0000-000000000002' } }, message);
      expect(assess).toHaveBeenCalledTimes(5);
    } finally {
      assess.mockRestore();
    }
  });

  it('scores gibberish below the router threshold, so CPD does not answer it', async () => {
    expect(await ask('asdfgh')).toBeNull();
  });

  it('says "nothing found" and shows what is on next when a CPD question matches nothing', async () => {
    const card = (await ask('any astrophysics courses?'))!;
    const all = cardTexts(card);
    expect(all).toContain('Nothing found');
    expect(all).toContain('Nothing on offer matches "any astrophysics courses?". Here is what is on next:');
    expect(executes(card).filter((a) => a['verb'] === CPD_BOOK_VERB)).toHaveLength(5);
    expect(executes(card).filter((a) => a['verb'] === CPD_SEARCH_MORE_VERB)).toHaveLength(0);
  });

  it('pages with More and Previous, replacing the card in place', async () => {
    const first = (await ask('what CPD is on in the spring term'))!;
    const moreButton = executes(first).find((a) => a['title'] === 'More')!;
    expect(moreButton['data']).toEqual({ query: 'what CPD is on in the spring term', page: 1 });
    expect(executes(first).find((a) => a['title'] === 'Previous')).toBeUndefined();

    const second = await more(moreButton['data']);
    expect(cardTexts(second)).toContain(cardTexts(first).find((t) => / of \d+ matches$/.test(t))!.replace(/^1–5/, '6–10'));
    const previous = executes(second).find((a) => a['title'] === 'Previous')!;
    expect(previous['data']).toEqual({ query: 'what CPD is on in the spring term', page: 0 });
    const firstIds = executes(first).filter((a) => a['verb'] === CPD_BOOK_VERB).map((a) => JSON.stringify(a['data']));
    const secondIds = executes(second).filter((a) => a['verb'] === CPD_BOOK_VERB).map((a) => JSON.stringify(a['data']));
    expect(secondIds.some((id) => firstIds.includes(id))).toBe(false);
  });

  it('answers tampered or missing paging data with a clear problem card', async () => {
    for (const bad of [undefined, {}, { query: 'phonics' }, { query: 'phonics', page: -1 }, { query: 'phonics', page: '1; drop table' }, { query: '', page: 0 }, 'x']) {
      const card = await more(bad);
      expect(card['metadata']).toEqual({ problemCode: 'invalid_search_page' });
      expect(cardTexts(card)).toContain('That page of results is not available');
    }
    const notCpd = await more({ query: 'asdfgh', page: 0 });
    expect(notCpd['metadata']).toEqual({ problemCode: 'invalid_search_page' });
  });

  it('shows a full offering as "join the waitlist", and a closed one without a Book button', async () => {
    const now = clock.now();
    await testDb.db
      .insertInto('cpd_booking')
      .values(
        Array.from({ length: 20 }, (_, i) => ({
          id: `full-${i}`, offering_id: 'send-inquiry-day-november', person_aad_id: `p${i}`, person_name: `P${i}`, person_email: null,
          status: 'confirmed' as const, created_at: now, updated_at: now, cancelled_at: null,
        })),
      )
      .execute();
    const card = (await ask('SEND inquiry day'))!;
    expect(cardTexts(card)).toContain('Full — join the waitlist');
    expect(executes(card).find((a) => (a['data'] as { offeringId?: string }).offeringId === 'send-inquiry-day-november')!['title']).toBe('Join the waitlist');

    clock.set('2026-11-25T09:00:00Z'); // the DSL update on 25 Nov at 15:45 closed for booking 24 h before
    try {
      const closed = (await ask('DSL update'))!;
      expect(cardTexts(closed)).toContain('Booking closed on Tue 24 Nov 2026 at 15:45.');
      const books = executes(closed).filter((a) => a['verb'] === CPD_BOOK_VERB).map((a) => (a['data'] as { offeringId: string }).offeringId);
      expect(books).not.toContain('dsl-update-autumn');
      expect(books).toContain('dsl-update-spring');
    } finally {
      clock.set(TODAY);
    }
  });

  it('keeps every page of the biggest listing under 28 KB', async () => {
    let card = (await ask("what's on"))!;
    let largest = 0;
    for (let pages = 0; pages < 20; pages += 1) {
      largest = Math.max(largest, Buffer.byteLength(JSON.stringify(card)));
      const next = executes(card).find((a) => a['title'] === 'More');
      if (!next) break;
      card = await more(next['data']);
    }
    expect(largest).toBeGreaterThan(2_000);
    expect(largest).toBeLessThan(28 * 1024);
  });
});
