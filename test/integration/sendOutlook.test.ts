import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/startCore.ts';
import type { RunningEmulator } from '../emulator/index.ts';
import { signIn } from '../emulator/microsoft/testAuth.ts';
import { runMailSync } from '../support/emulatorAccounts.ts';
import { type EmulatorCore, startEmulatorCore } from '../support/emulatorCore.ts';
import { makeTempDir } from '../support/tempDir.ts';

const SENDER = 'bob@contoso.test';
const BCC_RECIPIENT = 'alice@contoso.test';
// A 1×1 PNG: the inline image must arrive byte for byte, referenced by its Content-ID.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('POST /v1/email/send through Microsoft Graph (emulator)', () => {
  const dir = makeTempDir();
  let started: EmulatorCore;
  let emulator: RunningEmulator;
  let core: Core;
  let token: string;
  let accountId: string;

  const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${core.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        authorization: `Bearer ${token}`,
        ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  /** Graph as another signed-in user (the recipient), to read what was really delivered. */
  const graphAs = async (upn: string) => {
    const accessToken = await signIn(emulator.baseUrl, upn);
    return async <T>(path: string): Promise<T> => {
      const response = await fetch(`${emulator.baseUrl}/v1.0/me${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
      if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
      return (path.endsWith('/$value') ? await response.text() : await response.json()) as T;
    };
  };

  beforeAll(async () => {
    started = await startEmulatorCore(dir.path, { connect: 'microsoft', messages: 120 });
    ({ emulator, core, accountId } = started);
    expect(await runMailSync(core, accountId)).toMatchObject({ status: 'succeeded' });
    token = started.adminSession;
  }, 60_000);
  afterAll(async () => {
    await started?.stop();
    dir.remove();
  });

  it('delivers exactly what was asked: recipients (Bcc delivered but never shown), subject, bodies, attachment, inline image', async () => {
    const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x7f, 0x80]);
    const response = await api('/v1/email/send', {
      method: 'POST',
      body: {
        to: ['"Doe, Jane" <jane@example.test>'],
        cc: ['cc@example.test'],
        bcc: [BCC_RECIPIENT],
        reply_to: 'replies@example.test',
        subject: 'Zürich — Übersicht ✓',
        body_html: '<p>Hello <b>Jane</b> <img src="cid:logo@outpost.test"></p>',
        body_text: 'Hello Jane',
        attachments: [
          { filename: 'report.pdf', mime_type: 'application/pdf', content_base64: pdf.toString('base64') },
          {
            filename: 'logo.png',
            mime_type: 'image/png',
            content_base64: PNG.toString('base64'),
            content_id: 'logo@outpost.test',
          },
        ],
      },
    });
    expect(response.status, await response.clone().text()).toBe(200);
    expect(((await response.json()) as { data: { provider: string; status: string } }).data).toMatchObject({
      provider: 'microsoft',
      status: 'sent',
    });

    // What the Bcc recipient's mailbox really received.
    const graph = await graphAs(BCC_RECIPIENT);
    const inbox = await graph<{ value: Array<{ id: string; subject: string }> }>('/mailFolders/inbox/messages?$top=50');
    const copy = inbox.value.find((m) => m.subject === 'Zürich — Übersicht ✓');
    expect(copy, 'the Bcc recipient got the message').toBeDefined();
    const raw = await graph<string>(`/messages/${copy?.id}/$value`);
    expect(raw).not.toMatch(/^bcc:/im);
    const parsed = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
    expect(parsed.subject).toBe('Zürich — Übersicht ✓');
    expect(parsed.from).toMatchObject({ address: SENDER });
    expect(parsed.to?.map((a) => ('address' in a ? [a.name, a.address] : []))).toEqual([['Doe, Jane', 'jane@example.test']]);
    expect(parsed.cc?.map((a) => ('address' in a ? a.address : ''))).toEqual(['cc@example.test']);
    expect(parsed.replyTo?.map((a) => ('address' in a ? a.address : ''))).toEqual(['replies@example.test']);
    expect(parsed.text?.trim()).toBe('Hello Jane');
    expect(parsed.html).toContain('cid:logo@outpost.test');
    const attachment = parsed.attachments.find((a) => a.filename === 'report.pdf');
    expect(Buffer.from(attachment?.content as ArrayBuffer).equals(pdf)).toBe(true);
    const inline = parsed.attachments.find((a) => a.contentId === '<logo@outpost.test>');
    expect(inline?.disposition).toBe('inline');
    expect(Buffer.from(inline?.content as ArrayBuffer).equals(PNG)).toBe(true);

    // The sender's own copy is in the index at once, in Sent.
    const sent = await api('/v1/email/threads?label=sent&limit=50');
    expect(((await sent.json()) as { data: Array<{ subject: string }> }).data.map((t) => t.subject)).toContain(
      'Zürich — Übersicht ✓',
    );
  });

  it('replies into the existing conversation on Outlook and in the local thread, with reply headers', async () => {
    const list = await api('/v1/email/threads?label=inbox&limit=1');
    const thread = ((await list.json()) as { data: Array<{ id: string; provider_thread_id: string; subject: string }> }).data[0];
    expect(thread).toBeDefined();
    const response = await api('/v1/email/send', {
      method: 'POST',
      body: { to: BCC_RECIPIENT, subject: `Re: ${thread?.subject}`, body_text: 'Agreed.', thread_id: thread?.id },
    });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { thread_id: string } }).data.thread_id).toBe(thread?.id);

    const snapshot = (await (await fetch(`${emulator.controlUrl}/snapshot`)).json()) as {
      microsoft: {
        users: Array<{
          upn: string;
          folders: Array<{ id: string; wellKnownName: string | null }>;
          messages: Array<{ id: string; conversationId: string; parentFolderId: string; internetMessageId: string }>;
        }>;
      };
    };
    const bob = snapshot.microsoft.users.find((u) => u.upn === SENDER);
    const sentItems = bob?.folders.find((f) => f.wellKnownName === 'sentitems')?.id;
    const reply = bob?.messages.filter((m) => m.parentFolderId === sentItems && m.conversationId === thread?.provider_thread_id);
    expect(reply?.length).toBe(1);

    // The recipient's copy carries In-Reply-To / References naming the message replied to.
    const graph = await graphAs(BCC_RECIPIENT);
    const inbox = await graph<{ value: Array<{ id: string; subject: string }> }>('/mailFolders/inbox/messages?$top=50');
    const copy = inbox.value.find((m) => m.subject === `Re: ${thread?.subject}`);
    const raw = await graph<string>(`/messages/${copy?.id}/$value`);
    const parsed = await PostalMime.parse(raw);
    expect(parsed.inReplyTo).toMatch(/^<.+>$/);
    expect(parsed.references).toContain(parsed.inReplyTo as string);
  });
});
