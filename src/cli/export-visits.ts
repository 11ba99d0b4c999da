/**
 * Subject-access export of a person's Inclusion Support Visit requests, for the trust's data
 * protection officer:
 *
 *   npm run export:visits -- <Entra ID object id> [--format json|csv] [--out file]
 *
 * A command rather than a card: a subject-access request is handled by the DPO with the operator
 * who runs the service, outside Teams, and the file must not pass through a chat. Uses the app's
 * environment (DATA_DIR or DATABASE_URL). Exit codes: 0 written, 2 wrong usage or setup.
 */
import { writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openDatabase, type Db } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { exportAsCsv, exportAsJson } from '../features/inclusion-visits/visits-export.js';
import { VisitRepository } from '../features/inclusion-visits/visits.repository.js';
import { VisitQuestionRepository } from '../features/inclusion-visits/visit-questions.repository.js';
import { subjectAccessExport } from '../features/inclusion-visits/visits.service.js';
import { systemClock, uuidGenerator, type Clock } from '../shared/clock.js';

export interface ExportVisitsIo {
  db: Db;
  clock: Clock;
  out(text: string): void;
  err(line: string): void;
}

const USAGE = 'Usage: npm run export:visits -- <Entra ID object id> [--format json|csv] [--out file]';
const OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function runExportVisits(argv: string[], io: ExportVisitsIo): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { format: { type: 'string', default: 'json' }, out: { type: 'string' } } });
  } catch (error) {
    io.err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [person, ...extra] = args.positionals;
  const format = args.values.format;
  if (!person || extra.length > 0 || !OBJECT_ID.test(person) || (format !== 'json' && format !== 'csv')) {
    io.err(USAGE);
    return 2;
  }
  const data = await subjectAccessExport(
    { visits: new VisitRepository(io.db, io.clock, uuidGenerator), questions: new VisitQuestionRepository(io.db, io.clock, uuidGenerator) },
    person.toLowerCase(),
  );
  const text = format === 'csv' ? exportAsCsv(data) : exportAsJson(person.toLowerCase(), data, io.clock.now());
  if (args.values.out) {
    await writeFile(args.values.out, text, { mode: 0o600 });
    io.err(`Wrote ${data.visits.length} request(s), ${data.questions.length} question(s) and ${data.audit.length} audit entries to ${args.values.out}.`);
  } else {
    io.out(text);
  }
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const config = loadConfig(process.env);
  const db = await openDatabase(config.database);
  try {
    await migrateToLatest(db);
    process.exitCode = await runExportVisits(process.argv.slice(2), {
      db,
      clock: systemClock,
      out: (text) => process.stdout.write(text),
      err: (line) => console.error(line),
    });
  } finally {
    await db.destroy();
  }
}
