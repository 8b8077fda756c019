import { expect, it } from 'vitest';
import { emulatorControl } from '../support/emulatorAccounts.ts';
import { useTwoAccountUi } from '../support/twoAccountUi.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

describeOnEachSurface('each account has its own mailboxes in the sidebar', (surface) => {
  const ui = useTwoAccountUi(surface, 40);

  const accounts = async () =>
    ((await (await ui.api('/v1/accounts')).json()) as { data: Array<{ id: string; email: string }> }).data;
  const threadIds = async (query: string) =>
    ((await (await ui.api(`/v1/email/threads?${query}&limit=200`)).json()) as { data: Array<{ id: string }> }).data.map(
      (t) => t.id,
    );

  it("lists each account's own mailboxes, opens one account's Inbox with only its mail, and counts unread only where mail clients do", async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 900 } });
    const all = await accounts();
    expect(all).toHaveLength(2);
    for (const account of all) {
      const section = page.getByRole('region', { name: account.email });
      await expect.poll(() => section.getByRole('button', { name: /^Inbox/ }).count(), { timeout: 15_000 }).toBe(1);
      // Its own mailboxes first, in mail clients' order (Outlook's under its folders' names), counted only where they count.
      const names = await section.locator(':scope > ul').first().getByRole('button').allInnerTexts();
      const titles = names.map((n) => n.replace(/\d+\s*(unread|drafts)?$/s, '').trim());
      expect(titles[0]).toBe('Inbox');
      expect(titles[1]).toBe(account === all[0] ? 'Starred' : 'Flagged');
      expect(titles.some((t) => /^Sent/.test(t))).toBe(true);
      expect(titles).toContain('Drafts');
      expect(titles.some((t) => /^(Trash|Deleted Items)$/.test(t))).toBe(true);
      expect(titles.some((t) => /^(All Mail|Archive)$/.test(t))).toBe(true);
      for (const name of names.filter((n) => /^(Sent|Trash|Spam|Junk|All Mail|Archive|Deleted)/.test(n)))
        expect(name).not.toMatch(/\d/);
    }
    await ui.screenshot(page, 'sidebar-two-accounts.png');

    for (const account of all) {
      const own = await threadIds(`label=inbox&account_id=${account.id}`);
      expect(own.length).toBeGreaterThan(0);
      await page
        .getByRole('region', { name: account.email })
        .getByRole('button', { name: /^Inbox/ })
        .click();
      await expect.poll(() => page.getByRole('heading', { name: new RegExp(`Inbox.*${account.email}`) }).count()).toBe(1);
      const listed = async () =>
        page
          .locator('[data-thread-id]')
          .evaluateAll((els) =>
            els.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-thread-id')),
          );
      await expect.poll(async () => (await listed()).sort(), { timeout: 10_000 }).toEqual(own.slice(0, 50).sort());
    }
    await ui.screenshot(page, 'per-account-inbox.png');

    // A search typed in one account's mailbox searches that account only.
    const outlook = all[1] as { id: string; email: string };
    const everything = await threadIds(`label=all&account_id=${outlook.id}`);
    await page.getByRole('searchbox', { name: 'Search mail' }).fill('the');
    // The search's own rows (a new search starts from an empty list, not the mailbox's rows).
    await expect.poll(() => page.locator('.list-title').textContent(), { timeout: 10_000 }).toBe('Search: the');
    await expect.poll(() => page.locator('[data-thread-id]').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const found = await page
      .locator('[data-thread-id]')
      .evaluateAll((els) =>
        els.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-thread-id')),
      );
    expect(found.filter((id) => !everything.includes(id as string))).toEqual([]);
    await ui.closePage(page);
  }, 90_000);

  interface Snapshot {
    google: Record<string, { labels: Array<{ id: string; name: string }> }>;
    microsoft: { users: Array<{ upn: string; folders: Array<{ id: string; displayName: string }> }> };
  }
  const snapshot = async () => {
    return (await emulatorControl(ui.emulator)('/snapshot')) as unknown as Snapshot;
  };
  const namesAt = async (email: string) => {
    const s = await snapshot();
    return [
      ...(s.google[email]?.labels.map((l) => l.name) ?? []),
      ...(s.microsoft.users.find((u) => u.upn === email)?.folders.map((f) => f.displayName) ?? []),
    ];
  };

  it('makes, nests, renames and deletes labels and folders from the sidebar, at the provider', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 900 } });
    const [gmail, outlook] = (await accounts()) as [{ id: string; email: string }, { id: string; email: string }];
    for (const [account, name] of [
      [gmail, 'Outpost made'],
      [outlook, 'Outpost folder'],
    ] as const) {
      const section = page.getByRole('region', { name: account.email });
      await expect.poll(() => section.getByRole('button', { name: /^Inbox/ }).count(), { timeout: 15_000 }).toBe(1);
      await section.getByRole('button', { name: 'New label' }).click();
      await section.getByRole('textbox', { name: 'New label' }).fill(name);
      await section.getByRole('textbox', { name: 'New label' }).press('Enter');
      await expect.poll(() => section.getByRole('button', { name, exact: true }).count(), { timeout: 10_000 }).toBe(1);
      expect(await namesAt(account.email)).toContain(name);

      // Inside it: Gmail's "parent/child", Outlook's child folder; shown nested under it.
      await section.locator('.label-row', { hasText: name }).first().hover();
      await section.getByRole('button', { name: `New label in ${name}` }).click();
      await section.getByRole('textbox', { name: `New label in ${name}` }).fill('Inner');
      await section.getByRole('textbox', { name: `New label in ${name}` }).press('Enter');
      const nested = section.locator('.label-tree .label-tree').getByRole('button', { name: 'Inner', exact: true });
      await expect.poll(() => nested.count(), { timeout: 10_000 }).toBe(1);
      await expect.poll(() => namesAt(account.email)).toContain(account === gmail ? `${name}/Inner` : 'Inner');
    }
    await ui.screenshot(page, 'sidebar-label-tree.png');

    // Rename and delete (Gmail: the full path names it).
    const section = page.getByRole('region', { name: gmail.email });
    await section.locator('.label-row', { hasText: 'Inner' }).hover();
    await section.getByRole('button', { name: 'Rename Outpost made/Inner' }).click();
    await section.getByRole('textbox', { name: 'Rename Outpost made/Inner' }).fill('Outpost made/Renamed');
    await section.getByRole('textbox', { name: 'Rename Outpost made/Inner' }).press('Enter');
    await expect.poll(() => namesAt(gmail.email), { timeout: 10_000 }).toContain('Outpost made/Renamed');
    expect(await namesAt(gmail.email)).not.toContain('Outpost made/Inner');
    await section.locator('.label-row', { hasText: 'Renamed' }).hover();
    page.once('dialog', (dialog) => void dialog.accept());
    await section.getByRole('button', { name: 'Delete Outpost made/Renamed' }).click();
    await expect.poll(() => namesAt(gmail.email), { timeout: 10_000 }).not.toContain('Outpost made/Renamed');
    await expect.poll(() => section.getByRole('button', { name: 'Renamed', exact: true }).count()).toBe(0);
    await ui.closePage(page);
  });

  it('labels a thread from the picker (Create "name" when nothing matches), and Enter applies and closes it', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 900 } });
    const [gmail] = (await accounts()) as [{ id: string; email: string }];
    const section = page.getByRole('region', { name: gmail.email });
    await expect.poll(() => section.getByRole('button', { name: /^Inbox/ }).count(), { timeout: 15_000 }).toBe(1);
    await section.getByRole('button', { name: /^Inbox/ }).click();
    const row = page.getByRole('option').first();
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    const threadId = await row.getAttribute('data-thread-id');
    await row.click();
    const pane = page.getByRole('region', { name: 'Reading pane' });
    await expect.poll(() => pane.locator('article.message').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const labelsOfThread = async () =>
      ((await (await ui.api(`/v1/email/threads/${threadId}`)).json()) as { data: { label_ids: string[] } }).data.label_ids;
    const labelNamed = async (name: string) =>
      ((await (await ui.api('/v1/email/labels')).json()) as { data: Array<{ id: string; name: string }> }).data.find(
        (l) => l.name === name,
      )?.id;

    await page.locator('body').press('l');
    const picker = page.getByRole('dialog', { name: 'Label as' });
    await picker.getByRole('searchbox').fill('Someday');
    await picker.getByRole('button', { name: 'Create "Someday"' }).click();
    await expect.poll(() => picker.count(), { timeout: 10_000 }).toBe(0);
    expect(await namesAt(gmail.email)).toContain('Someday');
    const someday = await labelNamed('Someday');
    await expect.poll(labelsOfThread, { timeout: 10_000 }).toContain(someday);

    // Enter takes the label off again and closes the picker: the next key is not typed into its filter.
    await page.locator('body').press('l');
    await picker.getByRole('searchbox').fill('Someda');
    await picker.getByRole('searchbox').press('Enter');
    await expect.poll(() => picker.count()).toBe(0);
    await expect.poll(labelsOfThread, { timeout: 10_000 }).not.toContain(someday);
    await ui.closePage(page);
  }, 90_000);
});
