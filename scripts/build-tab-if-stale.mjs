// Builds the tab (Vite → dist/tab/) when it is missing or older than what it is built from: everything
// under src/tab/ (pages, React code, public files, vite.config.ts) and the lock file (React, Fluent UI
// and TeamsJS versions). `npm run dev` and the test setup call it, so a fresh clone or an edited tab
// never serves an old build; `npm run build` always rebuilds.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(root, 'dist', 'tab', 'index.html');

function newestIn(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(full) : statSync(full).mtimeMs);
  }
  return newest;
}

export function tabIsStale() {
  if (!existsSync(path.join(root, 'src', 'tab'))) return false; // a deployment zip: dist/tab as shipped
  if (!existsSync(built)) return true;
  const sources = Math.max(newestIn(path.join(root, 'src', 'tab')), statSync(path.join(root, 'package-lock.json')).mtimeMs);
  return statSync(built).mtimeMs < sources;
}

export function buildTabIfStale(log = console.log) {
  if (!tabIsStale()) return false;
  log('building the tab (vite → dist/tab)');
  execFileSync(path.join(root, 'node_modules', '.bin', 'vite'), ['build', '--config', 'src/tab/vite.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) buildTabIfStale();
