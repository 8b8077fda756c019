import type { Page } from 'playwright';
import { describe, expect, it } from 'vitest';
import { deliverToGmailInbox } from '../support/gmailDelivery.ts';
import { useGmailUiSession } from '../support/gmailUiSession.ts';
import { chromiumSurface } from '../support/uiSurface.ts';

const USER = 'alice@gmail.test';

/** Records what the page asks of the Notification API (Chromium's own notifications are not observable here). */
const RECORD_NOTIFICATIONS = `(() => {
  const Real = window.Notification;
  const seen = { shown: [], asked: 0 };
  window.__notifications = seen;
  class Recording extends Real {
    constructor(title, options) {
      super(title, options);
      seen.shown.push({ title, body: options && options.body });
    }
  }
  Object.defineProperty(Recording, 'permission', { get: () => Real.permission });
  Recording.requestPermission = (...args) => { seen.asked += 1; return Real.requestPermission(...args); };
  window.Notification = Recording;
})()`;

/**
 * Issue 21: in a browser tab, new mail notifies only once the person turned notifications on in
 * Settings, which is where the browser's permission is asked (never on load).
 */
describe.skipIf(chromiumSurface.skipReason !== null)(
  `browser notifications for new mail (real Chromium)${chromiumSurface.skipReason ? ` — skipped: ${chromiumSurface.skipReason}` : ''}`,
  () => {
    const ui = useGmailUiSession(chromiumSurface, 10);
    const seen = (page: Page) =>
      page.evaluate<{ shown: { title: string; body: string }[]; asked: number }>('window.__notifications');

    async function newMail(page: Page, subject: string, id: string): Promise<void> {
      await deliverToGmailInbox(ui.emulator, USER, {
        from: 'Dana Live <dana@example.test>',
        subject,
        messageId: `${id}@example.test`,
      });
      expect((await ui.api('/v1/email/sync', { method: 'POST' })).status).toBe(200);
      await expect.poll(() => page.getByRole('option').first().textContent(), { timeout: 20_000 }).toContain(subject);
    }

    it('asks nothing on load, notifies nothing while off, and notifies new mail once turned on in Settings', async () => {
      const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
      await page.context().grantPermissions(['notifications'], { origin: ui.session.baseUrl });
      await page.context().addInitScript(RECORD_NOTIFICATIONS);
      await page.reload();
      await expect.poll(() => page.getByRole('option').count(), { timeout: 15_000 }).toBeGreaterThan(0);
      expect((await seen(page)).asked).toBe(0);

      // Off: new mail arrives (its row is the proof), and no notification was shown.
      await newMail(page, 'Arrived while notifications were off', 'notify-off');
      expect((await seen(page)).shown).toEqual([]);

      await page.getByRole('button', { name: 'Settings' }).click();
      const toggle = page.getByRole('checkbox', { name: /Show a browser notification when new mail/ });
      await toggle.check();
      await expect.poll(() => toggle.isChecked()).toBe(true);
      expect((await seen(page)).asked).toBeLessThanOrEqual(1);

      await page.getByRole('button', { name: /^Inbox/ }).click();
      await newMail(page, 'Arrived with notifications on', 'notify-on');
      await expect
        .poll(async () => (await seen(page)).shown, { timeout: 10_000 })
        .toEqual([{ title: 'Dana Live', body: 'Arrived with notifications on' }]);
      await ui.closePage(page);
    }, 120_000);
  },
);
