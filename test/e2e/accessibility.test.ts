import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright';
import { expect, it } from 'vitest';
import { indexPath } from '../../main/core/paths.ts';
import { openIndex } from '../../main/db/openIndex.ts';
import { writeEvents } from '../../main/db/queries/calendarEvents.ts';
import { eventInput, seedCalendar } from '../support/calendarFixtures.ts';
import { writeCorpusMbox } from '../support/corpusMbox.ts';
import { runCli } from '../support/serveProcess.ts';
import { useUiSession } from '../support/uiHarness.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

/**
 * axe-core's WCAG 2.1 A/AA rules over each main view. The message frame is left
 * out: it shows the sender's HTML, not ours.
 */
describeOnEachSurface('accessibility of the main views (axe-core, WCAG 2.1 A/AA)', (surface) => {
  const ui = useUiSession(surface, async (dataDir, scratch) => {
    const mbox = join(scratch, 'corpus.mbox');
    writeCorpusMbox(mbox, 60);
    await runCli(['import-mbox', mbox, '--data-dir', dataDir]);
    const db = openIndex(indexPath(dataDir));
    const { calendarId } = seedCalendar(db, 'Work');
    const today = new Date();
    const at = (hours: number) => new Date(today.getFullYear(), today.getMonth(), today.getDate(), hours).getTime();
    writeEvents(db, calendarId, [
      eventInput({
        remoteId: 'standup',
        startsAt: at(9),
        endsAt: at(10),
        summary: 'Standup',
        attendees: [
          { email: 'ann@example.test', name: 'Ann', response: 'accepted', optional: false, organizer: true, self: false },
          { email: 'bob@example.test', name: 'Bob', response: 'declined', optional: false, organizer: false, self: false },
        ],
      }),
    ]);
    db.close();
  });

  /** The violations that stop or seriously hinder someone (serious and critical). */
  const violations = async (page: Page) => {
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
      .exclude('iframe[title^="Message"]')
      .analyze();
    return results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  };

  /** The list with every loaded row ticked (the bulk bar and the select-all banner) and a row's hover buttons shown. */
  const tickedListViolations = async (page: Page) => {
    await page.getByRole('checkbox', { name: 'Select all' }).check();
    await expect.poll(() => page.getByRole('toolbar', { name: /selected$/ }).count()).toBe(1);
    await page.getByRole('option').nth(2).hover();
    await expect.poll(() => page.getByRole('toolbar', { name: /^Actions on / }).count()).toBe(1);
    const found = await violations(page);
    await page.getByRole('checkbox', { name: 'Select none' }).uncheck();
    return found;
  };

  it('has no serious violations in the inbox with a thread open, search, compose and the shortcuts overlay', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    await expect.poll(() => page.getByRole('option').count(), { timeout: 10_000 }).toBeGreaterThan(5);
    await page.getByRole('option').nth(1).click();
    await expect.poll(() => page.locator('article.message').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await violations(page)).toEqual([]);
    expect(await tickedListViolations(page)).toEqual([]);

    await page.getByRole('searchbox', { name: 'Search mail' }).fill('linux');
    await expect
      .poll(() => page.getByRole('listbox', { name: 'Search results' }).getByRole('option').count(), { timeout: 10_000 })
      .toBeGreaterThan(0);
    expect(await violations(page)).toEqual([]);
    await page.getByRole('searchbox', { name: 'Search mail' }).press('Escape');

    const composer = await ui.composer(page, () => page.locator('body').press('c'));
    await expect.poll(() => composer.getByRole('form', { name: 'New message' }).count(), { timeout: 10_000 }).toBe(1);
    expect(await violations(composer)).toEqual([]);
    await composer.getByRole('combobox', { name: 'To' }).press('Escape');

    await page.locator('body').press('?');
    await expect.poll(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).count()).toBe(1);
    expect(await violations(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await ui.closePage(page);
  }, 60_000);

  it('has no serious violations in the calendar (week and month) and in Settings', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    await page.getByRole('button', { name: 'Calendar' }).click();
    await expect.poll(() => page.getByRole('button', { name: /Standup/ }).count(), { timeout: 10_000 }).toBe(1);
    await page.getByRole('button', { name: /Standup/ }).click();
    await expect.poll(() => page.getByRole('complementary', { name: 'Event details' }).count()).toBe(1);
    expect(await violations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Month' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Month' }).count()).toBe(1);
    expect(await violations(page)).toEqual([]);
    await page.getByRole('button', { name: 'New event' }).click();
    await expect.poll(() => page.getByRole('form', { name: 'New event' }).getByRole('option').count()).toBeGreaterThan(0);
    expect(await violations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Settings' }).count()).toBe(1);
    expect(await violations(page)).toEqual([]);
    await ui.closePage(page);
  }, 60_000);

  it('has no serious violations in the dark theme either (inbox, calendar, settings)', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.getByRole('option').count(), { timeout: 10_000 }).toBeGreaterThan(5);
    await page.getByRole('option').nth(1).click();
    await expect.poll(() => page.locator('article.message').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await violations(page)).toEqual([]);
    expect(await tickedListViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Calendar' }).click();
    await expect.poll(() => page.getByRole('button', { name: /Standup/ }).count(), { timeout: 10_000 }).toBe(1);
    expect(await violations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Settings' }).count()).toBe(1);
    expect(await violations(page)).toEqual([]);
    await ui.closePage(page);
  }, 60_000);
});
