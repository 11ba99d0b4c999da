import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/shared/project-root.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('projectRoot', () => {
  it('is the folder with this project’s package.json, from any depth below it', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'devhub-root-'));
    dirs.push(root);
    writeFileSync(path.join(root, 'package.json'), JSON.stringify({ name: 'development-hub' }));
    // Another package's manifest on the way up (a node_modules copy, a nested tool) is passed over.
    mkdirSync(path.join(root, 'dist', 'features', 'cpd'), { recursive: true });
    writeFileSync(path.join(root, 'dist', 'package.json'), JSON.stringify({ name: 'something-else' }));
    for (const file of ['dist/index.js', 'dist/features/cpd/catalogue.js', 'src/db/x.ts']) {
      expect(projectRoot(pathToFileURL(path.join(root, file)).href)).toBe(root);
    }
  });

  it('says so when there is none', () => {
    const lonely = mkdtempSync(path.join(tmpdir(), 'devhub-noroot-'));
    dirs.push(lonely);
    expect(() => projectRoot(pathToFileURL(path.join(lonely, 'a.js')).href)).toThrow(/no development-hub package.json/);
  });

  it('finds this checkout from its own sources', () => {
    expect(projectRoot(import.meta.url)).toBe(path.resolve(import.meta.dirname, '..', '..'));
  });
});
