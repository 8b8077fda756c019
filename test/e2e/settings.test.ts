import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { emulatorControl, providerEnvFor } from '../support/emulatorAccounts.ts';
import { useUiSession } from '../support/uiHarness.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

describeOnEachSurface('settings: connecting accounts, sync intervals, webhooks and API keys', (surface) => {
  let emulator: RunningEmulator;

  beforeAll(async () => {
    // No auto-consent: the user clicks through the providers' consent pages.
    emulator = await startEmulator({
      seed: { kind: 'synthetic', count: 40 },
      serviceOptions: { google: { quotaEnabled: false } },
    });
  }, 60_000);
  afterAll(async () => {
    await emulator?.stop();
  });
  const ui = useUiSession(
    surface,
    () => {},
    () => ({ ...providerEnvFor(emulator.baseUrl), OUTPOST_GMAIL_QUOTA_UNITS_PER_SECOND: '1000000' }),
  );

  it('connects a Google and a Microsoft account through their consent pages, and their mail arrives', async () => {
    // The consent pages are the emulator's, on its own test CA (the real ones carry public certificates).
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 }, ignoreHTTPSErrors: true });
    await page.getByRole('button', { name: 'Settings' }).click();
    const accounts = page.getByRole('list', { name: 'Connected accounts' });
    await expect.poll(() => accounts.textContent()).toContain('No accounts yet.');

    const consent = await ui.external(page, () => page.getByRole('button', { name: 'Connect Google' }).click());
    await consent.getByRole('button', { name: 'Allow' }).click();
    await expect.poll(() => accounts.textContent(), { timeout: 15_000 }).toContain('alice@gmail.test');

    const msConsent = await ui.external(page, () => page.getByRole('button', { name: 'Connect Microsoft' }).click());
    await msConsent.getByRole('button', { name: 'Accept' }).click();
    await expect.poll(() => accounts.textContent(), { timeout: 15_000 }).toContain('bob@contoso.test');

    // Connecting queued the first syncs: both accounts report one ("synced <date>", not "not synced yet").
    await expect
      .poll(async () => ((await accounts.textContent()) ?? '').match(/(?<!not )synced /g)?.length ?? 0, { timeout: 30_000 })
      .toBe(2);
    await ui.screenshot(page, 'settings.png');
    await page
      .getByRole('button', { name: /^Inbox/ })
      .first()
      .click(); // the unified Inbox: each account's own follow
    await expect.poll(() => page.getByRole('option').count(), { timeout: 10_000 }).toBeGreaterThan(5);
    // Two accounts: the sidebar shows each one's labels or folders under its address.
    const sidebar = page.getByRole('navigation', { name: 'Mailboxes' });
    await expect.poll(() => sidebar.getByRole('region', { name: 'alice@gmail.test' }).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => sidebar.getByRole('region', { name: 'bob@contoso.test' }).count(), { timeout: 10_000 }).toBe(1);
    // In the order they were connected, as Settings lists them (Outlook's "Blue category" sorts before Gmail's labels).
    expect(await sidebar.locator('.sidebar-heading').allTextContents()).toEqual(['alice@gmail.test', 'bob@contoso.test']);
    // The unified inbox marks each conversation with its account.
    const rows = page.getByRole('option');
    await expect.poll(async () => (await rows.locator('.account-dot').count()) === (await rows.count())).toBe(true);
    const dots = rows.locator('.account-dot');
    const titles = new Set(
      await Promise.all(Array.from({ length: await dots.count() }, (_, i) => dots.nth(i).getAttribute('title'))),
    );
    expect([...titles].every((t) => t === 'alice@gmail.test' || t === 'bob@contoso.test')).toBe(true);
    await ui.closePage(page);
  }, 90_000);

  it('changes how often an account syncs, kept across a reload and reported by the API', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    await page.getByRole('button', { name: 'Settings' }).click();
    const alice = page
      .getByRole('list', { name: 'Connected accounts' })
      .getByRole('listitem')
      .filter({ hasText: 'alice@gmail.test' });
    const mail = alice.getByLabel('Check mail');
    const calendars = alice.getByLabel('Calendars');
    await expect.poll(() => mail.inputValue(), { timeout: 10_000 }).toBe('default');
    expect(await mail.locator('option:checked').textContent()).toBe('Default (every 5 minutes)');
    await mail.selectOption({ label: 'Every minute' });
    await calendars.selectOption({ label: 'Only when I ask' });
    const stored = async () => {
      const response = await ui.api('/v1/accounts');
      const { data } = (await response.json()) as {
        data: Array<{ email: string; email_sync_minutes: number | null; calendar_sync_minutes: number | null }>;
      };
      return data.map((a) => [a.email, a.email_sync_minutes, a.calendar_sync_minutes]);
    };
    await expect.poll(stored).toEqual([
      ['alice@gmail.test', 1, 0],
      ['bob@contoso.test', null, null],
    ]);
    await page.reload();
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect.poll(() => mail.inputValue(), { timeout: 10_000 }).toBe('1');
    expect(await calendars.inputValue()).toBe('0');
    // Back to the default.
    await mail.selectOption('default');
    await expect.poll(stored).toEqual([
      ['alice@gmail.test', null, 0],
      ['bob@contoso.test', null, null],
    ]);
    await ui.closePage(page);
  }, 60_000);

  it('sends a new message from the account chosen in From (Outlook here), and Outlook has it in Sent', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    await expect.poll(() => page.getByRole('option').count(), { timeout: 15_000 }).toBeGreaterThan(5);
    const composer = await ui.composer(page, () => page.locator('body').press('c'));
    const form = composer.getByRole('form', { name: 'New message' });
    const from = form.getByLabel('From');
    await expect
      .poll(() => from.locator('option').allTextContents(), { timeout: 10_000 })
      .toEqual(['alice@gmail.test', 'bob@contoso.test']);
    await from.selectOption('bob@contoso.test');
    await form.getByLabel('To', { exact: true }).fill('jane@example.test');
    await form.getByLabel('Subject').fill('From the work account');
    await form.getByRole('textbox', { name: 'Message', exact: true }).fill('Sent from Outlook.');
    await form.getByRole('textbox', { name: 'Message', exact: true }).press('Control+Enter');

    type Threads = { data: Array<{ id: string; subject: string; account_id: string }> };
    const accounts = (await (await ui.api('/v1/accounts')).json()) as { data: Array<{ id: string; email: string }> };
    const bob = accounts.data.find((a) => a.email === 'bob@contoso.test')?.id;
    let sent: Threads['data'][number] | undefined;
    await expect
      .poll(
        async () => {
          sent = ((await (await ui.api('/v1/email/threads?label=sent&limit=100')).json()) as Threads).data.find(
            (t) => t.subject === 'From the work account',
          );
          return sent?.account_id;
        },
        { timeout: 15_000 },
      )
      .toBe(bob);
    const message = (
      (await (await ui.api(`/v1/email/threads/${sent?.id}`)).json()) as {
        data: { messages: Array<{ rfc822_message_id: string }> };
      }
    ).data.messages[0];
    const snapshot = (await emulatorControl(emulator)('/snapshot')) as {
      microsoft: {
        users: Array<{
          upn: string;
          folders: Array<{ id: string; wellKnownName: string | null }>;
          messages: Array<{ internetMessageId: string; parentFolderId: string }>;
        }>;
      };
    };
    const outlook = snapshot.microsoft.users.find((u) => u.upn === 'bob@contoso.test');
    const sentItems = outlook?.folders.find((f) => f.wellKnownName === 'sentitems')?.id;
    const copy = outlook?.messages.find((m) => m.internetMessageId.replace(/[<>]/g, '') === message?.rfc822_message_id);
    expect(copy?.parentFolderId).toBe(sentItems);
    await ui.closePage(page);
  }, 60_000);

  it('adds a webhook, which receives the next sync signed, with the delivery in its log', async () => {
    const bodies: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
      await page.getByRole('button', { name: 'Settings' }).click();
      const form = page.getByRole('form', { name: 'New webhook' });
      await form.getByLabel('URL').fill(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`);
      await form.getByRole('button', { name: 'Add webhook' }).click();
      expect(await page.locator('code.new-secret').textContent()).toMatch(/\S{16,}/);
      await page.getByRole('button', { name: 'Sync now' }).click();
      await expect.poll(() => bodies.length, { timeout: 20_000 }).toBeGreaterThan(0);
      expect(JSON.parse(bodies[0] as string)).toMatchObject({ type: 'email.sync.completed' });
      await page.getByRole('list', { name: 'Webhooks' }).getByRole('button', { name: 'Deliveries' }).click();
      await expect.poll(() => page.getByRole('list', { name: /Deliveries to/ }).textContent()).toContain('delivered');
      await ui.closePage(page);
    } finally {
      receiver.close();
    }
  }, 60_000);

  it('creates an API key shown once, which a script can then use', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    await page.getByRole('button', { name: 'Settings' }).click();
    const form = page.getByRole('form', { name: 'New API key' });
    await form.getByLabel('Name').fill('nightly report');
    await form.getByLabel('read:calendar').check();
    await form.getByRole('button', { name: 'Create key' }).click();
    const key = (await page.locator('code.new-key').textContent()) ?? '';
    expect(key).toMatch(/^wbk_/);
    await expect.poll(() => page.getByRole('list', { name: 'API keys' }).textContent()).toContain('nightly report');

    const asScript = await fetch(`${ui.session.baseUrl}/v1/accounts`, { headers: { authorization: `Bearer ${key}` } });
    expect(asScript.status).toBe(200);
    // Its scopes are what was ticked: no admin.
    const admin = await fetch(`${ui.session.baseUrl}/v1/keys`, { headers: { authorization: `Bearer ${key}` } });
    expect(admin.status).toBe(403);
    // Shown once: a reload shows only its prefix.
    await page.reload();
    await page.getByRole('button', { name: 'Settings' }).click();
    await expect.poll(() => page.getByRole('list', { name: 'API keys' }).textContent()).toContain('nightly report');
    expect(await page.content()).not.toContain(key);
    await ui.closePage(page);
  }, 60_000);

  // Last: it leaves one account.
  it('removes an account after asking: its mail leaves the inbox and the sidebar, the other stays', async () => {
    const page = await ui.openPage({ viewport: { width: 1280, height: 800 } });
    const sidebar = page.getByRole('navigation', { name: 'Mailboxes' });
    await expect.poll(() => sidebar.getByRole('region', { name: 'bob@contoso.test' }).count(), { timeout: 10_000 }).toBe(1);
    await page.getByRole('button', { name: 'Settings' }).click();
    const accounts = page.getByRole('list', { name: 'Connected accounts' });
    const bob = accounts.getByRole('listitem').filter({ hasText: 'bob@contoso.test' });

    // Asked first; "Keep it" keeps it.
    await bob.getByRole('button', { name: 'Remove bob@contoso.test…' }).click();
    const question = bob.getByRole('alertdialog');
    // The provider as the API names it (provider_name).
    expect(await question.textContent()).toMatch(/deleted from this computer.*Nothing is deleted at Microsoft\./);
    await ui.screenshot(page, 'settings-remove-account.png');
    await question.getByRole('button', { name: 'Keep it' }).click();
    expect(await bob.getByRole('alertdialog').count()).toBe(0);

    await bob.getByRole('button', { name: 'Remove bob@contoso.test…' }).click();
    await bob.getByRole('alertdialog').getByRole('button', { name: 'Remove account' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Removed bob@contoso.test' }).count(), { timeout: 15_000 })
      .toBe(1);
    expect(await page.getByRole('status').filter({ hasText: 'Removed bob@contoso.test' }).textContent()).toMatch(
      /\(\d[\d,]* messages\)/,
    );
    await expect.poll(() => accounts.textContent()).not.toContain('bob@contoso.test');
    expect(await accounts.textContent()).toContain('alice@gmail.test');
    const { data } = (await (await ui.api('/v1/accounts')).json()) as { data: Array<{ email: string }> };
    expect(data.map((a) => a.email)).toEqual(['alice@gmail.test']);

    // The mail views forget it: no Outlook folders in the sidebar, only Alice's conversations in the inbox.
    await expect.poll(() => sidebar.getByRole('region', { name: 'bob@contoso.test' }).count(), { timeout: 10_000 }).toBe(0);
    await page
      .getByRole('button', { name: /^Inbox/ })
      .first()
      .click(); // the unified Inbox: each account's own follow
    const rows = page.getByRole('option');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const threads = (await (await ui.api('/v1/email/threads?label=inbox&limit=500')).json()) as {
      data: Array<{ account_id: string }>;
    };
    expect(new Set(threads.data.map((t) => t.account_id)).size).toBe(1);
    await ui.closePage(page);
  }, 60_000);
});
