import { join } from 'node:path';
import { expect, it } from 'vitest';
import { writeCorpusMbox } from '../support/corpusMbox.ts';
import { runCli } from '../support/serveProcess.ts';
import { useUiSession } from '../support/uiHarness.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

describeOnEachSurface('reading mail in the UI', (surface) => {
  const ui = useUiSession(surface, async (dataDir, scratch) => {
    const mbox = join(scratch, 'corpus.mbox');
    writeCorpusMbox(mbox, 120);
    await runCli(['import-mbox', mbox, '--data-dir', dataDir]);
  });

  it('shows the thread list, opens a thread and shows its messages', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    const consoleErrors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await page.reload();

    const rows = page.getByRole('option');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(10);
    // In a browser the session left the address bar for an HttpOnly cookie (the desktop app never had it there).
    expect(page.url()).not.toContain('session=');

    const firstRow = rows.first();
    const subject = (await firstRow.locator('.subject').textContent())?.trim();
    await firstRow.click();
    const pane = page.getByRole('region', { name: 'Reading pane' });
    await expect.poll(() => pane.locator('.thread-subject').textContent(), { timeout: 10_000 }).toBe(subject);
    expect(await pane.locator('article.message').count()).toBeGreaterThan(0);
    expect((await pane.locator('.message-body').first().textContent())?.length).toBeGreaterThan(10);
    expect(await firstRow.getAttribute('aria-selected')).toBe('true');

    await ui.screenshot(page, 'skeleton-thread.png');
    expect(consoleErrors).toEqual([]);
    await ui.closePage(page);
  });

  it('shows one pane at a time in a narrow window: the list, or the thread with Back; mailboxes in a drawer', async () => {
    const page = await ui.openPage({ viewport: { width: 700, height: 800 } });
    const rows = page.getByRole('option');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(5);
    const pane = page.getByRole('region', { name: 'Reading pane' });
    const mailboxes = page.getByRole('navigation', { name: 'Mailboxes' });
    expect(await pane.isVisible()).toBe(false);
    expect(await mailboxes.isVisible()).toBe(false);

    await rows.nth(1).click();
    await expect.poll(() => pane.locator('.thread-subject').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await rows.first().isVisible()).toBe(false);
    // The thread has the whole width (less its padding), not a third of it.
    expect((await pane.boundingBox())?.width).toBeGreaterThan(650);
    await ui.screenshot(page, 'narrow-thread.png');
    await pane.getByRole('button', { name: '← Back' }).click();
    await expect.poll(() => rows.first().isVisible(), { timeout: 5_000 }).toBe(true);
    expect(await pane.isVisible()).toBe(false);
    // u goes back to the list too (Gmail's key), even while the thread is still loading: its late
    // answer must not open it again.
    const slowThread = /\/v1\/email\/threads\/thr_[^/?]+$/;
    await page.route(slowThread, async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await route.continue();
    });
    await rows.nth(2).click();
    await expect.poll(() => pane.isVisible(), { timeout: 10_000 }).toBe(true);
    await page.keyboard.press('u');
    await page.waitForTimeout(800);
    expect(await rows.first().isVisible()).toBe(true);
    expect(await pane.isVisible()).toBe(false);
    await page.unroute(slowThread);

    const drawer = page.getByRole('button', { name: 'Mailboxes' });
    await drawer.click();
    expect(await drawer.getAttribute('aria-expanded')).toBe('true');
    await expect.poll(() => mailboxes.isVisible()).toBe(true);
    await mailboxes.getByRole('button', { name: /^Calendar/ }).click();
    await expect.poll(() => page.getByRole('region', { name: 'Calendar' }).isVisible(), { timeout: 5_000 }).toBe(true);
    expect(await mailboxes.isVisible()).toBe(false);
    await ui.closePage(page);

    // A wide window has no drawer button and shows the list beside the reading pane.
    const wide = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    await expect.poll(() => wide.getByRole('option').count(), { timeout: 10_000 }).toBeGreaterThan(5);
    expect(await wide.getByRole('button', { name: 'Mailboxes' }).count()).toBe(0);
    expect(await wide.getByRole('region', { name: 'Reading pane' }).isVisible()).toBe(true);
    await ui.closePage(wide);
  });

  it("shows a message's original (headers and MIME as text) and downloads it as .eml", async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    const rows = page.getByRole('option');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(3);
    await rows.first().click();
    const pane = page.getByRole('region', { name: 'Reading pane' });
    const show = pane.getByRole('button', { name: 'Show original' }).last();
    await expect.poll(() => show.isVisible(), { timeout: 10_000 }).toBe(true);
    await show.click();
    const dialog = page.getByRole('dialog', { name: 'Original message' });
    await expect.poll(() => dialog.locator('pre').count(), { timeout: 10_000 }).toBe(1);
    const text = (await dialog.locator('pre').textContent()) ?? '';
    expect(text).toMatch(/^Subject: /m);
    expect(text).toMatch(/^(Message-I[dD]|Received): /m);
    // The newest message is the one shown last; its raw comes from the API byte for byte.
    const threadId = await rows.first().getAttribute('data-thread-id');
    const thread = (await (await ui.api(`/v1/email/threads/${threadId}`)).json()) as {
      data: { messages: Array<{ id: string }> };
    };
    const raw = Buffer.from(await (await ui.api(`/v1/email/messages/${thread.data.messages.at(-1)?.id}/raw`)).arrayBuffer());
    expect(text).toBe(raw.toString('latin1'));
    if (surface.name === 'chromium') {
      const download = page.waitForEvent('download');
      await dialog.getByRole('button', { name: 'Download .eml' }).click();
      const saved = await download;
      expect(saved.suggestedFilename()).toMatch(/\.eml$/);
    }
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await ui.closePage(page);
  });

  it('keeps working after a reload (session kept for the tab)', async () => {
    const page = await ui.openPage();
    await expect.poll(() => page.getByRole('option').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.reload();
    await expect.poll(() => page.getByRole('option').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await ui.closePage(page);
  });

  // A browser tab can arrive without a session; the desktop app always has one from its preload.
  it.skipIf(surface.name !== 'chromium')('says how to get a session, not a blank page, without one', async () => {
    const page = await ui.openPage({ withoutSession: true });
    await expect.poll(() => page.getByRole('main').textContent(), { timeout: 10_000 }).toMatch(/outpost serve/);
    await ui.closePage(page);
  });
});
