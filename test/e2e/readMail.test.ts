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
    // In a browser the session moved from the address bar into sessionStorage (the desktop app never had it there).
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

  it('keeps working after a reload (session kept for the tab)', async () => {
    const page = await ui.openPage();
    await expect.poll(() => page.getByRole('option').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.reload();
    await expect.poll(() => page.getByRole('option').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await ui.closePage(page);
  });

  // A browser tab can arrive without a session; the desktop app always has one from its preload.
  it.skipIf(surface.name !== 'chromium')('shows an error, not a blank page, without a session', async () => {
    const page = await ui.openPage({ withoutSession: true });
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 10_000 }).toMatch(/missing credentials/);
    await ui.closePage(page);
  });
});
