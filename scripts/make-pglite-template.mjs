// Makes dist/pglite-template/: an initialised, empty PGlite data folder. A new DATA_DIR is started as a
// copy of it (src/db/pglite-template.ts), so the app never runs initdb itself: initdb costs ~3-4 s and,
// because PGlite's WASM heap never shrinks, leaves a few hundred MB resident for the life of the process.
// It runs here, in a short-lived process, once per build (and again when PGlite's version changes).
import { existsSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';

const target = path.resolve(import.meta.dirname, '..', 'dist', 'pglite-template');
const building = `${target}.building`;
rmSync(building, { recursive: true, force: true });
const pglite = await PGlite.create({ dataDir: building });
await pglite.query('select 1');
await pglite.close();
if (!existsSync(path.join(building, 'PG_VERSION'))) throw new Error('PGlite made no PG_VERSION');
rmSync(target, { recursive: true, force: true });
renameSync(building, target);
