/**
 * The built commission tab (dist/tab, served by the real app) in Debian's chromium, framed by a page
 * that plays the Teams client: TeamsJS hands the tab an Entra token the local key set signed, so the
 * whole path (getAuthToken → bearer → jose → people → can()) is the one Teams uses.
 */
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openChromium, type ChromiumSession } from '../support/chromium.js';
import { EntraStandIn } from '../support/entra-stand-in.js';
import { startHub, type HubHarness } from '../support/hub-harness.js';
import { hostLog, hostPage, routeTeams, TEAMS_ORIGIN, tabFrame, type HostOptions } from '../support/teams-host.js';
import { catherine, daniel, ruth } from '../features/commissions/commission-fixtures.js';
import type { TeamsPerson } from '../support/activities.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
// Every run takes the screenshots (they render the tab in full); only UPDATE_SCREENSHOTS=1 writes them
// over the README's copies, so a test run leaves the checkout as it found it.
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? path.resolve('docs', 'screenshots') : path.join(tmpdir(), 'devhub-tab-screenshots');
const NEED = 'Writing in Year 5 is below the trust average; our self-evaluation points to weak sentence construction.';

let entra: EntraStandIn;
let h: HubHarness;
let chromium: ChromiumSession;

beforeAll(async () => {
  entra = await EntraStandIn.start();
  h = await startHub({ env: { SAMPLE_DATA: 'on', ...entra.env() }, runJobs: false });
  await seedBookings(h);
  chromium = await openChromium({ width: 1280, height: 1400 });
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await chromium?.close();
  await h?.close();
  await entra?.close();
});

/** A few Brookside staff booked on sample CPD sessions, so the uptake chart has something to draw. */
async function seedBookings(harness: HubHarness): Promise<void> {
  const offerings = await harness.db.selectFrom('cpd_offering').select('id').where('status', '=', 'scheduled').limit(4).execute();
  const brookside = ['b0000000-0000-4000-8000-000000000001', 'b0000000-0000-4000-8000-000000000004', 'b0000000-0000-4000-8000-000000000006'];
  const now = new Date();
  let n = 0;
  for (const offering of offerings) {
    for (const person of brookside) {
      await harness.db
        .insertInto('cpd_booking')
        .values({ id: `seed-${n++}`, offering_id: offering.id, person_aad_id: person, person_name: 'Sample', person_email: null, status: 'confirmed', created_at: now, updated_at: now, cancelled_at: null })
        .execute();
    }
  }
}

async function openTab(who: TeamsPerson, options: Partial<HostOptions> = {}): Promise<{ page: Page; frame: () => Frame; errors: string[] }> {
  const page = await chromium.context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const token = await entra.token({ oid: who.aadObjectId });
  await routeTeams(page, h.baseUrl, () => hostPage({ tabPath: '/tab/index.html?academy=brookside', theme: 'default', token, frameContext: 'content', ...options }));
  await page.goto(`${TEAMS_ORIGIN}/host.html`);
  return { page, frame: () => tabFrame(page, (options.tabPath ?? '/tab/index.html').split('?')[0]), errors };
}

/**
 * axe-core's serious and critical violations on the page. Fluent UI's focus manager (Tabster) puts
 * 1-pixel `<i data-tabster-dummy aria-hidden tabindex=0>` sentinels at the edges of focus groups and
 * moves focus on the moment one receives it; axe reads them as hidden focusable content, so they are
 * left out of the run (and only they).
 */
async function axeViolations(frame: Frame): Promise<Array<{ id: string; impact: string; nodes: number }>> {
  await frame.addScriptTag({ path: AXE });
  return frame.evaluate<Array<{ id: string; impact: string; nodes: number }>>(`axe.run({ exclude: [['[data-tabster-dummy]']] }, { resultTypes: ['violations'] }).then((r) =>
    r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, target: v.nodes[0].target })))`);
}

describe('the commission tab in Teams', () => {
  let reference = '';

  it('lets a leader raise a commission from her academy channel tab', async () => {
    const { page, frame, errors } = await openTab(ruth);
    try {
      await frame().getByRole('heading', { name: 'Bespoke support commissions' }).waitFor();
      await frame().getByText('Brookside Primary Academy', { exact: true }).first().waitFor();
      await frame().getByRole('button', { name: 'Raise a commission' }).click();
      const dialog = frame().getByRole('dialog');
      // Sent empty first: the API's message shows, and nothing is raised.
      await dialog.getByRole('button', { name: 'Raise commission' }).click();
      await dialog.getByText('The need is required').first().waitFor();
      await dialog.getByLabel('The need').fill(NEED);
      await dialog.getByLabel('Evidence').fill('Moderation in the autumn term and the termly academy visit.');
      await dialog.getByRole('button', { name: 'Raise commission' }).click();
      const heading = frame().getByRole('heading', { level: 2, name: /CM-\d{4} · Brookside Primary Academy/ });
      await heading.waitFor();
      reference = ((await heading.textContent()) ?? '').split(' ')[0];
      expect(await frame().getByText(NEED).count()).toBe(1);
      expect(await frame().getByRole('button', { name: 'Agree…' }).count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('lets the Director of Education agree it with measures and assignment, from a deep link', async () => {
    const row = await h.db.selectFrom('commission').select('id').where('need', '=', NEED).executeTakeFirstOrThrow();
    const { page, frame, errors } = await openTab(catherine, { tabPath: '/tab/index.html', subEntityId: row.id });
    try {
      await frame().getByRole('heading', { level: 2, name: new RegExp(reference) }).waitFor();
      await frame().getByRole('button', { name: 'Agree…' }).click();
      const dialog = frame().getByRole('dialog');
      await dialog.getByLabel('Measure 1').fill('Pupils writing at the expected standard');
      await dialog.getByLabel('Baseline').fill('54%');
      // No target: refused with the field marked, the typed values kept.
      await dialog.getByLabel('Review date').fill('2027-03-19');
      await dialog.getByLabel('Assigned trust staff (separate names with commas)').fill('Trust English Lead, Director of Education');
      await dialog.getByLabel('Start date').fill('2027-01-05');
      await dialog.getByLabel('End date').fill('2027-07-16');
      await dialog.getByRole('button', { name: 'Agree', exact: true }).click();
      await dialog.getByText("Each measure's target is required").first().waitFor();
      expect(await dialog.getByLabel('Baseline').inputValue()).toBe('54%');
      await dialog.getByLabel('Target').fill('70%');
      await dialog.getByRole('button', { name: 'Agree', exact: true }).click();
      await frame().getByRole('button', { name: 'Start the support' }).waitFor();
      await frame().getByRole('cell', { name: '70%' }).waitFor();
      expect(await frame().getByText('Trust English Lead, Director of Education', { exact: false }).count()).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'commission-detail.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('shows the leader the agreed commission, its timeline and the charts', async () => {
    const { page, frame, errors } = await openTab(ruth);
    try {
      await frame().getByRole('heading', { name: 'Commissions by status' }).waitFor();
      await frame().getByRole('heading', { name: 'CPD uptake at Brookside Primary Academy' }).waitFor();
      // The charts draw SVG; their figures are tables too.
      expect(await frame().locator('svg').count()).toBeGreaterThan(2);
      await frame().getByRole('button', { name: reference }).click();
      await frame().getByRole('heading', { name: 'Timeline' }).waitFor();
      expect(await frame().getByText(/Agreed by Catherine Hale/).count()).toBe(1);
      await frame().getByRole('button', { name: '← All commissions' }).click();
      await frame().getByRole('heading', { name: 'Commissions by status' }).waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'commission-tab.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('does not show a leader of another academy the commission, even by its deep link', async () => {
    const row = await h.db.selectFrom('commission').select('id').where('need', '=', NEED).executeTakeFirstOrThrow();
    const { page, frame, errors } = await openTab(daniel, { tabPath: '/tab/index.html', subEntityId: row.id });
    try {
      await frame().getByRole('heading', { name: 'Bespoke support commissions' }).waitFor();
      await frame().getByText('There is no commission with that reference that you can see.').waitFor();
      expect(await frame().getByText(reference).count()).toBe(0);
      expect(await frame().getByText(NEED).count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('has no serious or critical accessibility violations in the default and high-contrast themes, and follows a theme change', async () => {
    for (const theme of ['default', 'contrast'] as const) {
      const { page, frame } = await openTab(ruth, { theme });
      try {
        await frame().getByRole('heading', { name: 'Commissions by status' }).waitFor();
        expect(await frame().evaluate('document.querySelector("[data-theme]").dataset.theme')).toBe(theme);
        expect(await axeViolations(frame()), theme).toEqual([]);
        await frame().getByRole('button', { name: reference }).click();
        await frame().getByRole('heading', { name: 'Timeline' }).waitFor();
        expect(await axeViolations(frame()), `${theme} detail`).toEqual([]);
        if (theme === 'contrast') await page.screenshot({ path: path.join(SCREENSHOTS, 'commission-tab-high-contrast.png'), fullPage: true });
        await page.evaluate("window.setTheme('dark')");
        await expect.poll(() => frame().evaluate('document.querySelector("[data-theme]").dataset.theme')).toBe('dark');
      } finally {
        await page.close();
      }
    }
  });

  it('configures a channel tab: the academy picker offers the leader her academy, and Save links the channel', async () => {
    const team = '19:brookside-team@thread.tacv2';
    const channel = '19:brookside-commissions@thread.tacv2';
    const { page, frame, errors } = await openTab(ruth, { tabPath: '/tab/config.html', frameContext: 'settings', teamId: team, channelId: channel });
    try {
      await frame().getByText('Select Save to add the tab.').waitFor();
      expect(await frame().getByRole('combobox').textContent()).toContain('Brookside Primary Academy');
      await page.evaluate('window.pressSave()');
      await expect.poll(async () => (await hostLog(page)).some((m) => m.func === 'settings.save.success')).toBe(true);
      const settings = (await hostLog(page)).find((m) => m.func === 'settings.setSettings')!.args[0] as Record<string, string>;
      expect(settings).toMatchObject({ entityId: 'commissions-brookside', suggestedDisplayName: 'Commissions' });
      expect(settings.contentUrl).toBe('https://devhub.example.net/tab/index.html?academy=brookside');
      const linked = await h.db.selectFrom('commission_channel').selectAll().where('academy_id', '=', 'brookside').executeTakeFirstOrThrow();
      expect(linked).toMatchObject({ team_id: team, channel_id: channel, entity_id: 'commissions-brookside' });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
