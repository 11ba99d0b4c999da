// npm start's prestart, and `npm run build` (with --all): runs each build below only when its output is
// missing or one of its inputs changed since that build last succeeded, so `npm start` on a current
// dist/ starts at once. A build's stamp (dist/.build-stamps/<name>) is written after its command
// succeeds: tsc's incremental mode leaves unchanged outputs untouched, so the mtime of dist/index.js
// says nothing about whether dist/ is current (that made every start run tsc).
//
// One line per build. `inputs` are files or folders (every file and folder under them counts, so a
// deleted file counts too); `skip` leaves out parts of an input; `output` must exist after the build.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

export const BUILDS = [
  { name: 'server', inputs: ['src', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'], skip: ['src/tab'], output: 'dist/index.js', command: [bin('tsc'), '-p', 'tsconfig.build.json'] },
  { name: 'pglite-template', inputs: ['scripts/make-pglite-template.mjs', 'node_modules/@electric-sql/pglite/package.json'], output: 'dist/pglite-template/PG_VERSION', command: [process.execPath, 'scripts/make-pglite-template.mjs'] },
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

function run(build) {
  const started = Date.now();
  const [command, ...args] = build.command;
  execFileSync(command, args, { cwd: root, stdio: 'inherit' });
  if (!existsSync(path.join(root, build.output))) throw new Error(`build ${build.name} finished without writing ${build.output}`);
  mkdirSync(path.dirname(stampOf(build)), { recursive: true });
  writeFileSync(stampOf(build), `${new Date().toISOString()}\n`);
  console.log(`built ${build.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (!existsSync(path.join(root, 'tsconfig.build.json'))) {
  // A deployment zip ships dist/ without sources or compiler: run what was built.
  console.log('no sources here; starting dist/ as shipped');
  process.exit(0);
}
const all = process.argv.includes('--all');
const stale = BUILDS.filter((b) => all || !isCurrent(b));
if (stale.length === 0) console.log('dist/ is up to date; not rebuilding');
for (const build of stale) run(build);
