import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeCorpusMbox } from '../support/corpusMbox.ts';
import { runCli } from '../support/serveProcess.ts';
import { useUiSession } from '../support/uiHarness.ts';
import { chromiumSurface } from '../support/uiSurface.ts';

/**
 * The renderer's side of the desktop contract, in Chromium: the page is given
 * the object the preload exposes (`window.outpost`) and no session in its URL.
 * The Electron tests drive the real preload where a binary exists; these run
 * everywhere.
 */
describe.skipIf(chromiumSurface.skipReason !== null)(
  `the renderer with the desktop bridge (real Chromium)${chromiumSurface.skipReason ? ` — skipped: ${chromiumSurface.skipReason}` : ''}`,
  () => {
    const ui = useUiSession(chromiumSurface, async (dataDir, scratch) => {
      const mbox = join(scratch, 'corpus.mbox');
      writeCorpusMbox(mbox, 40);
      await runCli(['import-mbox', mbox, '--data-dir', dataDir]);
    });

    async function bridgedPage(vaultProtection: 'keychain' | 'file') {
      const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
      await page.addInitScript(
        ({ apiBaseUrl, sessionToken, vaultProtection }) => {
          const composed: unknown[] = [];
          Object.assign(globalThis, {
            composed,
            outpost: {
              apiBaseUrl,
              sessionToken,
              vaultProtection,
              onOpenThread() {},
              onNavigate() {},
              openCompose(draft: unknown) {
                composed.push(draft);
              },
            },
          });
        },
        { apiBaseUrl: ui.session.baseUrl, sessionToken: ui.session.sessionToken, vaultProtection },
      );
      // No session in the URL: everything goes through the bridge's base URL and token.
      await page.goto(`${ui.session.baseUrl}/`);
      await expect.poll(() => page.getByRole('option').count(), { timeout: 10_000 }).toBeGreaterThan(5);
      return page;
    }
    const composed = (page: Awaited<ReturnType<typeof bridgedPage>>) =>
      page.evaluate(() => (globalThis as unknown as { composed: Array<Record<string, unknown>> }).composed);

    it('asks the desktop for compose windows (new and reply) instead of opening the dialog', async () => {
      const page = await bridgedPage('keychain');
      await page.locator('body').press('c');
      await expect.poll(() => composed(page)).toEqual([{ to: [], cc: [], bcc: [], subject: '', body: '' }]);
      expect(await page.getByRole('form', { name: 'New message' }).count()).toBe(0);

      await page.getByRole('option').first().click();
      const subject = ((await page.locator('.thread-subject').textContent()) ?? '').trim();
      await page.locator('body').press('r');
      await expect.poll(async () => (await composed(page)).length).toBe(2);
      const reply = (await composed(page))[1] as { subject: string; threadId: string; to: string[] };
      expect(reply.subject.toLowerCase()).toBe(
        subject.toLowerCase().startsWith('re:') ? subject.toLowerCase() : `re: ${subject.toLowerCase()}`,
      );
      expect(reply.threadId).toMatch(/^thr_\d+$/);
      expect(reply.to.length).toBeGreaterThan(0);
      await ui.closePage(page);
    });

    it('says in Settings when no keychain protects the vault key, and only then', async () => {
      const withFile = await bridgedPage('file');
      await withFile.getByRole('button', { name: 'Settings' }).click();
      await expect.poll(() => withFile.getByRole('note').filter({ hasText: 'No system keychain' }).count()).toBe(1);
      await ui.closePage(withFile);
      const withKeychain = await bridgedPage('keychain');
      await withKeychain.getByRole('button', { name: 'Settings' }).click();
      await expect.poll(() => withKeychain.getByRole('region', { name: 'Settings' }).count()).toBe(1);
      expect(await withKeychain.getByRole('note').filter({ hasText: 'No system keychain' }).count()).toBe(0);
      await ui.closePage(withKeychain);
    });
  },
);
