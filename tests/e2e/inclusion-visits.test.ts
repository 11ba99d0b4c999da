import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/cli/dev/ports.js';
import { openChromium, requireChromium, type ChromiumSession } from '../support/chromium.js';
import { startDevProcess, type DevProcess } from '../support/dev-process.js';

/**
 * An Inclusion Support Visit end to end in the real Microsoft 365 Agents Playground. The playground
 * acts as one person at a time, so each person is their own `npm run dev -- --as <person>` on the
 * same data folder: the SENCO requests, the Inclusion team schedules it in their channel, and the
 * SENCO then sees the visit scheduled.
 */
let workDir: string;
let appPort: number;
let playgroundPort: number;
let dev: DevProcess | undefined;
let browser: ChromiumSession | undefined;

beforeAll(async () => {
  requireChromium();
  workDir = mkdtempSync(path.join(tmpdir(), 'devhub-e2e-visits-'));
  [appPort, playgroundPort] = [await freePort('127.0.0.1'), await freePort()];
});

afterEach(async () => {
  await browser?.close();
  browser = undefined;
  if (dev && dev.child.exitCode === null) {
    dev.child.kill('SIGTERM');
    await dev.exit;
  }
  dev = undefined;
}, 20_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** Starts `npm run dev -- --as <person>` on the shared data folder and opens the playground page. */
async function actAs(person: string, name: string): Promise<Page> {
  dev = startDevProcess(['--as', person, '--port', String(appPort), '--playground-port', String(playgroundPort)], {
    DATA_DIR: path.join(workDir, 'data'),
    LOG_LEVEL: 'warn',
  });
  await dev.waitFor(/^Open http:\/\/localhost:\d+ to chat with Development Hub as /, 75_000);
  browser = await openChromium();
  await browser.context.route(/res-1\.cdn\.office\.net/, (route) => route.abort());
  const page = browser.page;
  await page.goto(`http://localhost:${playgroundPort}`);
  await page.getByText(name, { exact: true }).first().waitFor({ state: 'visible', timeout: 10_000 });
  // Opening the playground installs the app in the personal chat: the welcome card arrives.
  await page.locator('.ac-adaptiveCard').first().waitFor({ state: 'visible', timeout: 15_000 });
  return page;
}

async function say(page: Page, text: string): Promise<void> {
  await page.locator('[data-lexical-editor="true"]').first().click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

const cardWith = (page: Page, text: string | RegExp): Locator => page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();

/** A visit date two weeks from today, so it is never in the past. */
const visitDate = new Date(Date.now() + 14 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
let reference = '';

describe('an Inclusion Support Visit in the Agents Playground', () => {
  it('a SENCO leaves a required answer empty, sees the error with her answers kept, then sends the request', async () => {
    const page = await actAs('priya', 'Priya Sandhu-Vale');
    await say(page, 'request an inclusion visit');
    const form = cardWith(page, 'Request an Inclusion Support Visit');
    await form.getByText('use initials and year group only').waitFor({ timeout: 15_000 });
    await form.getByText('Transition issues').click();
    await form.getByLabel('Anything about dates (optional)').fill('Not Fridays');
    await form.getByRole('button', { name: 'Send request' }).click();

    // Answered in place: the same form, with what to fix and every answer still there.
    await form.getByText('The early help needed is required.').waitFor({ timeout: 15_000 });
    expect(await form.getByRole('checkbox', { name: 'Transition issues' }).isChecked()).toBe(true);
    expect(await form.getByLabel('Anything about dates (optional)').inputValue()).toBe('Not Fridays');
    expect(await form.getByLabel('Contact (required)').inputValue()).toBe('priya.sandhu-vale@harmony.example');

    await form.getByLabel('The early help needed (required)').fill('JS (Year 6) finds the move to secondary hard; we would like help planning the transition.');
    await form.getByRole('button', { name: 'Send request' }).click();
    const sent = page.getByText(/Sent\. Your reference is (IV-\d{4})/).first();
    await sent.waitFor({ timeout: 15_000 });
    reference = /IV-\d{4}/.exec(await sent.innerText())![0];

    // Someone opens the Inclusion team's channel: the app is installed in that team.
    await page.getByText('Inclusion triage', { exact: true }).click();
    await page.getByText('Start a new post').first().waitFor({ timeout: 15_000 });
    await cardWith(page, 'Development Hub').waitFor({ timeout: 15_000 });
  }, 120_000);

  it('the Inclusion team opens the request in their channel and schedules it', async () => {
    expect(reference).toMatch(/^IV-\d{4}$/);
    const page = await actAs('joseph', 'Joseph Mensah-Clark');
    await page.getByText('Inclusion triage', { exact: true }).click();
    const welcome = cardWith(page, 'Open visit requests');
    await welcome.waitFor({ timeout: 15_000 });
    // The welcome card lists every journey the person's roles allow: press the one for open visit requests.
    const journey = welcome.getByText('Open visit requests', { exact: true }).locator('xpath=ancestor::*[.//button][1]');
    await journey.getByRole('button', { name: 'Start' }).click();
    const list = cardWith(page, 'Most urgent first');
    await list.waitFor({ timeout: 15_000 });
    await list.getByRole('button', { name: `Open ${reference}` }).click();

    const visit = cardWith(page, `Inclusion Support Visit ${reference}`);
    await visit.getByText('Submitted', { exact: true }).waitFor({ timeout: 15_000 });
    await visit.getByRole('button', { name: 'Schedule' }).click();
    await visit.getByLabel('Visit date').fill(visitDate);
    await visit.getByLabel('Time').fill('09:30');
    await visit.getByLabel('Who is visiting').fill('Joseph Mensah-Clark');
    await visit.getByRole('button', { name: 'Save the visit' }).click();
    await visit.getByText(`${reference} is scheduled for ${visitDate} at 09:30.`).waitFor({ timeout: 15_000 });
    expect(await visit.getByText('Scheduled', { exact: true }).count()).toBe(1);
  }, 120_000);

  it('the SENCO sees the visit scheduled', async () => {
    const page = await actAs('priya', 'Priya Sandhu-Vale');
    await say(page, 'my visit requests');
    const mine = cardWith(page, 'My visit requests');
    await mine.waitFor({ timeout: 15_000 });
    expect(await mine.innerText()).toContain(`${reference} · Brookside Primary Academy`);
    await mine.getByRole('button', { name: `Open ${reference}` }).click();
    const visit = cardWith(page, `Inclusion Support Visit ${reference}`);
    await visit.getByText(`${visitDate} at 09:30 with Joseph Mensah-Clark`).waitFor({ timeout: 15_000 });
    expect(await visit.getByText('Scheduled', { exact: true }).count()).toBe(1);
    // Her view offers no triage buttons.
    expect(await visit.getByRole('button', { name: 'Schedule' }).count()).toBe(0);
  }, 120_000);
});
