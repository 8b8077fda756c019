import type { Page } from 'playwright';
import { expect, it } from 'vitest';
import { emulatorControl } from '../support/emulatorAccounts.ts';
import { useGmailUiSession } from '../support/gmailUiSession.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

const USER = 'alice@gmail.test';

/**
 * The list is a cache patched from the core's mail.changed events: what a script or a sync changes
 * shows in the open list, fetched by id, without the page or the list's pages being loaded again.
 */
describeOnEachSurface('the open list follows changes made elsewhere (mail.changed)', (surface) => {
  const ui = useGmailUiSession(surface, 40);

  /** The list's requests the page makes: its pages (?label=) and the patches' lookups by id (?ids=). */
  const watchListRequests = (page: Page) => {
    const seen = { pages: 0, byIds: 0 };
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (request.method() !== 'GET' || url.pathname !== '/v1/email/threads') return;
      if (url.searchParams.has('label')) seen.pages++;
      if (url.searchParams.has('ids')) seen.byIds++;
    });
    return seen;
  };

  it('stars, archives and brings new mail into the open inbox without reloading the page or the list', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    const requests = watchListRequests(page);
    const rows = page.getByRole('option');
    const list = page.getByRole('listbox', { name: 'Conversations' });
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(8);
    await expect.poll(() => list.getAttribute('aria-busy')).toBe('false');
    // A page that reloads loses this.
    await page.evaluate(() => {
      (globalThis as { sameDocument?: boolean }).sameDocument = true;
    });
    const idOf = async (i: number) => (await rows.nth(i).getAttribute('data-thread-id')) as string;
    const row = (id: string) => page.locator(`[role="option"][data-thread-id="${id}"]`);

    // The user reads the first thread and has ticked the sixth; both stay through what follows.
    const opened = await idOf(0);
    const ticked = await idOf(5);
    await rows.nth(0).click();
    const pane = page.getByRole('region', { name: 'Reading pane' });
    await expect.poll(() => pane.locator('article.message').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const subject = await pane.locator('.thread-subject').textContent();
    await row(ticked).click({ modifiers: ['Control'] });
    await expect.poll(() => page.locator('[data-checked]').count()).toBe(1);
    // Only now count: the first page is loaded (the reader's mark-read may touch its thread, which is fine).
    requests.pages = 0;

    // A script with its own key stars one thread and archives another.
    const created = (await (
      await ui.api('/v1/keys', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'live list test', scopes: ['read:email', 'write:email'] }),
      })
    ).json()) as { data: { key: string } };
    const script = (path: string, body: unknown) =>
      fetch(`${ui.session.baseUrl}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${created.data.key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const starred = await idOf(2);
    const archived = await idOf(3);
    expect(await row(starred).locator('.icon.star').count()).toBe(0);
    expect((await script(`/v1/email/threads/${starred}/actions`, { action: 'star' })).status).toBe(200);
    expect((await script(`/v1/email/threads/${archived}/actions`, { action: 'archive' })).status).toBe(200);
    await expect.poll(() => row(starred).locator('.icon.star').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => row(archived).count(), { timeout: 10_000 }).toBe(0);

    // New mail at Gmail, brought by a sync the script asks for: it shows at the top.
    await emulatorControl(ui.emulator)(`/google/users/${USER}/messages`, {
      method: 'POST',
      body: {
        raw: Buffer.from(
          [
            'From: Dana Live <dana@example.test>',
            `To: ${USER}`,
            'Subject: Arrived while the list was open',
            `Date: ${new Date().toUTCString()}`,
            'Message-ID: <live-list@example.test>',
            '',
            'Hello.',
            '',
          ].join('\r\n'),
        ).toString('base64url'),
        encoding: 'base64url',
        labelIds: ['INBOX', 'UNREAD'],
      },
    });
    expect((await script('/v1/email/sync', {})).status).toBe(200);
    await expect.poll(() => rows.first().textContent(), { timeout: 15_000 }).toContain('Arrived while the list was open');

    // Patched, not reloaded: the threads were fetched by id; the page and the list's pages were not loaded again.
    expect(requests.byIds).toBeGreaterThan(0);
    expect(requests.pages).toBe(0);
    expect(await page.evaluate(() => (globalThis as { sameDocument?: boolean }).sameDocument)).toBe(true);
    // What the user had stays: the open thread and the tick.
    expect(await pane.locator('.thread-subject').textContent()).toBe(subject);
    expect(await row(opened).getAttribute('aria-selected')).toBe('true');
    expect(await row(ticked).getAttribute('data-checked')).toBe('true');
    await ui.screenshot(page, 'live-list.png');
    await ui.closePage(page);
  }, 90_000);
});
