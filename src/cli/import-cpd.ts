/**
 * Imports a CPD catalogue from a CSV file (one row per session; columns in docs/cpd-import.md and
 * src/features/cpd/catalogue/catalogue-import.domain.ts):
 *
 *   npm run import:cpd -- <file.csv> [--dry-run]
 *   node dist/cli/import-cpd.js <file.csv> [--dry-run]
 *
 * Uses the same environment as the app (DATA_DIR or DATABASE_URL, TRUST_PROFILE). Every row is
 * checked first; if any is bad, each problem is printed with its line number and nothing is written.
 * Otherwise the whole file is upserted by id in one transaction, so re-importing updates in place.
 * Exit codes: 0 imported (or dry run clean), 1 problems in the file, 2 wrong usage or setup.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openDatabase, type Db } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { CatalogueService, importCatalogueCsv } from '../features/cpd/catalogue/catalogue.service.js';
import { cpdTaxonomyFromProfile, type CpdTaxonomy } from '../features/cpd/cpd.taxonomy.js';
import { systemClock, type Clock } from '../shared/clock.js';
import { loadTrustProfile } from '../trust/load-trust-profile.js';

export interface ImportCpdIo {
  db: Db;
  taxonomy: CpdTaxonomy;
  clock: Clock;
  out(line: string): void;
  err(line: string): void;
}

const USAGE = 'Usage: npm run import:cpd -- <file.csv> [--dry-run]';

/** The command without process concerns, so tests can run it against their own database. */
export async function runImportCpd(argv: string[], io: ImportCpdIo): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { 'dry-run': { type: 'boolean', default: false } } });
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    return 2;
  }
  const [file, ...extra] = args.positionals;
  if (!file || extra.length > 0) {
    io.err(USAGE);
    return 2;
  }
  let csv: string;
  try {
    csv = await readFile(file, 'utf8');
  } catch (error) {
    io.err(`Cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    return 2;
  }
  const dryRun = args.values['dry-run'] === true;
  const outcome = await importCatalogueCsv(CatalogueService.forDatabase(io.db, io.clock), csv, io.taxonomy, { dryRun });
  if (!outcome.ok) {
    io.err(`${path.basename(file)}: ${outcome.problems.length} problem${outcome.problems.length === 1 ? '' : 's'}; nothing was imported.`);
    for (const p of outcome.problems) io.err(`  line ${p.line}, ${p.field}: ${p.message}`);
    return 1;
  }
  const c = outcome.counts;
  const summary = `${c.courses} courses, ${c.offerings} offerings, ${c.sessions} sessions`;
  io.out(
    outcome.dryRun
      ? `${path.basename(file)} is valid: ${summary}. Dry run: nothing was written.`
      : `Imported ${summary} from ${path.basename(file)}${c.sessionsRemoved > 0 ? ` (${c.sessionsRemoved} sessions no longer listed were removed)` : ''}.`,
  );
  return 0;
}

async function main(): Promise<number> {
  const config = loadConfig();
  const taxonomy = cpdTaxonomyFromProfile(loadTrustProfile(config.trustProfilePath));
  const db = await openDatabase(config.database);
  try {
    await migrateToLatest(db);
    return await runImportCpd(process.argv.slice(2), {
      db,
      taxonomy,
      clock: systemClock,
      out: (line) => console.log(line),
      err: (line) => console.error(line),
    });
  } finally {
    await db.destroy();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(2);
    },
  );
}
