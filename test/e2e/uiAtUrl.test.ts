import { join } from 'node:path';
import type { Page } from 'playwright';
import { describe, expect, it } from 'vitest';
import { writeCorpusMbox } from '../support/corpusMbox.ts';
import { runCli } from '../support/serveProcess.ts';
import { useUiSession } from '../support/uiHarness.ts';
import { chromiumSurface } from '../support/uiSurface.ts';

/**
 * Issue 21, a UI that lives at a URL (Chromium on `outpost serve`): every mailbox, thread and search
 * has an address that survives a reload, a new tab and Back; the printed link's session becomes an
 * HttpOnly, SameSite=Strict cookie so a tab opened later needs no `#session=`; a page with no session
 * says how to get one; the tab title counts the Inbox's unread conversations.
 */
describe.skipIf(chromiumSurface.skipReason !== null)(
  `the UI lives at a URL (real Chromium)${chromiumSurface.skipReason ? ` — skipped: ${chromiumSurface.skipReason}` : ''}`,
  () => {
    const ui = useUiSession(chromiumSurface, async (dataDir, scratch) => {
      const mbox = join(scratch, 'corpus.mbox');
      writeCorpusMbox(mbox, 60);
      await runCli(['import-mbox', mbox, '--data-dir', dataDir]);
    });

    const rows = (page: Page) => page.getByRole('option');
    const pane = (page: Page) => page.getByRole('region', { name: 'Reading pane' });
    const hash = (page: Page) => new URL(page.url()).hash;

    it('gives a thread an address: a new tab (no #session=) shows it after a reload, and Back returns to the list', async () => {
      const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
      await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBeGreaterThan(5);
      expect(page.url()).not.toContain('session=');
      expect(hash(page)).toBe('#/mail/all/inbox');

      const row = rows(page).nth(2);
      const subject = (await row.locator('.subject').textContent())?.trim();
      await row.click();
      await expect.poll(() => pane(page).locator('.thread-subject').textContent(), { timeout: 10_000 }).toBe(subject);
      await expect.poll(() => hash(page)).toMatch(/^#\/mail\/all\/inbox\/thread\/[^/]+$/);
      const threadUrl = page.url();

      // The same browser, a new tab, the address only: the cookie from the first visit is the session.
      const tab = await page.context().newPage();
      await tab.goto(threadUrl);
      await expect.poll(() => pane(tab).locator('.thread-subject').textContent(), { timeout: 10_000 }).toBe(subject);
      await tab.reload();
      await expect.poll(() => pane(tab).locator('.thread-subject').textContent(), { timeout: 10_000 }).toBe(subject);
      expect(await tab.getByText('missing credentials').count()).toBe(0);
      await tab.close();

      // Back from the thread: its list, nothing open, still in the app.
      await page.goBack();
      await expect.poll(() => hash(page)).toBe('#/mail/all/inbox');
      await expect.poll(() => pane(page).locator('.thread-subject').count()).toBe(0);
      expect(await rows(page).count()).toBeGreaterThan(5);
      // Forward opens it again.
      await page.goForward();
      await expect.poll(() => pane(page).locator('.thread-subject').textContent(), { timeout: 10_000 }).toBe(subject);

      // The cookie the link was exchanged for: HttpOnly, SameSite=Strict, path /, for the loopback origin only.
      const cookies = await page.context().cookies(ui.session.baseUrl);
      const session = cookies.find((c) => c.name === 'authjs.session-token');
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', domain: '127.0.0.1' });
      expect(await page.evaluate<string>('document.cookie')).not.toContain('authjs.session-token');
      await ui.closePage(page);
    });

    it('gives a search an address that reloads into the same results, and a mailbox one that Back returns to', async () => {
      const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
      await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBeGreaterThan(5);
      const subject = (await rows(page).first().locator('.subject').textContent())?.trim() ?? '';
      const word = subject.split(/\s+/).find((w) => /^[A-Za-z]{4,}$/.test(w)) ?? subject.split(/\s+/)[0] ?? '';
      const query = `subject:${word.toLowerCase()}`;
      await page.getByRole('searchbox', { name: 'Search mail' }).fill(query);
      await expect.poll(() => hash(page), { timeout: 10_000 }).toBe(`#/search/${encodeURIComponent(query)}`);
      await expect.poll(() => page.locator('.list-title').textContent(), { timeout: 10_000 }).toBe(`Search: ${query}`);
      await expect.poll(() => rows(page).count(), { timeout: 10_000 }).toBeGreaterThan(0);
      const found = await rows(page).locator('.subject').allTextContents();

      await page.reload();
      await expect.poll(() => page.locator('.list-title').textContent(), { timeout: 15_000 }).toBe(`Search: ${query}`);
      await expect.poll(() => rows(page).locator('.subject').allTextContents(), { timeout: 10_000 }).toEqual(found);
      expect(await page.getByRole('searchbox', { name: 'Search mail' }).inputValue()).toBe(query);

      // Back from the search: the Inbox it was typed over.
      await page.goBack();
      await expect.poll(() => hash(page)).toBe('#/mail/all/inbox');
      await expect.poll(() => page.locator('.list-title').textContent()).toBe('Inbox');
      await ui.closePage(page);
    });

    it('keeps one account’s mailbox and search in the address (#/mail/<account>/..., #/search/.../account/<id>)', async () => {
      const accounts = ((await (await ui.api('/v1/accounts')).json()) as { data: { id: string }[] }).data;
      const account = accounts[0]?.id as string;
      const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
      await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBeGreaterThan(0);
      const scoped: string[] = [];
      page.on('request', (request) => {
        const url = new URL(request.url());
        if (url.searchParams.get('account_id') === account) scoped.push(url.pathname);
      });
      await page.goto(`${ui.session.baseUrl}/#/mail/${encodeURIComponent(account)}/inbox`);
      await expect.poll(() => scoped, { timeout: 10_000 }).toContain('/v1/email/threads');
      await expect.poll(() => rows(page).count(), { timeout: 10_000 }).toBeGreaterThan(0);
      await page.reload();
      await expect.poll(() => hash(page)).toBe(`#/mail/${encodeURIComponent(account)}/inbox`);
      scoped.length = 0;
      await page.getByRole('searchbox', { name: 'Search mail' }).fill('hello');
      await expect.poll(() => hash(page), { timeout: 10_000 }).toBe(`#/search/hello/account/${encodeURIComponent(account)}`);
      expect(scoped).toContain('/v1/email/search');
      await ui.closePage(page);
    });

    it('gives a calendar view and day an address that reloads into the same view, and Back steps back', async () => {
      const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
      await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBeGreaterThan(0);
      const heading = page.locator('.calendar-toolbar h2');
      await page.getByRole('button', { name: 'Calendar' }).click();
      await expect.poll(() => hash(page)).toMatch(/^#\/calendar\/week\/\d{4}-\d{2}-\d{2}$/);
      const thisWeek = await heading.textContent();
      // Forty days on, by the browser's own calendar: a month view around a day that is not today's.
      const later = await page.evaluate<string>(
        "(() => { const d = new Date(); d.setDate(d.getDate() + 40); return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0'); })()",
      );
      await page.goto(`${ui.session.baseUrl}/#/calendar/month/${later}`);
      await expect.poll(() => hash(page)).toBe(`#/calendar/month/${later}`);
      await expect.poll(() => heading.textContent(), { timeout: 10_000 }).not.toBe(thisWeek);
      const month = await heading.textContent();
      await page.reload();
      await expect.poll(() => heading.textContent(), { timeout: 10_000 }).toBe(month);
      await page.getByRole('button', { name: 'Next month' }).click();
      await expect.poll(() => heading.textContent()).not.toBe(month);
      await page.goBack();
      await expect.poll(() => hash(page)).toBe(`#/calendar/month/${later}`);
      await expect.poll(() => heading.textContent()).toBe(month);
      await ui.closePage(page);
    });

    it('keeps a place chosen while the page still loads (Settings clicked at once) over the address it opened at', async () => {
      const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
      await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBeGreaterThan(0);
      // The labels' answer, which the addresses wait for, held until Settings is clicked.
      let release = () => {};
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      await page.route('**/v1/email/labels', async (route) => {
        await held;
        await route.continue();
      });
      await page.reload();
      await page.getByRole('button', { name: 'Settings' }).click();
      const labelsLoaded = page.waitForResponse((response) => new URL(response.url()).pathname === '/v1/email/labels');
      release();
      await labelsLoaded;
      // Settings stays (it went back to the Inbox before) and is the address.
      await expect.poll(() => hash(page)).toBe('#/settings');
      expect(await page.getByRole('region', { name: 'Settings' }).count()).toBe(1);
      // The Inbox, not loaded yet, loads when its address is followed.
      await page.goto(`${ui.session.baseUrl}/#/mail/all/inbox`);
      await expect.poll(() => rows(page).count(), { timeout: 10_000 }).toBeGreaterThan(0);
      await ui.closePage(page);
    });

    it('names the Inbox’s unread count in the tab title', async () => {
      const page = await ui.openPage();
      await expect.poll(() => rows(page).count(), { timeout: 15_000 }).toBeGreaterThan(0);
      const answer = await ui.api('/v1/email/labels');
      const labels = ((await answer.json()) as { data: { role: string | null; unread_thread_count: number }[] }).data;
      const unread = labels.filter((l) => l.role === 'inbox').reduce((n, l) => n + l.unread_thread_count, 0);
      await expect
        .poll(() => page.title(), { timeout: 10_000 })
        .toBe(unread > 0 ? `Inbox (${unread}) — Outpost` : 'Inbox — Outpost');
      await ui.closePage(page);
    });

    it('says how to get a session on a page that has none, instead of Offline and a raw error', async () => {
      const page = await ui.openPage({ withoutSession: true, viewport: { width: 1280, height: 800 } });
      const notice = page.getByRole('main');
      await expect.poll(() => notice.textContent(), { timeout: 10_000 }).toContain('outpost serve');
      expect(await notice.textContent()).toMatch(/open the link it prints/);
      expect(await page.getByText('Offline').count()).toBe(0);
      expect(await page.getByText('missing credentials').count()).toBe(0);
      await ui.screenshot(page, 'no-session.png');
      await ui.closePage(page);
    });
  },
);
