import { describe, expect, it } from 'vitest';
import { emulatorControl } from '../support/emulatorAccounts.ts';
import { deliverToGmailInbox } from '../support/gmailDelivery.ts';
import { useGmailUiSession } from '../support/gmailUiSession.ts';
import { GMAIL_USER as GMAIL, useTwoAccountUi } from '../support/twoAccountUi.ts';
import { chromiumSurface } from '../support/uiSurface.ts';

const USER = 'alice@gmail.test';
const OUTLOOK = 'bob@contoso.test';

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

/** Issue 21: in one account's mailbox Refresh syncs that account only, and shows its own state; unified views sync all. */
describe.skipIf(chromiumSurface.skipReason !== null)(
  `Refresh per account (real Chromium)${chromiumSurface.skipReason ? ` — skipped: ${chromiumSurface.skipReason}` : ''}`,
  () => {
    const ui = useTwoAccountUi(chromiumSurface, 10);
    const control = (path: string, init?: { method?: string; body?: unknown }) => emulatorControl(ui.emulator)(path, init);
    const inboxSubjects = async (accountId: string) =>
      (
        (await (await ui.api(`/v1/email/threads?label=inbox&account_id=${accountId}&limit=100`)).json()) as {
          data: Array<{ subject: string }>;
        }
      ).data.map((t) => t.subject);

    it("syncs only the account in view from its mailbox, with that account's state; every account from a unified view", async () => {
      const accounts = ((await (await ui.api('/v1/accounts')).json()) as { data: Array<{ id: string; email: string }> }).data;
      const gmail = accounts.find((a) => a.email === GMAIL) as { id: string; email: string };
      const outlook = accounts.find((a) => a.email === OUTLOOK) as { id: string; email: string };
      // Only when asked: no scheduled sync brings the mail meanwhile.
      for (const account of [gmail, outlook])
        await ui.api(`/v1/accounts/${account.id}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email_sync_minutes: 0 }),
        });
      const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
      const state = page.locator('.mail-refresh-state');
      const refresh = page.getByRole('button', { name: 'Refresh' });
      const openInbox = async (email: string) => {
        await page
          .getByRole('region', { name: email })
          .getByRole('button', { name: /^Inbox/ })
          .click();
        await expect.poll(() => page.getByRole('heading', { name: new RegExp(`Inbox.*${email}`) }).count()).toBe(1);
      };
      await expect.poll(() => page.getByRole('region', { name: OUTLOOK }).count(), { timeout: 30_000 }).toBe(1);

      await deliverToGmailInbox(ui.emulator, GMAIL, {
        from: 'Gail <gail@example.test>',
        subject: 'Gmail waits for its own refresh',
        messageId: 'gmail-waits@example.test',
      });
      await control('/microsoft/messages', { method: 'POST', body: { subject: 'Outlook brought by its refresh' } });

      // Outlook's Inbox: Refresh brings Outlook's mail, and Gmail's stays at Gmail.
      await openInbox(OUTLOOK);
      expect(await refresh.getAttribute('title')).toBe(`Sync ${OUTLOOK} now`);
      await refresh.click();
      await expect
        .poll(() => page.getByRole('option').first().textContent(), { timeout: 30_000 })
        .toContain('Outlook brought by its refresh');
      await expect.poll(() => refresh.isEnabled(), { timeout: 20_000 }).toBe(true);
      await expect.poll(() => state.textContent(), { timeout: 10_000 }).toMatch(/^Synced /);
      expect(await inboxSubjects(gmail.id)).not.toContain('Gmail waits for its own refresh');

      // Gmail's Inbox, its sync failing: the failure is Gmail's, shown there and not in Outlook's Inbox.
      await control('/faults', {
        method: 'POST',
        body: { fault: { endpoint: 'gmail.users.history.list', kind: 'status', status: 400, count: 1 } },
      });
      await openInbox(GMAIL);
      await refresh.click();
      await expect.poll(() => state.textContent(), { timeout: 30_000 }).toMatch(new RegExp(`^Sync failed for ${GMAIL}`));
      await ui.screenshot(page, 'mail-refresh-account-failed.png');
      await openInbox(OUTLOOK);
      await expect.poll(() => state.textContent(), { timeout: 10_000 }).toMatch(/^Synced /);

      // The unified Inbox: every account.
      await page
        .getByRole('button', { name: /^Inbox/ })
        .first()
        .click();
      expect(await refresh.getAttribute('title')).toBe("Sync every account's mail now");
      await refresh.click();
      await expect.poll(() => inboxSubjects(gmail.id), { timeout: 30_000 }).toContain('Gmail waits for its own refresh');
      await expect.poll(() => state.textContent(), { timeout: 20_000 }).toMatch(/^Synced /);
      await ui.screenshot(page, 'mail-refresh-unified.png');
      await ui.closePage(page);
    }, 120_000);
  },
);
