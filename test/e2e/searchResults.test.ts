import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright';
import { expect, it } from 'vitest';
import { openIndex } from '../../main/db/openIndex.ts';
import { listAccounts } from '../../main/db/queries/accounts.ts';
import { upsertLabel } from '../../main/db/queries/labels.ts';
import { listThreadsOfAccount } from '../../main/db/queries/threadReads.ts';
import { applyThreadAction } from '../../main/mail/threadActions.ts';
import { publicId } from '../../shared/ids.ts';
import { writeCorpusMbox } from '../support/corpusMbox.ts';
import { runCli } from '../support/serveProcess.ts';
import { useUiSession } from '../support/uiHarness.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

const MEETING = [
  'From kim@team.example Mon Nov 23 09:00:00 2026',
  'From: Kim Planner <kim@team.example>',
  'To: me@example.test',
  'Subject: Team sync moved to Thursday',
  'Date: Mon, 23 Nov 2026 09:00:00 +0000',
  'Message-ID: <team-sync@team.example>',
  'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'The weekly meeting moves to Thursday at ten, same room.',
  '',
].join('\n');

/** The corpus's thread "RedHat 8.0 and his own freetype": five messages among the first 320, two of them one conversation by their references. */
const FREETYPE = 'RedHat 8.0 and his own freetype';
const SPAM_ACCOUNT = 'spam-source@example.test';

interface ApiPage<T> {
  data: T[];
  total?: number;
  total_estimated?: boolean;
}
interface Summary {
  id: string;
  subject: string;
  message_count: number;
  label_ids: string[];
}

/** Gives the account a Spam folder (as Gmail's and Outlook's have) and reports all its threads as spam; their ids. */
function reportAllAsSpam(indexPath: string, email: string): string[] {
  const db = openIndex(indexPath);
  try {
    const account = listAccounts(db).find((a) => a.email === email);
    if (!account) throw new Error(`no account ${email}`);
    upsertLabel(db, account.id, { remoteId: 'SPAM', name: 'Spam', kind: 'system', role: 'spam' });
    const threads = listThreadsOfAccount(db, account.id, 1000);
    for (const thread of threads) applyThreadAction(db, thread.id, 'spam');
    return threads.map((t) => publicId('thr', t.id));
  } finally {
    db.close();
  }
}

/** A label of the user's own in the (one) local account, as a provider's account has. */
function addUserLabel(indexPath: string, name: string): void {
  const db = openIndex(indexPath);
  try {
    for (const account of listAccounts(db)) upsertLabel(db, account.id, { remoteId: name, name, kind: 'user', role: null });
  } finally {
    db.close();
  }
}

describeOnEachSurface('search results in the UI', (surface) => {
  let spamThreads: string[] = [];
  const ui = useUiSession(surface, async (dataDir, scratch) => {
    // Ham: the first 320 messages of the corpus, one more that mentions viagra, and a meeting.
    const ham = join(scratch, 'ham.mbox');
    writeCorpusMbox(ham, 320);
    const extra = join(scratch, 'extra.mbox');
    writeCorpusMbox(extra, 1, 2438); // "[IIU] Postcards from Planet Google": ham that names viagra
    appendFileSync(ham, readFileSync(extra));
    appendFileSync(ham, `\n${MEETING}`);
    expect((await runCli(['import-mbox', ham, '--data-dir', dataDir])).code).toBe(0);
    addUserLabel(join(dataDir, 'index.sqlite'), 'Work');
    // Spam: 30 messages of the corpus's spam (one about viagra) in an account with a Spam folder, reported as spam there.
    const spam = join(scratch, 'spam.mbox');
    writeCorpusMbox(spam, 30, 4180);
    expect((await runCli(['import-mbox', spam, '--account', SPAM_ACCOUNT, '--data-dir', dataDir])).code).toBe(0);
    spamThreads = reportAllAsSpam(join(dataDir, 'index.sqlite'), SPAM_ACCOUNT);
  });

  async function json<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await ui.api(path, init);
    expect(response.status, path).toBeLessThan(300);
    return (await response.json()) as T;
  }
  const search = (q: string) =>
    json<ApiPage<{ thread_id: string; matching_messages: number; thread: Summary }>>(
      `/v1/email/search?q=${encodeURIComponent(q)}`,
    );
  const inboxIds = async () => (await json<ApiPage<Summary>>('/v1/email/threads?label=inbox&limit=500')).data.map((t) => t.id);

  async function openApp(width = 1400): Promise<Page> {
    const page = await ui.openPage({ viewport: { width, height: 900 } });
    await expect.poll(() => page.getByRole('option').count(), { timeout: 10_000 }).toBeGreaterThan(5);
    return page;
  }
  const results = (page: Page) => page.getByRole('listbox', { name: 'Search results' }).getByRole('option');
  const listedIds = (page: Page) =>
    results(page).evaluateAll((els) =>
      els.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-thread-id')),
    );
  const countLine = (page: Page) => page.getByRole('status').filter({ hasText: /conversations?$/ });

  it('finds the word being typed: "meetin" shows the meeting', async () => {
    const page = await openApp();
    await page.getByRole('searchbox', { name: 'Search mail' }).pressSequentially('meetin', { delay: 30 });
    await expect
      .poll(() => results(page).filter({ hasText: 'Team sync moved to Thursday' }).count(), { timeout: 10_000 })
      .toBe(1);
    expect(await page.getByText('No conversations match').count()).toBe(0);
    await ui.closePage(page);
  }, 60_000);

  it('leaves Spam out: "viagra" lists the ham that names it and none of the reported spam', async () => {
    const inSpam = await search('viagra in:spam');
    expect(inSpam.data.length).toBeGreaterThan(0); // the spam is there and matches when asked for
    const page = await openApp();
    await page.getByRole('searchbox', { name: 'Search mail' }).fill('viagra');
    await expect
      .poll(() => results(page).filter({ hasText: 'Postcards from Planet Google' }).count(), { timeout: 10_000 })
      .toBe(1);
    const shown = await listedIds(page);
    expect(shown.filter((id) => spamThreads.includes(id as string))).toEqual([]);
    await ui.closePage(page);
  }, 60_000);

  it('shows a conversation of several matches as one row with its message count, and counts the results', async () => {
    const api = await search(FREETYPE);
    const several = api.data.find((hit) => hit.matching_messages > 1);
    const thread = several?.thread;
    expect(thread?.subject).toContain(FREETYPE);
    expect(thread?.message_count).toBeGreaterThan(1);
    const page = await openApp();
    await page.getByRole('searchbox', { name: 'Search mail' }).fill(FREETYPE);
    await expect.poll(() => results(page).count(), { timeout: 10_000 }).toBe(api.data.length);
    // One row for the conversation, with its messages counted, however many of them match.
    const row = page.locator(`[data-thread-id="${thread?.id}"]`);
    expect(await row.count()).toBe(1);
    expect(await row.locator('.count').textContent()).toBe(` ${thread?.message_count}`);
    expect(await row.locator('mark').count()).toBeGreaterThan(0);
    expect(new Set(await listedIds(page)).size).toBe(api.data.length);
    const conversations = api.total === 1 ? '1 conversation' : `${api.total} conversations`;
    await expect.poll(() => countLine(page).textContent(), { timeout: 10_000 }).toBe(conversations);
    expect(api.total_estimated).toBe(false);
    await ui.screenshot(page, 'search-conversations.png');
    await ui.closePage(page);
  }, 60_000);

  it("says when nothing matches, and shows the core's reason when it refuses a query", async () => {
    const page = await openApp();
    const box = page.getByRole('searchbox', { name: 'Search mail' });
    await box.fill('zqxjkvw');
    await expect.poll(() => page.getByText('No conversations match zqxjkvw.').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => countLine(page).textContent()).toBe('0 conversations');
    const refused = await ui.api(`/v1/email/search?q=${encodeURIComponent('has:wings')}`);
    expect(refused.status).toBe(400);
    const { message } = (await refused.json()) as { message: string };
    await box.fill('has:wings');
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 10_000 }).toBe(message);
    expect(await page.getByText('No conversations match').count()).toBe(0);
    await ui.closePage(page);
  }, 60_000);

  it('ticks two results, archives and labels them: still listed, without their Inbox chip, with the label', async () => {
    const page = await openApp();
    await page.getByRole('searchbox', { name: 'Search mail' }).fill('freetype');
    await expect.poll(() => results(page).count(), { timeout: 10_000 }).toBeGreaterThan(2);
    const inbox = await inboxIds();
    const candidates = (await listedIds(page)).filter((id) => inbox.includes(id as string)) as string[];
    expect(candidates.length).toBeGreaterThanOrEqual(2);
    const picked = candidates.slice(0, 2);
    for (const id of picked) {
      const row = page.locator(`[data-thread-id="${id}"]`);
      expect(await row.locator('.label-chip', { hasText: 'Inbox' }).count()).toBe(1);
      await row.click({ modifiers: ['Control'] });
    }
    const toolbar = page.getByRole('toolbar', { name: '2 selected' });
    await expect.poll(() => toolbar.isVisible()).toBe(true);
    await toolbar.getByRole('button', { name: 'Archive' }).click();
    await expect.poll(async () => (await inboxIds()).filter((id) => picked.includes(id)), { timeout: 10_000 }).toEqual([]);
    await expect.poll(() => page.getByRole('toolbar', { name: /selected/ }).count()).toBe(0);
    // Still matching, so still listed (as in Gmail), and the rows say they left the inbox.
    for (const id of picked)
      await expect
        .poll(() => page.locator(`[data-thread-id="${id}"]`).locator('.label-chip', { hasText: 'Inbox' }).count(), {
          timeout: 10_000,
        })
        .toBe(0);
    expect((await listedIds(page)).filter((id) => picked.includes(id as string))).toHaveLength(2);

    // Labelled from the results: the rows show the label.
    for (const id of picked) await page.locator(`[data-thread-id="${id}"]`).click({ modifiers: ['Control'] });
    await toolbar.getByRole('button', { name: 'Label' }).click();
    await page.getByRole('dialog', { name: 'Label as' }).getByRole('checkbox', { name: 'Work' }).check();
    for (const id of picked)
      await expect
        .poll(() => page.locator(`[data-thread-id="${id}"]`).locator('.label-chip', { hasText: 'Work' }).count(), {
          timeout: 10_000,
        })
        .toBe(1);
    await page.getByRole('dialog', { name: 'Label as' }).press('Escape');
    await ui.closePage(page);
  }, 60_000);

  it('is a view to stay in: a result opened and closed (Back, Esc) leaves the query, rows, scroll and ticks as they were', async () => {
    const page = await openApp(700); // narrow: the list and the conversation take turns
    const box = page.getByRole('searchbox', { name: 'Search mail' });
    await box.fill('the');
    await expect.poll(() => results(page).count(), { timeout: 10_000 }).toBeGreaterThan(10);
    const list = page.locator('.thread-list');
    await list.evaluate((el) => {
      (el as unknown as { scrollTop: number }).scrollTop = 600;
    });
    const scrollTop = () => list.evaluate((el) => (el as unknown as { scrollTop: number }).scrollTop);
    await expect.poll(scrollTop).toBe(600);
    // Rows wholly in view (clicking one scrolls nothing).
    const listBox = await list.boundingBox();
    const rowsInView: string[] = [];
    for (const row of await results(page).all()) {
      const box = await row.boundingBox();
      if (listBox && box && box.y >= listBox.y && box.y + box.height <= listBox.y + listBox.height)
        rowsInView.push((await row.getAttribute('data-thread-id')) as string);
    }
    /** Where each of those rows is on screen (none when hidden). */
    const placesInView = async () =>
      Promise.all(rowsInView.map(async (id) => (await page.locator(`[data-thread-id="${id}"]`).boundingBox())?.y));
    expect(rowsInView.length).toBeGreaterThan(2);
    await page.locator(`[data-thread-id="${rowsInView[0]}"]`).click({ modifiers: ['Control'] });
    await expect.poll(() => page.getByRole('toolbar', { name: '1 selected' }).count()).toBe(1);
    // Where the list was left (the toolbar over the rows may have moved it to keep the rows in place).
    const scrolled = await scrollTop();
    expect(scrolled).toBeGreaterThanOrEqual(600);
    const places = await placesInView();
    const loaded = await results(page).first().getAttribute('aria-setsize');

    for (const back of ['button', 'Escape'] as const) {
      await page.locator(`[data-thread-id="${rowsInView[1]}"]`).click();
      const pane = page.getByRole('region', { name: 'Reading pane' });
      await expect.poll(() => pane.locator('article.message').count(), { timeout: 10_000 }).toBeGreaterThan(0);
      await expect.poll(() => list.isVisible()).toBe(false);
      if (back === 'button') await pane.getByRole('button', { name: /Back/ }).first().click();
      else await page.locator('body').press('Escape');
      await expect.poll(() => list.isVisible(), { timeout: 5_000 }).toBe(true);
      expect(await box.inputValue()).toBe('the');
      await expect.poll(scrollTop).toBe(scrolled);
      expect(await placesInView()).toEqual(places);
      expect(await results(page).first().getAttribute('aria-setsize')).toBe(loaded);
      expect(await page.getByRole('toolbar', { name: '1 selected' }).count()).toBe(1);
      expect(await page.locator(`[data-thread-id="${rowsInView[0]}"]`).getAttribute('data-checked')).toBe('true');
    }
    // Choosing a mailbox leaves the search: the box empties.
    await page.getByRole('button', { name: 'Mailboxes' }).click();
    await page
      .getByRole('navigation', { name: 'Mailboxes' })
      .getByRole('button', { name: /^Inbox/ })
      .first()
      .click(); // the unified Inbox
    await expect.poll(() => box.inputValue()).toBe('');
    await ui.closePage(page);
  }, 60_000);
});
