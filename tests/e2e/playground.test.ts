import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, isPortFree } from '../../src/cli/dev/ports.js';
import { openChromium, requireChromium, type ChromiumSession } from '../support/chromium.js';
import { projectRoot, startDevProcess, type DevProcess } from '../support/dev-process.js';

/**
 * The README's one command end to end: `npm run dev` (the app on a fresh embedded database and the
 * real Microsoft 365 Agents Playground), with Debian chromium using the playground's web page the
 * way a developer would.
 */
const SCREENSHOT = path.join(projectRoot, 'docs', 'screenshots', 'playground-welcome.png');
const SCREENSHOT_COPY = path.join(projectRoot, 'test-results', 'playground-welcome.png');
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let workDir: string | undefined;
let dev: DevProcess | undefined;
let browser: ChromiumSession | undefined;
let appPort: number;
let playgroundPort: number;

beforeAll(async () => {
  // Fail (never skip) before starting anything when the browser is missing.
  requireChromium();
  workDir = mkdtempSync(path.join(tmpdir(), 'devhub-e2e-'));
  [appPort, playgroundPort] = [await freePort('127.0.0.1'), await freePort()];
  dev = startDevProcess(['--port', String(appPort), '--playground-port', String(playgroundPort)], {
    DATA_DIR: path.join(workDir, 'data'),
    LOG_LEVEL: 'warn',
  });
  browser = await openChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  if (dev && dev.child.exitCode === null) {
    dev.child.kill('SIGTERM');
    await dev.exit;
  }
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}, 20_000);

const welcomeCards = (page: Page): Locator =>
  page.locator('.ac-adaptiveCard').filter({ has: page.locator('.ac-textBlock', { hasText: /^Development Hub$/ }) });

async function waitForCount(locator: Locator, atLeast: number, timeout = 15_000): Promise<void> {
  await locator.nth(atLeast - 1).waitFor({ state: 'visible', timeout });
}

/** Types into the playground's compose box (a Lexical editor) and sends. */
async function say(page: Page, text: string): Promise<void> {
  await page.locator('[data-lexical-editor="true"]').click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

describe('npm run dev with the Microsoft 365 Agents Playground', () => {
  it('tells the developer where to chat and as whom', async () => {
    const [, url, who] = await dev!.waitFor(/^Open (http:\/\/localhost:\d+) to chat with Development Hub as (.+)$/, 75_000);
    expect(url).toBe(`http://localhost:${playgroundPort}`);
    expect(who).toBe('Ellie Brightwater (Staff, Brookside Primary Academy)');
    expect((await fetch(`http://127.0.0.1:${appPort}/healthz`)).status).toBe(200);
  }, 80_000);

  it('greets the signed-in sample person with the welcome card and answers what they type', async () => {
    const page = browser!.page;
    await page.goto(`http://localhost:${playgroundPort}`);
    await page.getByText('Ellie Brightwater', { exact: true }).first().waitFor({ state: 'visible', timeout: 10_000 });

    // Opening the playground installs the app (installationUpdate + conversationUpdate): the welcome card arrives unasked.
    const welcome = welcomeCards(page).first();
    await welcome.waitFor({ state: 'visible', timeout: 15_000 });
    expect((await welcome.locator('.ac-textBlock').first().innerText()).trim()).toBe('Development Hub');
    expect(await welcome.innerText()).toContain('The Harmony Trust');

    mkdirSync(path.dirname(SCREENSHOT_COPY), { recursive: true });
    await page.screenshot({ path: SCREENSHOT_COPY });
    const png = readFileSync(SCREENSHOT_COPY);
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(png.length).toBeGreaterThan(20_000);
    // The README embeds docs/screenshots/playground-welcome.png: refreshed on request, not on every run.
    if (process.env.UPDATE_SCREENSHOTS === '1' || !existsSync(SCREENSHOT)) {
      mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      copyFileSync(SCREENSHOT_COPY, SCREENSHOT);
    }

    // The welcome card's journey buttons reach the bot: "Find CPD" asks for next month's CPD, and finds some.
    const cardsBeforeButton = await page.locator('.ac-adaptiveCard').count();
    await welcome.getByRole('button', { name: 'Start' }).first().click();
    const journeyAnswer = page.locator('.ac-adaptiveCard').nth(cardsBeforeButton);
    await journeyAnswer.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await journeyAnswer.innerText()).toMatch(/next month/i);
    expect(await journeyAnswer.innerText()).toMatch(/\d+ match/);
    expect(await journeyAnswer.innerText()).not.toContain('Nothing found');

    // Typed text reaches the bot through the real compose box, and the answer renders.
    await say(page, 'help');
    await waitForCount(welcomeCards(page), 2);

    // Something the bot does not understand gets an honest "not sure" with journeys, never silence or an error.
    const cardsBeforeUnknown = await page.locator('.ac-adaptiveCard').count();
    await say(page, 'xyzzy plugh');
    const unsure = page.locator('.ac-adaptiveCard').nth(cardsBeforeUnknown);
    await unsure.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await unsure.innerText()).toContain("I'm not sure what you need");
    expect(await page.getByText('Something went wrong on our side').count()).toBe(0);

    // A typo still finds the course: the card names the phonics programme, not "Nothing on offer matches…".
    const cardsBeforeTypo = await page.locator('.ac-adaptiveCard').count();
    await say(page, 'phonix');
    const typoAnswer = page.locator('.ac-adaptiveCard').nth(cardsBeforeTypo);
    await typoAnswer.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await typoAnswer.innerText()).toContain('Leadership and Teaching of Phonics');
    expect(await typoAnswer.innerText()).not.toContain('Nothing found');

    // A bare topic that is both CPD and the resource library gets "Did you mean…"; pressing the CPD reading
    // answers with the phonics course.
    const cardsBeforeChoice = await page.locator('.ac-adaptiveCard').count();
    await say(page, 'phonics');
    const choice = page.locator('.ac-adaptiveCard').nth(cardsBeforeChoice);
    await choice.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await choice.innerText()).toContain('Did you mean');
    expect(await choice.innerText()).toContain('Resources on phonics');
    await choice.getByRole('button', { name: 'CPD courses on phonics' }).click();
    const chosen = page.locator('.ac-adaptiveCard').nth(cardsBeforeChoice + 1);
    await chosen.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await chosen.innerText()).toContain('Leadership and Teaching of Phonics');

    // Asking for CPD the way staff would finds it: the results card names the phonics programme.
    const cardsBefore = await page.locator('.ac-adaptiveCard').count();
    await say(page, 'any phonics training?');
    const results = page.locator('.ac-adaptiveCard').nth(cardsBefore);
    await results.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await results.innerText()).toContain('Leadership and Teaching of Phonics');
    expect(await results.innerText()).not.toContain('Nothing found');

    // Book straight from the results card (Action.Execute): the card pressed becomes the booking card.
    await results.getByRole('button', { name: /^Book/ }).first().click();
    await results.getByText('Booked ✓').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await results.innerText()).toContain('Leadership and Teaching of Phonics');

    // "my bookings" lists the place with a cancel button; cancelling updates that card in place and says so.
    const cardsBeforeMine = await page.locator('.ac-adaptiveCard').count();
    await say(page, 'my bookings');
    const mine = page.locator('.ac-adaptiveCard').nth(cardsBeforeMine);
    await mine.waitFor({ state: 'visible', timeout: 15_000 });
    expect(await mine.innerText()).toContain('Leadership and Teaching of Phonics');
    await mine.getByRole('button', { name: 'Cancel my place' }).first().click();
    await mine.getByText('Your place on Leadership and Teaching of Phonics is cancelled.').waitFor({ state: 'visible', timeout: 15_000 });
    expect(await mine.getByRole('button', { name: 'Cancel my place' }).count()).toBe(0);
    expect(await page.getByText('Something went wrong on our side').count()).toBe(0);
  }, 90_000);

  it('stops the app and the playground on SIGTERM', async () => {
    dev!.child.kill('SIGTERM');
    expect(await dev!.exit).toBe(0);
    expect(dev!.lines).toContain('Stopping the app and the Agents Playground…');
    expect(await isPortFree(appPort, '127.0.0.1')).toBe(true);
    expect(await isPortFree(playgroundPort)).toBe(true);
  }, 20_000);
});
