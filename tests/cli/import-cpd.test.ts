import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runImportCpd, type ImportCpdIo } from '../../src/cli/import-cpd.js';
import { fixedClock } from '../../src/shared/clock.js';
import { GOOD_CSV, TEAMS, TODAY, smallTaxonomy } from '../features/cpd/cpd-fixtures.js';
import { openPgliteTestDb, type TestDb } from '../support/test-db.js';

describe('npm run import:cpd', () => {
  let testDb: TestDb;
  let dir: string;
  let out: string[];
  let err: string[];
  let io: ImportCpdIo;

  beforeEach(async () => {
    testDb = await openPgliteTestDb();
    dir = mkdtempSync(path.join(tmpdir(), 'cpd-import-'));
    out = [];
    err = [];
    io = { db: testDb.db, taxonomy: smallTaxonomy, clock: fixedClock(TODAY), out: (l) => out.push(l), err: (l) => err.push(l) };
  });
  afterEach(async () => {
    await testDb.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const sessions = async () => (await testDb.db.selectFrom('cpd_session').select('id').execute()).length;

  it('imports a good file and says what it imported', async () => {
    expect(await runImportCpd([file('good.csv', GOOD_CSV)], io)).toBe(0);
    expect(out).toEqual(['Imported 2 courses, 2 offerings, 3 sessions from good.csv.']);
    expect(await sessions()).toBe(3);
  });

  it('--dry-run checks the file and writes nothing', async () => {
    expect(await runImportCpd([file('good.csv', GOOD_CSV), '--dry-run'], io)).toBe(0);
    expect(out[0]).toMatch(/good\.csv is valid: 2 courses, 2 offerings, 3 sessions\. Dry run: nothing was written\./);
    expect(await sessions()).toBe(0);
  });

  it('prints each problem with its line number and field, imports nothing and exits 1', async () => {
    const bad = `${GOOD_CSV}\nx,X,Summary,reading,teachers,F,standalone,,x-1,Label,ten,,2027-01-12 15:45,2027-01-12 17:15,online,,${TEAMS}`;
    expect(await runImportCpd([file('bad.csv', bad)], io)).toBe(1);
    expect(err[0]).toBe('bad.csv: 1 problem; nothing was imported.');
    expect(err[1]).toBe('  line 5, capacity: must be a whole number');
    expect(await sessions()).toBe(0);
  });

  it('explains wrong usage and unreadable files with exit code 2', async () => {
    expect(await runImportCpd([], io)).toBe(2);
    expect(err.pop()).toMatch(/^Usage: npm run import:cpd -- <file.csv> \[--dry-run\]/);
    expect(await runImportCpd(['--force', 'x.csv'], io)).toBe(2);
    expect(await runImportCpd([path.join(dir, 'missing.csv')], io)).toBe(2);
    expect(err.pop()).toMatch(/Cannot read .*missing\.csv: ENOENT/);
  });
});
