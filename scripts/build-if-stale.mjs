// npm start's prestart: compile only when dist/ is missing or older than a source file, so a
// deployed build (App Service runs `npm start` on an already built zip) starts without running tsc.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

const root = path.resolve(import.meta.dirname, '..');
const built = path.join(root, 'dist', 'index.js');

function newestIn(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(full) : statSync(full).mtimeMs);
  }
  return newest;
}

if (!existsSync(path.join(root, 'tsconfig.build.json'))) {
  // A deployment zip ships dist/ without sources or compiler: run what was built.
  console.log('no sources here; starting dist/ as shipped');
  process.exit(0);
}
const sources = Math.max(newestIn(path.join(root, 'src')), statSync(path.join(root, 'tsconfig.build.json')).mtimeMs);
if (existsSync(built) && statSync(built).mtimeMs >= sources) {
  console.log('dist/ is up to date; not rebuilding');
} else {
  console.log('building dist/ (tsc)');
  execFileSync(path.join(root, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
