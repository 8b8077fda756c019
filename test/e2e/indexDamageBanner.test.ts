import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissingReason, launchChromium } from '../support/chromium.ts';
import { type RunningServe, startServe } from '../support/serveProcess.ts';
import { makeTempDir } from '../support/tempDir.ts';

/** The UI says the index is damaged (GET /v1/health) in a banner, in real Chromium against `outpost serve`. */
describe.skipIf(chromiumMissingReason !== null)(
  `the UI shows a damaged index${chromiumMissingReason ? ` — skipped: ${chromiumMissingReason}` : ''}`,
  () => {
    const dir = makeTempDir();
    let browser: Browser;
    let damaged: RunningServe;
    let healthy: RunningServe;

    beforeAll(async () => {
      // A truncated index (0 bytes) beside a vault key: damaged, not new.
      const damagedDir = join(dir.path, 'damaged');
      mkdirSync(damagedDir);
      writeFileSync(join(damagedDir, 'vault.key'), Buffer.alloc(32, 7), { mode: 0o600 });
      writeFileSync(join(damagedDir, 'index.sqlite'), '');
      damaged = await startServe(damagedDir);
      healthy = await startServe(join(dir.path, 'healthy'));
      browser = await launchChromium();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await damaged?.stop();
      await healthy?.stop();
      dir.remove();
    });

    it('a banner names the damage and outpost repair', async () => {
      const page = await browser.newPage();
      await page.goto(damaged.uiUrl);
      const banner = page.getByRole('alert').filter({ hasText: "Outpost's index is damaged" });
      await expect.poll(() => banner.count(), { timeout: 15_000 }).toBe(1);
      expect(await banner.textContent()).toMatch(/outpost repair.*empty \(0 bytes\)/);
      await page.close();
    });

    it('no banner over a healthy index', async () => {
      const page = await browser.newPage();
      // The banner asks health once as it mounts: wait for that answer, then look.
      const answered = page.waitForResponse((response) => response.url().endsWith('/v1/health'));
      await page.goto(healthy.uiUrl);
      expect((await answered).status()).toBe(200);
      await page.getByRole('heading', { name: 'Outpost' }).waitFor();
      expect(await page.getByText("Outpost's index is damaged").count()).toBe(0);
      await page.close();
    });
  },
);
