import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TurnState } from '@microsoft/teams-ai';
import { TestAdapter, TurnContext, type Activity } from 'botbuilder';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { postgresPool } from '../../src/db/database.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDevelopmentHub } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/schema.js';
import { silentLogger } from '../../src/shared/logger.js';
import { KyselyStorage, StorageConflictError } from '../../src/teams/kysely-storage.js';
import { personalChat, teamsActivities, teamsPerson } from '../support/activities.js';
import { describeOnEachDatabase, type TestDb } from '../support/test-db.js';

// botbuilder Storage semantics (as MemoryStorage and the Cosmos/Blob storages implement them):
// read returns only keys that exist, each with its eTag; a write carrying an eTag succeeds only
// while that eTag is current; '*' or no eTag writes unconditionally; delete of a missing key is fine.


describeOnEachDatabase('KyselyStorage on $kind', ({ open }) => {
  let testDb: TestDb;
  let storage: KyselyStorage;
  beforeEach(async () => {
    testDb = await open();
    storage = new KyselyStorage(testDb.db);
  });
  afterEach(async () => {
    await testDb?.close();
  });

  it('reads nothing for no keys and for keys never written', async () => {
    expect(await storage.read([])).toEqual({});
    expect(await storage.read(['msteams/a:nobody/conversation'])).toEqual({});
  });

  it('round-trips documents with an eTag, and reads only the keys asked for', async () => {
    const conversation = { topic: 'phonics', pages: [1, 2, 3], nested: { ok: true, n: null }, note: 'Señora Ng’s “HLC” ✓' };
    await storage.write({ 'msteams/a:1/conversation': conversation, 'msteams/28:bot/users/29:1': { visits: 2 } });

    const both = await storage.read(['msteams/a:1/conversation', 'msteams/28:bot/users/29:1', 'missing']);
    expect(Object.keys(both).sort()).toEqual(['msteams/28:bot/users/29:1', 'msteams/a:1/conversation']);
    expect(both['msteams/a:1/conversation']).toEqual({ ...conversation, eTag: expect.any(String) });
    expect(both['msteams/28:bot/users/29:1']).toEqual({ visits: 2, eTag: expect.any(String) });

    const one = await storage.read(['msteams/28:bot/users/29:1']);
    expect(Object.keys(one)).toEqual(['msteams/28:bot/users/29:1']);
  });

  it('keeps keys with the characters Teams ids carry (;messageid=, colons, slashes) apart', async () => {
    const channel = 'msteams/19:abc@thread.tacv2/conversation';
    const thread = 'msteams/19:abc@thread.tacv2;messageid=1700000000000/conversation';
    await storage.write({ [channel]: { where: 'channel' }, [thread]: { where: 'thread' } });

    const items = await storage.read([channel, thread]);
    expect(items[channel]).toMatchObject({ where: 'channel' });
    expect(items[thread]).toMatchObject({ where: 'thread' });
  });

  it('deletes, and deleting a missing key is not an error', async () => {
    await storage.write({ a: { n: 1 }, b: { n: 2 } });

    await storage.delete(['a', 'never-written']);
    await storage.delete([]);

    expect(await storage.read(['a', 'b'])).toEqual({ b: { n: 2, eTag: expect.any(String) } });
  });

  it('gives every write a new eTag', async () => {
    await storage.write({ k: { n: 1 } });
    const first = (await storage.read(['k']))['k'];
    await storage.write({ k: { ...first, n: 2 } });
    const second = (await storage.read(['k']))['k'];

    expect(second).toMatchObject({ n: 2 });
    expect(second.eTag).not.toBe(first.eTag);
  });

  it('does not write back a document that did not change since it was read, and still writes one that did', async () => {
    await storage.write({ k: { topic: 'phonics', n: 1 } });
    const read = (await storage.read(['k']))['k'];
    const stored = () => testDb.db.selectFrom('bot_state').select(['etag', 'updated_at']).where('key', '=', 'k').executeTakeFirstOrThrow();
    const before = await stored();

    await storage.write({ k: { ...read } });
    expect(await stored()).toEqual(before);
    expect((await storage.read(['k']))['k']).toEqual(read);

    await storage.write({ k: { ...read, n: 2 } });
    const after = await stored();
    expect(after.etag).not.toBe(before.etag);
    expect((await storage.read(['k']))['k']).toMatchObject({ topic: 'phonics', n: 2 });
    // An unconditional write is never skipped, even of the same document.
    const again = (await storage.read(['k']))['k'];
    await storage.write({ k: { topic: 'phonics', n: 2 } });
    expect((await stored()).etag).not.toBe(again.eTag);
  });

  it('refuses a write carrying a stale eTag and leaves the stored document alone', async () => {
    await storage.write({ k: { n: 1 } });
    const stale = (await storage.read(['k']))['k'];
    await storage.write({ k: { ...stale, n: 2 } });

    await expect(storage.write({ k: { ...stale, n: 3 } })).rejects.toBeInstanceOf(StorageConflictError);
    await expect(storage.write({ k: { ...stale, n: 3 } })).rejects.toThrow(/eTag conflict/);
    expect((await storage.read(['k']))['k']).toMatchObject({ n: 2 });
  });

  it("overwrites whatever is stored when the eTag is '*' or missing", async () => {
    await storage.write({ k: { n: 1 } });
    const stale = (await storage.read(['k']))['k'];
    await storage.write({ k: { ...stale, n: 2 } });

    await storage.write({ k: { n: 3, eTag: '*' } });
    expect((await storage.read(['k']))['k']).toMatchObject({ n: 3 });

    await storage.write({ k: { n: 4 } });
    expect((await storage.read(['k']))['k']).toMatchObject({ n: 4 });
    // The eTag is storage metadata, never part of the stored document.
    const row = await testDb.db.selectFrom('bot_state').select('document').where('key', '=', 'k').executeTakeFirstOrThrow();
    expect(row.document).toEqual({ n: 4 });
  });

  it('accepts a write after delete, even one carrying the eTag the deleted item had', async () => {
    await storage.write({ k: { n: 1 } });
    const before = (await storage.read(['k']))['k'];
    await storage.delete(['k']);

    await storage.write({ k: { ...before, n: 5 } });

    expect((await storage.read(['k']))['k']).toMatchObject({ n: 5 });
  });

  it('lets exactly one of several concurrent writers holding the same eTag win', async () => {
    for (let round = 0; round < 5; round += 1) {
      const key = `race-${round}`;
      await storage.write({ [key]: { writer: 'none' } });
      const seen = (await storage.read([key]))[key];

      const results = await Promise.allSettled(
        Array.from({ length: 8 }, (_, writer) => storage.write({ [key]: { ...seen, writer: `w${writer}` } })),
      );

      const winners = results.flatMap((r, writer) => (r.status === 'fulfilled' ? [`w${writer}`] : []));
      expect(winners).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(StorageConflictError);
      expect((await storage.read([key]))[key]).toMatchObject({ writer: winners[0] });
    }
  });
});

// The same path Teams AI takes every turn: TurnState.load → change conversation state → TurnState.save.
const builders = teamsActivities({ serviceUrl: 'http://127.0.0.1:9/' });
const person = teamsPerson('State Keeper');

function turnContext(): TurnContext {
  const activity = builders.message({ text: 'help', from: person, place: personalChat(person) }) as unknown as Activity;
  return new TurnContext(new TestAdapter(), activity);
}

type ConversationState = { lastSearch?: string; step?: string };
type UserState = { preferredAcademy?: string };

async function loadState(storage: KyselyStorage): Promise<TurnState<ConversationState, UserState>> {
  const state = new TurnState<ConversationState, UserState>();
  await state.load(turnContext(), storage);
  return state;
}

describe('Teams AI turn state across a restart (embedded PGlite in DATA_DIR)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'devhub-restart-'));
  });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads in a second app instance what the first one saved', async () => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const first = await createDevelopmentHub(config, { logger: silentLogger });
    try {
      const state = await loadState(new KyselyStorage(first.db));
      state.conversation.lastSearch = 'phonics next month';
      state.user.preferredAcademy = 'Sample Academy';
      await state.save(turnContext(), new KyselyStorage(first.db));
    } finally {
      await first.close();
    }

    const second = await createDevelopmentHub(config, { logger: silentLogger });
    try {
      const state = await loadState(new KyselyStorage(second.db));
      expect(state.conversation.lastSearch).toBe('phonics next month');
      expect(state.user.preferredAcademy).toBe('Sample Academy');
    } finally {
      await second.close();
    }
  }, 60_000);
});

describeOnEachDatabase('Teams AI turn state shared by two app instances ($kind)', ({ kind, open }) => {
  let testDb: TestDb;
  let other: Kysely<Database> | undefined;
  beforeEach(async () => {
    testDb = await open();
    // A second connection pool to the same database is a second app instance; PGlite serves one
    // process, so there both "instances" share its handle.
    if (kind === 'postgres') {
      const name = (await sql<{ name: string }>`select current_database() as name`.execute(testDb.db)).rows[0].name;
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${name}`;
      other = new Kysely<Database>({ dialect: new PostgresDialect({ pool: postgresPool(url.toString(), 4) }) });
    }
  });
  afterEach(async () => {
    await other?.destroy();
    other = undefined;
    await testDb?.close();
  });

  it('the instance that saves second, from the same version, gets a conflict instead of losing the first save', async () => {
    const storageA = new KyselyStorage(testDb.db);
    const storageB = new KyselyStorage(other ?? testDb.db);
    const seed = await loadState(storageA);
    seed.conversation.step = 'start';
    await seed.save(turnContext(), storageA);

    const onA = await loadState(storageA);
    const onB = await loadState(storageB);
    expect(onB.conversation.step).toBe('start');
    onA.conversation.step = 'from A';
    onB.conversation.step = 'from B';

    await onA.save(turnContext(), storageA);
    await expect(onB.save(turnContext(), storageB)).rejects.toBeInstanceOf(StorageConflictError);

    expect((await loadState(storageB)).conversation.step).toBe('from A');
  });
});
