import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectName } from '../../main/providers/registry.ts';
import { signIn } from '../emulator/microsoft/testAuth.ts';
import { gmailSentMail, runMailSync } from '../support/emulatorAccounts.ts';
import { type EmulatorCore, startEmulatorCore } from '../support/emulatorCore.ts';
import { makeTempDir } from '../support/tempDir.ts';

interface Sent {
  /** The From header line as the provider received it (unfolded). */
  fromLine: string;
  /** The display name the provider reads from it. */
  name: string | undefined;
}

/** What each provider holds of a message its account sent, by subject: the raw From line and the name it shows. */
const sentBy: Record<ConnectName, (started: EmulatorCore, email: string, subject: string) => Promise<Sent | undefined>> = {
  async google(started, email, subject) {
    for (const m of await gmailSentMail(started.emulator, email)) {
      const parsed = await PostalMime.parse(m.raw);
      if (parsed.subject !== subject) continue;
      const fromLine = /^From:(.*(?:\r\n[ \t].*)*)/m.exec(m.raw.toString('latin1'))?.[1]?.replace(/\r\n[ \t]/g, ' ') ?? '';
      return { fromLine: fromLine.trim(), name: parsed.from?.name };
    }
    return undefined;
  },
  async microsoft(started, email, subject) {
    const token = await signIn(started.emulator.baseUrl, email);
    const get = async <T>(path: string) =>
      (await (
        await fetch(`${started.emulator.baseUrl}/v1.0/me${path}`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as T;
    const sent = await get<{ value: Array<{ id: string; subject: string; from?: { emailAddress: { name: string } } }> }>(
      '/mailFolders/sentitems/messages?$top=50',
    );
    const mine = sent.value.find((m) => m.subject === subject);
    if (!mine) return undefined;
    const raw = await (
      await fetch(`${started.emulator.baseUrl}/v1.0/me/messages/${mine.id}/$value`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).text();
    const fromLine = /^From:(.*(?:\r?\n[ \t].*)*)/m.exec(raw)?.[1]?.replace(/\r?\n[ \t]/g, ' ') ?? '';
    return { fromLine: fromLine.trim(), name: mine.from?.emailAddress.name };
  },
};

describe.each<ConnectName>(['google', 'microsoft'])('the sender as people see it, through %s (emulator)', (connect) => {
  const dir = makeTempDir();
  let started: EmulatorCore;
  let email: string;
  const api = async (path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${started.core.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${started.adminSession}`,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const send = async (subject: string, to: string[] = ['"Bob Jones" <bob@example.test>', 'carol@example.test']) => {
    const response = await api('/v1/email/send', { method: 'POST', body: { to, subject, body_text: 'Hello' } });
    expect(response.status, await response.clone().text()).toBe(200);
  };

  beforeAll(async () => {
    started = await startEmulatorCore(dir.path, { connect, messages: 20 });
    // Synced once, so the account's Sent exists here and the sent copies land in it.
    expect(await runMailSync(started.core, started.accountId)).toMatchObject({ status: 'succeeded' });
    const accounts = (await (await api('/v1/accounts')).json()) as { data: Array<{ id: string; email: string }> };
    email = accounts.data.find((a) => a.id === started.accountId)?.email as string;
  }, 60_000);
  afterAll(async () => {
    await started?.stop();
    dir.remove();
  });

  it('keeps a display name per account (PATCH /v1/accounts/{id}) and sends From: "Name" <address>', async () => {
    const patched = await api(`/v1/accounts/${started.accountId}`, { method: 'PATCH', body: { display_name: 'Alice Example' } });
    expect(patched.status, await patched.clone().text()).toBe(200);
    expect(((await patched.json()) as { data: { display_name: string } }).data.display_name).toBe('Alice Example');
    await send('With a name');
    const sent = await sentBy[connect](started, email, 'With a name');
    expect(sent?.name).toBe('Alice Example');
    // A phrase of plain words needs no quotes (RFC 5322 3.2.5); nodemailer quotes only names that need them.
    expect(sent?.fromLine).toMatch(new RegExp(`^"?Alice Example"? <${email.replace('.', '\\.')}>$`));
  });

  it('encodes a name outside ASCII as RFC 2047 encoded words, which read back as written', async () => {
    await api(`/v1/accounts/${started.accountId}`, { method: 'PATCH', body: { display_name: 'Zoë Ünal, Ops' } });
    await send('Non-ASCII name');
    const sent = await sentBy[connect](started, email, 'Non-ASCII name');
    expect(sent?.fromLine).toMatch(new RegExp(`^=\\?UTF-8\\?[QB]\\?[^ ]+\\?= <${email.replace('.', '\\.')}>$`, 'i'));
    expect(sent?.name).toBe('Zoë Ünal, Ops');
  });

  it('sends a bare address again once the name is cleared (empty or null), and refuses a name with a line break', async () => {
    const bad = await api(`/v1/accounts/${started.accountId}`, { method: 'PATCH', body: { display_name: 'Eve\r\nBcc: x@y.z' } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('validation_error');
    const cleared = await api(`/v1/accounts/${started.accountId}`, { method: 'PATCH', body: { display_name: '  ' } });
    expect(((await cleared.json()) as { data: { display_name: string | null } }).data.display_name).toBeNull();
    await send('No name');
    expect((await sentBy[connect](started, email, 'No name'))?.fromLine).toBe(email);
  });

  it('lists a sent conversation with its recipients (Sent shows "To: …" as Gmail does)', async () => {
    await send('Who it went to', ['"Bob Jones" <bob@example.test>', 'carol@example.test']);
    const sent = (await (await api('/v1/email/threads?label=sent&limit=50')).json()) as {
      data: Array<{ subject: string; recipients: Array<{ name: string; email: string }> }>;
    };
    const thread = sent.data.find((t) => t.subject === 'Who it went to');
    expect(thread, JSON.stringify(sent.data.map((t) => t.subject))).toBeDefined();
    expect(thread?.recipients).toEqual([
      { name: 'Bob Jones', email: 'bob@example.test' },
      { name: '', email: 'carol@example.test' },
    ]);
    const found = (await (await api(`/v1/email/search?q=${encodeURIComponent('in:sent subject:"Who it went to"')}`)).json()) as {
      data: Array<{ thread: { recipients?: unknown } }>;
    };
    expect(found.data[0]?.thread.recipients).toEqual(thread?.recipients);
  });
});
