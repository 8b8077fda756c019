import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';
const EML = [
  'From: Ann Example <ann@example.test>',
  'To: me@example.test',
  'Subject: =?UTF-8?Q?Caf=C3=A9_receipt?=',
  'Date: Tue, 10 Nov 2026 09:30:00 +0100',
  'Message-ID: <receipt-1@example.test>',
  'MIME-Version: 1.0',
  'Content-Type: multipart/mixed; boundary="b"',
  '',
  '--b',
  'Content-Type: text/plain; charset=utf-8',
  '',
  'Thanks for your visit.',
  '--b',
  'Content-Type: application/pdf; name="receipt.pdf"',
  'Content-Disposition: attachment; filename="receipt.pdf"',
  'Content-Transfer-Encoding: base64',
  '',
  Buffer.from('%PDF-1.4 receipt').toString('base64'),
  '--b--',
  '',
].join('\r\n');

describe('POST /v1/email/import (an opened .eml file)', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  let api: LocalApiHarness;
  beforeEach(async () => {
    db = openIndex(':memory:');
    api = await buildLocalApi(db, dir.path);
  });
  afterEach(async () => {
    await api.app.close();
    db.close();
  });

  const post = (body: string | Buffer, contentType = 'message/rfc822', key = api.key('read:email', 'write:email')) =>
    api.app.inject({
      method: 'POST',
      url: '/v1/email/import',
      headers: { host, authorization: `Bearer ${key}`, 'content-type': contentType },
      payload: body,
    });
  const get = (url: string) =>
    api.app.inject({ method: 'GET', url, headers: { host, authorization: `Bearer ${api.key('read:email')}` } });

  it('adds the message under Opened files, read, with its attachment, and the same file twice is one message', async () => {
    const first = await post(EML);
    expect(first.statusCode).toBe(201);
    const { thread_id, message_id } = first.json().data;
    expect(thread_id).toMatch(/^thr_\d+$/);
    const thread = (await get(`/v1/email/threads/${thread_id}`)).json().data;
    expect(thread.subject).toBe('Café receipt');
    expect(thread.messages[0]).toMatchObject({
      id: message_id,
      is_unread: false,
      from: { name: 'Ann Example', email: 'ann@example.test' },
      attachments: [expect.objectContaining({ filename: 'receipt.pdf', mime_type: 'application/pdf' })],
    });
    const labels = (await get('/v1/email/labels')).json().data as Array<{ id: string; name: string }>;
    expect(thread.label_ids).toEqual([labels.find((l) => l.name === 'Opened files')?.id]);
    // Not in the inbox: opening a file is not receiving mail.
    expect(labels.some((l) => l.name === 'Inbox')).toBe(false);

    const again = await post(Buffer.from(EML));
    expect(again.json().data).toEqual({ message_id, thread_id });
    expect(db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(1);
  });

  it('refuses an empty body, another content type and a missing scope, with the error shape', async () => {
    const empty = await post('');
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: 'validation_error', request_id: expect.any(String) });
    const json = await post('{"raw":"x"}', 'application/json');
    expect(json.statusCode).toBe(415);
    expect(json.json()).toMatchObject({ code: 'unsupported_media_type' });
    expect((await post(EML, 'message/rfc822', api.key('read:email'))).statusCode).toBe(403);
    expect(db.prepare('SELECT count(*) FROM messages').pluck().get()).toBe(0);
  });

  it('keeps whatever text a damaged file has rather than failing', async () => {
    const damaged = await post('this is not really\r\nan email\r\n\r\nbut it has a body');
    expect(damaged.statusCode).toBe(201);
    const thread = (await get(`/v1/email/threads/${damaged.json().data.thread_id}`)).json().data;
    expect(thread.messages[0].body_text).toContain('but it has a body');
  });
});
