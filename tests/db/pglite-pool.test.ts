import { PGlite } from '@electric-sql/pglite';
import { CompiledQuery, Kysely, PostgresDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { PGLITE_START_PARAMS, pgliteParsers } from '../../src/db/database.js';
import { pglitePool, type PglitePool } from '../../src/db/pglite-pool.js';

interface Opened {
  pglite: PGlite;
  pool: PglitePool;
  db: Kysely<Record<string, Record<string, unknown>>>;
}

const opened: Opened[] = [];
afterEach(async () => {
  for (const { db } of opened.splice(0)) await db.destroy();
});

async function open(preparedStatementsMax?: number): Promise<Opened> {
  const pglite = await PGlite.create({ parsers: pgliteParsers, startParams: PGLITE_START_PARAMS });
  const pool = pglitePool(pglite, preparedStatementsMax === undefined ? {} : { preparedStatementsMax });
  const db = new Kysely<Record<string, Record<string, unknown>>>({ dialect: new PostgresDialect({ pool }) });
  const handle = { pglite, pool, db };
  opened.push(handle);
  return handle;
}

/** What the backend itself holds prepared (the pool's own count could lie). */
async function backendPrepared(pglite: PGlite): Promise<string[]> {
  const { rows } = await pglite.query<{ name: string }>('select name from pg_prepared_statements order by name');
  return rows.map((row) => row.name);
}

async function failure(promise: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Record<string, unknown>;
  }
  throw new Error('expected the statement to be refused');
}

const SHAPES = sql`
  select $1::timestamptz as at, $2::jsonb as doc, $3::text[] as tags, $4::date as day, $5::text as nothing,
         $6::int as n, $7::bigint as big, $8::boolean as yes, $9::uuid as id, $10::numeric as amount`;

describe('the PGlite pool keeps statements prepared', () => {
  it('gives the same values and rows as PGlite query() does, first run and every run after', async () => {
    const { pglite, pool, db } = await open();
    const params = [new Date('2026-03-04T09:30:00.000Z'), JSON.stringify({ a: [1, 'two', null] }), ['x', 'y, z', 'q"uote'], '2026-03-04', null, 7, 9007199254740, true, '6f1c9f55-1111-4222-8333-944455556666', '12.50'];
    const compiled = SHAPES.compile(db);
    const expected = await pglite.query(compiled.sql, params);
    for (let run = 0; run < 3; run += 1) {
      const { rows } = await db.executeQuery(CompiledQuery.raw(compiled.sql, params));
      expect(rows).toEqual(expected.rows);
    }
    expect(pool.preparedStatements()).toBe(1);
    expect(await backendPrepared(pglite)).toEqual(['devhub_1']);
    const row = expected.rows[0] as Record<string, unknown>;
    expect(row.at).toEqual(new Date('2026-03-04T09:30:00.000Z'));
    expect(row.day).toBe('2026-03-04');
    expect(row.tags).toEqual(['x', 'y, z', 'q"uote']);
    expect(row.nothing).toBeNull();
  });

  it('counts the rows an insert, update or delete touched', async () => {
    const { db } = await open();
    await sql`create table item (id int primary key, label text not null)`.execute(db);
    const inserted = await sql`insert into item (id, label) values (1, 'a'), (2, 'b'), (3, 'c')`.execute(db);
    expect(inserted.numAffectedRows).toBe(3n);
    const updated = await sql`update item set label = ${'z'} where id >= ${2}`.execute(db);
    expect(updated.numAffectedRows).toBe(2n);
    const deleted = await sql`delete from item where id = ${1} returning label`.execute(db);
    expect(deleted.rows).toEqual([{ label: 'a' }]);
    const left = await sql<{ id: number; label: string }>`select id, label from item order by id`.execute(db);
    expect(left.rows).toEqual([
      { id: 2, label: 'z' },
      { id: 3, label: 'z' },
    ]);
  });

  it('holds at most its bound, closing the least recently used statement', async () => {
    const { pglite, pool, db } = await open(3);
    const statement = (n: number) => sql.raw(`select ${n}::int as n`);
    for (const n of [1, 2, 3]) await statement(n).execute(db);
    expect(await backendPrepared(pglite)).toEqual(['devhub_1', 'devhub_2', 'devhub_3']);
    await statement(1).execute(db); // 1 is now the most recent; 2 is the oldest
    await statement(4).execute(db);
    expect(pool.preparedStatements()).toBe(3);
    expect(await backendPrepared(pglite)).toEqual(['devhub_1', 'devhub_3', 'devhub_4']);
    const again = await statement(2).execute(db);
    expect(again.rows).toEqual([{ n: 2 }]);
    expect(await backendPrepared(pglite)).toEqual(['devhub_1', 'devhub_4', 'devhub_5']);
  });

  it('passes the backend errors through with their codes and keeps no statement it refused', async () => {
    const { pglite, pool, db } = await open();
    await sql`create table person (id int primary key, email text unique)`.execute(db);
    await sql`insert into person (id, email) values (${1}, ${'a@example.org'})`.execute(db);

    const duplicate = await failure(sql`insert into person (id, email) values (${2}, ${'a@example.org'})`.execute(db));
    expect(duplicate.code).toBe('23505');
    expect(duplicate.constraint).toBe('person_email_key');
    expect(duplicate.query).toBe('insert into person (id, email) values ($1, $2)');
    // The parameters (names, e-mail addresses) never ride on the error (the server's own detail
    // quotes the key; the log serializer keeps only code, table, constraint and column).
    expect(Object.keys(duplicate)).not.toContain('params');

    expect((await failure(sql`select nope from person`.execute(db))).code).toBe('42703');
    expect((await failure(sql.raw('select from where').execute(db))).code).toBe('42601');
    expect(pool.preparedStatements()).toBe(1);
    expect(await backendPrepared(pglite)).toEqual(['devhub_1']);

    // The backend is still in order: the same statement, new values.
    await sql`insert into person (id, email) values (${2}, ${'b@example.org'})`.execute(db);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from person`.execute(db);
    expect(rows).toEqual([{ n: 2 }]);
  });

  it('reports a statement in an aborted transaction, and the transaction rolls back cleanly', async () => {
    const { db } = await open();
    await sql`create table seat (id int primary key)`.execute(db);
    const inside = await failure(
      db.transaction().execute(async (trx) => {
        await sql`insert into seat (id) values (${1})`.execute(trx);
        await failure(sql`insert into seat (id) values (${1})`.execute(trx));
        await sql`insert into seat (id) values (${2})`.execute(trx);
      }),
    );
    expect(inside.code).toBe('25P02');
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from seat`.execute(db);
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('forgets its statements when DDL goes through the pool', async () => {
    const { pglite, pool, db } = await open();
    await sql`create table note (id int primary key, body text)`.execute(db);
    await sql`insert into note (id, body) values (${1}, ${'x'})`.execute(db);
    await sql`select * from note`.execute(db);
    expect(pool.preparedStatements()).toBe(2);
    await sql`alter table note add column pinned boolean not null default false`.execute(db);
    expect(pool.preparedStatements()).toBe(0);
    expect(await backendPrepared(pglite)).toEqual([]);
    const { rows } = await sql`select * from note`.execute(db);
    expect(rows).toEqual([{ id: 1, body: 'x', pinned: false }]);
  });

  it('prepares again when a table changed shape behind the pool, but not inside a transaction', async () => {
    const { pglite, db } = await open();
    await sql`create table note (id int primary key, body text)`.execute(db);
    await sql`insert into note (id, body) values (${1}, ${'x'})`.execute(db);
    const everything = sql<Record<string, unknown>>`select * from note`;
    await everything.execute(db);

    await pglite.exec('alter table note add column pinned boolean not null default true');
    expect((await everything.execute(db)).rows).toEqual([{ id: 1, body: 'x', pinned: true }]);

    await pglite.exec('alter table note drop column pinned');
    const inside = await failure(db.transaction().execute((trx) => everything.execute(trx)));
    expect(inside.code).toBe('0A000');
    expect((await everything.execute(db)).rows).toEqual([{ id: 1, body: 'x' }]);
  });

  it('refuses statements once PGlite is closed, prepared or not, rather than calling into a closed backend', async () => {
    const { pglite, pool, db } = await open();
    opened.splice(opened.findIndex((o) => o.pglite === pglite), 1);
    await sql`select ${1}::int as n`.execute(db);
    const client = await pool.connect();
    await pglite.close();
    await expect(client.query('select $1::int as n', [2])).rejects.toThrow('PGlite is closed');
    await expect(client.query('select $1::text as t', ['new'])).rejects.toThrow('PGlite is closed');
    client.release();
  });
});
