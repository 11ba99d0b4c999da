import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { localInstant } from '../../src/features/cpd/cpd-time.domain.js';
import { openPlaygroundSession, type PlaygroundSession } from '../support/playground-session.js';

/**
 * CPD after booking in the real Microsoft 365 Agents Playground, in one playground run as Hannah
 * Wilde of the Development Team (the playground shows one person's chat, so she is both attendee
 * and register-taker): she books a session, gets the reminder at 16:00 the day before, takes the
 * register after the session marking herself present, gives feedback on the trust's criteria and
 * sees the session in "my CPD". Time is moved with the app's local-only dev hook
 * (DEV_CLOCK_HOOK=on, POST /_dev/clock), which config refuses whenever a bot identity is configured.
 */
const TZ = 'Europe/London';
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

let session: PlaygroundSession | undefined;
let page: Page;
let appPort: number;

beforeAll(async () => {
  session = await openPlaygroundSession({ label: 'follow-up', as: 'hannah', expectName: 'Hannah Wilde', env: { DEV_CLOCK_HOOK: 'on' } });
  page = session.page;
  appPort = session.appPort;
}, 120_000);

afterEach((context) => {
  // What the app said, when a step failed (LOG_LEVEL=warn: ids and codes only).
  if (context.task.result?.state === 'fail' && session) console.error(session.dev.lines.slice(-40).join('\n'));
});

afterAll(() => session?.close(), 20_000);

/** The local-only hook: the app's clock now reads `at` (and keeps running from there). */
async function moveClock(at: Date): Promise<void> {
  const answer = await fetch(`http://127.0.0.1:${appPort}/_dev/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ at: at.toISOString() }) });
  expect(answer.status).toBe(200);
}

async function say(text: string): Promise<void> {
  await page.locator('[data-lexical-editor="true"]').first().click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

const cardWith = (text: string | RegExp): Locator => page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();

/** The playground renders a compact ChoiceSet as a Fluent combobox: open it and pick, as a person would. */
async function pick(within: Locator, label: string, option: string): Promise<void> {
  await within.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

/** "Tue 8 Dec 2026, 15:45–17:15" as the session's local start and end. */
function sessionTimes(when: string): { starts: Date; ends: Date } {
  const m = /(\d{1,2}) (\w{3}) (\d{4}), (\d{2}):(\d{2})–(\d{2}):(\d{2})/.exec(when);
  if (!m) throw new Error(`no session time in: ${when}`);
  const [day, month, year] = [Number(m[1]), MONTHS.indexOf(m[2]) + 1, Number(m[3])];
  return { starts: localInstant(year, month, day, Number(m[4]), Number(m[5]), TZ), ends: localInstant(year, month, day, Number(m[6]), Number(m[7]), TZ) };
}

let title = '';
let starts: Date;
let ends: Date;

describe('CPD after booking in the Agents Playground', () => {
  it('books a session and gets the reminder the day before at 16:00', async () => {
    const cardsBefore = await page.locator('.ac-adaptiveCard').count();
    await say('any phonics training?');
    const results = page.locator('.ac-adaptiveCard').nth(cardsBefore);
    await results.waitFor({ state: 'visible', timeout: 15_000 });
    await results.getByRole('button', { name: /^Book/ }).first().click();
    await results.getByText('Booked ✓').waitFor({ state: 'visible', timeout: 15_000 });
    title = /You're booked on (.+?)\./.exec(await results.innerText())![1]!;
    // The first session's times: the card's Details part lists every session.
    await results.getByRole('button', { name: 'Details' }).click();
    ({ starts, ends } = sessionTimes(await results.innerText()));

    const p = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(starts).split('-').map(Number);
    await moveClock(new Date(localInstant(p[0], p[1], p[2] - 1, 16, 0, TZ).getTime() + 30_000));
    const reminder = cardWith(`Reminder: ${title}`);
    await reminder.waitFor({ timeout: 30_000 });
    expect(await reminder.innerText()).toContain('To prepare:');
    expect(await reminder.getByRole('button', { name: 'Cancel my place' }).count()).toBe(1);
    expect(await reminder.getByRole('button', { name: 'Mute reminders' }).count()).toBe(1);
  }, 90_000);

  it('takes the register after the session', async () => {
    expect(title).not.toBe('');
    await moveClock(new Date(ends.getTime() + 10 * 60_000));
    await say(`register for ${title}`);
    let register = cardWith(`Register: ${title}`);
    const picker = cardWith('Which register?');
    await Promise.race([register.waitFor({ timeout: 15_000 }), picker.waitFor({ timeout: 15_000 })]);
    if (await picker.isVisible()) {
      await picker.getByRole('button', { name: 'Open register 1' }).click();
      register = cardWith(`Register: ${title}`);
      await register.waitFor({ timeout: 15_000 });
    }
    await pick(register, 'Hannah Wilde', 'Present');
    await register.getByRole('button', { name: 'Save register' }).click();
    const saved = cardWith(/Saved \d+ change/);
    await saved.waitFor({ timeout: 15_000 });
    expect(await saved.innerText()).toContain('Marked by Hannah Wilde');
  }, 60_000);

  it('gives feedback on the criteria and sees the session in my CPD', async () => {
    // Marked present, so the feedback card comes by itself 30 minutes after the session ends.
    await moveClock(new Date(ends.getTime() + 60 * 60_000));
    const form = cardWith(`Feedback: ${title}`);
    await form.waitFor({ timeout: 30_000 });
    expect(await page.locator('.ac-adaptiveCard').filter({ hasText: `Feedback: ${title}` }).count()).toBe(1);
    for (const statement of ['The intended impact was clear', 'It built my knowledge, understanding or practice', 'It was grounded in robust evidence and expertise', 'It matched my prior knowledge, experience and needs', 'It was designed for lasting change (application, practice, reflection)', 'It was delivered to a high standard']) {
      await pick(form, statement, '4 – agree');
    }
    await form.getByLabel('What will you do differently?').fill('Try the sound buttons with my group.');
    await form.getByRole('button', { name: 'Send feedback' }).click();
    // The answered card replaces the form in place, the scores kept.
    await page.locator('.ac-adaptiveCard').getByText('Thank you: your feedback is saved.').first().waitFor({ timeout: 20_000 });

    await say('my cpd');
    // "hours in all" is the record card's own subtitle (the welcome card names "My CPD record" too).
    const record = cardWith(/My CPD record[\s\S]*hours in all/);
    await record.waitFor({ timeout: 15_000 });
    const shown = await record.innerText();
    expect(shown).toContain(title);
    expect(shown).toContain('Do differently: Try the sound buttons with my group.');
    expect(await record.getByRole('button', { name: 'Download CSV' }).count()).toBe(1);
  }, 60_000);
});
