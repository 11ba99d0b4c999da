import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const guide = readFileSync(path.join(root, 'docs/platform-migration.md'), 'utf8');
const SDK_IMPORT = /import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'(botbuilder|botframework-connector|@microsoft\/teams-ai)(?:\/lib\/[A-Za-z]+\.js)?'/g;

/** Every botbuilder / botframework-connector / teams-ai symbol each file of src/teams/ imports, read from its source. */
function sdkImports(): Map<string, Set<string>> {
  const byFile = new Map<string, Set<string>>();
  const dir = path.join(root, 'src/teams');
  for (const name of readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(path.join(dir, name), 'utf8');
    for (const match of source.matchAll(SDK_IMPORT)) {
      const symbols = (match[1] ?? '')
        .split(',')
        .map((s) => s.replace(/^\s*type\s+/, '').split(/\s+as\s+/)[0]?.trim() ?? '')
        .filter(Boolean);
      const file = `src/teams/${name}`;
      byFile.set(file, new Set([...(byFile.get(file) ?? []), ...symbols]));
    }
  }
  return byFile;
}

describe('docs/platform-migration.md', () => {
  const imports = sdkImports();

  it('finds the SDK imports it checks (the parser still reads the code)', () => {
    expect(imports.size).toBeGreaterThan(0);
    expect([...imports.values()].some((s) => s.has('TurnContext'))).toBe(true);
  });

  it('has a section for every file in src/teams/ that imports botbuilder, botframework-connector or teams-ai', () => {
    const missing = [...imports.keys()].filter((file) => !guide.includes(`### \`${file}\``));
    expect(missing).toEqual([]);
  });

  it('names every imported symbol in the section of the file that imports it', () => {
    const missing: string[] = [];
    for (const [file, symbols] of imports) {
      const start = guide.indexOf(`### \`${file}\``);
      const next = guide.indexOf('\n#', start + 1);
      const section = guide.slice(start, next === -1 ? undefined : next);
      for (const symbol of symbols) if (!section.includes(`\`${symbol}`)) missing.push(`${file}: ${symbol}`);
    }
    expect(missing).toEqual([]);
  });
});
