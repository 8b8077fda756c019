/**
 * A narrow window (under 860 px): the mailboxes are a modal drawer (opened by its button; closed by Esc,
 * a click beside it that activates nothing under it, or choosing a mailbox; Tab stays inside; focus goes
 * back to the button), and the header, list and reader fit the width without overlapping.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from 'playwright';
import { expect, it } from 'vitest';
import { useTwoAccountUi } from '../support/twoAccountUi.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

/** What has keyboard focus: inside the open drawer, or the element's accessible label. */
interface FocusedElement {
  closest(selector: string): unknown;
  getAttribute(name: string): string | null;
  tagName: string;
}
const focusedIn = (page: Page) =>
  page.evaluate(() => {
    const active = (globalThis as unknown as { document: { activeElement: FocusedElement | null } }).document.activeElement;
    if (active?.closest('[role="dialog"][aria-label="Mailboxes"]')) return 'drawer';
    return active?.getAttribute('aria-label') ?? active?.tagName ?? null;
  });

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
const overlaps = (a: Box, b: Box) =>
  a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5;

/** Each control wholly inside the window's width, none over another. */
async function fitSideBySide(page: Page, controls: Array<[string, Locator]>) {
  const width = page.viewportSize()?.width ?? 0;
  const boxes: Array<[string, Box]> = [];
  for (const [name, control] of controls) {
    const box = await control.boundingBox();
    expect(box, `${name} is shown`).not.toBeNull();
    if (!box) continue;
    expect(box.x, `${name} starts inside the window`).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, `${name} ends inside the ${width} px window`).toBeLessThanOrEqual(width + 0.5);
    for (const [other, otherBox] of boxes) expect(overlaps(box, otherBox), `${name} overlaps ${other}`).toBe(false);
    boxes.push([name, box]);
  }
}

const pageOverflow = (page: Page) =>
  page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } })
      .document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });

describeOnEachSurface('a narrow window', (surface) => {
  const ui = useTwoAccountUi(surface, 40);

  it('opens the mailboxes as a modal drawer that keeps focus, and closes it on Esc, a click beside it, or a mailbox chosen', async () => {
    const page = await ui.openPage({ viewport: { width: 600, height: 800 } });
    const rows = page.getByRole('option');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(5);
    const button = page.getByRole('button', { name: 'Mailboxes' });
    const drawer = page.getByRole('dialog', { name: 'Mailboxes' });
    expect(await drawer.count()).toBe(0);

    await button.click();
    await expect.poll(() => drawer.isVisible()).toBe(true);
    expect(await drawer.getAttribute('aria-modal')).toBe('true');
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    expect(await drawer.getByRole('navigation', { name: 'Mailboxes' }).isVisible()).toBe(true);
    await expect.poll(() => focusedIn(page)).toBe('drawer');
    // Tab and Shift+Tab go round the drawer's controls, never behind it.
    const stops = await drawer.locator('button:visible, input:visible').count();
    for (let i = 0; i < stops + 2; i++) {
      await page.keyboard.press('Tab');
      expect(await focusedIn(page)).toBe('drawer');
    }
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Shift+Tab');
      expect(await focusedIn(page)).toBe('drawer');
    }
    await ui.screenshot(page, 'narrow-drawer.png');
    // axe-core's WCAG 2.1 A/AA rules on the open drawer (serious and critical findings).
    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    expect(
      axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`),
    ).toEqual([]);

    await page.keyboard.press('Escape');
    await expect.poll(() => drawer.count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'Mailboxes' }).isVisible()).toBe(false);
    expect(await focusedIn(page)).toBe('Mailboxes');
    expect(await button.getAttribute('aria-expanded')).toBe('false');

    // A click beside the drawer, on a row under it, closes the drawer and opens nothing.
    await button.click();
    await expect.poll(() => drawer.isVisible()).toBe(true);
    const drawerBox = await drawer.boundingBox();
    const rowBox = await rows.nth(2).boundingBox();
    if (!drawerBox || !rowBox) throw new Error('the drawer or the row has no box');
    const url = page.url();
    await page.mouse.click(drawerBox.x + drawerBox.width + 20, rowBox.y + rowBox.height / 2);
    await expect.poll(() => drawer.count()).toBe(0);
    expect(await focusedIn(page)).toBe('Mailboxes');
    await page.waitForTimeout(500); // nothing opens afterwards either
    expect(await page.getByRole('region', { name: 'Reading pane' }).isVisible()).toBe(false);
    expect(await rows.nth(2).getAttribute('aria-selected')).not.toBe('true');
    expect(page.url()).toBe(url);

    // A window widened with the drawer open shows the sidebar in place, and narrowed again, the list (no drawer left open).
    await button.click();
    await expect.poll(() => drawer.isVisible()).toBe(true);
    await page.setViewportSize({ width: 1280, height: 800 });
    await expect.poll(() => drawer.count()).toBe(0);
    expect(await page.getByRole('navigation', { name: 'Mailboxes' }).isVisible()).toBe(true);
    await page.setViewportSize({ width: 600, height: 800 });
    await expect.poll(() => page.getByRole('navigation', { name: 'Mailboxes' }).isVisible()).toBe(false);
    expect(await button.getAttribute('aria-expanded')).toBe('false');

    // Choosing a mailbox shows it and closes the drawer.
    await button.click();
    const outlook = ((await (await ui.api('/v1/accounts')).json()) as { data: Array<{ email: string }> }).data[1] as {
      email: string;
    };
    await drawer
      .getByRole('region', { name: outlook.email })
      .getByRole('button', { name: /^Inbox/ })
      .click();
    await expect.poll(() => drawer.count()).toBe(0);
    await expect.poll(() => page.locator('.list-title').textContent(), { timeout: 10_000 }).toContain(outlook.email);
    expect(await focusedIn(page)).toBe('Mailboxes');
    await ui.closePage(page);
  }, 90_000);

  it('keeps a compose window above the open drawer, in view and writable', async () => {
    const page = await ui.openPage({ viewport: { width: 600, height: 800 } });
    await expect.poll(() => page.getByRole('option').count(), { timeout: 30_000 }).toBeGreaterThan(5);
    await page.locator('body').press('c');
    const form = page.getByRole('form', { name: 'New message' });
    const subject = form.getByLabel('Subject');
    await expect.poll(() => subject.isVisible(), { timeout: 10_000 }).toBe(true);

    await page.getByRole('button', { name: 'Mailboxes' }).click();
    const drawer = page.getByRole('dialog', { name: 'Mailboxes' });
    await expect.poll(() => drawer.isVisible()).toBe(true);
    // What is on top at the middle of the subject field is the field itself, not the drawer or its scrim.
    const box = await subject.boundingBox();
    if (!box) throw new Error('the subject field has no box');
    interface Hit {
      ownerDocument: { elementFromPoint(x: number, y: number): unknown };
    }
    const onTop = await subject.evaluate(
      (field, [x, y]) => (field as unknown as Hit).ownerDocument.elementFromPoint(x as number, y as number) === field,
      [box.x + box.width / 2, box.y + box.height / 2],
    );
    expect(onTop).toBe(true);
    await subject.click();
    await page.keyboard.type('Written beside the drawer');
    expect(await subject.inputValue()).toBe('Written beside the drawer');
    // Writing there is no click beside the drawer: it stays open, and Tab from the compose window stays in reach.
    expect(await drawer.isVisible()).toBe(true);
    await ui.screenshot(page, 'narrow-compose-drawer.png');
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(() => {
        const active = (globalThis as unknown as { document: { activeElement: FocusedElement | null } }).document.activeElement;
        return Boolean(active?.closest('.compose-dock') || active?.closest('[role="dialog"][aria-label="Mailboxes"]'));
      }),
    ).toBe(true);
    await ui.closePage(page);
  }, 60_000);

  it('fits the header, the list and the reader in 400 to 700 px, one pane at a time', async () => {
    for (const width of [400, 520, 700]) {
      const page = await ui.openPage({ viewport: { width, height: 760 } });
      const rows = page.getByRole('option');
      await expect.poll(() => rows.count(), { timeout: 30_000 }).toBeGreaterThan(5);
      expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
      await fitSideBySide(page, [
        ['Mailboxes', page.getByRole('button', { name: 'Mailboxes' })],
        ['Compose', page.getByRole('button', { name: 'Compose' })],
        ['Search', page.getByRole('searchbox', { name: 'Search mail' })],
        ['Keyboard shortcuts', page.getByRole('button', { name: 'Keyboard shortcuts' })],
      ]);
      // The search box keeps room to read what is typed (the title gives way first).
      expect((await page.getByRole('searchbox', { name: 'Search mail' }).boundingBox())?.width).toBeGreaterThanOrEqual(160);
      await fitSideBySide(page, [
        ['Select all', page.getByRole('checkbox', { name: 'Select all' })],
        ['the list title', page.locator('.list-title')],
        ['Refresh', page.getByRole('button', { name: /Refresh/ })],
      ]);
      const firstRow = await rows.first().boundingBox();
      expect(firstRow?.width).toBeGreaterThan(width - 20);
      if (width === 400) await ui.screenshot(page, 'narrow-400-list.png');

      await rows.nth(1).click();
      const pane = page.getByRole('region', { name: 'Reading pane' });
      await expect.poll(() => pane.locator('.thread-subject').isVisible(), { timeout: 10_000 }).toBe(true);
      expect(await rows.first().isVisible()).toBe(false);
      expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
      const toolbar = pane.getByRole('toolbar', { name: 'Thread actions' });
      const tools = await toolbar.getByRole('button').all();
      await fitSideBySide(
        page,
        await Promise.all(tools.map(async (tool, i) => [`${i}: ${await tool.textContent()}`, tool] as [string, Locator])),
      );
      const subject = await pane.locator('.thread-subject').boundingBox();
      expect((subject?.x ?? 0) + (subject?.width ?? 0)).toBeLessThanOrEqual(width);
      if (width === 400) await ui.screenshot(page, 'narrow-400-thread.png');
      await ui.closePage(page);
    }
  }, 120_000);
});
