import { join } from 'node:path';
import { expect, it } from 'vitest';
import { writeCorpusMbox } from '../support/corpusMbox.ts';
import { runCli } from '../support/serveProcess.ts';
import { useUiSession } from '../support/uiHarness.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

describeOnEachSurface('multi-select in the thread list', (surface) => {
  const ui = useUiSession(surface, async (dataDir, scratch) => {
    const mbox = join(scratch, 'corpus.mbox');
    writeCorpusMbox(mbox, 60);
    await runCli(['import-mbox', mbox, '--data-dir', dataDir]);
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
    await ui.screenshot(page, 'multi-select.png');

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
    await toolbar.getByRole('button', { name: 'Mark read' }).click();
    await expect.poll(unreadAmongLoaded, { timeout: 10_000 }).toBe(0);

    // The keys: * a ticks all again, * n none; the box follows. Once the action is answered the ticks go and the
    // rows follow the core's mail.changed, which can be after the API shows the change: wait for both.
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
});
