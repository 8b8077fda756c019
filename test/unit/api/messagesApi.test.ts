import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BlobStore } from '../../../main/db/blobStore.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';
const RAW = Buffer.from('From: Ann <ann@example.test>\r\nTo: me@example.test\r\nSubject: Lunch\r\n\r\nNoon?\r\n');

describe('GET /v1/email/messages/{id} and /raw', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  let api: LocalApiHarness;
  let withRaw: number;
  let parsedOnly: number;

  beforeAll(async () => {
    db = openIndex(':memory:');
    const { account, inbox } = seedAccount(db);
    const blobs = new BlobStore(db, dir.path);
    const ids = writeMessages(db, account.id, [
      messageInput({ remoteId: 'kept', subject: 'Lunch', bodyText: 'Noon?', labelIds: [inbox], rawSha256: blobs.put(RAW) }),
      messageInput({ remoteId: 'parsed', subject: 'Other', labelIds: [inbox] }),
    ]);
    withRaw = ids.get('kept') as number;
    parsedOnly = ids.get('parsed') as number;
    api = await buildLocalApi(db, dir.path);
  });
  afterAll(async () => {
    await api.app.close();
    db.close();
  });

  const get = (url: string) =>
    api.app.inject({ method: 'GET', url, headers: { host, authorization: `Bearer ${api.key('read:email')}` } });

  it('answers one message with its thread, labels and bodies', async () => {
    const response = await get(`/v1/email/messages/msg_${withRaw}`);
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toMatchObject({
      id: `msg_${withRaw}`,
      subject: 'Lunch',
      body_text: 'Noon?',
      thread_id: expect.stringMatching(/^thr_/),
    });
  });

  it('downloads the original bytes as message/rfc822, or says they were not kept', async () => {
    const raw = await get(`/v1/email/messages/msg_${withRaw}/raw`);
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['content-type']).toBe('message/rfc822');
    expect(raw.headers['content-disposition']).toContain(`filename="msg_${withRaw}.eml"`);
    expect(raw.rawPayload.equals(RAW)).toBe(true);
    const missing = await get(`/v1/email/messages/msg_${parsedOnly}/raw`);
    expect(missing.statusCode).toBe(409);
    expect(missing.json()).toMatchObject({ code: 'raw_not_available' });
  });

  it('404s unknown and mistyped ids', async () => {
    expect((await get('/v1/email/messages/msg_999999')).statusCode).toBe(404);
    expect((await get(`/v1/email/messages/thr_${withRaw}`)).statusCode).toBe(404);
    expect((await get('/v1/email/messages/msg_1%27%20OR%201=1/raw')).statusCode).toBe(404);
  });
});
