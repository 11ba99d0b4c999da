import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlaygroundSession, type PlaygroundSession } from '../support/playground-session.js';

/**
 * Communities and announcements end to end in the real Microsoft 365 Agents Playground, in one
 * playground run as Hannah Wilde of the Development Team: she joins the SENDCO Hub network, then
 * composes an announcement to it, previews it, sends it and watches her status card update itself
 * as the durable fan-out delivers it (she is its member, so it reaches her too).
 */
let session: PlaygroundSession | undefined;
let page: Page;

beforeAll(async () => {
  session = await openPlaygroundSession({ label: 'announcements', as: 'hannah', expectName: 'Hannah Wilde', env: { ANNOUNCEMENT_STATUS_EVERY_MS: '500' } });
  page = session.page;
}, 120_000);

afterAll(() => session?.close(), 20_000);

async function say(text: string): Promise<void> {
  await page.locator('[data-lexical-editor="true"]').first().click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

const cardWith = (text: string | RegExp): Locator => page.locator('.ac-adaptiveCard').filter({ hasText: text }).last();

describe('networks and announcements in the Agents Playground', () => {
  it('joins the SENDCO network from chat', async () => {
    await say('join the SENDCO network');
    const joined = cardWith('You joined the SENDCO Hub network.');
    await joined.waitFor({ timeout: 15_000 });
    expect(await joined.getByRole('button', { name: 'Leave' }).count()).toBe(1);
    expect(await joined.innerText()).toContain('Next meeting');
  }, 60_000);

  it('composes, previews and sends an announcement, and watches the status card', async () => {
    await say('new announcement');
    const form = cardWith('Drafts are kept');
    await form.waitFor({ timeout: 15_000 });
    await form.getByRole('button', { name: 'Send' }).click();
    // Nothing filled in: the form comes back saying what is missing.
    await form.getByText('A title is required.').waitFor({ timeout: 15_000 });

    await form.getByLabel('Title').fill('SENDCO Hub network: spring meeting');
    await form.getByLabel(/^Message/).fill('Our next meeting looks at the new SEND policy appendices.');
    await form.getByText('SENDCO Hub network', { exact: true }).click();
    // The playground renders a compact ChoiceSet as a Fluent combobox: open it and pick, as a person would.
    await form.getByRole('combobox', { name: 'Where' }).click();
    await page.getByRole('option', { name: '1:1 to each person' }).click();
    await form.getByRole('button', { name: 'Preview' }).click();
    await form.getByText('Preview sent to you alone').waitFor({ timeout: 15_000 });
    await cardWith('Preview: only you can see this').waitFor({ timeout: 15_000 });
    expect(await form.getByLabel('Title').inputValue()).toBe('SENDCO Hub network: spring meeting');

    await form.getByRole('button', { name: 'Send' }).click();
    await page.getByText('Sending now. A status card follows the send in this chat.').first().waitFor({ timeout: 15_000 });
    // The announcement itself arrives (Hannah is a member), and her status card updates itself to "Sent".
    await cardWith(/Mute SENDCO Hub network/).waitFor({ timeout: 20_000 });
    const status = cardWith(/1 of 1/);
    await status.waitFor({ timeout: 20_000 });
    expect(await status.innerText()).toContain('Sent');
    expect(await status.getByRole('button', { name: 'Recall' }).count()).toBe(1);
  }, 120_000);
});
