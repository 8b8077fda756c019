import { describe, expect, it } from 'vitest';
import { deliverToGmailInbox } from '../support/gmailDelivery.ts';
import { useGmailUiSession } from '../support/gmailUiSession.ts';
import { chromiumSurface } from '../support/uiSurface.ts';

const USER = 'alice@gmail.test';

/** Issue 21: Refresh in the mail view syncs now and says when mail was last synced. */
describe.skipIf(chromiumSurface.skipReason !== null)(
  `Refresh in the mail view (real Chromium)${chromiumSurface.skipReason ? ` — skipped: ${chromiumSurface.skipReason}` : ''}`,
  () => {
    const ui = useGmailUiSession(chromiumSurface, 10);

    it('brings new mail from Gmail on Refresh and says when mail was last synced', async () => {
      const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
      const rows = page.getByRole('option');
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(0);
      const state = page.locator('.mail-refresh-state');
      await expect.poll(() => state.textContent(), { timeout: 10_000 }).toMatch(/^Synced /);

      await deliverToGmailInbox(ui.emulator, USER, {
        from: 'Erin Refresh <erin@example.test>',
        subject: 'Brought by Refresh',
        messageId: 'refresh@example.test',
      });
      const before = await state.textContent();
      await page.getByRole('button', { name: 'Refresh' }).click();
      await expect.poll(() => rows.first().textContent(), { timeout: 20_000 }).toContain('Brought by Refresh');
      await expect.poll(() => state.textContent(), { timeout: 10_000 }).toMatch(/^Synced /);
      await expect.poll(() => page.getByRole('button', { name: 'Refresh' }).isEnabled(), { timeout: 10_000 }).toBe(true);
      expect(typeof before).toBe('string');
      await ui.screenshot(page, 'mail-refresh.png');
      await ui.closePage(page);
    }, 90_000);
  },
);
