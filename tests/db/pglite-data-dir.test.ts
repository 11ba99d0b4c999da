import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { pgliteTemplateDir, prepareDataDir } from '../../src/db/pglite-data-dir.js';

const dirs: string[] = [];
const scratch = (): string => {
  const dir = mkdtempSync(path.join(tmpdir(), 'devhub-datadir-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A stand-in template: the layout of a data folder, small. */
function fakeTemplate(): string {
  const dir = path.join(scratch(), 'template');
  mkdirSync(path.join(dir, 'base', '1'), { recursive: true });
  writeFileSync(path.join(dir, 'base', '1', '1259'), 'catalog');
  writeFileSync(path.join(dir, 'postgresql.conf'), '# conf');
  writeFileSync(path.join(dir, 'PG_VERSION'), '17\n');
  return dir;
}

describe('a new PGlite data folder', () => {
  it('is filled from the template, and a folder that holds a database is left alone', () => {
    const template = fakeTemplate();
    const data = path.join(scratch(), 'data');
    expect(prepareDataDir(data, template)).toBe('from_template');
    expect(readFileSync(path.join(data, 'base', '1', '1259'), 'utf8')).toBe('catalog');
    expect(readFileSync(path.join(data, 'PG_VERSION'), 'utf8')).toBe('17\n');
    expect(readdirSync(data).sort()).toEqual(['PG_VERSION', 'base', 'postgresql.conf']);

    writeFileSync(path.join(data, 'base', '1', '1259'), 'rows written since');
    expect(prepareDataDir(data, template)).toBe('existing');
    expect(readFileSync(path.join(data, 'base', '1', '1259'), 'utf8')).toBe('rows written since');
  });

  it('starts again when a copy was cut short, but never touches a folder with other files in it', () => {
    const template = fakeTemplate();
    const cut = path.join(scratch(), 'cut');
    mkdirSync(path.join(cut, 'base'), { recursive: true });
    writeFileSync(path.join(cut, '.devhub-template-copy'), '');
    writeFileSync(path.join(cut, 'half-copied'), 'x');
    expect(prepareDataDir(cut, template)).toBe('from_template');
    expect(existsSync(path.join(cut, 'half-copied'))).toBe(false);
    expect(existsSync(path.join(cut, '.devhub-template-copy'))).toBe(false);
    expect(existsSync(path.join(cut, 'PG_VERSION'))).toBe(true);

    // Cut short after PG_VERSION was copied: the marker still says the copy is not whole.
    const late = path.join(scratch(), 'late');
    mkdirSync(late);
    writeFileSync(path.join(late, '.devhub-template-copy'), '');
    writeFileSync(path.join(late, 'PG_VERSION'), '17\n');
    expect(prepareDataDir(late, template)).toBe('from_template');
    expect(readdirSync(late).sort()).toEqual(['PG_VERSION', 'base', 'postgresql.conf']);
    expect(readFileSync(path.join(late, 'base', '1', '1259'), 'utf8')).toBe('catalog');

    const someoneElses = path.join(scratch(), 'other');
    mkdirSync(someoneElses);
    writeFileSync(path.join(someoneElses, 'notes.txt'), 'keep me');
    expect(prepareDataDir(someoneElses, template)).toBe('initdb');
    expect(readdirSync(someoneElses)).toEqual(['notes.txt']);
  });

  it('is left to PGlite to initialise when there is no template', () => {
    const data = path.join(scratch(), 'data');
    expect(prepareDataDir(data, undefined)).toBe('initdb');
    expect(readdirSync(data)).toEqual([]);
    expect(pgliteTemplateDir([path.join(scratch(), 'missing')])).toBeUndefined();
  });

  it('copied from a migrated template (as scripts/make-pglite-template.mjs makes it) opens with nothing to migrate and keeps its rows', async () => {
    const template = path.join(scratch(), 'template');
    const made = await PGlite.create({ dataDir: template });
    await made.close();
    const templateDb = await openDatabase({ kind: 'embedded', dataDir: template });
    await migrateToLatest(templateDb);
    await templateDb.destroy();
    const data = path.join(scratch(), 'data');
    expect(prepareDataDir(data, template)).toBe('from_template');

    const db = await openDatabase({ kind: 'embedded', dataDir: data });
    expect(await migrateToLatest(db)).toEqual([]);
    await sql`insert into audit_log (at, actor_aad_id, action, subject_type, subject_id, details) values (now(), null, 'test.copied', 'test', 't1', '{}'::jsonb)`.execute(db);
    await db.destroy();
    const again = await openDatabase({ kind: 'embedded', dataDir: data });
    const rows = await again.selectFrom('audit_log').select('action').where('action', '=', 'test.copied').execute();
    await again.destroy();
    expect(rows).toHaveLength(1);
    // The template itself is never written to.
    expect(existsSync(path.join(template, 'PG_VERSION'))).toBe(true);
  }, 120_000);
});
