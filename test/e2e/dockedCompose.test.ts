import type { Page } from 'playwright';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { gmailSentMail } from '../support/emulatorAccounts.ts';
import { useGmailUiSession } from '../support/gmailUiSession.ts';
import { chromiumSurface } from '../support/uiSurface.ts';

const USER = 'alice@gmail.test';
/** Whether the element has the keyboard (run in the page; typed without the DOM's types, as tests are). */
const HAS_FOCUS = (element: unknown) => {
  const node = element as { ownerDocument: { activeElement: unknown } };
  return node.ownerDocument.activeElement === node;
};

/**
 * Issue 21, compose like a mail client: in a browser tab, messages are written in windows docked at
 * the bottom right (several, each folding to its title bar) while the mail stays readable beneath;
 * the account's name goes out in From; an empty subject is sent after asking; Sent names whom
 * each conversation went to.
 */
describe.skipIf(chromiumSurface.skipReason !== null)(
  `docked compose (real Chromium)${chromiumSurface.skipReason ? ` — skipped: ${chromiumSurface.skipReason}` : ''}`,
  () => {
    const ui = useGmailUiSession(chromiumSurface, 60);

    /** The message Gmail received whose text is `text`: its raw header block and its parse. */
    const sentWithText = async (text: string) => {
      for (const m of await gmailSentMail(ui.emulator, USER)) {
        const parsed = await PostalMime.parse(m.raw);
        if (parsed.text?.trim() === text) return { raw: m.raw.toString('latin1'), parsed };
      }
      return undefined;
    };
    const openInbox = async () => {
      const page = await ui.openPage({ viewport: { width: 1400, height: 900 } });
      await expect.poll(() => page.getByRole('option').count(), { timeout: 15_000 }).toBeGreaterThan(5);
      return page;
    };
    const dock = (page: Page) => page.getByRole('region', { name: 'Messages being written' });
    const windows = (page: Page) => dock(page).locator('.compose-docked');

    it('keeps two messages open while the mailbox is read and clicked; each folds and comes back as typed', async () => {
      const page = await openInbox();
      await page.keyboard.press('c');
      const first = windows(page).nth(0).getByRole('form', { name: 'New message' });
      await expect.poll(() => first.getByLabel('To', { exact: true }).evaluate(HAS_FOCUS)).toBe(true);
      await first.getByLabel('To', { exact: true }).fill('bob@example.test');
      await first.getByLabel('Subject').fill('First draft');
      await first.getByRole('textbox', { name: 'Message', exact: true }).fill('Written first.');

      // The mailbox beneath stays usable: a conversation opens with a click while the message is open.
      const row = page.getByRole('option').nth(2);
      await row.click();
      const pane = page.getByRole('region', { name: 'Reading pane' });
      await expect.poll(() => pane.locator('article.message').count(), { timeout: 10_000 }).toBeGreaterThan(0);
      expect(await windows(page).count()).toBe(1);

      // A second message (c, from the list) opens beside the first, which stays as it was.
      await page.getByRole('option').nth(3).focus();
      await page.keyboard.press('c');
      await expect.poll(() => windows(page).count()).toBe(2);
      const second = windows(page).nth(1).getByRole('form', { name: 'New message' });
      await expect.poll(() => second.getByLabel('To', { exact: true }).evaluate(HAS_FOCUS)).toBe(true);
      await second.getByLabel('To', { exact: true }).fill('carol@example.test');
      await second.getByLabel('Subject').fill('Second draft');
      expect(await first.getByLabel('Subject').inputValue()).toBe('First draft');

      // Side by side at the bottom right, over the list (not covering the whole window).
      const [a, b] = await Promise.all([windows(page).nth(0).boundingBox(), windows(page).nth(1).boundingBox()]);
      expect(a && b && a.x + a.width <= b.x).toBe(true);
      expect(b && Math.round(b.y + b.height)).toBe(900);

      // The first folds to its title bar; the mail's keys work again outside the windows (j moves in the list).
      await windows(page).nth(0).getByRole('button', { name: 'Minimise' }).click();
      await expect.poll(() => first.getByLabel('Subject').isVisible()).toBe(false);
      expect(await windows(page).nth(0).getByRole('button', { name: 'First draft' }).getAttribute('aria-expanded')).toBe('false');
      await ui.screenshot(page, 'docked-compose.png');
      // The conversation's heading, above the dock: the keyboard leaves the windows.
      await pane.locator('.thread-subject').click();
      const openBefore = await page.getByRole('option', { selected: true }).getAttribute('data-thread-id');
      await page.keyboard.press('j');
      await expect.poll(() => page.getByRole('option', { selected: true }).getAttribute('data-thread-id')).not.toBe(openBefore);

      // Restored, it is as it was typed, and takes the keyboard.
      await windows(page).nth(0).getByRole('button', { name: 'Restore' }).click();
      expect(await first.getByRole('textbox', { name: 'Message', exact: true }).inputValue()).toBe('Written first.');
      await expect.poll(() => first.getByRole('textbox', { name: 'Message', exact: true }).evaluate(HAS_FOCUS)).toBe(true);

      // Close asks (something was written); Discard removes that one only.
      await windows(page).nth(1).getByRole('button', { name: 'Close' }).click();
      await windows(page)
        .nth(1)
        .getByRole('alertdialog', { name: 'Close this message?' })
        .getByRole('button', { name: 'Discard' })
        .click();
      await expect.poll(() => windows(page).count()).toBe(1);
      expect(await first.getByLabel('Subject').inputValue()).toBe('First draft');
      await windows(page).nth(0).getByRole('button', { name: 'Close' }).click();
      await windows(page)
        .getByRole('alertdialog', { name: 'Close this message?' })
        .getByRole('button', { name: 'Discard' })
        .click();
      await expect.poll(() => dock(page).count()).toBe(0);
      await ui.closePage(page);
    }, 90_000);

    it('sends From: "name" <address> with the name set in Settings, and an empty subject after asking', async () => {
      const page = await openInbox();
      await page.getByRole('button', { name: 'Settings' }).click();
      const nameForm = page.getByRole('form', { name: `Name for ${USER}` });
      await nameForm.getByLabel('Your name in From').fill('Alice Example');
      await nameForm.getByRole('button', { name: 'Save name' }).click();
      await expect.poll(() => nameForm.getByRole('status').textContent()).toContain('Saved.');

      await page.getByRole('button', { name: 'Compose' }).click();
      const form = windows(page).nth(0).getByRole('form', { name: 'New message' });
      await form.getByLabel('To', { exact: true }).fill('"Bob Jones" <bob@example.test>, carol@example.test');
      await form.getByRole('textbox', { name: 'Message', exact: true }).fill('No subject on this one.');
      await form.getByRole('button', { name: 'Send' }).click();
      // Asked first; nothing goes until the answer.
      const asked = form.getByRole('alertdialog', { name: 'Send without a subject?' });
      await expect.poll(() => asked.count()).toBe(1);
      await asked.getByRole('button', { name: 'Add a subject' }).click();
      await expect.poll(() => form.getByLabel('Subject', { exact: true }).evaluate(HAS_FOCUS)).toBe(true);
      expect((await gmailSentMail(ui.emulator, USER)).length).toBe(0);
      await form.getByRole('button', { name: 'Send' }).click();
      await asked.getByRole('button', { name: 'Send anyway' }).click();
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'Message sent.' }).count(), { timeout: 15_000 }).toBe(1);

      const sent = await sentWithText('No subject on this one.');
      expect(sent?.parsed.subject ?? '').toBe('');
      expect(sent?.parsed.from).toEqual({ name: 'Alice Example', address: USER });
      expect(sent?.raw).toMatch(new RegExp(`^From: "?Alice Example"? <${USER.replace('.', '\\.')}>\\r$`, 'm'));

      // Sent lists it by whom it went to, as Gmail does.
      await page.getByRole('button', { name: 'Sent' }).first().click();
      const row = page.getByRole('option').filter({ hasText: '(no subject)' });
      await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
      expect(await row.locator('.senders').textContent()).toBe('To: Bob Jones, carol@example.test');
      await ui.closePage(page);
    }, 90_000);
  },
);
