import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobStore } from '../../../main/db/blobStore.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';

describe('GET /v1/email/attachments/{id}', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  let api: LocalApiHarness;
  const pdf = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff]);

  beforeEach(async () => {
    db = openIndex(':memory:');
    const { account, inbox } = seedAccount(db);
    const blobs = new BlobStore(db, dir.path);
    const attachment = (partIndex: number, filename: string, mimeType: string, blobSha256: string | null) => ({
      partIndex,
      remoteId: null,
      filename,
      mimeType,
      sizeBytes: 6,
      contentId: null,
      isInline: false,
      blobSha256,
    });
    writeMessages(db, account.id, [
      messageInput({
        remoteId: 'm1',
        labelIds: [inbox],
        attachments: [
          attachment(0, 'Übersicht "Q4"\r\n.pdf', 'application/pdf', blobs.put(pdf)),
          attachment(1, 'huge.iso', 'application/x-iso9660-image', null),
          attachment(2, 'page.html', 'text/html; charset="x"<script>', blobs.put(Buffer.from('<script>alert(1)</script>'))),
        ],
      }),
    ]);
    api = await buildLocalApi(db, dir.path);
  });
  afterEach(async () => {
    await api.app.close();
    db.close();
  });

  const ids = () => db.prepare('SELECT id FROM attachments ORDER BY part_index').pluck().all() as number[];
  const get = (id: string, key = api.key('read:email')) =>
    api.app.inject({ method: 'GET', url: `/v1/email/attachments/${id}`, headers: { host, authorization: `Bearer ${key}` } });

  it('serves the stored bytes as a download with a safe, RFC 5987 filename', async () => {
    const response = await get(`att_${ids()[0]}`);
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.equals(pdf)).toBe(true);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="_bersicht _Q4___.pdf"; filename*=UTF-8''%C3%9Cbersicht%20%22Q4%22__.pdf`,
    );
  });

  it('never lets a stored media type carry parameters or markup, and sandboxes what a browser would render', async () => {
    const response = await get(`att_${ids()[2]}`);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    expect(response.headers['content-security-policy']).toContain('sandbox');
  });

  it('answers 409 attachment_not_available past the size cap, 404 for unknown or malformed ids, 403 without read:email', async () => {
    const big = await get(`att_${ids()[1]}`);
    expect(big.statusCode).toBe(409);
    expect(big.json()).toMatchObject({ code: 'attachment_not_available' });
    expect((await get('att_99999')).statusCode).toBe(404);
    expect((await get('msg_1')).statusCode).toBe(404);
    expect((await get('att_1', api.key('read:calendar'))).statusCode).toBe(403);
  });
});
