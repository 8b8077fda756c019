import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { writeCorpusMbox } from '../support/corpusMbox.ts';
import { runCli } from '../support/serveProcess.ts';
import { useUiSession } from '../support/uiHarness.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

describeOnEachSurface('multi-select in the thread list', (surface) => {
  const ui = useUiSession(surface, async (dataDir, scratch) => {
    const mbox = join(scratch, 'corpus.mbox');
    writeCorpusMbox(mbox, 120); // more conversations than the list loads at first
    await runCli(['import-mbox', mbox, '--data-dir', dataDir]);
    // A second account with the newest mail, so the unified Inbox mixes two at its top.
    const other = join(scratch, 'other.mbox');
    const message = (n: number) => {
      // Minutes ago, newer than the corpus's mail (written relative to now: no calendar date in the fixture).
      const at = new Date(Date.now() - (10 - n) * 60_000);
      return `From other@example.com ${at.toUTCString().replace(/^(\w+), (\d+) (\w+) (\d+) (\S+) GMT$/, '$1 $3 $2 $5 $4')}\nFrom: Other ${n} <other${n}@example.org>\nTo: other@example.com\nSubject: Other account ${n}\nDate: ${at.toUTCString()}\nMessage-ID: <other-${n}@example.org>\n\nHello ${n}.\n\n`;
    };
    writeFileSync(other, [0, 1, 2].map(message).join(''));
    await runCli(['import-mbox', other, '--account', 'other@example.com', '--data-dir', dataDir]);
  });

  it('ticks threads with Ctrl-click and Shift-click, and archives them together', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    const rows = page.getByRole('option');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(8);
    const idOf = (i: number) => rows.nth(i).getAttribute('data-thread-id');
    const picked = [await idOf(0), await idOf(2), await idOf(3), await idOf(4)];

    await rows.nth(0).click({ modifiers: ['Control'] });
    await rows.nth(2).click({ modifiers: ['Control'] });
    await rows.nth(4).click({ modifiers: ['Shift'] }); // the range 2..4
    const toolbar = page.getByRole('toolbar', { name: '4 selected' });
    await expect.poll(() => toolbar.isVisible()).toBe(true);
    expect(await page.locator('[data-checked]').count()).toBe(4);

    await toolbar.getByRole('button', { name: 'Archive' }).click();
    await expect.poll(() => page.getByRole('toolbar', { name: /selected/ }).count()).toBe(0);
    await expect
      .poll(async () => {
        const ids = await page
          .locator('[data-thread-id]')
          .evaluateAll((els) =>
            els.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-thread-id')),
          );
        return picked.filter((id) => ids.includes(id)).length;
      })
      .toBe(0);
    await ui.closePage(page);
  });

  it('ticks every loaded conversation with Select all (or * a), marks them read together, and * n unticks all', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    await expect.poll(() => page.getByRole('option').count(), { timeout: 10_000 }).toBeGreaterThan(8);
    const selectAll = page.getByRole('checkbox', { name: 'Select all' });
    // The box says how many are loaded (the list pages in as it scrolls; all of them are newest first).
    const loaded = Number(/Select all (\d+) loaded/.exec((await selectAll.getAttribute('title')) ?? '')?.[1]);
    expect(loaded).toBeGreaterThan(8);
    const unreadAmongLoaded = async () => {
      const { data } = (await (await ui.api(`/v1/email/threads?label=inbox&limit=${loaded}`)).json()) as {
        data: Array<{ unread_count: number }>;
      };
      return data.filter((t) => t.unread_count > 0).length;
    };
    expect(await unreadAmongLoaded()).toBeGreaterThan(0);

    await selectAll.check();
    const toolbar = page.getByRole('toolbar', { name: `${loaded} selected` });
    await expect.poll(() => toolbar.isVisible()).toBe(true);
    // More in the Inbox than loaded: Gmail's banner offers them all.
    const inInbox = (
      (await (await ui.api('/v1/email/labels')).json()) as { data: Array<{ role: string | null; thread_count: number }> }
    ).data
      .filter((l) => l.role === 'inbox')
      .reduce((n, l) => n + l.thread_count, 0);
    expect(inInbox).toBeGreaterThan(loaded);
    const banner = page.getByRole('status').filter({ hasText: 'conversations on this page are selected' });
    await expect
      .poll(() => banner.textContent())
      .toBe(`All ${loaded} conversations on this page are selected. Select all ${inInbox} conversations in Inbox`);
    await ui.screenshot(page, 'multi-select.png');
    await toolbar.getByRole('button', { name: 'Mark read' }).click();
    await expect.poll(unreadAmongLoaded, { timeout: 10_000 }).toBe(0);
    // Marking leaves every row in the view: the ticks stay for the next action, as in Gmail.
    await expect.poll(() => page.locator('.thread-row.unread').count(), { timeout: 10_000 }).toBe(0);
    // (The core's change of so many threads may reload the list's first page: the ticks stay on every row listed.)
    const stillTicked = page.getByRole('toolbar', { name: /selected$/ });
    expect(await stillTicked.isVisible()).toBe(true);
    expect(await page.locator('.thread-row:not(.checked)').count()).toBe(0);
    await stillTicked.getByRole('button', { name: 'Clear' }).click();

    // The keys: * a ticks all again, * n none; the box follows.
    await expect.poll(() => page.getByRole('toolbar', { name: /selected/ }).count(), { timeout: 10_000 }).toBe(0);
    const list = page.getByRole('listbox', { name: 'Conversations' });
    await expect.poll(() => list.getAttribute('aria-busy'), { timeout: 10_000 }).toBe('false');
    await expect.poll(() => page.getByRole('option').count(), { timeout: 10_000 }).toBeGreaterThan(8);
    const reloaded = Number(/Select all (\d+) loaded/.exec((await selectAll.getAttribute('title')) ?? '')?.[1]);
    await page.locator('body').press('*');
    await page.keyboard.press('a');
    await expect.poll(() => page.getByRole('toolbar', { name: `${reloaded} selected` }).count()).toBe(1);
    expect(await page.getByRole('checkbox', { name: 'Select none' }).isChecked()).toBe(true);
    await page.keyboard.press('*');
    await page.keyboard.press('n');
    await expect.poll(() => page.getByRole('toolbar', { name: /selected/ }).count()).toBe(0);
    expect(await page.getByRole('checkbox', { name: 'Select all' }).isChecked()).toBe(false);
    await ui.closePage(page);
  });

  it('has a labelled tick box on every row, reachable by Tab, and Shift-click ticks a range without selecting text', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    const rows = page.getByRole('option');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(8);
    const boxes = page.getByRole('checkbox', { name: /^Select conversation: / });
    expect(await boxes.count()).toBe(await rows.count());
    const first = boxes.first();
    expect(await first.isVisible()).toBe(true);
    // Each box sits on its row.
    const rowBox = await rows.first().boundingBox();
    const tickBox = await first.boundingBox();
    expect(tickBox && rowBox && tickBox.y >= rowBox.y && tickBox.y + tickBox.height <= rowBox.y + rowBox.height).toBe(true);

    await first.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('[data-checked]').count()).toBe(1);
    await page.keyboard.press('Tab');
    expect(
      await boxes
        .nth(1)
        .evaluate((e) => e === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement),
    ).toBe(true);

    await boxes.nth(4).click({ modifiers: ['Shift'] });
    await expect.poll(() => page.locator('[data-checked]').count()).toBe(5);
    await rows.nth(6).click({ modifiers: ['Shift'] });
    await expect.poll(() => page.locator('[data-checked]').count()).toBe(7);
    expect(await page.evaluate(() => String((globalThis as unknown as { getSelection(): unknown }).getSelection()))).toBe('');

    // The bulk toolbar is its own bar above the list: the first row stays in full view below it.
    const toolbar = page.getByRole('toolbar', { name: '7 selected' });
    const bar = await toolbar.boundingBox();
    const firstRow = await rows.first().boundingBox();
    expect(bar && firstRow && bar.y + bar.height <= firstRow.y).toBe(true);
    expect(
      await toolbar
        .getByRole('button', { name: 'Archive' })
        .evaluate(
          (b) =>
            (globalThis as unknown as { getComputedStyle(e: unknown): { borderRadius: string } }).getComputedStyle(b)
              .borderRadius,
        ),
    ).not.toBe('0px');
    await ui.screenshot(page, 'multi-select-range.png');
    await toolbar.getByRole('button', { name: 'Clear' }).click();
    await ui.closePage(page);
  });

  it('shows archive, delete, read and star buttons on the row under the pointer, acting on that row', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    const rows = page.getByRole('option');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(8);
    const row = rows.nth(1);
    const id = await row.getAttribute('data-thread-id');
    const subject = (await row.locator('.subject').textContent()) ?? '';
    await row.hover();
    const actions = page.getByRole('toolbar', { name: `Actions on ${subject}` });
    await expect.poll(() => actions.isVisible()).toBe(true);
    const names = await actions
      .getByRole('button')
      .evaluateAll((bs) =>
        bs.map((b) => (b as unknown as { getAttribute(n: string): string | null }).getAttribute('aria-label')),
      );
    expect(names).toEqual([
      'Archive',
      'Delete',
      expect.stringMatching(/^Mark as (read|unread)$/),
      expect.stringMatching(/^(Star|Unstar)$/),
    ]);
    await ui.screenshot(page, 'multi-select-hover.png');
    const starred = async () =>
      ((await (await ui.api(`/v1/email/threads/${id}`)).json()) as { data: { is_starred: boolean } }).data.is_starred;
    const wasStarred = await starred();
    await actions.getByRole('button', { name: wasStarred ? 'Unstar' : 'Star' }).click();
    await expect.poll(starred).toBe(!wasStarred);
    await actions.getByRole('button', { name: 'Archive' }).click();
    await expect.poll(() => page.locator(`[data-thread-id="${id}"]`).count(), { timeout: 10_000 }).toBe(0);
    await page.getByRole('status').filter({ hasText: 'Conversation archived.' }).getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => page.locator(`[data-thread-id="${id}"]`).count(), { timeout: 10_000 }).toBe(1);
    await ui.closePage(page);
  });

  it('says Label and Move apply to one account at a time when the ticks span two, and offers the choice', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    const rows = page.getByRole('option');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(8);
    const accounts = ((await (await ui.api('/v1/accounts')).json()) as { data: Array<{ id: string; email: string }> }).data;
    const firstInboxThread = async (email: string) => {
      const account = accounts.find((a) => a.email === email);
      const { data } = (await (await ui.api(`/v1/email/threads?label=inbox&account_id=${account?.id}&limit=1`)).json()) as {
        data: Array<{ id: string }>;
      };
      return page.locator(`[data-thread-id="${data[0]?.id}"]`);
    };
    const main = accounts.find((a) => a.email !== 'other@example.com')?.email as string;
    for (const row of [await firstInboxThread('other@example.com'), await firstInboxThread(main)]) {
      await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
      await row.click({ modifiers: ['Control'] });
    }
    const toolbar = page.getByRole('toolbar', { name: '2 selected' });
    await expect.poll(() => toolbar.isVisible()).toBe(true);
    expect(await toolbar.textContent()).toContain('Label and Move apply to one account at a time');
    const label = toolbar.getByRole('button', { name: 'Label', exact: true });
    expect(await label.isDisabled()).toBe(true);
    const choice = toolbar.getByRole('group', { name: 'Account for Label and Move' });
    await choice.getByRole('button', { name: 'other@example.com (1)' }).click();
    expect(await choice.getByRole('button', { name: 'other@example.com (1)' }).getAttribute('aria-pressed')).toBe('true');
    expect(await label.isDisabled()).toBe(false);
    await toolbar.getByRole('button', { name: 'Move to' }).click();
    await expect.poll(() => page.getByRole('dialog').count()).toBe(1);
    await page.keyboard.press('Escape');
    await toolbar.getByRole('button', { name: 'Clear' }).click();
    await ui.closePage(page);
  });
});
