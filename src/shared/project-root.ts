import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'development-hub';

/**
 * The project's root folder (the one holding its package.json), found by walking up from the
 * calling module. A fixed number of `..` would break when the module moves: the same source runs
 * from src/ under tsx, from dist/ as tsc wrote it, and bundled into dist/bundle.js.
 */
export function projectRoot(moduleUrl: string): string {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no ${PACKAGE_NAME} package.json above ${fileURLToPath(moduleUrl)}`);
    dir = parent;
  }
}
