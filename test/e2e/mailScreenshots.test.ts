/**
 * The mail client as a person sees it, with a Gmail and an Outlook account (emulator, real corpus mail),
 * saved under test-results/screenshots/ to be looked at: the unified inbox, one account's Inbox with its
 * mailboxes in the sidebar, Drafts with a draft, two docked compose windows (one folded) over a conversation,
 * and a narrow window with the drawer open and closed.
 */
import type { Page } from 'playwright';
import { expect, it } from 'vitest';
import { GMAIL_USER, useTwoAccountUi } from '../support/twoAccountUi.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

const DRAFT = { to: 'dave@example.test', subject: 'Plans for Thursday', text: 'Bring the slides and the figures.' };

/** The list's rows, once it has at least `least` of them. */
async function rowsShown(page: Page, least: number) {
  const rows = page.getByRole('option');
  await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(least);
  return rows;
}

describeOnEachSurface('screenshots of the mail client', (surface) => {
  const ui = useTwoAccountUi(surface, 60, [DRAFT]);

  it('the unified inbox, one account’s Inbox, Drafts with a draft', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    await rowsShown(page, 10);
    expect(await page.locator('.list-title').textContent()).toBe('Inbox');
    // The unified inbox holds both accounts' mail; the sidebar lists each account's own mailboxes.
    const unified = (await (await ui.api('/v1/email/threads?label=inbox&limit=200')).json()) as {
      data: Array<{ account_id: string }>;
    };
    expect(new Set(unified.data.map((t) => t.account_id)).size).toBe(2);
    expect(
      await page
        .getByRole('navigation', { name: 'Mailboxes' })
        .getByRole('button', { name: /^Inbox/ })
        .count(),
    ).toBe(3);
    await ui.screenshot(page, 'inbox.png');

    const gmail = page.getByRole('region', { name: GMAIL_USER });
    await gmail.getByRole('button', { name: /^Inbox/ }).click();
    await expect.poll(() => page.locator('.list-title').textContent(), { timeout: 10_000 }).toContain(GMAIL_USER);
    await rowsShown(page, 5);
    // The list heading's last sync reads whole beside the account's longer title (its full date is the tooltip).
    const synced = page.locator('.mail-refresh-state');
    await expect.poll(() => synced.textContent(), { timeout: 10_000 }).toMatch(/^Synced /);
    expect(
      await synced.evaluate(
        (e) =>
          (e as unknown as { scrollWidth: number; clientWidth: number }).scrollWidth -
          (e as unknown as { clientWidth: number }).clientWidth,
      ),
    ).toBeLessThanOrEqual(0);
    await ui.screenshot(page, 'account-view.png');

    await gmail.getByRole('button', { name: /^Drafts/ }).click();
    const draft = page.getByRole('option').filter({ hasText: DRAFT.subject });
    await expect.poll(() => draft.count(), { timeout: 15_000 }).toBe(1);
    await ui.screenshot(page, 'drafts.png');

    // Two messages docked over the unified inbox with a conversation open, the first folded to its title bar.
    await page
      .getByRole('navigation', { name: 'Mailboxes' })
      .getByRole('button', { name: /^Inbox/ })
      .first()
      .click();
    await (await rowsShown(page, 10)).nth(1).click();
    await expect.poll(() => page.locator('.thread-subject').isVisible(), { timeout: 10_000 }).toBe(true);
    const windows = page.getByRole('region', { name: 'Messages being written' }).getByRole('form', { name: 'New message' });
    for (const [n, subject] of [
      [1, 'Lunch on Friday?'],
      [2, 'Slides for the review'],
    ] as const) {
      await page.locator('.thread-subject').click();
      await page.keyboard.press('c');
      await expect.poll(() => windows.count()).toBe(n);
      await windows
        .nth(n - 1)
        .getByLabel('Subject')
        .fill(subject);
    }
    await windows.nth(1).getByRole('textbox', { name: 'Message', exact: true }).fill('The figures are in the second half.');
    await page.getByRole('region', { name: 'Messages being written' }).getByRole('button', { name: 'Minimise' }).first().click();
    await expect.poll(() => windows.nth(0).getByLabel('Subject').isVisible()).toBe(false);
    await ui.screenshot(page, 'docked-compose.png');
    await ui.closePage(page);
  }, 90_000);

  it('a narrow window: the list with the drawer closed, then open', async () => {
    const page = await ui.openPage({ viewport: { width: 420, height: 800 } });
    const rows = await rowsShown(page, 5);
    expect((await rows.first().boundingBox())?.width).toBeGreaterThan(400);
    await ui.screenshot(page, 'narrow-list.png');
    await page.getByRole('button', { name: 'Mailboxes' }).click();
    const drawer = page.getByRole('dialog', { name: 'Mailboxes' });
    await expect.poll(() => drawer.isVisible()).toBe(true);
    expect(await drawer.getByRole('button', { name: /^Inbox/ }).count()).toBeGreaterThanOrEqual(3);
    await ui.screenshot(page, 'narrow.png');
    await ui.closePage(page);
  }, 60_000);
});
