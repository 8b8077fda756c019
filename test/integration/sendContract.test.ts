import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import PostalMime from 'postal-mime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../main/api/auth/apiKeys.ts';
import type { Core } from '../../main/core/startCore.ts';
import type { RunningEmulator } from '../emulator/index.ts';
import { emulatorControl } from '../support/emulatorAccounts.ts';
import { type EmulatorCore, startEmulatorCore } from '../support/emulatorCore.ts';
import { makeTempDir } from '../support/tempDir.ts';

const USER = 'alice@gmail.test';

interface SendAnswer {
  id: string;
  thread_id: string | null;
  status: string;
  sent_at: string | null;
  provider_message_id?: string | null;
  provider_thread_id?: string | null;
  contact_id?: string | null;
  deal_id?: string | null;
  error?: { code: string; message: string; provider_status: number | null };
}

/**
 * The send contract as a script meets it, against a real core and Gmail's
 * emulator: idempotency across API keys, what a refusal and an outage answer,
 * the failure event, the returned id read back, contact and deal timelines,
 * the send caps, and DelightBridge's POST /api/threads/send.
 */
describe('the send contract (Gmail emulator, real core)', () => {
  const dir = makeTempDir();
  let started: EmulatorCore;
  let emulator: RunningEmulator;
  let core: Core;
  let admin: string;

  const call = (method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${core.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const send = (token: string, body: unknown, key?: string) =>
    call('POST', '/v1/email/send', token, body, key ? { 'idempotency-key': key } : {});
  const control = () => emulatorControl(emulator);
  const sendCalls = async () =>
    ((await control()('/counters')) as { requests: Record<string, number> }).requests['gmail.users.messages.send'] ?? 0;
  const gmail = async (path: string) => {
    const minted = (await control()('/google/tokens', {
      method: 'POST',
      body: { email: USER, scopes: ['https://mail.google.com/'] },
    })) as { access_token: string };
    const response = await fetch(`${emulator.baseUrl}/gmail/v1/users/me/${path}`, {
      headers: { authorization: `Bearer ${minted.access_token}` },
    });
    return (await response.json()) as Record<string, unknown>;
  };
  /** The messages with this subject in Gmail's SENT, read at the emulator. */
  const sentWithSubject = async (subject: string) =>
    ((await gmail(`messages?labelIds=SENT&q=${encodeURIComponent(`subject:"${subject}"`)}`)).messages as
      | Array<{ id: string; threadId: string }>
      | undefined) ?? [];
  const fault = (fault: Record<string, unknown>) =>
    control()('/faults', { method: 'POST', body: { fault: { endpoint: 'gmail.users.messages.send', ...fault } } });
  /** What the outbox's delivery loop does, its backoff skipped. */
  const deliverDueNow = async () => {
    core.db.prepare(`UPDATE outbox SET next_attempt_at = 0 WHERE status = 'queued'`).run();
    await core.send.outbox.deliverDue();
  };

  beforeAll(async () => {
    // Sends follow each other faster than the per-second cap allows; the daily cap is what one test is about.
    started = await startEmulatorCore(dir.path, { connect: 'google', messages: 20, rateLimits: { sendPerSecond: 1000 } });
    ({ emulator, core } = started);
    admin = started.adminSession;
    core.jobs.enqueue({ kind: 'email_sync', mode: 'incremental', accountIds: [started.accountId] });
    core.runner.wake();
    await core.runner.idle();
  }, 60_000);
  afterAll(async () => {
    await started?.stop();
    dir.remove();
  });

  it('one Idempotency-Key namespace: a second API key replays the same message and is refused another; one delivery', async () => {
    const alice = createApiKey(core.db, 'alice', ['write:email']).key;
    const bob = createApiKey(core.db, 'bob', ['write:email']).key;
    const message = { to: 'jane@example.test', subject: 'Shared key', body_text: 'Once.' };
    const first = await send(alice, message, 'shared-key-1');
    expect(first.status).toBe(200);
    const other = await send(bob, { ...message, subject: 'Shared key, other message' }, 'shared-key-1');
    expect(other.status).toBe(409);
    expect(((await other.json()) as { code: string }).code).toBe('idempotency_conflict');
    const replay = await send(bob, { body_text: 'Once.', subject: 'Shared key', to: 'jane@example.test' }, 'shared-key-1');
    expect(replay.status).toBe(200);
    expect(((await replay.json()) as { data: SendAnswer }).data.id).toBe(((await first.json()) as { data: SendAnswer }).data.id);
    expect(await sentWithSubject('Shared key')).toHaveLength(1);
    expect(await sentWithSubject('Shared key, other message')).toHaveLength(0);
  });

  it("a provider's 4xx is 502 provider_error with its status; the same key and body are attempted again and sent", async () => {
    const message = { to: 'jane@example.test', subject: 'Refused once', body_text: 'Try again.' };
    await fault({ kind: 'status', status: 400, count: 1 });
    const calls = await sendCalls();
    const refused = await send(admin, message, 'refused-key-1');
    expect(refused.status).toBe(502);
    const error = (await refused.json()) as { code: string; details: { provider_status: number; provider_message: string } };
    expect(error.code).toBe('provider_error');
    expect(error.details.provider_status).toBe(400);
    expect(error.details.provider_message).toBeTruthy();

    const retried = await send(admin, message, 'refused-key-1');
    expect(retried.status).toBe(200);
    expect(((await retried.json()) as { data: SendAnswer }).data.status).toBe('sent');
    expect((await sendCalls()) - calls).toBe(2);
    expect(await sentWithSubject('Refused once')).toHaveLength(1);
  });

  it('a corrected body after a refusal is sent under the same key', async () => {
    await fault({ kind: 'status', status: 400, count: 1 });
    const key = 'refused-key-2';
    expect((await send(admin, { to: 'jane@example.test', subject: 'Draft one', body_text: 'x' }, key)).status).toBe(502);
    const corrected = await send(admin, { to: 'jane@example.test', subject: 'Draft two', body_text: 'x' }, key);
    expect(corrected.status).toBe(200);
    expect(await sentWithSubject('Draft two')).toHaveLength(1);
  });

  it('a 5xx is 200 queued (thread_id and sent_at null); when its retries run out, email.send_failed and its webhook say why', async () => {
    const received: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        received.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      const hook = await call('POST', '/v1/webhooks', admin, {
        url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`,
        events: ['email.send_failed'],
      });
      expect(hook.status).toBeLessThan(300);
      await fault({ kind: 'status', status: 503, count: 10 });
      const message = { to: 'jane@example.test', subject: 'Outage', body_text: 'Later.' };
      const queued = await send(admin, message, 'outage-key-1');
      expect(queued.status).toBe(200);
      const answer = ((await queued.json()) as { data: SendAnswer }).data;
      expect(answer).toMatchObject({ status: 'queued', thread_id: null, sent_at: null });

      // The id it returned reads the outbox item while it is not sent.
      const waiting = await call('GET', `/v1/email/messages/${answer.id}`, admin);
      expect(waiting.status).toBe(200);
      expect(((await waiting.json()) as { data: { status: string; subject: string } }).data).toMatchObject({
        status: 'queued',
        subject: 'Outage',
      });

      for (let attempt = 0; attempt < 12 && core.send.outbox.get(answer.id)?.status !== 'failed'; attempt++)
        await deliverDueNow();
      expect(core.send.outbox.get(answer.id)?.status).toBe('failed');
      await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1);
      const event = JSON.parse(received[0] as string) as {
        type: string;
        data: { id: string; idempotency_key: string; reason: { code: string; provider_status: number } };
      };
      expect(event.type).toBe('email.send_failed');
      expect(event.data).toMatchObject({
        id: answer.id,
        idempotency_key: 'outage-key-1',
        reason: { code: 'provider_error', provider_status: 503 },
      });

      // Its key now answers what became of it.
      const replay = await send(admin, message, 'outage-key-1');
      expect(((await replay.json()) as { data: SendAnswer }).data).toMatchObject({
        id: answer.id,
        status: 'failed',
        error: { code: 'provider_error', provider_status: 503 },
      });
      expect(await sentWithSubject('Outage')).toHaveLength(0);
    } finally {
      receiver.close();
    }
  }, 60_000);

  it('the id a send returned reads the sent message, which says which provider message and thread it became', async () => {
    const response = await send(admin, { to: 'jane@example.test', subject: 'Read me back', body_text: 'Here.' });
    const answer = ((await response.json()) as { data: SendAnswer }).data;
    expect(answer.status).toBe('sent');
    const [sent] = await sentWithSubject('Read me back');
    expect(answer.provider_message_id).toBe(sent?.id);
    expect(answer.provider_thread_id).toBe(sent?.threadId);
    const read = await call('GET', `/v1/email/messages/${answer.id}`, admin);
    expect(read.status).toBe(200);
    const message = ((await read.json()) as { data: { id: string; subject: string; thread_id: string } }).data;
    expect(message).toMatchObject({ id: expect.stringMatching(/^msg_/), subject: 'Read me back', thread_id: answer.thread_id });
    expect((await call('GET', '/v1/email/messages/out_00000000000000000000000000', admin)).status).toBe(404);
  });

  it("contact_id and deal_id stay with the message: a contact's and a deal's timelines list it", async () => {
    const contact = '123e4567-e89b-12d3-a456-426614174000';
    const deal = '9b2f7c1e-0d4a-4e55-8f7a-2c1d3e4f5a6b';
    const response = await send(admin, {
      to: 'jane@example.test',
      subject: 'For the deal',
      body_text: 'Terms attached.',
      contact_id: contact,
      deal_id: deal,
    });
    const answer = ((await response.json()) as { data: SendAnswer }).data;
    expect(answer).toMatchObject({ contact_id: contact, deal_id: deal });

    const byContact = (await (await call('GET', `/v1/email/messages?contact_id=${contact}`, admin)).json()) as {
      data: Array<{ subject: string; contact_id: string; deal_id: string }>;
    };
    expect(byContact.data.map((m) => m.subject)).toEqual(['For the deal']);
    expect(byContact.data[0]).toMatchObject({ contact_id: contact, deal_id: deal });
    const byDeal = (await (await call('GET', `/v1/email/messages?deal_id=${deal}`, admin)).json()) as { data: unknown[] };
    expect(byDeal.data).toHaveLength(1);
    const threads = (await (await call('GET', `/v1/email/threads?contact_id=${contact}`, admin)).json()) as {
      data: Array<{ id: string }>;
    };
    expect(threads.data.map((t) => t.id)).toEqual([answer.thread_id]);
    const dealThreads = (await (await call('GET', `/v1/email/threads?deal_id=${deal}`, admin)).json()) as {
      data: unknown[];
    };
    expect(dealThreads.data).toHaveLength(1);
    const nobody = (await (await call('GET', '/v1/email/messages?contact_id=someone-else', admin)).json()) as {
      data: unknown[];
    };
    expect(nobody.data).toEqual([]);
  });

  it('only accepted sends count against the daily send cap', async () => {
    const remaining = async (response: Response) => Number(response.headers.get('x-ratelimit-remaining'));
    const before = await remaining(await send(admin, { to: 'jane@example.test', subject: 'Cap 1', body_text: 'x' }));
    // Refused: an unknown thread, a provider's 4xx.
    expect((await send(admin, { to: 'jane@example.test', subject: 'x', body_text: 'x', thread_id: 'thr_999999' })).status).toBe(
      404,
    );
    await fault({ kind: 'status', status: 400, count: 1 });
    expect((await send(admin, { to: 'jane@example.test', subject: 'Cap refused', body_text: 'x' })).status).toBe(502);
    const after = await remaining(await send(admin, { to: 'jane@example.test', subject: 'Cap 2', body_text: 'x' }));
    expect(after).toBe(before - 1);
  });

  it('POST /api/threads/send replies into a thread (admin session) through the outbox', async () => {
    const list = (await (await call('GET', '/v1/email/threads?label=inbox&limit=1', admin)).json()) as {
      data: Array<{ id: string; subject: string; provider_thread_id: string }>;
    };
    const thread = list.data[0] as { id: string; subject: string; provider_thread_id: string };
    const response = await fetch(`${core.baseUrl}/api/threads/send`, {
      method: 'POST',
      headers: {
        cookie: `authjs.session-token=${admin}`,
        'content-type': 'application/json',
        'idempotency-key': 'thread-reply-1',
      },
      body: JSON.stringify({ threadId: thread.id, bodyText: 'Agreed, thanks.' }),
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as { ok: boolean; id: string; threadId: string; status: string };
    expect(answer).toMatchObject({ ok: true, id: expect.stringMatching(/^out_/), threadId: thread.id, status: 'sent' });
    const outbox = core.send.outbox.get(answer.id);
    const raw = Buffer.from(
      ((await gmail(`messages/${outbox?.provider_message_id}?format=raw`)) as { raw: string }).raw,
      'base64url',
    );
    const parsed = await PostalMime.parse(raw);
    expect(parsed.subject).toBe(/^re:/i.test(thread.subject) ? thread.subject : `Re: ${thread.subject}`);
    expect(parsed.inReplyTo).toMatch(/^<.+>$/);
    expect(parsed.text?.trim()).toBe('Agreed, thanks.');
    expect(outbox?.provider_thread_id).toBe(thread.provider_thread_id);
    // An API key is not an admin session.
    const keyed = await fetch(`${core.baseUrl}/api/threads/send`, {
      method: 'POST',
      headers: { authorization: `Bearer ${createApiKey(core.db, 'k', ['write:email']).key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ threadId: thread.id, bodyText: 'x' }),
    });
    expect([401, 403]).toContain(keyed.status);
  });
});
