/**
 * The tab pages as Teams would use them: served by the real HTTP server at /tab/*, loaded in
 * Debian's chromium inside a page that plays the Teams host. The host speaks TeamsJS's
 * postMessage protocol (requests {id, uuidAsString, func, args}, replies {id, uuidAsString, args},
 * host events {func, args}) from https://teams.microsoft.com, an origin TeamsJS trusts; both
 * origins are served through Playwright's request routing, so nothing leaves the machine.
 */
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import type { Server } from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createServer } from '../../src/server.js';
import { silentLogger } from '../../src/shared/logger.js';
import { openPgliteTestDb, type TestDb } from '../support/test-db.js';

const HOST = 'https://teams.microsoft.com';
const APP = 'https://devhub.example.net';

/** The Teams host: frames config.html, answers TeamsJS and records what the page asks for. */
const hostPage = (theme: string) => `<!doctype html>
<html><body>
<iframe id="tab" src="${APP}/tab/config.html" style="width:800px;height:600px"></iframe>
<script>
  window.hostLog = [];
  const frame = document.getElementById('tab');
  const reply = (request, args) =>
    frame.contentWindow.postMessage({ id: request.id, uuidAsString: request.uuidAsString, args }, '${APP}');
  window.addEventListener('message', (event) => {
    if (event.origin !== '${APP}' || typeof event.data !== 'object' || !event.data.func) return;
    const request = event.data;
    window.hostLog.push({ func: request.func, args: request.args });
    switch (request.func) {
      case 'initialize':
        // Classic Teams answers [frameContext, hostClientType, clientSupportedSDKVersion].
        reply(request, ['settings', 'web', '2.0.0']);
        break;
      case 'getContext':
        reply(request, [{ frameContext: 'settings', hostClientType: 'web', locale: 'en-gb', theme: '${theme}',
          teamId: '19:team@thread.tacv2', channelId: '19:channel@thread.tacv2', tid: 'tenant', userObjectId: 'user' }]);
        break;
      case 'settings.setSettings':
        reply(request, [true]);
        break;
    }
  });
  window.pressSave = () => frame.contentWindow.postMessage({ func: 'settings.save', args: [{}] }, '${APP}');
</script>
</body></html>`;

let testDb: TestDb;
let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  testDb = await openPgliteTestDb();
  // The same folder the app serves by default (config.tabDir).
  const { tabDir } = loadConfig({});
  server = createServer({ db: testDb.db, logger: silentLogger, tabDir, version: 'test', processActivity: async () => ({ kind: 'answered', status: 200, body: undefined }) });
  await new Promise<void>((resolve) => {
    server.listen(0, '127.0.0.1', resolve);
  });
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => {
    if (server) server.close(() => resolve());
    else resolve();
  });
  await testDb?.close();
});

async function teamsPage(theme = 'default'): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.origin === HOST) return route.fulfill({ contentType: 'text/html', body: hostPage(theme) });
    if (url.origin === APP) {
      // The app's origin, answered by the real server.
      const response = await fetch(`${base}${url.pathname}${url.search}`);
      return route.fulfill({
        status: response.status,
        contentType: response.headers.get('content-type') ?? undefined,
        body: Buffer.from(await response.arrayBuffer()),
      });
    }
    return route.abort(); // e.g. TeamsJS's CDN list of valid origins: it falls back to its built-in list
  });
  return { page, errors };
}

// The test's tsconfig has no DOM types, so code that runs in the page is passed as strings.
async function hostLog(page: Page): Promise<Array<{ func: string; args: unknown[] }>> {
  return page.evaluate<Array<{ func: string; args: unknown[] }>>('window.hostLog');
}

async function waitForHostCall(page: Page, func: string): Promise<unknown[]> {
  await page.waitForFunction(`window.hostLog.some((m) => m.func === ${JSON.stringify(func)})`, undefined, {
    timeout: 10_000,
  });
  return (await hostLog(page)).find((m) => m.func === func)!.args;
}

function tabFrame(page: Page): Frame {
  const frame = page.frames().find((f) => f.url().startsWith(`${APP}/tab/config.html`));
  if (!frame) throw new Error('config.html frame not found');
  return frame;
}

describe('the channel tab configuration page (config.html)', () => {
  it('marks itself valid and, on Save, points the tab at /tab/index.html?context=channel', async () => {
    const { page, errors } = await teamsPage();
    try {
      await page.goto(`${HOST}/host.html`);
      expect(await waitForHostCall(page, 'settings.setValidityState')).toEqual([true]);
      const registered = (await hostLog(page)).filter((m) => m.func === 'registerHandler').map((m) => m.args[0]);
      expect(registered).toContain('save');
      await expect.poll(() => tabFrame(page).textContent('#status')).toBe('Select Save to add the tab.');

      await page.evaluate('window.pressSave()');
      expect(await waitForHostCall(page, 'settings.setSettings')).toEqual([
        {
          entityId: 'development-hub-channel',
          contentUrl: `${APP}/tab/index.html?context=channel`,
          websiteUrl: `${APP}/tab/index.html?context=channel`,
          suggestedDisplayName: 'Development Hub',
        },
      ]);
      await waitForHostCall(page, 'settings.save.success');
      expect((await hostLog(page)).some((m) => m.func === 'settings.save.failure')).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('follows the Teams theme', async () => {
    const { page, errors } = await teamsPage('dark');
    try {
      await page.goto(`${HOST}/host.html`);
      await waitForHostCall(page, 'settings.setValidityState');
      expect(await tabFrame(page).evaluate('document.documentElement.dataset.theme')).toBe('dark');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('says what to do when opened outside Teams, without errors', async () => {
    const { page, errors } = await teamsPage();
    try {
      await page.goto(`${APP}/tab/config.html`);
      await expect.poll(() => page.textContent('#status')).toMatch(/^Open this page from Teams/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});

describe('the personal and channel tab page (index.html)', () => {
  it('is served with the vendored TeamsJS and shows the personal journeys', async () => {
    for (const file of ['index.html', 'config.html', 'about.html', 'tab.css', 'vendor/MicrosoftTeams.min.js']) {
      const response = await fetch(`${base}/tab/${file}`);
      expect(response.status, file).toBe(200);
    }
    const { page, errors } = await teamsPage();
    try {
      await page.goto(`${APP}/tab/index.html`);
      expect(await page.textContent('h1:visible')).toBe('My Development Hub');
      expect(await page.locator('.journeys li:visible').count()).toBe(5);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('with ?context=channel shows the channel placeholder and only the journeys that suit a channel', async () => {
    const { page, errors } = await teamsPage();
    try {
      await page.goto(`${APP}/tab/index.html?context=channel`);
      expect(await page.textContent('h1:visible')).toBe('Development Hub');
      expect(await page.locator('.journeys li:visible').count()).toBe(3);
      expect(await page.title()).toBe('Development Hub');
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
