// Bundles the server (src/index.ts and everything it imports, packages included) into dist/bundle.js,
// and writes dist/index.js over the file tsc wrote there: a three-line launcher that turns on Node's
// compile cache and then imports the bundle (LAUNCHER below says why). Why one file: `npm start` to a
// first answer was ~3 s of module loading alone — Node resolving, reading and compiling some 2,000
// files (botbuilder, teams-ai, adaptive-expressions, @azure/identity …) one by one; one file cuts that
// by about a third. tsc still writes every other file of dist/ (bench/support and tests import
// dist/app.js and dist/config.js), and its output is what runs under tsx in `npm run dev`; only what
// production starts is the bundle.
//
// Left outside the bundle: PGlite (its WASM, data and extension files sit beside its code and are
// found through import.meta.url), pino (its transports start worker threads by file path),
// restify's optional native dtrace-provider and botbuilder-dialogs (see `external` below). A linked
// source map keeps stack traces readable (`node --enable-source-maps dist/index.js`).
//
// Deferred requires: teams-ai's Application loads its AI planner module and its OAuth / SSO
// sign-in stack (botbuilder-dialogs with the Recognizers-Text number and date parsers, MSAL) at
// require time, though this app passes neither `ai` nor `authentication` (Teams SSO is
// src/teams/sso.ts). Those requires become getters here, so the modules load only if something
// reads them. Each rewrite names the exact text it replaces and the build fails when a teams-ai
// upgrade changes it, rather than silently loading everything again.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..');

/** [file inside node_modules/@microsoft/teams-ai/lib, the require statement to defer]. */
export const DEFERRED_REQUIRES = [
  ['Application.js', 'const AI_1 = require("./AI");'],
  ['Application.js', 'const Authentication_1 = require("./authentication/Authentication");'],
  // Application calls userInSignInFlow() on every turn; that helper only reads turn state, but its
  // file requires botbuilder-dialogs and the Authentication manager at the top.
  ['authentication/BotAuthenticationBase.js', 'const botbuilder_dialogs_1 = require("botbuilder-dialogs");'],
  ['authentication/BotAuthenticationBase.js', 'const Authentication_1 = require("./Authentication");'],
];

/** `const X = require("m");` → X is an object whose every property read loads "m" first. */
export function deferRequire(source, statement) {
  const match = /^const (\w+) = (require\("[^"]+"\));$/.exec(statement);
  if (!match) throw new Error(`not a require statement: ${statement}`);
  const [, name, call] = match;
  const deferred = `let ${name}__loaded; const ${name}__load = () => (${name}__loaded ??= ${call}); const ${name} = new Proxy({}, { get: (_, key) => ${name}__load()[key], has: (_, key) => key in ${name}__load() });`;
  const parts = source.split(statement);
  if (parts.length !== 2) throw new Error(`expected "${statement}" once, found it ${parts.length - 1} times`);
  return parts.join(deferred);
}

const teamsAiLib = path.join(root, 'node_modules', '@microsoft', 'teams-ai', 'lib');

const deferredRequires = {
  name: 'deferred-requires',
  setup(b) {
    const byFile = new Map();
    for (const [file, statement] of DEFERRED_REQUIRES) {
      const full = path.join(teamsAiLib, file);
      byFile.set(full, [...(byFile.get(full) ?? []), statement]);
    }
    b.onLoad({ filter: /teams-ai[\\/]lib[\\/].*\.js$/ }, async (args) => {
      const statements = byFile.get(args.path);
      if (!statements) return undefined;
      let contents = await readFile(args.path, 'utf8');
      for (const statement of statements) contents = deferRequire(contents, statement);
      return { contents, loader: 'js', resolveDir: path.dirname(args.path) };
    });
  },
};

/**
 * glibc's malloc keeps what V8's threads free (compiler and GC zones, PGlite's WASM compilation) unless
 * its trim threshold is fixed: by default the threshold rises with every large block freed, up to 64 MB,
 * so the freed memory stays in the process. Measured on a reused PGlite folder, `npm start` then idle
 * 3 s, five starts each: 303–334 MB resident without, 237–243 MB with MALLOC_TRIM_THRESHOLD_=131072
 * (glibc's own default, fixed). malloc reads it once, at process start, so the launcher re-executes
 * itself with it set (process.execve keeps the pid, stdio and arguments) unless it is set already
 * (infra/azure.bicep sets it, so App Service starts once). Not on other C libraries or platforms.
 */
export const MALLOC_TRIM_THRESHOLD = '131072';

/**
 * dist/index.js, the entry point `npm start` and App Service run. Compiling the bundle (13 MB) was
 * 0.3–0.5 s of every start, and ~15 MB of the idle process (V8's parser and compiler zones).
 * Node's compile cache (module.enableCompileCache, Node ≥ 22.1) keeps V8's compiled code on disk, keyed
 * by the file's contents and the V8 version, so a restart reuses it and a new build compiles afresh. It
 * must be on before the bundle is loaded, hence a launcher: the cache goes where NODE_COMPILE_CACHE says,
 * else os.tmpdir()/node-compile-cache (writable on App Service, where wwwroot is the read-only package);
 * NODE_DISABLE_COMPILE_CACHE=1 turns it off. If the folder cannot be written, Node carries on without it.
 * Before that, the launcher fixes malloc's trim threshold (MALLOC_TRIM_THRESHOLD above).
 */
export const LAUNCHER = [
  '// Written by scripts/bundle-server.mjs: on glibc, start again with malloc returning freed memory',
  "// (MALLOC_TRIM_THRESHOLD there says why), then turn on Node's compile cache and load the one-file server.",
  "import { enableCompileCache } from 'node:module';",
  "import { accessSync, constants } from 'node:fs';",
  "import { fileURLToPath } from 'node:url';",
  'const canRun = (file) => { try { accessSync(file, constants.X_OK); return true; } catch { return false; } };',
  "// A failed execve aborts the process (it cannot be caught), so the node binary is checked first: one gone or not executable is not run.",
  "if (process.platform === 'linux' && process.env.MALLOC_TRIM_THRESHOLD_ === undefined && typeof process.execve === 'function' && process.report.getReport().header.glibcVersionRuntime && canRun(process.execPath)) {",
  `  process.execve(process.execPath, [process.execPath, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { ...process.env, MALLOC_TRIM_THRESHOLD_: '${MALLOC_TRIM_THRESHOLD}' });`,
  '}',
  'enableCompileCache();',
  "await import('./bundle.js');",
  '',
].join('\n');

/**
 * tr46 and whatwg-url (under node-fetch) require('punycode'), which is Node's deprecated built-in and
 * printed a DEP0040 warning on every start; the trailing slash makes it the npm package of the same API.
 */
export const ALIASES = { punycode: 'punycode/' };

export async function bundleServer() {
  await build({
    absWorkingDir: root,
    entryPoints: ['src/index.ts'],
    outfile: 'dist/bundle.js',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    sourcemap: 'linked',
    // botbuilder-dialogs (with the Recognizers-Text parsers, 6 MB of a 19 MB bundle) is reached only
    // through the deferred teams-ai requires above, so it stays in node_modules and is read from there
    // if anything ever loads it, instead of being read and hashed on every start.
    external: ['@electric-sql/pglite', 'pino', 'dtrace-provider', 'botbuilder-dialogs'],
    alias: ALIASES,
    // Packages written as CommonJS call require() for Node's own modules.
    banner: { js: "import { createRequire as __devhubCreateRequire } from 'node:module'; const require = __devhubCreateRequire(import.meta.url);" },
    plugins: [deferredRequires],
    logLevel: 'warning',
  });
  await writeFile(path.join(root, 'dist', 'index.js'), LAUNCHER);
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) await bundleServer();
