import { join } from 'node:path';
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { chromiumMissingReason, launchChromium } from '../support/chromium.ts';
import { autoConsentBrowser, emulatorControl, googleConfigFor, providerEnvFor } from '../support/emulatorAccounts.ts';
import { type RunningServe, startServe } from '../support/serveProcess.ts';
import { makeTempDir } from '../support/tempDir.ts';
import { SCREENSHOTS } from '../support/uiHarness.ts';

/**
 * The demo prints the UI's address while the first sync runs: a page opened
 * then never saw that sync queued, yet shows its progress from the next
 * progress event on (and the sync's end).
 */
describe.skipIf(chromiumMissingReason !== null)(
  `a sync queued before the page opened shows its progress${chromiumMissingReason ? ` — skipped: ${chromiumMissingReason}` : ''}`,
  () => {
    const dir = makeTempDir();
    let emulator: RunningEmulator;
    let serve: RunningServe;
    let browser: Browser;
    const control = (path: string, init?: { method?: string; body?: unknown }) => emulatorControl(emulator)(path, init);

    beforeAll(async () => {
      emulator = await startEmulator({ autoConsent: true, seed: { kind: 'synthetic', count: 1500 } });
      const engine = openEngine({
        log: silentLog,
        dataDir: dir.path,
        providers: { google: googleConfigFor(emulator.baseUrl), microsoft: null },
      });
      try {
        const account = await engine.providers.forConnect('google').connect({ openBrowser: autoConsentBrowser });
        // Queued before serve starts, as the demo does: no page can have seen it queued.
        engine.jobs.enqueue({ kind: 'email_sync', mode: 'incremental', accountIds: [account.id] });
      } finally {
        await engine.close();
      }
      // Slow Gmail down so the first sync is still under way when the page opens.
      await control('/faults', { method: 'POST', body: { fault: { endpoint: 'gmail.*', kind: 'latency', latencyMs: 30 } } });
      serve = await startServe(dir.path, [], {
        ...providerEnvFor(emulator.baseUrl),
        OUTPOST_GMAIL_QUOTA_UNITS_PER_SECOND: '1000000',
      });
      browser = await launchChromium();
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await serve?.stop();
      await emulator?.stop();
      dir.remove();
    });

    it('shows "Syncing N of T messages" in the header, gone when the sync ends', async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      await page.goto(serve.uiUrl);
      const status = page.locator('.app-header .sync-status');
      try {
        await expect
          .poll(async () => ((await status.count()) > 0 ? await status.textContent() : ''), { timeout: 60_000 })
          .toMatch(/^Syncing [\d,]+ of 1,500 messages$/);
        await page.screenshot({ path: join(SCREENSHOTS, 'sync-progress-on-open.png') });
      } finally {
        await control('/faults', { method: 'DELETE' });
      }
      await expect.poll(() => status.count(), { timeout: 60_000 }).toBe(0);
      await page.close();
    }, 180_000);
  },
);
