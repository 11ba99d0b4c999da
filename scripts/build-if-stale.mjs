// npm start's prestart, and `npm run build` (with --all): runs each build below only when its output is
// missing or one of its inputs changed since that build last succeeded, so `npm start` on a current
// dist/ starts at once. A build's stamp (dist/.build-stamps/<name>) is written after its command
// succeeds: tsc's incremental mode leaves unchanged outputs untouched, so the mtime of dist/index.js
// says nothing about whether dist/ is current (that made every start run tsc).
//
// `node scripts/build-if-stale.mjs tab` (or buildIfStale(['tab'])) runs only the named builds: `npm run
// dev` and the test setup need the tab's Vite build, not a fresh server build.
//
// One line per build. `inputs` are files or folders (every file and folder under them counts, so a
// deleted file counts too); `skip` leaves out parts of an input; `output` must exist after the build.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import process from 'node:process';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

export const BUILDS = [
  { name: 'server', inputs: ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'], skip: ['src/tab'], output: 'dist/index.js', command: [bin('tsc'), '-p', 'tsconfig.build.json'] },
  // After tsc: the server as one file (dist/bundle.js) and, over tsc's dist/index.js, the launcher `npm start` runs (scripts/bundle-server.mjs says why).
  { name: 'server-bundle', inputs: ['src', 'tsconfig.json', 'tsconfig.build.json', 'scripts/bundle-server.mjs', 'package-lock.json'], skip: ['src/tab'], output: 'dist/bundle.js', command: [process.execPath, 'scripts/bundle-server.mjs'] },
  // The tab: React + Fluent UI + TeamsJS, built by Vite into dist/tab/ (its versions come from the lock file).
  { name: 'tab', inputs: ['src/tab', 'package-lock.json'], output: 'dist/tab/index.html', command: [bin('vite'), 'build', '--config', 'src/tab/vite.config.ts', '--logLevel', 'warn'] },
  // After the server build: the template is migrated with dist/db/ (so a migration makes it stale too).
  { name: 'pglite-template', inputs: ['scripts/make-pglite-template.mjs', 'node_modules/@electric-sql/pglite/package.json', 'src/db/migrations', 'src/db/migrate.ts', 'src/db/database.ts'], output: 'dist/pglite-template/PG_VERSION', command: [process.execPath, 'scripts/make-pglite-template.mjs'] },
];

function newestIn(target, skip) {
  if (skip.includes(target) || !existsSync(target)) return 0;
  const stat = statSync(target);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestIn(path.join(target, entry), skip));
  return newest;
}

const stampOf = (build) => path.join(root, 'dist', '.build-stamps', build.name);

function isCurrent(build) {
  const stamp = stampOf(build);
  if (!existsSync(path.join(root, build.output)) || !existsSync(stamp)) return false;
  const skip = (build.skip ?? []).map((s) => path.join(root, s));
  const newestInput = Math.max(...build.inputs.map((i) => newestIn(path.join(root, i), skip)));
  return statSync(stamp).mtimeMs >= newestInput;
}

function run(build, log) {
  const started = Date.now();
  const [command, ...args] = build.command;
  execFileSync(command, args, { cwd: root, stdio: 'inherit' });
  if (!existsSync(path.join(root, build.output))) throw new Error(`build ${build.name} finished without writing ${build.output}`);
  mkdirSync(path.dirname(stampOf(build)), { recursive: true });
  writeFileSync(stampOf(build), `${new Date().toISOString()}\n`);
  log(`built ${build.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Runs the stale builds among `names` (every build when omitted); `all` rebuilds them regardless. */
export function buildIfStale(names, { all = false, log = console.log } = {}) {
  if (!existsSync(path.join(root, 'tsconfig.build.json'))) {
    // A deployment zip ships dist/ without sources or compiler: run what was built.
    log('no sources here; starting dist/ as shipped');
    return [];
  }
  const unknown = (names ?? []).filter((n) => !BUILDS.some((b) => b.name === n));
  if (unknown.length > 0) throw new Error(`no such build: ${unknown.join(', ')} (builds: ${BUILDS.map((b) => b.name).join(', ')})`);
  const chosen = names && names.length > 0 ? BUILDS.filter((b) => names.includes(b.name)) : BUILDS;
  const stale = chosen.filter((b) => all || !isCurrent(b));
  if (stale.length === 0) log('dist/ is up to date; not rebuilding');
  for (const build of stale) run(build, log);
  return stale.map((b) => b.name);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  buildIfStale(args.filter((a) => !a.startsWith('--')), { all: args.includes('--all') });
}
