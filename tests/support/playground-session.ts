import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { freePort } from '../../src/cli/dev/ports.js';
import { openChromium, requireChromium } from './chromium.js';
import { startDevProcess, type DevProcess } from './dev-process.js';

/**
 * One journey's Agents Playground, as a person opens it: `npm run dev` on its own data folder and
 * ports (signed in as a sample person, or the default), chromium on the playground's page, waiting
 * until the welcome card shows. `close()` ends the browser and the dev process and removes the folder.
 */
export interface PlaygroundSession {
  page: Page;
  /** The app's own port (local-only hooks such as POST /_dev/clock). */
  appPort: number;
  dev: DevProcess;
  close(): Promise<void>;
}

export interface PlaygroundOptions {
  /** Names the temporary folder (devhub-e2e-<label>-…). */
  label: string;
  /** `npm run dev --as <key>`: the sample person the playground acts as. */
  as?: string;
  /** Their display name, shown by the playground once it has loaded. */
  expectName?: string;
  env?: Record<string, string>;
  firstCardTimeoutMs?: number;
}

export async function openPlaygroundSession(options: PlaygroundOptions): Promise<PlaygroundSession> {
  requireChromium();
  const workDir = mkdtempSync(path.join(tmpdir(), `devhub-e2e-${options.label}-`));
  const [appPort, playgroundPort] = [await freePort('127.0.0.1'), await freePort()];
  const dev = startDevProcess([...(options.as ? ['--as', options.as] : []), '--port', String(appPort), '--playground-port', String(playgroundPort)], {
    DATA_DIR: path.join(workDir, 'data'),
    LOG_LEVEL: 'warn',
    ...options.env,
  });
  let browser: Awaited<ReturnType<typeof openChromium>> | undefined;
  const close = async (): Promise<void> => {
    await browser?.close();
    if (dev.child.exitCode === null) {
      dev.child.kill('SIGTERM');
      await dev.exit;
    }
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    await dev.waitFor(/^Open http:\/\/localhost:\d+ to chat with Development Hub as /, 75_000);
    browser = await openChromium();
    // The playground's fonts and telemetry live on Microsoft's CDN, which this machine cannot reach.
    await browser.context.route(/res-1\.cdn\.office\.net/, (route) => route.abort());
    const page = browser.page;
    await page.goto(`http://localhost:${playgroundPort}`);
    if (options.expectName) await page.getByText(options.expectName, { exact: true }).first().waitFor({ state: 'visible', timeout: 10_000 });
    await page.locator('.ac-adaptiveCard').first().waitFor({ state: 'visible', timeout: options.firstCardTimeoutMs ?? 15_000 });
    return { page, appPort, dev, close };
  } catch (error) {
    await close();
    throw error;
  }
}
