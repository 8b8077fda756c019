import { expect, it } from 'vitest';
import { indexPath } from '../../main/core/paths.ts';
import { openIndex } from '../../main/db/openIndex.ts';
import { writeMessages } from '../../main/db/queries/messageWrites.ts';
import { messageInput, seedAccount } from '../support/indexFixtures.ts';
import { daysAgo } from '../support/mailDates.ts';
import { useUiSession } from '../support/uiHarness.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

const PEOPLE = ['Ann', 'Bob', 'Cleo', 'Dev', 'Eve', 'Finn', 'Gus', 'Hana'];

describeOnEachSurface('reading a long conversation', (surface) => {
  // One thread of eight messages: the fourth unread, the rest read.
  const ui = useUiSession(surface, (dataDir) => {
    const db = openIndex(indexPath(dataDir));
    const { account, inbox } = seedAccount(db);
    writeMessages(
      db,
      account.id,
      PEOPLE.map((name, i) =>
        messageInput({
          remoteId: `m${i + 1}`,
          threadRemoteId: 'plans',
          subject: 'Offsite plans',
          from: { name, email: `${name.toLowerCase()}@example.test` },
          sentAt: daysAgo(30 - i, 9),
          snippet: `${name} writes about the offsite`,
          bodyText: `Body of message ${i + 1} from ${name}.`,
          isUnread: i === 3,
          attachments: [],
          labelIds: [inbox],
        }),
      ),
    );
    // Older, in another thread: a plain-text reply that ends with the message it answers.
    writeMessages(db, account.id, [
      messageInput({
        remoteId: 'reply',
        threadRemoteId: 'lunch',
        subject: 'Re: Lunch',
        from: { name: 'Ann', email: 'ann@example.test' },
        sentAt: daysAgo(62, 12),
        bodyText: 'Noon works.\n\nOn Wed, 30 Sep 2026, Bob wrote:\n> Lunch tomorrow?\n> Bob\n',
        isUnread: false,
        labelIds: [inbox],
      }),
    ]);
    db.close();
  });

  it('opens the newest and unread messages, folds the read middle, and opens the rest on demand', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 900 } });
    const row = page.getByRole('option').filter({ hasText: 'Offsite plans' });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await row.getAttribute('class')).toContain('unread');
    await row.click();

    const pane = page.getByRole('region', { name: 'Reading pane' });
    const header = (name: string) => pane.getByRole('button', { name: new RegExp(`^${name}\\b`) });
    const open = async () =>
      Promise.all(
        PEOPLE.map(async (name) => ((await header(name).count()) ? await header(name).getAttribute('aria-expanded') : 'folded')),
      );
    // Ann (first) a header; Bob and Cleo (two read) headers; Dev unread, open; Eve, Finn, Gus (three read) headers; Hana newest, open.
    await expect.poll(open, { timeout: 10_000 }).toEqual(['false', 'false', 'false', 'true', 'false', 'false', 'false', 'true']);
    expect(await pane.locator('.message-body').allTextContents()).toEqual([
      'Body of message 4 from Dev.',
      'Body of message 8 from Hana.',
    ]);
    // A closed message shows its snippet, not its body.
    expect(await header('Bob').textContent()).toContain('Bob writes about the offsite');
    // Opening the thread read it: gone from the list's unread, and Dev's message stays open.
    await expect.poll(async () => (await row.getAttribute('class')) ?? '').not.toContain('unread');
    expect(await header('Dev').getAttribute('aria-expanded')).toBe('true');
    await ui.screenshot(page, 'thread-conversation.png');

    // Keyboard: Enter on a header opens it; again closes it.
    await header('Bob').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => header('Bob').getAttribute('aria-expanded')).toBe('true');
    expect(await pane.locator('.message-body').allTextContents()).toContain('Body of message 2 from Bob.');
    await page.keyboard.press('Enter');
    await expect.poll(() => header('Bob').getAttribute('aria-expanded')).toBe('false');

    await pane.getByRole('button', { name: 'Expand all' }).click();
    await expect.poll(open).toEqual(PEOPLE.map(() => 'true'));
    expect(await pane.locator('.message-body').count()).toBe(8);
    await pane.getByRole('button', { name: 'Collapse all' }).click();
    await expect.poll(open).toEqual(PEOPLE.map(() => 'false'));
    await ui.closePage(page);
  });

  it('folds a long run of read messages into one row that unfolds them', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 900 } });
    await page.getByRole('option').filter({ hasText: 'Offsite plans' }).click();
    const pane = page.getByRole('region', { name: 'Reading pane' });
    // Read by now (the first test opened it): only Hana is open, Bob..Gus (six) folded after Ann.
    const fold = pane.getByRole('button', { name: '6 more messages' });
    await expect.poll(() => fold.count(), { timeout: 10_000 }).toBe(1);
    expect(await pane.locator('article.message').count()).toBe(2);
    await fold.click();
    await expect.poll(() => pane.locator('article.message').count()).toBe(8);
    expect(await pane.locator('.message-body').allTextContents()).toEqual(['Body of message 8 from Hana.']);
    await ui.closePage(page);
  });

  it('folds the quote a plain-text reply ends with behind •••, and shows it on demand', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 900 } });
    await page.getByRole('option').filter({ hasText: 'Re: Lunch' }).click();
    const body = page.getByRole('region', { name: 'Reading pane' }).locator('.message-body');
    await expect.poll(() => body.textContent(), { timeout: 10_000 }).toContain('Noon works.');
    expect(await body.textContent()).not.toContain('Lunch tomorrow?');
    const toggle = body.getByRole('button', { name: 'Show quoted text' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    await expect.poll(() => body.locator('blockquote.quoted').textContent()).toContain('> Lunch tomorrow?');
    expect(await body.textContent()).toContain('On Wed, 30 Sep 2026, Bob wrote:');
    await ui.closePage(page);
  });
});
