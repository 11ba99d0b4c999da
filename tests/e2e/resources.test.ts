import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPlaygroundSession, type PlaygroundSession } from '../support/playground-session.js';

/**
 * The Universal Resource Library in the real Microsoft 365 Agents Playground: `npm run dev` points
 * the app's Graph client at the Graph stand-in's sample library (app-only search: the playground has
 * no SSO). A person asks in chat and opens the message extension's search as they would in Teams.
 */
let session: PlaygroundSession | undefined;
let page: Page;

beforeAll(async () => {
  session = await openPlaygroundSession({ label: 'resources', firstCardTimeoutMs: 20_000 });
  page = session.page;
}, 120_000);

afterAll(() => session?.close(), 20_000);

describe('resources in the Agents Playground', () => {
  it('"resources on vocabulary" answers with a card of library items, each with Open and Share', async () => {
    await page.locator('[data-lexical-editor="true"]').first().click();
    await page.keyboard.type('resources on vocabulary');
    await page.keyboard.press('Enter');
    const card = page.locator('.ac-adaptiveCard').filter({ hasText: 'Resources on vocabulary' }).last();
    await card.waitFor({ state: 'visible', timeout: 20_000 });
    await card.getByText('Tier 2 vocabulary - teaching routine').waitFor({ timeout: 5_000 });
    // Each Open button carries the file's web URL (Action.OpenUrl shows it as the button's title).
    const opens = card.locator('[title^="https://harmonytrust.sharepoint.com/sites/UniversalResourceLibrary/"]').filter({ hasText: /^Open$/ });
    expect(await opens.count()).toBe(5);
    expect(await card.locator('[title^="https://teams.microsoft.com/share?"]').filter({ hasText: /^Share$/ }).count()).toBe(5);
    await card.getByText('More', { exact: true }).waitFor({ timeout: 5_000 });
    expect(await page.getByText('Something went wrong on our side').count()).toBe(0);
  });

  it('the message extension\'s "Search the URL" lists matching items', async () => {
    await page.getByRole('button', { name: 'Trigger Message Extension App' }).click();
    await page.getByText('Search Command', { exact: true }).first().click();
    // The playground ignores the manifest: the command id and parameter name are typed by hand.
    await page.getByText('Specify Command ID or Parameter').click();
    await page.getByPlaceholder('Command ID').fill('searchResources');
    await page.getByPlaceholder('Parameter name').fill('query');
    await page.getByPlaceholder('Enter a search term').fill('phonics videos');
    await page.keyboard.press('Enter');
    await page.getByText('Blending and segmenting - modelling video').first().waitFor({ state: 'visible', timeout: 20_000 });
    await page.getByText('Phonics keep-up interventions - video walkthrough').first().waitFor({ state: 'visible', timeout: 5_000 });
    // Only videos: the kind word became a file-type restriction.
    expect(await page.getByText('Phase 2 sound mats').count()).toBe(0);
  });
});
