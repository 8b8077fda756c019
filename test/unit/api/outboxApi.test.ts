import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { Outbox } from '../../../main/send/outbox.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';

describe('/v1/email/outbox', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  let api: LocalApiHarness;
  let outbox: Outbox;
  let reachable: boolean;
  let deliveries: number;
  beforeEach(async () => {
    db = openIndex(':memory:');
    reachable = false;
    deliveries = 0;
    api = await buildLocalApi(db, dir.path, {
      outbox: (blobs) => {
        outbox = new Outbox(db, blobs, {
          providerFor: () => ({
            async send() {
              if (!reachable) throw Object.assign(new Error('connect ECONNREFUSED'), { retry: true });
              return { providerMessageId: 'p1', providerThreadId: 't1' };
            },
            findSent: async () => null,
            classify: () => ({ kind: 'retry', reason: 'network' }),
          }),
        });
        return outbox;
      },
      deliverNow: () => {
        deliveries++;
      },
    });
  });
  afterEach(async () => {
    await api.app.close();
    db.close();
  });

  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, key = api.key('read:email', 'write:email')) =>
    api.app.inject({ method, url, headers: { host, authorization: `Bearer ${key}` } });
  const queue = (subject: string) =>
    outbox.enqueue({
      accountId: ensureAccount(db, 'gmail', 'me@example.test').id,
      raw: Buffer.from(
        `From: me@example.test\r\nTo: "Ann" <ann@example.test>\r\nCc: bob@example.test\r\nSubject: =?UTF-8?Q?${subject}?=\r\nMessage-ID: <${subject}@x>\r\n\r\nBody`,
      ),
      rfc822MessageId: `${subject}@x`,
      providerThreadId: null,
      idempotencyKey: null,
    });

  it('lists what is not sent yet, with subject, recipients, attempts and the last error', async () => {
    const first = queue('Caf=C3=A9');
    queue('Second');
    await outbox.deliverDue();
    const list = (await call('GET', '/v1/email/outbox')).json().data;
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({
      id: first.id,
      status: 'queued',
      subject: 'Café',
      to: [
        { name: 'Ann', email: 'ann@example.test' },
        { name: '', email: 'bob@example.test' },
      ],
      attempts: 1,
      last_error: 'connect ECONNREFUSED',
      next_attempt_at: expect.any(String),
    });
  });

  it('sends a message now, and cancels another; refuses what is sent or unknown', async () => {
    const retried = queue('Retry');
    const cancelled = queue('Cancel');
    await outbox.deliverDue();
    const now = await call('POST', `/v1/email/outbox/${retried.id}/retry`);
    expect(now.statusCode).toBe(200);
    expect(deliveries).toBe(1);
    expect(Date.parse(now.json().data.next_attempt_at)).toBeLessThanOrEqual(Date.now());
    expect((await call('DELETE', `/v1/email/outbox/${cancelled.id}`)).statusCode).toBe(204);
    reachable = true;
    await outbox.deliverDue();
    expect((await call('GET', '/v1/email/outbox')).json().data).toEqual([]);

    const sent = await call('POST', `/v1/email/outbox/${retried.id}/retry`);
    expect(sent.statusCode).toBe(409);
    expect(sent.json()).toMatchObject({ code: 'already_sent', request_id: expect.any(String) });
    expect((await call('DELETE', `/v1/email/outbox/${retried.id}`)).json()).toMatchObject({ code: 'already_sent' });
    expect((await call('DELETE', `/v1/email/outbox/${cancelled.id}`)).statusCode).toBe(404);
    expect((await call('DELETE', '/v1/email/outbox/not-an-id')).statusCode).toBe(400);
  });

  it('needs read:email to list and write:email to change', async () => {
    const row = queue('Scopes');
    expect((await call('GET', '/v1/email/outbox', api.key('read:calendar'))).statusCode).toBe(403);
    expect((await call('POST', `/v1/email/outbox/${row.id}/retry`, api.key('read:email'))).statusCode).toBe(403);
    expect((await call('DELETE', `/v1/email/outbox/${row.id}`, api.key('read:email'))).statusCode).toBe(403);
  });
});
