import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EmailSendRequest, EmailSendService } from '../../../main/api/sendContract.ts';
import { OutpostError } from '../../../main/core/outpostError.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';
/** The reference document's example request. */
const example = {
  to: 'jane@example.com',
  subject: 'Follow-up on our meeting',
  body_html: '<p>Hi Jane, thanks for meeting with us today.</p>',
  contact_id: '123e4567-e89b-12d3-a456-426614174000',
};

describe('POST /v1/email/send (HTTP contract, fake send service)', () => {
  let db: IndexDb;
  let api: LocalApiHarness;
  let submitted: { request: EmailSendRequest; idempotencyKey: string | null }[];
  let fail: Error | null;
  const dir = makeTempDir();
  const fake: EmailSendService = {
    async submit(request, { idempotencyKey }) {
      if (fail) throw fail;
      submitted.push({ request, idempotencyKey });
      return {
        id: `18c9a4b2e7ff21a${submitted.length}`,
        thread_id: '18c9a4b2e7ff21aa',
        provider: 'gmail',
        status: 'sent',
        sent_at: '2026-04-17T10:22:11Z',
      };
    },
  };

  beforeEach(async () => {
    db = openIndex(':memory:');
    ensureAccount(db, 'gmail', 'me@example.test');
    submitted = [];
    fail = null;
    api = await buildLocalApi(db, dir.path, {
      send: fake,
      attachmentRoots: ['/srv/outbox-files'],
      rateLimits: { sendPerSecond: 3, sendPerDay: 100 },
    });
    writer = api.key('write:email');
  });
  afterEach(async () => {
    await api.app.close();
    db.close();
  });

  let writer: string;
  const send = (body: unknown, headers: Record<string, string> = {}, key = writer) =>
    api.app.inject({
      method: 'POST',
      url: '/v1/email/send',
      headers: { host, authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('sends the reference example and answers {data: {id, thread_id, provider, status, sent_at}} with the send cap headers', async () => {
    const res = await send(example, { 'idempotency-key': '7e0b7c0e-5b2f-4b17-bf2a-4d7e7e33d9f1' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      data: {
        id: '18c9a4b2e7ff21a1',
        thread_id: '18c9a4b2e7ff21aa',
        provider: 'gmail',
        status: 'sent',
        sent_at: '2026-04-17T10:22:11Z',
      },
    });
    expect(res.headers['x-ratelimit-limit']).toBe('100');
    expect(res.headers['x-ratelimit-remaining']).toBe('99');
    expect(res.headers['x-request-id']).toMatch(/^req_/);
    expect(submitted[0]?.idempotencyKey).toBe('7e0b7c0e-5b2f-4b17-bf2a-4d7e7e33d9f1');
  });

  it('replays a retried send with the same Idempotency-Key without sending twice; another payload is 409', async () => {
    const idem = { 'idempotency-key': 'retry-1' };
    const first = await send(example, idem);
    const retry = await send(example, idem);
    expect(retry.json()).toEqual(first.json());
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(submitted).toHaveLength(1);
    const other = await send({ ...example, subject: 'Another' }, idem);
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('idempotency_conflict');
  });

  it.each([
    [{ subject: 's', body_text: 'b' }, 'to'],
    [{ to: 'a@example.com', body_text: 'b' }, 'subject'],
    [{ to: 'a@example.com', subject: 's' }, 'body_text'],
    [{ to: 'a@example.com', subject: 'x'.repeat(999), body_text: 'b' }, 'subject'],
    [{ to: 'a@example.com\r\nBcc: victim@example.com', subject: 's', body_text: 'b' }, 'to'],
    [{ to: ['a@example.com', 'Eve <e@example.com>\nBcc: x@y.z'], subject: 's', body_text: 'b' }, 'to[1]'],
    [{ to: 'a@example.com', subject: 'hi\r\nBcc: x@y.z', body_text: 'b' }, 'subject'],
    [{ to: 'not-an-address', subject: 's', body_text: 'b' }, 'to'],
    [{ to: 'a@example.com', subject: 's', body_text: 'b', contact_id: 'nope' }, 'contact_id'],
    [
      {
        to: 'a@example.com',
        subject: 's',
        body_text: 'b',
        attachments: [{ filename: 'a.txt', storage_path: '/srv/outbox-files/../../etc/passwd' }],
      },
      'attachments[0].storage_path',
    ],
    [
      { to: 'a@example.com', subject: 's', body_text: 'b', attachments: [{ filename: 'a.txt', storage_path: '/etc/passwd' }] },
      'attachments[0].storage_path',
    ],
    [{ to: 'a@example.com', subject: 's', body_text: 'b', attachments: [{ filename: 'a.txt' }] }, 'attachments[0]'],
    [
      { to: 'a@example.com', subject: 's', body_text: 'b', attachments: [{ filename: '../a.txt', content_base64: 'aGk=' }] },
      'attachments[0].filename',
    ],
    [
      { to: 'a@example.com', subject: 's', body_text: 'b', attachments: [{ filename: 'a.txt', content_base64: 'not base64!' }] },
      'attachments.0.content_base64',
    ],
  ])('400 validation_error for %j names %s', async (body, field) => {
    const res = await send(body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation_error', field, request_id: expect.stringMatching(/^req_/) });
    expect(submitted).toHaveLength(0);
  });

  it('accepts an attachment inside an allowed folder and RFC 5322 display names', async () => {
    const res = await send({
      to: ['Jane Doe <jane@example.com>', 'bob@example.com'],
      subject: 's',
      body_text: 'b',
      attachments: [{ filename: 'report.pdf', mime_type: 'application/pdf', storage_path: '/srv/outbox-files/q3/report.pdf' }],
    });
    expect(res.statusCode).toBe(200);
  });

  it('accepts an empty subject (mail clients send one after asking), still requiring the field', async () => {
    const res = await send({ to: 'jane@example.com', subject: '', body_text: 'b' });
    expect(res.statusCode).toBe(200);
    expect(submitted[0]?.request.subject).toBe('');
  });

  it('maps a provider failure to 502 provider_error, and caps sends per second with 429', async () => {
    fail = new OutpostError('provider_error', 'Gmail answered 500');
    const failed = await send(example);
    expect(failed.statusCode).toBe(502);
    expect(failed.json().code).toBe('provider_error');
    fail = null;
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await send(example)).statusCode);
    expect(statuses).toContain(429);
  });

  it('403 without write:email or without a connected provider; 503 when no send service is configured', async () => {
    expect((await send(example, {}, api.key('read:email'))).statusCode).toBe(403);
    const bare = await buildLocalApi(db, dir.path);
    const res = await bare.app.inject({
      method: 'POST',
      url: '/v1/email/send',
      headers: { host, authorization: `Bearer ${bare.key('write:email')}`, 'content-type': 'application/json' },
      payload: JSON.stringify(example),
    });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'service_unavailable', message: expect.stringMatching(/send/) });
    await bare.app.close();
    db.prepare("UPDATE accounts SET status = 'needs_reauth'").run();
    expect((await send(example)).json().message).toMatch(/no email provider/);
  });

  it('accepts up to 25 MiB on this route only', async () => {
    const big = { ...example, body_text: 'x'.repeat(2 * 1024 * 1024) };
    expect((await send(big)).statusCode).toBe(200);
    const tooBig = await send({ ...example, body_text: 'x'.repeat(26 * 1024 * 1024) });
    expect(tooBig.statusCode).toBe(413);
    expect(tooBig.json().code).toBe('payload_too_large');
  });
});
