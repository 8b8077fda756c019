/**
 * "Select all N conversations in this view" (Gmail's banner over a ticked page): a bulk action on the
 * whole view, resolved by the core from the view's definition, not from the rows the list has loaded.
 * A 500-thread Inbox at the emulator's Gmail: Select all 500, Archive, and none is left in the Inbox
 * in the index or at Gmail.
 */
import { expect, it } from 'vitest';
import type { RunningEmulator } from '../emulator/index.ts';
import { emulatorControl, remoteGmailSnapshot } from '../support/emulatorAccounts.ts';
import { useGmailUiSession } from '../support/gmailUiSession.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

const USER = 'alice@gmail.test';
const THREADS = 500;

describeOnEachSurface('select all conversations of a view', (surface) => {
  const ui = useGmailUiSession(surface, 0, { prepare: deliverThreads });
  const running = () => ui.emulator;

  const inboxCount = async () => {
    const { data } = (await (await ui.api('/v1/email/labels')).json()) as {
      data: Array<{ role: string | null; thread_count: number }>;
    };
    return data.filter((l) => l.role === 'inbox').reduce((n, l) => n + l.thread_count, 0);
  };

  it('offers every conversation of the Inbox after the page is ticked, and archives all 500 in the index and at Gmail', async () => {
    expect(await inboxCount()).toBe(THREADS);
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    await expect.poll(() => page.getByRole('option').count(), { timeout: 15_000 }).toBeGreaterThan(8);
    await page.getByRole('checkbox', { name: 'Select all' }).check();
    const banner = page.getByRole('status').filter({ hasText: /conversations on this page are selected/ });
    await expect.poll(() => banner.textContent()).toMatch(/^All \d+ conversations on this page are selected\./);
    const selectView = banner.getByRole('button', { name: `Select all ${THREADS} conversations in Inbox` });
    await selectView.click();
    await expect
      .poll(() =>
        page
          .getByRole('status')
          .filter({ hasText: `All ${THREADS} conversations in Inbox are selected.` })
          .count(),
      )
      .toBe(1);
    const toolbar = page.getByRole('toolbar', { name: `${THREADS} selected` });
    await expect.poll(() => toolbar.isVisible()).toBe(true);
    await ui.screenshot(page, 'select-all-in-view.png');

    await toolbar.getByRole('button', { name: 'Archive', exact: true }).click();
    await expect.poll(inboxCount, { timeout: 20_000 }).toBe(0);
    // Undoable as one action, like an archive of ticked rows.
    expect(
      await page
        .getByRole('status')
        .filter({ hasText: `${THREADS} conversations archived.` })
        .count(),
    ).toBe(1);
    await expect.poll(() => page.getByRole('option').count(), { timeout: 15_000 }).toBe(0);
    // Pushed to Gmail through the change queue, like any archive.
    await expect
      .poll(async () => (await remoteGmailSnapshot(running(), USER)).filter((m) => m.labelIds.includes('INBOX')).length, {
        timeout: 60_000,
      })
      .toBe(0);
    expect(await remoteGmailSnapshot(running(), USER)).toHaveLength(THREADS);
    await ui.closePage(page);
  });
});

/** THREADS one-message conversations in the Gmail user's Inbox, a minute apart, the newest a minute ago. */
async function deliverThreads(emulator: RunningEmulator): Promise<void> {
  const control = emulatorControl(emulator);
  for (let n = 0; n < THREADS; n++) {
    const raw = [
      `From: Sender ${n} <sender${n}@example.org>`,
      `To: ${USER}`,
      `Subject: Bulk message ${n}`,
      `Date: ${new Date(Date.now() - (THREADS - n) * 60_000).toUTCString()}`,
      `Message-ID: <bulk-${n}@example.org>`,
      '',
      `Message number ${n}.`,
      '',
    ].join('\r\n');
    await control(`/google/users/${USER}/messages`, {
      method: 'POST',
      body: { raw: Buffer.from(raw).toString('base64url'), encoding: 'base64url', labelIds: ['INBOX', 'UNREAD'] },
    });
  }
}
