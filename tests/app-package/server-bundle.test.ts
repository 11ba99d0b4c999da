import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { ALIASES, DEFERRED_REQUIRES, LAUNCHER, MALLOC_TRIM_THRESHOLD, deferRequire } from '../../scripts/bundle-server.mjs';

const teamsAiLib = path.resolve(import.meta.dirname, '..', '..', 'node_modules', '@microsoft', 'teams-ai', 'lib');

/** Runs CommonJS source with a require that counts what it loads. */
function runCommonJs(source: string, modules: Record<string, unknown>) {
  const loaded: string[] = [];
  const exports: Record<string, unknown> = {};
  const require = (name: string): unknown => {
    loaded.push(name);
    if (!(name in modules)) throw new Error(`no module ${name}`);
    return modules[name];
  };
  runInNewContext(source, { require, exports, Proxy });
  return { exports, loaded };
}

describe('the server bundle defers teams-ai requires this app never uses', () => {
  const source = [
    'const botbuilder_1 = require("botbuilder");',
    'const AI_1 = require("./AI");',
    'exports.plain = () => botbuilder_1.name;',
    'exports.make = () => new AI_1.AI();',
    'exports.has = () => "AI" in AI_1;',
  ].join('\n');
  class AI {
    made = true;
  }
  const modules = { botbuilder: { name: 'bb' }, './AI': { AI } };

  it('loads a deferred module only when something reads it, once, with the same exports', () => {
    const deferred = deferRequire(source, 'const AI_1 = require("./AI");');
    const { exports, loaded } = runCommonJs(deferred, modules);
    expect(loaded).toEqual(['botbuilder']);
    expect((exports.plain as () => string)()).toBe('bb');
    expect(loaded).toEqual(['botbuilder']);
    expect((exports.make as () => AI)()).toBeInstanceOf(AI);
    expect((exports.has as () => boolean)()).toBe(true);
    expect((exports.make as () => AI)().made).toBe(true);
    expect(loaded).toEqual(['botbuilder', './AI']);
  });

  it('refuses a statement that is missing or there twice, so a changed teams-ai fails the build', () => {
    expect(() => deferRequire(source, 'const Gone_1 = require("./Gone");')).toThrow(/found it 0 times/);
    expect(() => deferRequire(`${source}\nconst AI_1 = require("./AI");`, 'const AI_1 = require("./AI");')).toThrow(/found it 2 times/);
    expect(() => deferRequire(source, 'exports.plain = 1;')).toThrow(/not a require statement/);
  });

  it('finds every deferred require exactly once in the installed teams-ai', () => {
    expect(DEFERRED_REQUIRES.length).toBeGreaterThan(0);
    for (const [file, statement] of DEFERRED_REQUIRES) {
      const original = readFileSync(path.join(teamsAiLib, file), 'utf8');
      expect(deferRequire(original, statement)).not.toContain(statement);
    }
  });
});

describe('the launcher (dist/index.js) turns on the compile cache before it loads the bundle', () => {
  /** Runs LAUNCHER beside a stand-in bundle.js that reports where the compile cache is, if anywhere. */
  function launch(env: Record<string, string>): string {
    const dir = mkdtempSync(path.join(tmpdir(), 'devhub-launcher-'));
    try {
      writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
      writeFileSync(path.join(dir, 'index.js'), LAUNCHER);
      writeFileSync(path.join(dir, 'bundle.js'), "import { getCompileCacheDir } from 'node:module'; console.log(`bundle ran; cache: ${getCompileCacheDir() ?? 'off'}`);");
      const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NODE_')));
      return execFileSync(process.execPath, ['index.js'], { cwd: dir, env: { ...clean, ...env }, encoding: 'utf8' }).trim();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('loads the bundle with the cache on, in a folder under the system temp folder; NODE_DISABLE_COMPILE_CACHE turns it off', () => {
    const tmp = mkdtempSync(path.join(tmpdir(), 'devhub-tmp-'));
    try {
      expect(launch({ TMPDIR: tmp })).toContain(`cache: ${path.join(tmp, 'node-compile-cache')}`);
      expect(launch({ TMPDIR: tmp, NODE_DISABLE_COMPILE_CACHE: '1' })).toBe('bundle ran; cache: off');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe("the launcher starts the app with glibc's malloc giving freed memory back", () => {
  /** LAUNCHER beside a stand-in bundle that reports what it was started with; a preload counts each boot of node. */
  function launch(env: Record<string, string>) {
    const dir = mkdtempSync(path.join(tmpdir(), 'devhub-launcher-malloc-'));
    try {
      writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
      writeFileSync(path.join(dir, 'index.js'), LAUNCHER);
      writeFileSync(path.join(dir, 'boot.mjs'), "import { appendFileSync } from 'node:fs'; appendFileSync(new URL('./boots', import.meta.url), 'boot\\n');");
      writeFileSync(
        path.join(dir, 'bundle.js'),
        'console.log(JSON.stringify({ trim: process.env.MALLOC_TRIM_THRESHOLD_, pid: process.pid, execArgv: process.execArgv, args: process.argv.slice(2) }));',
      );
      const clean = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('NODE_') && !key.startsWith('MALLOC_')));
      const run = spawnSync(process.execPath, ['--import', './boot.mjs', 'index.js', '--port-hint', '1'], { cwd: dir, env: { ...clean, NODE_DISABLE_COMPILE_CACHE: '1', ...env }, encoding: 'utf8' });
      const report = JSON.parse(run.stdout.trim()) as { trim?: string; pid: number; execArgv: string[]; args: string[] };
      return { report, childPid: run.pid, boots: readFileSync(path.join(dir, 'boots'), 'utf8').trim().split('\n').length, stderr: run.stderr };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it.runIf(process.platform === 'linux' && Boolean((process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header?.glibcVersionRuntime))(
    'sets a fixed trim threshold by starting once more in the same process, keeping its options and arguments; a threshold already set is kept, with no second start',
    () => {
      const fresh = launch({});
      expect(fresh.report.trim).toBe(MALLOC_TRIM_THRESHOLD);
      expect(fresh.report.pid).toBe(fresh.childPid);
      expect(fresh.report.execArgv).toEqual(['--import', './boot.mjs']);
      expect(fresh.report.args).toEqual(['--port-hint', '1']);
      expect(fresh.boots).toBe(2);
      expect(fresh.stderr).toBe('');

      const preset = launch({ MALLOC_TRIM_THRESHOLD_: '262144' });
      expect(preset.report.trim).toBe('262144');
      expect(preset.boots).toBe(1);
    },
  );

  it('is set by the Azure deployment, so App Service starts the app once', () => {
    const bicep = readFileSync(path.resolve(import.meta.dirname, '..', '..', 'infra', 'azure.bicep'), 'utf8');
    expect(bicep).toContain(`{ name: 'MALLOC_TRIM_THRESHOLD_', value: '${MALLOC_TRIM_THRESHOLD}' }`);
  });
});

describe('npm start runs the staleness check and then the app, in one process', () => {
  const root = path.resolve(import.meta.dirname, '..', '..');

  it('is scripts/start.mjs, with no prestart hook to start a second node', () => {
    const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['start']).toBe('node scripts/start.mjs');
    expect(scripts['prestart']).toBeUndefined();
  });

  it('checks first, then imports dist/index.js in its own process; a failed check starts nothing', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'devhub-start-'));
    try {
      // The real start script beside a stand-in check and a stand-in app that report what ran, where.
      for (const sub of ['scripts', 'dist']) mkdirSync(path.join(dir, sub));
      writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
      writeFileSync(path.join(dir, 'scripts', 'start.mjs'), readFileSync(path.join(root, 'scripts', 'start.mjs')));
      writeFileSync(path.join(dir, 'scripts', 'build-if-stale.mjs'), "export function buildIfStale() { if (process.env.FAIL_CHECK) throw new Error('tsc failed'); console.log(`check in ${process.pid}`); }");
      writeFileSync(path.join(dir, 'dist', 'index.js'), 'console.log(`app in ${process.pid}`);');
      const run = (env: Record<string, string>) => {
        try {
          return { out: execFileSync(process.execPath, ['scripts/start.mjs'], { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), failed: false };
        } catch (error) {
          return { out: (error as { stdout?: string }).stdout ?? '', failed: true };
        }
      };
      const ok = run({});
      const [check, app] = ok.out.trim().split('\n');
      expect(ok.failed).toBe(false);
      expect(check).toMatch(/^check in \d+$/);
      expect(app).toBe(`app in ${check?.split(' ').pop() ?? '?'}`);
      const broken = run({ FAIL_CHECK: '1' });
      expect(broken.failed).toBe(true);
      expect(broken.out).not.toContain('app in');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the bundle takes punycode from npm, not Node's deprecated built-in", () => {
  it('bundles the npm package where CommonJS code requires "punycode", and it converts as the built-in did', async () => {
    const bundled = await build({
      stdin: { contents: "const punycode = require('punycode'); console.log(punycode.toASCII('münchen.example'), punycode.toUnicode('xn--mnchen-3ya.example'));", resolveDir: path.resolve(import.meta.dirname, '..', '..'), loader: 'js' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      alias: ALIASES,
      logLevel: 'silent',
    });
    const code = bundled.outputFiles[0]?.text ?? '';
    expect(code).not.toMatch(/require\(["']punycode["']\)/);
    const printed: string[] = [];
    runInNewContext(code, { require: () => { throw new Error('nothing is left to require'); }, module: {}, console: { log: (...a: string[]) => printed.push(a.join(' ')) } });
    expect(printed).toEqual(['xn--mnchen-3ya.example münchen.example']);
  });
});
