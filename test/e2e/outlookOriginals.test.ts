import { readFileSync } from 'node:fs';
import type { Page } from 'playwright';
import { describe, expect, it } from 'vitest';
import { openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { openBrowser as formPostBrowser } from '../emulator/microsoft/testAuth.ts';
import { emulatorControl, microsoftConfigFor, providerEnvFor, runMailSync } from '../support/emulatorAccounts.ts';
import { useUiSession } from '../support/uiHarness.ts';
import { chromiumSurface } from '../support/uiSurface.ts';

/** Issue 21: Show original works for an Outlook message (its source fetched from Graph on first request). */
describe.skipIf(chromiumSurface.skipReason !== null)(
  `Show original for Outlook messages (real Chromium)${chromiumSurface.skipReason ? ` — skipped: ${chromiumSurface.skipReason}` : ''}`,
  () => {
    let emulator: RunningEmulator | undefined;
    const ui = useUiSession(
      chromiumSurface,
      async (dataDir) => {
        emulator = await startEmulator({ autoConsent: true, seed: { kind: 'synthetic', count: 12 } });
        const engine = openEngine({
          log: silentLog,
          dataDir,
          providers: { google: null, microsoft: microsoftConfigFor(emulator.baseUrl) },
        });
        try {
          const account = await engine.providers.forConnect('microsoft').connect({ openBrowser: formPostBrowser });
          await runMailSync(engine, account.id, 'full');
        } finally {
          await engine.close();
        }
      },
      () => (emulator ? providerEnvFor(emulator.baseUrl) : {}),
    );
    const control = (path: string, init?: { method?: string; body?: unknown }) =>
      emulatorControl(emulator as RunningEmulator)(path, init);

    /** Opens the thread of row `index` and its newest message's Show original; the dialog and that message's id. */
    const showOriginal = async (page: Page, index: number) => {
      const rows = page.getByRole('option');
      // The first page of a just-started serve can take a while on a loaded machine (its start-up sync runs too).
      await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(index);
      await rows.nth(index).click();
      const threadId = await rows.nth(index).getAttribute('data-thread-id');
      const thread = (await (await ui.api(`/v1/email/threads/${threadId}`)).json()) as {
        data: { messages: Array<{ id: string }> };
      };
      const show = page.getByRole('region', { name: 'Reading pane' }).getByRole('button', { name: 'Show original' }).last();
      await expect.poll(() => show.isVisible(), { timeout: 10_000 }).toBe(true);
      await show.click();
      return { dialog: page.getByRole('dialog', { name: 'Original message' }), messageId: thread.data.messages.at(-1)?.id };
    };

    it('shows an Outlook message as it came (headers and MIME from Graph) and downloads those bytes as .eml', async () => {
      const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
      const { dialog, messageId } = await showOriginal(page, 0);
      await expect.poll(() => dialog.locator('pre').count(), { timeout: 15_000 }).toBe(1);
      const text = (await dialog.locator('pre').textContent()) ?? '';
      expect(text).toMatch(/^Subject: /m);
      expect(text).toMatch(/^Message-I[dD]: /m);
      expect(text).toMatch(/^MIME-Version: /m);
      await ui.screenshot(page, 'outlook-original.png');
      const download = page.waitForEvent('download');
      await dialog.getByRole('button', { name: 'Download .eml' }).click();
      const saved = await download;
      expect(saved.suggestedFilename()).toMatch(/\.eml$/);
      const raw = Buffer.from(await (await ui.api(`/v1/email/messages/${messageId}/raw`)).arrayBuffer());
      expect(readFileSync(await saved.path())).toEqual(raw);
      expect(text).toBe(raw.toString('latin1'));
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.count()).toBe(0);
      await ui.closePage(page);
    }, 90_000);

    it('says so, with no Download, when the original has yet to be fetched and Outlook cannot be reached', async () => {
      await control('/faults', {
        method: 'POST',
        body: { fault: { endpoint: 'graph.messages.value', kind: 'reset', count: 100 } },
      });
      try {
        const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
        const { dialog } = await showOriginal(page, 1);
        await expect
          .poll(() => dialog.textContent(), { timeout: 20_000 })
          .toMatch(/not been fetched from the provider yet, and the provider cannot be reached/);
        expect(await dialog.getByRole('button', { name: 'Download .eml' }).count()).toBe(0);
        expect(await dialog.locator('pre').count()).toBe(0);
        await ui.screenshot(page, 'outlook-original-offline.png');
        await ui.closePage(page);
      } finally {
        await control('/faults', { method: 'POST', body: { faults: [] } });
      }
    }, 90_000);
  },
);
