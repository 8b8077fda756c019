import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright';
import { expect, it } from 'vitest';
import { HOSTILE_EMAIL, HOSTILE_SUBJECT } from '../fixtures/hostileEmail.ts';
import { writeCorpusMbox } from '../support/corpusMbox.ts';
import { dateHeader, daysAgo, mboxFromDate } from '../support/mailDates.ts';
import { runCli } from '../support/serveProcess.ts';
import { useUiSession } from '../support/uiHarness.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

const NEWSLETTER = [
  `From news@shop.example ${mboxFromDate(daysAgo(12, 10))}`,
  'From: Shop News <news@shop.example>',
  'To: me@example.test',
  'Subject: Weekly picks with pictures',
  `Date: ${dateHeader(daysAgo(12, 10))}`,
  'Message-ID: <weekly-picks@shop.example>',
  'MIME-Version: 1.0',
  'Content-Type: text/html; charset=utf-8',
  '',
  '<p>Our picks</p><img src="https://images.shop.example/picks.png" alt="picks"><img src="http://tracker.shop.example/open.gif">',
  '',
].join('\n');

describeOnEachSurface('the reader and search in the UI', (surface) => {
  const ui = useUiSession(surface, async (dataDir, scratch) => {
    const mbox = join(scratch, 'mail.mbox');
    writeCorpusMbox(mbox, 300);
    appendFileSync(mbox, `\n${HOSTILE_EMAIL}`);
    appendFileSync(mbox, `\n${NEWSLETTER}`);
    const imported = await runCli(['import-mbox', mbox, '--data-dir', dataDir]);
    expect(imported.code).toBe(0);
  });

  /** A page whose every request leaving 127.0.0.1 is recorded and refused. */
  async function guardedPage(): Promise<{ page: Page; remoteRequests: string[] }> {
    const page = await ui.openPage({ viewport: { width: 1400, height: 900 } });
    const remoteRequests: string[] = [];
    // Every frame's requests, the message iframes' too, pass the page's routes.
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1') return route.continue();
      remoteRequests.push(route.request().url());
      return route.abort();
    });
    await page.reload();
    await expect.poll(() => page.getByRole('option').count(), { timeout: 10_000 }).toBeGreaterThan(5);
    return { page, remoteRequests };
  }

  it('shows a hostile HTML email with nothing run and nothing remote loaded', async () => {
    const { page, remoteRequests } = await guardedPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.getByRole('option').filter({ hasText: HOSTILE_SUBJECT }).click();
    const frame = page.frameLocator('iframe[title^="Message"]');
    await expect.poll(() => frame.locator('body').textContent(), { timeout: 10_000 }).toContain('Visible text here');
    await page.locator('a', { hasText: 'click' }).count(); // nothing to click in the parent
    await frame
      .locator('a', { hasText: 'click' })
      .click()
      .catch(() => {});
    await page.waitForTimeout(500);

    expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(remoteRequests).toEqual([]);
    for (const selector of [
      'script',
      'form',
      'input',
      'iframe',
      'object',
      'link',
      'meta[http-equiv="refresh"]',
      '[onload]',
      '[onerror]',
    ]) {
      expect(await frame.locator(selector).count(), selector).toBe(0);
    }
    expect(await frame.locator('a').first().getAttribute('href')).toBeNull();
    expect(await page.getByRole('note').textContent()).toMatch(
      /^Remote content blocked to protect your privacy: 1 image, .*remote styles/,
    );
    await ui.screenshot(page, 'reader-hostile-html.png');
    await ui.closePage(page);
  });

  it('shows remote images only when asked, https images only, and remembers a trusted sender', async () => {
    const { page, remoteRequests } = await guardedPage();
    await page.getByRole('option').filter({ hasText: 'Weekly picks' }).click();
    const note = page.getByRole('note');
    await expect.poll(() => note.textContent(), { timeout: 10_000 }).toMatch(/blocked/);
    expect(remoteRequests).toEqual([]);
    await note.getByRole('button', { name: 'Show images', exact: true }).click();
    await expect.poll(() => remoteRequests).toEqual(['https://images.shop.example/picks.png']);
    await note.getByRole('button', { name: /Always show images from news@shop\.example/ }).isHidden();
    // Trust the sender: a new page shows the images without asking.
    await page.reload();
    await page.getByRole('option').filter({ hasText: 'Weekly picks' }).click();
    await page
      .getByRole('note')
      .getByRole('button', { name: /Always show images from news@shop\.example/ })
      .click();
    await ui.closePage(page);
    const second = await guardedPage();
    await second.page.getByRole('option').filter({ hasText: 'Weekly picks' }).click();
    await expect.poll(() => second.remoteRequests, { timeout: 10_000 }).toEqual(['https://images.shop.example/picks.png']);
    await ui.closePage(second.page);
  });

  it('searches as you type, marks the matches and opens a result', async () => {
    const { page } = await guardedPage();
    await page.getByRole('searchbox', { name: 'Search mail' }).fill('subject:ilug kerne');
    const results = page.getByRole('listbox', { name: 'Search results' }).getByRole('option');
    await expect.poll(() => results.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const marks = await results.first().locator('mark').allTextContents();
    expect(marks.join(' ').toLowerCase()).toMatch(/kerne/);
    await results.first().click();
    await expect.poll(() => page.locator('.thread-subject').textContent(), { timeout: 10_000 }).toMatch(/ilug/i);
    await ui.screenshot(page, 'search.png');

    await page.getByRole('searchbox', { name: 'Search mail' }).fill('is:purple');
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 10_000 }).toMatch(/is:purple is not supported/);
    await ui.closePage(page);
  });

  it('is usable from the keyboard: j/k, / and the shortcuts overlay', async () => {
    const { page } = await guardedPage();
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('[role="option"][aria-selected="true"]').count(), { timeout: 5_000 }).toBe(1);
    const first = await page.locator('[role="option"][aria-selected="true"]').getAttribute('data-thread-id');
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('[role="option"][aria-selected="true"]').getAttribute('data-thread-id')).not.toBe(first);
    await page.keyboard.press('k');
    await expect.poll(() => page.locator('[role="option"][aria-selected="true"]').getAttribute('data-thread-id')).toBe(first);
    // In the calendar (g c) the mail keys do not reach the conversation left open behind it; g i comes back.
    await page.keyboard.press('g');
    await page.keyboard.press('c');
    await expect.poll(() => page.getByRole('region', { name: 'Calendar' }).count(), { timeout: 5_000 }).toBe(1);
    await page.keyboard.press('e');
    await page.keyboard.press('#');
    await page.keyboard.press('g');
    await page.keyboard.press('i');
    await expect.poll(() => page.locator(`[data-thread-id="${first}"]`).count(), { timeout: 5_000 }).toBe(1);
    expect(
      await page
        .getByRole('status')
        .filter({ hasText: /archived|deleted/ })
        .count(),
    ).toBe(0);
    await page.keyboard.press('?');
    await expect.poll(() => page.getByRole('dialog', { name: 'Keyboard shortcuts' }).isVisible()).toBe(true);
    await ui.screenshot(page, 'shortcuts.png');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
    await page.keyboard.press('/');
    expect(
      await page
        .getByRole('searchbox', { name: 'Search mail' })
        .evaluate((el) => el === (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement),
    ).toBe(true);
    await ui.closePage(page);
  });

  it("lists the local account's inbox with unread counts in the sidebar and scrolls a virtualized list", async () => {
    const { page } = await guardedPage();
    const inbox = page.getByRole('navigation', { name: 'Mailboxes' }).getByRole('button', { name: /Inbox/ });
    await expect.poll(() => inbox.textContent()).toMatch(/Inbox\d+ unread/);
    // Virtualized: fewer rows in the DOM than threads loaded; scrolling to the end loads the next page.
    const setSize = async () => Number(await page.getByRole('option').first().getAttribute('aria-setsize'));
    const loaded = await setSize();
    expect(await page.getByRole('option').count()).toBeLessThan(loaded);
    await page.locator('.thread-list').evaluate((el) => {
      const list = el as unknown as { scrollTop: number; scrollHeight: number };
      list.scrollTop = list.scrollHeight;
    });
    await expect.poll(setSize, { timeout: 10_000 }).toBeGreaterThan(loaded);
    expect(Number(await page.getByRole('option').last().getAttribute('aria-posinset'))).toBeGreaterThan(loaded / 2);
    await ui.screenshot(page, 'inbox.png');
    await ui.closePage(page);
  });

  it('undoes an archive (Undo, or z) and a delete of ticked threads: back in the inbox', async () => {
    const { page } = await guardedPage();
    const rows = page.getByRole('option');
    const inInbox = async (id: string) =>
      ((await (await ui.api('/v1/email/threads?label=inbox&limit=500')).json()) as { data: Array<{ id: string }> }).data.some(
        (t) => t.id === id,
      );
    await page.keyboard.press('j');
    const archived = (await page.locator('[role="option"][aria-selected="true"]').getAttribute('data-thread-id')) as string;
    await page.keyboard.press('e');
    const toast = page.getByRole('status').filter({ hasText: 'Conversation archived.' });
    await expect.poll(() => toast.count(), { timeout: 5_000 }).toBe(1);
    await expect.poll(() => inInbox(archived)).toBe(false);
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => inInbox(archived)).toBe(true);
    await expect.poll(() => page.locator(`[data-thread-id="${archived}"]`).count()).toBe(1);
    await expect.poll(() => toast.count()).toBe(0);

    const ids = [
      (await rows.nth(1).getAttribute('data-thread-id')) as string,
      (await rows.nth(2).getAttribute('data-thread-id')) as string,
    ];
    for (const id of ids) await page.locator(`[data-thread-id="${id}"]`).click({ modifiers: ['Control'] });
    await page.locator('body').press('#');
    await expect.poll(() => page.getByRole('status').filter({ hasText: '2 conversations moved to Trash.' }).count()).toBe(1);
    await expect.poll(async () => (await Promise.all(ids.map(inInbox))).some(Boolean)).toBe(false);
    await page.locator('body').press('z');
    await expect.poll(async () => (await Promise.all(ids.map(inInbox))).every(Boolean)).toBe(true);
    await ui.closePage(page);
  });

  it('says when an action fails and keeps the thread shown', async () => {
    const { page } = await guardedPage();
    await page.keyboard.press('j');
    const pane = page.getByRole('region', { name: 'Reading pane' });
    await expect.poll(() => pane.locator('article.message').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.route('**/actions', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ code: 'service_unavailable', message: 'the index is busy', request_id: 'req_test' }),
      }),
    );
    await page.keyboard.press('s');
    await expect.poll(() => pane.getByRole('alert').textContent(), { timeout: 5_000 }).toContain('the index is busy');
    expect(await pane.locator('article.message').count()).toBeGreaterThan(0);
    await pane.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => pane.getByRole('alert').count()).toBe(0);
    await page.unroute('**/actions');
    await ui.closePage(page);
  });

  it('archives with "e" (the thread leaves the inbox, the next one opens) and stars from the toolbar', async () => {
    const { page } = await guardedPage();
    await page.keyboard.press('j');
    const selected = page.locator('[role="option"][aria-selected="true"]');
    await expect.poll(() => selected.count(), { timeout: 5_000 }).toBe(1);
    const archivedId = await selected.getAttribute('data-thread-id');
    const subject = await page.locator('.thread-subject').textContent();
    await page.keyboard.press('e');
    await expect.poll(() => page.locator(`[data-thread-id="${archivedId}"]`).count(), { timeout: 5_000 }).toBe(0);
    await expect.poll(() => page.locator('.thread-subject').textContent(), { timeout: 5_000 }).not.toBe(subject);

    const star = page.getByRole('toolbar', { name: 'Thread actions' }).getByRole('button', { name: 'Star' });
    await star.click();
    await expect
      .poll(() =>
        page
          .getByRole('toolbar', { name: 'Thread actions' })
          .getByRole('button', { name: 'Unstar' })
          .getAttribute('aria-pressed'),
      )
      .toBe('true');
    await ui.screenshot(page, 'thread-actions.png');

    // The index agrees: the archived thread is gone from the inbox after a reload.
    await page.reload();
    await expect.poll(() => page.getByRole('option').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await page.locator(`[data-thread-id="${archivedId}"]`).count()).toBe(0);
    await ui.closePage(page);
  });
});
