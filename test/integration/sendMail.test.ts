import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../main/api/webhooks/webhookWorker.ts';
import type { Core } from '../../main/core/startCore.ts';
import type { RunningEmulator } from '../emulator/index.ts';
import { type EmulatorCore, startEmulatorCore } from '../support/emulatorCore.ts';
import { makeTempDir } from '../support/tempDir.ts';

const USER = 'alice@gmail.test';

describe('POST /v1/email/send through the outbox to Gmail (emulator)', () => {
  const dir = makeTempDir();
  let started: EmulatorCore;
  let emulator: RunningEmulator;
  let core: Core;
  let token: string;
  let gmailToken: string;

  const send = (body: unknown, idempotencyKey?: string) =>
    fetch(`${core.baseUrl}/v1/email/send`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
      },
      body: JSON.stringify(body),
    });
  const gmail = async (path: string) => {
    const response = await fetch(`${emulator.baseUrl}/gmail/v1/users/me/${path}`, {
      headers: { authorization: `Bearer ${gmailToken}` },
    });
    return response.json() as Promise<Record<string, unknown>>;
  };
  const sentIds = async () =>
    ((await gmail('messages?labelIds=SENT&maxResults=500')).messages as Array<{ id: string; threadId: string }> | undefined) ??
    [];

  beforeAll(async () => {
    started = await startEmulatorCore(dir.path, { connect: 'google', messages: 200 });
    ({ emulator, core } = started);
    const account = { id: started.accountId };
    core.jobs.enqueue({ kind: 'email_sync', mode: 'incremental', accountIds: [account.id] });
    core.runner.wake();
    await core.runner.idle();
    token = started.adminSession;
    const minted = await fetch(`${emulator.controlUrl}/google/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: USER, scopes: ['https://mail.google.com/'] }),
    });
    gmailToken = ((await minted.json()) as { access_token: string }).access_token;
  }, 60_000);
  afterAll(async () => {
    await started?.stop();
    dir.remove();
  });

  it('delivers exactly what was asked: recipients, non-ASCII subject, both bodies, attachment bytes', async () => {
    const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x7f, 0x80]);
    const response = await send(
      {
        to: ['"Doe, Jane" <jane@example.test>', 'zoe@example.test'],
        cc: ['cc@example.test'],
        bcc: ['hidden@example.test'],
        subject: 'Grüße — quarterly numbers ✓',
        body_html: '<p>Hello <b>Jane</b></p>',
        body_text: 'Hello Jane',
        attachments: [{ filename: 'report.pdf', mime_type: 'application/pdf', content_base64: pdf.toString('base64') }],
      },
      '7e0b7c0e-5b2f-4b17-bf2a-4d7e7e33d9f1',
    );
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as {
      data: { id: string; thread_id: string; provider: string; status: string; sent_at: string };
    };
    expect(data).toMatchObject({ provider: 'gmail', status: 'sent' });
    expect(data.sent_at).toMatch(/Z$/);

    const [sent] = (await sentIds()).filter((m) => m.id);
    const raw = Buffer.from(((await gmail(`messages/${sent?.id}?format=raw`)) as { raw: string }).raw, 'base64url');
    const parsed = await PostalMime.parse(raw, { attachmentEncoding: 'arraybuffer' });
    expect(parsed.subject).toBe('Grüße — quarterly numbers ✓');
    expect(parsed.from).toMatchObject({ address: USER });
    expect(parsed.to?.map((a) => ('address' in a ? a.address : ''))).toEqual(['jane@example.test', 'zoe@example.test']);
    expect(parsed.cc?.map((a) => ('address' in a ? a.address : ''))).toEqual(['cc@example.test']);
    expect(parsed.text?.trim()).toBe('Hello Jane');
    expect(parsed.html).toContain('<b>Jane</b>');
    expect(Buffer.from(parsed.attachments[0]?.content as ArrayBuffer).equals(pdf)).toBe(true);

    // The sent message is in the local index at once, in Sent.
    const local = await fetch(`${core.baseUrl}/v1/email/threads?label=sent`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await local.json()) as { data: Array<{ subject: string }> }).data.map((t) => t.subject)).toContain(
      'Grüße — quarterly numbers ✓',
    );
  });

  it('tells email.sent webhook subscribers, signed', async () => {
    const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
      const created = await fetch(`${core.baseUrl}/v1/webhooks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ url, events: ['email.sent'] }),
      });
      expect(created.status).toBeLessThan(300);
      const { secret } = ((await created.json()) as { data: { secret: string } }).data;
      const response = await send({ to: 'jane@example.test', subject: 'Hooked', body_text: 'ping' });
      const { data } = (await response.json()) as { data: { id: string } };
      await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1);
      const delivery = received[0] as { headers: IncomingHttpHeaders; body: string };
      const event = JSON.parse(delivery.body) as { type: string; data: { id: string; provider_message_id: string } };
      expect(event.type).toBe('email.sent');
      expect(event.data.provider_message_id).toBeTruthy();
      expect(event.data.id).toBe(data.id);
      const signature = String(delivery.headers['outpost-signature']);
      const t = Number(/t=(\d+)/.exec(signature)?.[1]);
      expect(signature).toBe(signWebhook(secret, t, delivery.body));
    } finally {
      receiver.close();
    }
  });

  it('sends once when a client retries with the same Idempotency-Key', async () => {
    const before = (await sentIds()).length;
    const body = { to: 'jane@example.test', subject: 'Once only', body_text: 'hi' };
    const first = await send(body, 'retry-key-1');
    const second = await send(body, 'retry-key-1');
    expect(second.status).toBe(first.status);
    expect(((await second.json()) as { data: { id: string } }).data.id).toBe(
      ((await first.json()) as { data: { id: string } }).data.id,
    );
    expect((await sentIds()).length).toBe(before + 1);
  });

  it('replies into an existing thread on the provider and locally', async () => {
    const list = await fetch(`${core.baseUrl}/v1/email/threads?label=inbox&limit=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const thread = ((await list.json()) as { data: Array<{ id: string; provider_thread_id: string; subject: string }> }).data[0];
    const response = await send({
      to: 'someone@example.test',
      subject: `Re: ${thread?.subject}`,
      body_text: 'Agreed.',
      thread_id: thread?.id,
    });
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: { thread_id: string } };
    expect(data.thread_id).toBe(thread?.id);
    const sentReply = (await sentIds()).find((m) => m.threadId === thread?.provider_thread_id);
    expect(sentReply).toBeDefined();
    // Reply headers name the thread's last message, as Gmail's threading rules require.
    const raw = Buffer.from(((await gmail(`messages/${sentReply?.id}?format=raw`)) as { raw: string }).raw, 'base64url');
    const parsed = await PostalMime.parse(raw);
    const last = core.db
      .prepare(
        `SELECT m.rfc822_message_id FROM messages m JOIN threads t ON t.id = m.thread_id
         WHERE t.remote_id = ? AND m.rfc822_message_id IS NOT NULL AND m.subject != ? ORDER BY m.sent_at DESC LIMIT 1`,
      )
      .pluck()
      .get(thread?.provider_thread_id, `Re: ${thread?.subject}`) as string;
    expect(parsed.inReplyTo).toBe(`<${last}>`);
    expect(parsed.references).toContain(`<${last}>`);
  });
});
