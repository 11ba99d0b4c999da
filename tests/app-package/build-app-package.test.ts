import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppManifestUtils, type TeamsManifest, type TeamsManifestV1D29 } from '@microsoft/app-manifest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildAppPackage,
  fillPlaceholders,
  findPlaceholders,
  parseEnvFile,
  readEnvironment,
  readPngSize,
} from '../../src/cli/build-app-package.js';
import { decodePng, readZipEntries } from './zip-and-png.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const appPackageDir = path.join(root, 'appPackage');

const TEAMS_APP_ID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';
const BOT_ID = '0b7c6a52-6d1e-4f3a-9a55-8a9d2c4e7f10';
const AAD_APP_CLIENT_ID = 'c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f';
const DOMAIN = 'devhubht7k2q.azurewebsites.net';

/** A plausible environment, as `teamsapp provision --env test` would leave it. */
const testEnv = `# written by a test
TEAMSFX_ENV=test
APP_NAME_SUFFIX=" (test)"
DEVELOPER_NAME="The Harmony Trust"
TEAMS_APP_ID=${TEAMS_APP_ID}
BOT_ID=00000000-0000-0000-0000-000000000000
BOT_DOMAIN=${DOMAIN}
TAB_DOMAIN=${DOMAIN}
TAB_ENDPOINT=https://${DOMAIN}
AAD_APP_CLIENT_ID=${AAD_APP_CLIENT_ID}
URL_SHAREPOINT_HOST=contoso.sharepoint.com
`;
// The .user file wins: its BOT_ID replaces the placeholder GUID above.
const testUserEnv = `SECRET_AAD_APP_CLIENT_SECRET=not-used-by-the-manifest\nBOT_ID=${BOT_ID}\n`;

let work: string;
let envDir: string;

function writeEnv(name: string, text: string, user?: string): void {
  writeFileSync(path.join(envDir, `.env.${name}`), text);
  if (user !== undefined) writeFileSync(path.join(envDir, `.env.${name}.user`), user);
}

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'devhub-app-package-'));
  envDir = path.join(work, 'env');
  mkdirSync(envDir);
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('environment files', () => {
  it('parses comments, quotes, export and inline comments like dotenv', () => {
    const vars = parseEnvFile(
      [
        '# a comment',
        '',
        'PLAIN=value',
        'SPACED = spaced value  # trailing comment',
        'QUOTED=" (dev)"',
        "SINGLE='it''s'",
        'export EXPORTED=yes',
        'EMPTY=',
        'URL=https://example.org/a#fragment',
      ].join('\n'),
    );
    expect(vars).toEqual({
      PLAIN: 'value',
      SPACED: 'spaced value',
      QUOTED: ' (dev)',
      SINGLE: 'it',
      EXPORTED: 'yes',
      EMPTY: '',
      URL: 'https://example.org/a#fragment',
    });
  });

  it('names the file and line of a line that is not KEY=value', () => {
    expect(() => parseEnvFile('GOOD=1\nthis is not a variable\n', 'env/.env.broken')).toThrow(
      /env\/\.env\.broken line 2 is not KEY=value/,
    );
  });

  it('lets the .user file win over the committed file', async () => {
    writeEnv('wins', 'A=committed\nB=committed\n', 'B=from-user\nSECRET_C=secret\n');
    await expect(readEnvironment(envDir, 'wins')).resolves.toEqual({ A: 'committed', B: 'from-user', SECRET_C: 'secret' });
  });

  it('works without a .user file and refuses an environment that does not exist', async () => {
    writeEnv('nouser', 'A=1\n');
    await expect(readEnvironment(envDir, 'nouser')).resolves.toEqual({ A: '1' });
    await expect(readEnvironment(envDir, 'nowhere')).rejects.toThrow(/There is no environment file .*\.env\.nowhere/);
    await expect(readEnvironment(envDir, '../escape')).rejects.toThrow(/is not an environment name/);
  });
});

describe('placeholders', () => {
  it('fills ${{VAR}} inside nested strings and leaves other values alone', () => {
    const filled = fillPlaceholders(
      { a: 'api://${{HOST}}/${{ ID }}', list: ['${{HOST}}', 3, true, null], nested: { b: 'x${{SUFFIX}}' } },
      { HOST: 'h.example', ID: 'abc', SUFFIX: '' },
      ['SUFFIX'],
    );
    expect(filled).toEqual({ a: 'api://h.example/abc', list: ['h.example', 3, true, null], nested: { b: 'x' } });
    // Only variables that may be empty (a production build has no APP_NAME_SUFFIX) may be empty.
    expect(fillPlaceholders({ name: 'Hub${{APP_NAME_SUFFIX}}' }, { APP_NAME_SUFFIX: '' })).toEqual({ name: 'Hub' });
    expect(() => fillPlaceholders({ b: 'x${{SUFFIX}}' }, { SUFFIX: '' })).toThrow('Missing value for SUFFIX');
    expect(findPlaceholders('${{A}} ${{B}} ${{A}}')).toEqual(['A', 'B']);
  });

  it('names every missing or empty variable in one error', () => {
    expect(() => fillPlaceholders({ id: '${{TEAMS_APP_ID}}', bot: '${{BOT_ID}}', ok: '${{HOST}}' }, { HOST: 'h', BOT_ID: '' })).toThrow(
      'Missing values for BOT_ID, TEAMS_APP_ID',
    );
  });

  it('keeps a value with quotes in it from breaking the JSON', () => {
    const filled = fillPlaceholders({ name: '${{NAME}}' }, { NAME: 'St "Mary\'s" Trust' });
    expect(JSON.parse(JSON.stringify(filled))).toEqual({ name: 'St "Mary\'s" Trust' });
  });
});

// The shape of the manifest version appPackage/manifest.json uses; change with manifestVersion.
type Manifest = TeamsManifestV1D29.TeamsManifestV1D29;

describe('the built app package', () => {
  let manifest: Manifest;
  let manifestText: string;
  let zip: Buffer;

  beforeAll(async () => {
    writeEnv('test', testEnv, testUserEnv);
    const built = await buildAppPackage({ envName: 'test', envDir, appPackageDir, outDir: path.join(work, 'build') });
    expect(built.manifestPath).toBe(path.join(work, 'build', 'manifest.test.json'));
    expect(built.zipPath).toBe(path.join(work, 'build', 'appPackage.test.zip'));
    manifestText = readFileSync(built.manifestPath, 'utf8');
    manifest = JSON.parse(manifestText) as Manifest;
    zip = readFileSync(built.zipPath);
  });

  it('validates against the official Teams schema with zero errors', async () => {
    expect(manifestText).not.toContain('${{');
    expect(await AppManifestUtils.validateAgainstSchema(manifest)).toEqual([]);
  });

  it('uses a current manifest version (>= 1.17) whose $schema is the Teams URL for that version', () => {
    const [major, minor] = manifest.manifestVersion.split('.').map(Number);
    expect(major).toBe(1);
    expect(minor).toBeGreaterThanOrEqual(17);
    expect(manifest.$schema).toBe(
      `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`,
    );
  });

  it('fills the ids, endpoints and SSO resource from the environment', () => {
    expect(manifest.id).toBe(TEAMS_APP_ID);
    expect(manifest.name.short).toBe('Development Hub (test)');
    expect(manifest.bots?.[0]?.botId).toBe(BOT_ID);
    expect(manifest.bots?.[0]?.scopes).toEqual(['personal', 'team', 'groupChat']);
    expect(manifest.composeExtensions?.[0]?.botId).toBe(BOT_ID);
    expect(manifest.webApplicationInfo).toEqual({ id: AAD_APP_CLIENT_ID, resource: `api://${DOMAIN}/${AAD_APP_CLIENT_ID}` });
    expect(manifest.configurableTabs?.[0]?.configurationUrl).toBe(`https://${DOMAIN}/tab/config.html`);
    // The Director of Education's view of every academy's commissions; deep links from cards open it by entityId.
    const personal = manifest.staticTabs?.find((tab) => tab.name === 'Commissions');
    expect(personal?.contentUrl).toBe(`https://${DOMAIN}/tab/index.html`);
    expect(manifest.staticTabs?.map((tab) => tab.entityId)).toEqual(['conversations', 'commissions', 'about']);
    // Bot and tabs share one host here, so the domain is listed once.
    expect(manifest.validDomains).toEqual([DOMAIN]);
    expect(manifest.permissions).toEqual(['identity', 'messageTeamMembers']);
  });

  it('offers the URL and CPD searches as bot-based message extension commands, and unfurls links to the URL\'s SharePoint host', () => {
    const commands = manifest.composeExtensions?.[0]?.commands ?? [];
    expect(commands.map((c) => c.id)).toEqual(['searchResources', 'searchCourses']);
    expect(commands[0]).toMatchObject({ id: 'searchResources', type: 'query', title: 'Search the URL', initialRun: true });
    expect(commands[1]).toMatchObject({ id: 'searchCourses', type: 'query', title: 'Find CPD', initialRun: true });
    // src/teams/app.ts reads the parameter named "query" for every command.
    for (const command of commands) expect(command.parameters?.map((p) => p.name)).toEqual(['query']);
    expect(manifest.composeExtensions?.[0]?.messageHandlers).toEqual([{ type: 'link', value: { domains: ['contoso.sharepoint.com'] } }]);
  });

  it('keeps within the Teams limits the schema does not check', () => {
    // Microsoft Learn, bot command lists: title at most 32 characters, description at most 128.
    const lists = manifest.bots?.[0]?.commandLists ?? [];
    expect(lists.map((list) => list.scopes)).toEqual([['personal'], ['team', 'groupChat']]);
    for (const list of lists) {
      expect(list.commands.length).toBeLessThanOrEqual(10);
      for (const command of list.commands) {
        expect(command.title.length, command.title).toBeLessThanOrEqual(32);
        expect(command.description?.length ?? 0, command.title).toBeLessThanOrEqual(128);
      }
    }
    const personalTitles = lists[0]?.commands.map((c) => c.title);
    expect(personalTitles).toEqual(['help', 'find CPD', 'my bookings', 'networks', 'resources', 'request inclusion visit']);
  });

  it('zips exactly manifest.json and the two icons at the root, with Teams icon sizes', () => {
    const entries = readZipEntries(zip);
    expect([...entries.keys()].sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    expect(JSON.parse(entries.get('manifest.json')!.toString('utf8'))).toEqual(manifest);
    expect(readPngSize(entries.get('color.png')!)).toEqual({ width: 192, height: 192 });
    expect(readPngSize(entries.get('outline.png')!)).toEqual({ width: 32, height: 32 });
  });

  it('ships an outline icon that is white on transparent and a colour icon that is opaque', () => {
    const entries = readZipEntries(zip);
    const outline = decodePng(entries.get('outline.png')!);
    let drawn = 0;
    let transparent = 0;
    for (let i = 0; i < outline.pixels.length; i += 4) {
      const [r, g, b, a] = outline.pixels.subarray(i, i + 4);
      if (a === 0) transparent += 1;
      else {
        drawn += 1;
        expect([r, g, b]).toEqual([255, 255, 255]);
      }
    }
    expect(drawn).toBeGreaterThan(100);
    expect(transparent).toBeGreaterThan(100);
    const color = decodePng(entries.get('color.png')!);
    for (let i = 3; i < color.pixels.length; i += 4) expect(color.pixels[i]).toBe(255);
  });

  it('is reproducible: the same inputs give the same zip bytes', async () => {
    const again = await buildAppPackage({ envName: 'test', envDir, appPackageDir, outDir: path.join(work, 'again') });
    expect(readFileSync(again.zipPath).equals(zip)).toBe(true);
  });
});

describe('a package that cannot be built', () => {
  it('fails with a message naming the missing variable', async () => {
    writeEnv('nobot', testEnv.replace(/^BOT_ID=.*$/m, ''), '');
    await expect(
      buildAppPackage({ envName: 'nobot', envDir, appPackageDir, outDir: path.join(work, 'nobot') }),
    ).rejects.toThrow(/Missing value for BOT_ID\b/);
  });

  it('reports a broken manifest (an invalid bot id) through the schema validator', async () => {
    writeEnv('badbot', testEnv.replace(/^BOT_ID=.*$/m, 'BOT_ID=not-a-guid'), '');
    await expect(
      buildAppPackage({ envName: 'badbot', envDir, appPackageDir, outDir: path.join(work, 'badbot') }),
    ).rejects.toThrow(/not valid:[\s\S]*\/bots\/0\/botId must match pattern/);

    const template = JSON.parse(readFileSync(path.join(appPackageDir, 'manifest.json'), 'utf8')) as TeamsManifest;
    const broken = fillPlaceholders(template, { ...parseEnvFile(testEnv), BOT_ID: 'not-a-guid' });
    const errors = await AppManifestUtils.validateAgainstSchema(broken);
    expect(errors.some((error) => error.startsWith('/bots/0/botId'))).toBe(true);
    expect(errors.some((error) => error.startsWith('/composeExtensions/0/botId'))).toBe(true);
  });

  it('refuses an icon of the wrong size', async () => {
    const fakeAppPackage = path.join(work, 'fake-app-package');
    mkdirSync(fakeAppPackage);
    writeFileSync(path.join(fakeAppPackage, 'manifest.json'), readFileSync(path.join(appPackageDir, 'manifest.json')));
    // The outline icon where the colour icon belongs: right format, wrong size.
    writeFileSync(path.join(fakeAppPackage, 'color.png'), readFileSync(path.join(appPackageDir, 'outline.png')));
    writeFileSync(path.join(fakeAppPackage, 'outline.png'), readFileSync(path.join(appPackageDir, 'outline.png')));
    await expect(
      buildAppPackage({ envName: 'test', envDir, appPackageDir: fakeAppPackage, outDir: path.join(work, 'fake') }),
    ).rejects.toThrow(/color icon .* is 32x32; Teams needs 192x192/);
  });
});
