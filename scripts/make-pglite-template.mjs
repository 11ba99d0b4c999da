// Makes dist/pglite-template/: an initialised PGlite data folder with every migration of this build
// applied and no rows of a trust's own. A new DATA_DIR is started as a copy of it
// (src/db/pglite-data-dir.ts), so the app runs neither initdb nor the migrations on a new folder:
// initdb costs ~3-4 s and, because PGlite's WASM heap never shrinks, leaves a few hundred MB resident
// for the life of the process; the migrations cost another ~1.5 s of a new folder's first start.
// It runs here, in a short-lived process, after the server build (it migrates with dist/db/), and again
// when PGlite's version or a migration changes. A later migration (sources run by tsx, a template from
// an older build) is applied at start as on any reused folder.
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const dist = path.resolve(import.meta.dirname, '..', 'dist');
const target = path.join(dist, 'pglite-template');
const building = `${target}.building`;
rmSync(building, { recursive: true, force: true });
const pglite = await PGlite.create({ dataDir: building });
await pglite.query('select 1');
await pglite.close();
if (!existsSync(path.join(building, 'PG_VERSION'))) throw new Error('PGlite made no PG_VERSION');

const { openDatabase } = await import(path.join(dist, 'db', 'database.js'));
const { migrateToLatest } = await import(path.join(dist, 'db', 'migrate.js'));
const db = await openDatabase({ kind: 'embedded', dataDir: building });
try {
  const applied = await migrateToLatest(db);
  console.log(`pglite-template: ${applied.length} migrations applied`);
} finally {
  await db.destroy();
}
rmSync(target, { recursive: true, force: true });
renameSync(building, target);
