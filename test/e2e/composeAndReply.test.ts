import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright';
import PostalMime from 'postal-mime';
import { afterAll, expect, it } from 'vitest';
import { emulatorControl, gmailSentMail } from '../support/emulatorAccounts.ts';
import { useGmailUiSession } from '../support/gmailUiSession.ts';
import { makeTempDir } from '../support/tempDir.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

const USER = 'alice@gmail.test';

describeOnEachSurface('composing and replying, delivered to Gmail (emulator)', (surface) => {
  const dir = makeTempDir();
  afterAll(() => dir.remove());
  const ui = useGmailUiSession(surface, 80);

  const sentMail = () => gmailSentMail(ui.emulator, USER);
  const api = async <T>(path: string, init?: RequestInit) => (await (await ui.api(path, init)).json()) as T;

  /** A fresh page on the inbox, its rows listed. */
  const openInbox = async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    const rows = page.getByRole('option');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(5);
    return { page, rows, pane: page.getByRole('region', { name: 'Reading pane' }) };
  };
  /** Opens the thread of row i and waits for its messages; its id. */
  const openRow = async (page: Page, i: number) => {
    const row = page.getByRole('option').nth(i);
    await row.click();
    const pane = page.getByRole('region', { name: 'Reading pane' });
    await expect.poll(() => pane.locator('article.message').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    return (await row.getAttribute('data-thread-id')) as string;
  };

  /** After Send: the dialog's notice in a browser; in the desktop app the compose window says so and closes. */
  const sentConfirmed = async (page: Page, composer: Page) => {
    if (composer === page)
      await expect.poll(() => page.getByRole('status').filter({ hasText: 'Message sent.' }).count(), { timeout: 15_000 }).toBe(1);
    else await composer.waitForEvent('close', { timeout: 15_000 });
  };

  it('composes a message with an attachment (c, Ctrl+Enter) and Gmail receives exactly it', async () => {
    const { page } = await openInbox();
    const attachment = join(dir.path, 'figures.csv');
    const bytes = Buffer.from('quarter,total\nQ3,1200\nQ4,1410\n\u00e9t\u00e9,1\n', 'utf8');
    writeFileSync(attachment, bytes);

    const composer = await ui.composer(page, () => page.keyboard.press('c'));
    const form = composer.getByRole('form', { name: 'New message' });
    await form.getByLabel('To', { exact: true }).fill('"Doe, Jane" <jane@example.test>, bo');
    await form.getByLabel('Subject').fill('Figures for Q4 — final');
    await form.getByRole('textbox', { name: 'Message', exact: true }).fill('Hi Jane,\nthe figures are attached.');
    await form.getByLabel('Attach files').setInputFiles(attachment);
    await expect.poll(() => form.getByRole('list', { name: 'Attachments' }).textContent()).toContain('figures.csv');
    await form.getByRole('button', { name: 'Send' }).click();
    // "bo" is not an address: nothing is sent, the user is told which.
    await expect.poll(() => form.getByRole('alert').textContent()).toContain('Not an email address: bo');
    await form.getByLabel('To', { exact: true }).fill('"Doe, Jane" <jane@example.test>');
    await ui.screenshot(composer, 'compose.png');
    await form.getByRole('textbox', { name: 'Message', exact: true }).press('Control+Enter');
    await sentConfirmed(page, composer);

    const sent = (await sentMail()).map(async (m) => ({
      m,
      parsed: await PostalMime.parse(m.raw, { attachmentEncoding: 'arraybuffer' }),
    }));
    const mine = (await Promise.all(sent)).filter(({ parsed }) => parsed.subject === 'Figures for Q4 — final');
    expect(mine).toHaveLength(1);
    const parsed = mine[0]?.parsed;
    expect(parsed?.to?.map((a) => ('address' in a ? [a.name, a.address] : []))).toEqual([['Doe, Jane', 'jane@example.test']]);
    expect(parsed?.text?.trim()).toBe('Hi Jane,\nthe figures are attached.');
    expect(parsed?.attachments.map((a) => a.filename)).toEqual(['figures.csv']);
    expect(Buffer.from(parsed?.attachments[0]?.content as ArrayBuffer).equals(bytes)).toBe(true);

    // The sent copy is in Sent at once, and its attachment saves from the reader byte for byte.
    await page.getByRole('button', { name: 'Sent' }).click();
    await page.getByRole('option').filter({ hasText: 'Figures for Q4' }).first().click();
    const pane = page.getByRole('region', { name: 'Reading pane' });
    await expect.poll(() => pane.getByRole('button', { name: 'Save' }).count(), { timeout: 10_000 }).toBe(1);
    // A browser hands Save to Playwright as a download; the desktop app asks where to save in a native dialog.
    if (surface.name === 'chromium') {
      const download = page.waitForEvent('download');
      await pane.getByRole('button', { name: 'Save' }).click();
      const saved = await download;
      expect(saved.suggestedFilename()).toBe('figures.csv');
      const savedPath = join(dir.path, 'saved.csv');
      await saved.saveAs(savedPath);
      expect(readFileSync(savedPath).equals(bytes)).toBe(true);
    }
    await ui.closePage(page);
  }, 60_000);

  it('takes a sent message back with Undo within the undo period: it reopens as written and Gmail never sees it', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 }, undoSendSeconds: 3 });
    await expect.poll(() => page.getByRole('option').count(), { timeout: 15_000 }).toBeGreaterThan(5);
    const attachment = join(dir.path, 'notes.txt');
    writeFileSync(attachment, 'second thoughts\n');
    const subjects = async () => Promise.all((await sentMail()).map(async (m) => (await PostalMime.parse(m.raw)).subject));

    const composer = await ui.composer(page, () => page.keyboard.press('c'));
    let form = composer.getByRole('form', { name: 'New message' });
    await form.getByLabel('To', { exact: true }).fill('jane@example.test');
    await form.getByLabel('Subject').fill('Taken back');
    await form.getByRole('textbox', { name: 'Message', exact: true }).fill('On second thoughts…');
    await form.getByLabel('Attach files').setInputFiles(attachment);
    await expect.poll(() => form.getByRole('list', { name: 'Attachments' }).textContent()).toContain('notes.txt');
    await form.getByRole('button', { name: 'Send' }).click();
    const sending = composer.getByRole('status').filter({ hasText: 'Sending…' });
    await expect.poll(() => sending.count(), { timeout: 5_000 }).toBe(1);
    await sending.getByRole('button', { name: 'Undo' }).click();

    // Back as it was written, files included.
    form = composer.getByRole('form', { name: 'New message' });
    await expect.poll(() => form.getByLabel('Subject').inputValue(), { timeout: 5_000 }).toBe('Taken back');
    expect(await form.getByLabel('To', { exact: true }).inputValue()).toBe('jane@example.test');
    expect(await form.getByRole('textbox', { name: 'Message', exact: true }).inputValue()).toBe('On second thoughts…');
    expect(await form.getByRole('list', { name: 'Attachments' }).textContent()).toContain('notes.txt');
    // Past the period, Gmail still has nothing: it was never sent.
    await page.waitForTimeout(4_000);
    expect(await subjects()).not.toContain('Taken back');

    // Sent again and left alone, it goes once the period is over.
    await form.getByRole('button', { name: 'Send' }).click();
    await expect.poll(async () => (await subjects()).filter((s) => s === 'Taken back').length, { timeout: 15_000 }).toBe(1);
    await sentConfirmed(page, composer);
    await ui.closePage(page);
  }, 60_000);

  it('archives a thread (e): it leaves the inbox at once, and Gmail after the next sync pushes the change', async () => {
    const { page } = await openInbox();
    await openRow(page, 0);
    const open = await api<{ data: Array<{ id: string; provider_thread_id: string; subject: string }> }>(
      '/v1/email/threads?label=inbox&limit=1',
    );
    const thread = open.data[0];
    await page.locator('body').press('e');
    await expect
      .poll(async () => {
        const inbox = await api<{ data: Array<{ id: string }> }>('/v1/email/threads?label=inbox&limit=100');
        return inbox.data.some((t) => t.id === thread?.id);
      })
      .toBe(false);
    // The next sync pushes the pending change to Gmail first.
    const queued = await ui.api('/v1/email/sync', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(queued.status).toBe(200);
    await expect
      .poll(
        async () => {
          const snapshot = (await emulatorControl(ui.emulator)('/snapshot')) as {
            google: Record<string, { messages: Array<{ threadId: string; labelIds: string[] }> }>;
          };
          return snapshot.google[USER]?.messages
            .filter((m) => m.threadId === thread?.provider_thread_id)
            .some((m) => m.labelIds.includes('INBOX'));
        },
        { timeout: 15_000 },
      )
      .toBe(false);
    await ui.closePage(page);
  }, 60_000);

  it('reports a thread as spam (!) and takes it back from Spam (Not spam): the index at once, Gmail after each push', async () => {
    const { page } = await openInbox();
    const id = await openRow(page, 1);
    const { data } = await api<{ data: { provider_thread_id: string } }>(`/v1/email/threads/${id}`);
    /** The Gmail labels of the thread's messages in the emulator, as "INBOX SPAM"-style strings. */
    const gmailLabels = async () => {
      const snapshot = (await emulatorControl(ui.emulator)('/snapshot')) as {
        google: Record<string, { messages: Array<{ threadId: string; labelIds: string[] }> }>;
      };
      return (snapshot.google[USER]?.messages ?? [])
        .filter((m) => m.threadId === data.provider_thread_id)
        .map((m) => ['INBOX', 'SPAM'].filter((l) => m.labelIds.includes(l)).join(' '));
    };
    const syncNow = async () =>
      expect(
        (await ui.api('/v1/email/sync', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status,
      ).toBe(200);

    await page.locator('body').press('!');
    await expect.poll(() => page.locator(`[data-thread-id="${id}"]`).count(), { timeout: 10_000 }).toBe(0);
    expect(await page.getByRole('status').filter({ hasText: 'Conversation reported as spam.' }).count()).toBe(1);
    await syncNow();
    await expect.poll(gmailLabels, { timeout: 15_000 }).toEqual(expect.arrayContaining(['SPAM']));
    expect(new Set(await gmailLabels())).toEqual(new Set(['SPAM']));

    // Spam has no count; exact, as a label such as Lists/SpamAssassin shows in the tree as "SpamAssassin".
    await page.getByRole('navigation', { name: 'Mailboxes' }).getByRole('button', { name: 'Spam', exact: true }).click();
    await expect.poll(() => page.locator(`[data-thread-id="${id}"]`).count(), { timeout: 10_000 }).toBe(1);
    await page.locator(`[data-thread-id="${id}"]`).click();
    const toolbar = page.getByRole('toolbar', { name: 'Thread actions' });
    await toolbar.getByRole('button', { name: 'Not spam' }).click();
    await expect.poll(() => page.locator(`[data-thread-id="${id}"]`).count(), { timeout: 10_000 }).toBe(0);
    await syncNow();
    await expect.poll(async () => new Set(await gmailLabels()), { timeout: 15_000 }).toEqual(new Set(['INBOX']));
    await page
      .getByRole('navigation', { name: 'Mailboxes' })
      .getByRole('button', { name: /^Inbox/ })
      .click();
    await expect.poll(() => page.locator(`[data-thread-id="${id}"]`).count(), { timeout: 10_000 }).toBe(1);
    await ui.closePage(page);
  }, 60_000);

  it('labels a thread (l) and moves another (v): the index at once, Gmail after the push', async () => {
    const { page, pane } = await openInbox();
    type Thread = { data: { label_ids: string[]; provider_thread_id: string } };
    type Labels = { data: Array<{ id: string; name: string; remote_id?: string; kind: string }> };
    const labels = (await api<Labels>('/v1/email/labels')).data;
    const userLabels = labels.filter((l) => l.kind === 'user');
    expect(userLabels.length).toBeGreaterThan(1);
    const [first, second] = userLabels as [Labels['data'][number], Labels['data'][number]];

    // l: tick a label on, narrowing the list by typing.
    const labelledId = await openRow(page, 0);
    await page.locator('body').press('l');
    const picker = page.getByRole('dialog', { name: 'Label as' });
    await picker.getByRole('searchbox').fill(first.name.slice(0, 3));
    await picker.getByRole('checkbox', { name: first.name }).check();
    await expect.poll(async () => (await api<Thread>(`/v1/email/threads/${labelledId}`)).data.label_ids).toContain(first.id);
    await ui.screenshot(page, 'label-picker.png');
    await picker.press('Escape');
    await expect.poll(() => picker.count()).toBe(0);
    // The row shows the label as a chip before its subject.
    await expect
      .poll(() => page.locator(`[data-thread-id="${labelledId}"] .label-chip`).allTextContents(), { timeout: 5_000 })
      .toContain(first.name);

    // v: move another thread to a label, out of the inbox.
    const movedId = await openRow(page, 1);
    await pane.getByRole('button', { name: 'Move to' }).click();
    await page.getByRole('dialog', { name: 'Move to' }).getByRole('button', { name: second.name }).click();
    await expect.poll(() => page.locator(`[data-thread-id="${movedId}"]`).count(), { timeout: 5_000 }).toBe(0);

    // The action queued a sync that pushes both changes to Gmail.
    const gmailLabelsOf = async (threadId: string) => {
      const { provider_thread_id } = (await api<Thread>(`/v1/email/threads/${threadId}`)).data;
      const snapshot = (await emulatorControl(ui.emulator)('/snapshot')) as {
        google: Record<string, { messages: Array<{ threadId: string; labelIds: string[] }>; labels?: unknown }>;
      };
      return snapshot.google[USER]?.messages.filter((m) => m.threadId === provider_thread_id).map((m) => m.labelIds) ?? [];
    };
    const remoteIdOf = async (name: string) => {
      const snapshot = (await emulatorControl(ui.emulator)('/snapshot')) as {
        google: Record<string, { labels: Array<{ id: string; name: string }> }>;
      };
      return snapshot.google[USER]?.labels.find((l) => l.name === name)?.id;
    };
    const firstRemote = await remoteIdOf(first.name);
    const secondRemote = await remoteIdOf(second.name);
    await expect
      .poll(async () => (await gmailLabelsOf(labelledId)).every((ids) => ids.includes(firstRemote as string)), {
        timeout: 15_000,
      })
      .toBe(true);
    await expect
      .poll(
        async () => (await gmailLabelsOf(movedId)).every((ids) => ids.includes(secondRemote as string) && !ids.includes('INBOX')),
        { timeout: 15_000 },
      )
      .toBe(true);
    await ui.closePage(page);
  }, 60_000);

  it('labels and moves ticked threads together from the bulk toolbar', async () => {
    const { page, rows } = await openInbox();
    // Tick by id, not by position: the list may still be refreshing after the last test's sync.
    const ids = [
      (await rows.nth(2).getAttribute('data-thread-id')) as string,
      (await rows.nth(3).getAttribute('data-thread-id')) as string,
    ];
    for (const id of ids) await page.locator(`[data-thread-id="${id}"]`).click({ modifiers: ['Control'] });
    const toolbar = page.getByRole('toolbar', { name: '2 selected' });
    type Labels = { data: Array<{ id: string; name: string; kind: string }> };
    const travel = (await api<Labels>('/v1/email/labels')).data.find((l) => l.name === 'Travel');
    const receipts = (await api<Labels>('/v1/email/labels')).data.find((l) => l.name === 'Receipts');
    const labelsOf = async (id: string) =>
      (await api<{ data: { label_ids: string[] } }>(`/v1/email/threads/${id}`)).data.label_ids;

    await toolbar.getByRole('button', { name: 'Label' }).click();
    await page.getByRole('dialog', { name: 'Label as' }).getByRole('checkbox', { name: 'Travel' }).check();
    await expect
      .poll(async () => (await Promise.all(ids.map(labelsOf))).every((l) => l.includes(travel?.id as string)))
      .toBe(true);
    // Still ticked: more labels may follow.
    await expect.poll(() => toolbar.count()).toBe(1);
    await page.getByRole('dialog', { name: 'Label as' }).press('Escape');

    await toolbar.getByRole('button', { name: 'Move to' }).click();
    await page.getByRole('dialog', { name: 'Move to' }).getByRole('button', { name: 'Receipts' }).click();
    for (const id of ids) await expect.poll(() => page.locator(`[data-thread-id="${id}"]`).count(), { timeout: 10_000 }).toBe(0);
    for (const id of ids) expect(await labelsOf(id)).toContain(receipts?.id);
    await ui.closePage(page);
  }, 60_000);

  it('keeps messages Gmail cannot take in the Outbox, where they are sent now or cancelled', async () => {
    const control = emulatorControl(ui.emulator);
    await control('/faults', {
      method: 'POST',
      body: { fault: { endpoint: 'gmail.users.messages.send', kind: 'status', status: 503 } },
    });
    const { page } = await openInbox();
    const write = async (subject: string) => {
      const composer = await ui.composer(page, () => page.locator('body').press('c'));
      const form = composer.getByRole('form', { name: 'New message' });
      await form.getByLabel('To', { exact: true }).fill('jane@example.test');
      await form.getByLabel('Subject').fill(subject);
      await form.getByRole('textbox', { name: 'Message', exact: true }).fill('Held back by an outage.');
      await form.getByRole('textbox', { name: 'Message', exact: true }).press('Control+Enter');
      if (composer === page)
        await expect.poll(() => page.getByRole('status').filter({ hasText: 'queued' }).count(), { timeout: 15_000 }).toBe(1);
      else await composer.waitForEvent('close', { timeout: 15_000 });
    };
    await write('Outbox: send me later');
    await write('Outbox: never mind');

    const sidebar = page.getByRole('navigation', { name: 'Mailboxes' });
    await expect
      .poll(() => sidebar.getByRole('button', { name: /Outbox/ }).textContent(), { timeout: 10_000 })
      .toMatch(/Outbox2/);
    await sidebar.getByRole('button', { name: /Outbox/ }).click();
    const list = page.getByRole('list', { name: 'Messages not sent yet' });
    const item = (subject: string) => list.getByRole('listitem').filter({ hasText: subject });
    await expect.poll(() => item('send me later').textContent(), { timeout: 10_000 }).toContain('Waiting to send');
    await ui.screenshot(page, 'outbox.png');

    await item('never mind').getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => item('never mind').count()).toBe(0);
    await control('/faults', { method: 'DELETE' });
    await item('send me later').getByRole('button', { name: 'Send now' }).click();
    await expect.poll(() => page.getByText('Everything has been sent.').count(), { timeout: 15_000 }).toBe(1);

    const subjects = await Promise.all((await sentMail()).map(async (m) => (await PostalMime.parse(m.raw)).subject));
    expect(subjects.filter((s) => s === 'Outbox: send me later')).toHaveLength(1);
    expect(subjects.filter((s) => s === 'Outbox: never mind')).toHaveLength(0);
    await ui.closePage(page);
  }, 60_000);

  it("adds the signature set in Settings to a new message and above a reply's quote, and sends it", async () => {
    const { page } = await openInbox();
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.locator('summary', { hasText: 'Signature' }).first().click();
    const field = page.getByRole('textbox', { name: `Signature for ${USER}` });
    await field.fill('Alice\nOutpost test team');
    await page.getByRole('button', { name: 'Save signature' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Saved.' }).count()).toBe(1);

    await page.getByRole('button', { name: 'Inbox' }).click();
    const composer = await ui.composer(page, () => page.locator('body').press('c'));
    const form = composer.getByRole('form', { name: 'New message' });
    await expect
      .poll(() => form.getByRole('textbox', { name: 'Message', exact: true }).inputValue(), { timeout: 10_000 })
      .toBe('\n\n-- \nAlice\nOutpost test team');
    // Nothing written yet: Escape closes without asking.
    await form.getByRole('textbox', { name: 'Message', exact: true }).press('Escape');
    if (composer === page) await expect.poll(() => form.count()).toBe(0);

    await openRow(page, 0);
    const replier = await ui.composer(page, () => page.locator('body').press('r'));
    const reply = replier.getByRole('form', { name: 'New message' });
    await expect
      .poll(() => reply.getByRole('textbox', { name: 'Message', exact: true }).inputValue(), { timeout: 10_000 })
      .toMatch(/^\n\n-- \nAlice\nOutpost test team\n\nOn .* wrote:\n> /);
    await reply.getByRole('textbox', { name: 'Message', exact: true }).press('Control+Home');
    await reply.getByRole('textbox', { name: 'Message', exact: true }).pressSequentially('Signed reply.');
    await reply.getByRole('button', { name: 'Send' }).click();
    await sentConfirmed(page, replier);
    const sent = await Promise.all((await sentMail()).map(async (m) => (await PostalMime.parse(m.raw)).text ?? ''));
    const text = sent.find((t) => t.startsWith('Signed reply.'));
    expect(text).toMatch(/^Signed reply\.\n\n-- \nAlice\nOutpost test team\n\nOn .* wrote:/);
    await ui.closePage(page);
  }, 60_000);

  it('answers an earlier message of a conversation from its own Reply, In-Reply-To that message', async () => {
    type Thread = {
      data: {
        id: string;
        provider_thread_id: string;
        messages: Array<{ rfc822_message_id: string; from: { name: string } | null }>;
      };
    };
    const inbox = await api<{ data: Array<{ id: string; provider_thread_id: string }> }>('/v1/email/threads?label=inbox&limit=1');
    const target = inbox.data[0] as { id: string; provider_thread_id: string };
    // Someone answers in that thread; a sync brings the answer, so the conversation has two messages.
    await emulatorControl(ui.emulator)(`/google/users/${USER}/threads/${target.provider_thread_id}/reply`, {
      method: 'POST',
      body: { from: 'carol@example.test', body: 'A later answer' },
    });
    await ui.api('/v1/email/sync', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await expect
      .poll(async () => (await api<Thread>(`/v1/email/threads/${target.id}`)).data.messages.length, { timeout: 15_000 })
      .toBeGreaterThan(1);
    const first = (await api<Thread>(`/v1/email/threads/${target.id}`)).data.messages[0];

    const { page, pane } = await openInbox();
    await page.locator(`[data-thread-id="${target.id}"]`).click();
    await expect.poll(() => pane.locator('article.message').count(), { timeout: 10_000 }).toBeGreaterThan(1);
    const older = pane.locator('article.message').first();
    if ((await older.getByRole('button').first().getAttribute('aria-expanded')) === 'false')
      await older.getByRole('button').first().click();
    const replier = await ui.composer(page, () =>
      older.getByRole('toolbar').getByRole('button', { name: 'Reply', exact: true }).click(),
    );
    const form = replier.getByRole('form', { name: 'New message' });
    await form.getByRole('textbox', { name: 'Message', exact: true }).press('Control+Home');
    await form.getByRole('textbox', { name: 'Message', exact: true }).pressSequentially('About your first message.');
    await form.getByRole('button', { name: 'Send' }).click();
    await sentConfirmed(page, replier);
    const sent = await Promise.all((await sentMail()).map(async (m) => PostalMime.parse(m.raw)));
    const answer = sent.find((m) => m.text?.startsWith('About your first message.'));
    expect(answer?.inReplyTo).toBe(`<${first?.rfc822_message_id}>`);
    await ui.closePage(page);
  }, 60_000);

  it('replies to the open thread (r) and the reply lands in that Gmail thread', async () => {
    const { page, pane } = await openInbox();
    await openRow(page, 0);
    const subject = ((await pane.locator('.thread-subject').textContent()) ?? '').trim();

    const composer = await ui.composer(page, () => page.locator('body').press('r'));
    const form = composer.getByRole('form', { name: 'New message' });
    expect(await form.getByLabel('To', { exact: true }).inputValue()).toMatch(/@/);
    expect(await form.getByLabel('Subject').inputValue()).toMatch(/^re: /i);
    await form.getByRole('textbox', { name: 'Message', exact: true }).press('Control+Home');
    await form.getByRole('textbox', { name: 'Message', exact: true }).pressSequentially('Sounds good to me.');
    await form.getByRole('button', { name: 'Send' }).click();
    await sentConfirmed(page, composer);

    const reply = (await Promise.all((await sentMail()).map(async (m) => ({ m, parsed: await PostalMime.parse(m.raw) })))).find(
      ({ parsed }) => parsed.text?.startsWith('Sounds good to me.'),
    );
    expect(reply).toBeDefined();
    expect(reply?.parsed.subject?.toLowerCase()).toBe(
      subject.toLowerCase().startsWith('re:') ? subject.toLowerCase() : `re: ${subject.toLowerCase()}`,
    );
    expect(reply?.parsed.inReplyTo).toMatch(/^<.+>$/);
    // Gmail put it in the thread that was open (the emulator applies Gmail's threading rules).
    const threads = await api<{ data: Array<{ provider_thread_id: string; message_count: number }> }>(
      '/v1/email/threads?label=sent&limit=50',
    );
    expect(threads.data.some((t) => t.provider_thread_id === reply?.m.threadId && t.message_count > 1)).toBe(true);
    await ui.closePage(page);
  }, 60_000);
});
