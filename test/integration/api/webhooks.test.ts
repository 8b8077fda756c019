import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession } from '../../../main/api/auth/sessions.ts';
import { type Core, startCore } from '../../../main/core/startCore.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { makeTempDir } from '../../support/tempDir.ts';

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

describe('webhooks: signed deliveries to a local receiver, retried after it was down', () => {
  const dir = makeTempDir();
  let core: Core;
  let admin: string;
  let receiver: Server;
  let port: number;
  const received: Received[] = [];
  let answer = 500;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    port = (receiver.address() as AddressInfo).port;
    core = await startCore({
      dataDir: dir.path,
      port: 0,
      version: 'test',
      rendererDir: null,
      schedule: false,
      webhookPollMs: 50,
      jobHandlers: { email_sync: async () => ({ messagesProcessed: 2, threadsProcessed: 1 }) },
    });
    ensureAccount(core.db, 'gmail', 'me@example.test');
    admin = createSession(core.db, { admin: true }).token;
  });
  afterAll(async () => {
    await core.close();
    receiver.close();
    dir.remove();
  });

  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${core.baseUrl}${path}`, {
      method,
      headers: { Authorization: `Bearer ${admin}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  it('rejects non-http(s) URLs and unknown events', async () => {
    const bad = await api('POST', '/v1/webhooks', { url: 'file:///etc/passwd', events: ['email.sync.completed'] });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { field: string }).field).toBe('url');
    const unknown = await api('POST', '/v1/webhooks', { url: 'http://127.0.0.1:1/', events: ['everything'] });
    expect(unknown.status).toBe(400);
  });

  it('delivers email.sync.completed signed with HMAC-SHA256 over "<t>.<body>", retrying after a failure', async () => {
    const created = (await (
      await api('POST', '/v1/webhooks', { url: `http://127.0.0.1:${port}/hook`, events: ['email.sync.completed'] })
    ).json()) as {
      data: { id: string; secret: string };
    };
    expect(created.data.secret).toMatch(/^whsec_/);
    const list = await (await api('GET', '/v1/webhooks')).text();
    expect(list).not.toContain(created.data.secret);

    const sync = (await (
      await fetch(`${core.baseUrl}/v1/email/sync`, { method: 'POST', headers: { Authorization: `Bearer ${admin}` } })
    ).json()) as {
      data: { job_id: string };
    };
    // First attempt: the receiver answers 500 (down); the delivery stays pending with its error logged.
    await waitFor(() => received.length >= 1);
    await waitFor(async () => {
      const log = (await (await api('GET', `/v1/webhooks/${created.data.id}/deliveries`)).json()) as {
        data: { attempts: number }[];
      };
      return (log.data[0]?.attempts ?? 0) >= 1;
    });
    const log = (await (await api('GET', `/v1/webhooks/${created.data.id}/deliveries`)).json()) as {
      data: { status: string; last_status_code: number; next_attempt_at: string }[];
    };
    expect(log.data[0]).toMatchObject({ status: 'pending', last_status_code: 500 });
    // The receiver comes back; make the retry due now instead of waiting ~10 s of backoff.
    answer = 204;
    core.db.prepare("UPDATE webhook_deliveries SET next_attempt_at = 0 WHERE status = 'pending'").run();
    await waitFor(() => received.length >= 2);
    const last = received.at(-1) as Received;
    const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(last.headers['outpost-signature']));
    expect(match).not.toBeNull();
    const expected = createHmac('sha256', created.data.secret).update(`${match?.[1]}.${last.body}`).digest('hex');
    expect(match?.[2]).toBe(expected);
    const payload = JSON.parse(last.body);
    expect(payload).toMatchObject({ type: 'email.sync.completed', data: { id: sync.data.job_id, status: 'succeeded' } });
    expect(received[0]?.body).toBe(last.body); // the same event, redelivered
    await waitFor(async () => {
      const after = (await (await api('GET', `/v1/webhooks/${created.data.id}/deliveries`)).json()) as {
        data: { status: string }[];
      };
      return after.data[0]?.status === 'delivered';
    });
    expect((await api('DELETE', `/v1/webhooks/${created.data.id}`)).status).toBe(204);
    expect((await api('GET', `/v1/webhooks/${created.data.id}/deliveries`)).status).toBe(404);
  });
});

async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}
