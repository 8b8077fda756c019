import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chromiumMissingReason } from '../support/chromium.ts';
import { writeCorpusMbox } from '../support/corpusMbox.ts';
import { runCli } from '../support/serveProcess.ts';
import { SCREENSHOTS, useUiHarness } from '../support/uiHarness.ts';

describe.skipIf(chromiumMissingReason !== null)(
  `reading mail in the UI (real Chromium)${chromiumMissingReason ? ` — skipped: ${chromiumMissingReason}` : ''}`,
  () => {
    const ui = useUiHarness(async (dataDir, scratch) => {
      const mbox = join(scratch, 'corpus.mbox');
      writeCorpusMbox(mbox, 120);
      await runCli(['import-mbox', mbox, '--data-dir', dataDir]);
    });

    it('shows the thread list, opens a thread and shows its messages', async () => {
      const page = await ui.browser.newPage({ viewport: { width: 1280, height: 800 } });
      const consoleErrors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
      });
      await page.goto(ui.serve.uiUrl);

      const rows = page.getByRole('option');
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(10);
      // The session moved from the address bar into sessionStorage.
      expect(page.url()).not.toContain('session=');

      const firstRow = rows.first();
      const subject = (await firstRow.locator('.subject').textContent())?.trim();
      await firstRow.click();
      const pane = page.getByRole('region', { name: 'Reading pane' });
      await expect.poll(() => pane.locator('.thread-subject').textContent(), { timeout: 10_000 }).toBe(subject);
      expect(await pane.locator('article.message').count()).toBeGreaterThan(0);
      expect((await pane.locator('.message-body').first().textContent())?.length).toBeGreaterThan(10);
      expect(await firstRow.getAttribute('aria-selected')).toBe('true');

      await page.screenshot({ path: join(SCREENSHOTS, 'skeleton-thread.png') });
      expect(consoleErrors).toEqual([]);
      await page.close();
    });

    it('keeps working after a reload (session kept for the tab)', async () => {
      const page = await ui.browser.newPage();
      await page.goto(ui.serve.uiUrl);
      await expect.poll(() => page.getByRole('option').count(), { timeout: 10_000 }).toBeGreaterThan(0);
      await page.reload();
      await expect.poll(() => page.getByRole('option').count(), { timeout: 10_000 }).toBeGreaterThan(0);
      await page.close();
    });

    it('shows an error, not a blank page, without a session', async () => {
      const page = await ui.browser.newPage();
      await page.goto(`${ui.serve.baseUrl}/`);
      await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 10_000 }).toMatch(/missing credentials/);
      await page.close();
    });
  },
);
