import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexPath } from '../../main/core/paths.ts';
import { openIndex } from '../../main/db/openIndex.ts';
import { ensureAccount } from '../../main/db/queries/accounts.ts';
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
      // A connected account, for the notification settings to name (its sync has no sign-in and says so).
      const db = openIndex(indexPath(dataDir));
      ensureAccount(db, 'gmail', 'ann@gmail.test');
      db.close();
    });

    async function bridgedPage(vaultProtection: 'keychain' | 'file') {
      const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
      await page.addInitScript(
        ({ apiBaseUrl, sessionToken, vaultProtection }) => {
          const composed: unknown[] = [];
          // The app's stored preferences, as the main process would keep them.
          let notificationPrefs = { enabled: true, doNotDisturb: false, mutedAccounts: [] as string[] };
          Object.assign(globalThis, {
            composed,
            storedPrefs: () => notificationPrefs,
            outpost: {
              async getNotificationPrefs() {
                return notificationPrefs;
              },
              async setNotificationPrefs(prefs: typeof notificationPrefs) {
                notificationPrefs = prefs;
                return prefs;
              },
              apiBaseUrl,
              sessionToken: () => sessionToken,
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

    it("changes the desktop app's notifications in Settings: off and on, do not disturb, an account muted", async () => {
      const page = await bridgedPage('keychain');
      await page.getByRole('button', { name: 'Settings' }).click();
      const section = page.getByRole('region', { name: 'Notifications' });
      const stored = () => page.evaluate(() => (globalThis as unknown as { storedPrefs(): unknown }).storedPrefs());
      const ann = section.getByRole('checkbox', { name: 'For ann@gmail.test' });
      await expect.poll(() => ann.isChecked(), { timeout: 10_000 }).toBe(true);
      const annId = ((await (await ui.api('/v1/accounts')).json()) as { data: Array<{ id: string; email: string }> }).data.find(
        (a) => a.email === 'ann@gmail.test',
      )?.id;
      await ann.uncheck();
      await expect.poll(stored).toEqual({ enabled: true, doNotDisturb: false, mutedAccounts: [annId] });
      await ann.check();
      await expect.poll(stored).toEqual({ enabled: true, doNotDisturb: false, mutedAccounts: [] });
      await section.getByRole('checkbox', { name: /Do not disturb/ }).check();
      await expect.poll(stored).toEqual({ enabled: true, doNotDisturb: true, mutedAccounts: [] });
      await section.getByRole('checkbox', { name: /Show a notification/ }).uncheck();
      await expect.poll(stored).toEqual({ enabled: false, doNotDisturb: true, mutedAccounts: [] });
      expect(await section.getByRole('checkbox', { name: /Do not disturb/ }).isDisabled()).toBe(true);
      await ui.closePage(page);

      // A plain browser tab has no desktop notifications to set: its Notifications are the browser's own.
      const plain = await ui.openPage({ viewport: { width: 1280, height: 800 } });
      await plain.getByRole('button', { name: 'Settings' }).click();
      await expect.poll(() => plain.getByRole('region', { name: 'Settings' }).count()).toBe(1);
      const browserSection = plain.getByRole('region', { name: 'Notifications' });
      expect(await browserSection.getByRole('checkbox', { name: /Show a browser notification/ }).count()).toBe(1);
      expect(await plain.getByRole('checkbox', { name: /Show a notification when new mail/ }).count()).toBe(0);
      expect(await plain.getByRole('checkbox', { name: /Do not disturb/ }).count()).toBe(0);
      expect(await plain.getByRole('checkbox', { name: 'For ann@gmail.test' }).count()).toBe(0);
      await ui.closePage(plain);
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
