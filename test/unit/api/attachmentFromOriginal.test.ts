import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobStore } from '../../../main/db/blobStore.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';
import { buildLocalApi, type LocalApiHarness } from '../../support/localApi.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const host = '127.0.0.1:7766';

/** A multipart message carrying one binary attachment, as Gmail's format=raw returns it. */
function rawWithAttachment(filename: string, bytes: Buffer): Buffer {
  const base64 = bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
  return Buffer.from(
    [
      'From: Ann <ann@example.test>',
      'To: me@example.test',
      'Subject: Scans',
      'Message-ID: <scan@example.test>',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="b1"',
      '',
      '--b1',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The scans.',
      '--b1',
      `Content-Type: application/octet-stream; name="${filename}"`,
      `Content-Disposition: attachment; filename="${filename}"`,
      'Content-Transfer-Encoding: base64',
      '',
      base64,
      '--b1--',
      '',
    ].join('\r\n'),
  );
}

describe('GET /v1/email/attachments/{id} for an attachment over the sync size cap', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  let blobs: BlobStore;
  let api: LocalApiHarness;
  // Every byte value, so a charset or transfer-encoding slip shows.
  const content = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 256));

  const seed = (options: { raw: boolean; sizeBytes?: number }) => {
    const { account, inbox } = seedAccount(db);
    writeMessages(db, account.id, [
      messageInput({
        remoteId: 'm1',
        labelIds: [inbox],
        rawSha256: options.raw ? blobs.put(rawWithAttachment('scan.bin', content)) : null,
        attachments: [
          {
            partIndex: 0,
            remoteId: null,
            filename: 'scan.bin',
            mimeType: 'application/octet-stream',
            sizeBytes: options.sizeBytes ?? content.byteLength,
            contentId: null,
            isInline: false,
            blobSha256: null,
          },
        ],
      }),
    ]);
    return db.prepare('SELECT id FROM attachments').pluck().get() as number;
  };

  beforeEach(async () => {
    db = openIndex(':memory:');
    blobs = new BlobStore(db, dir.path);
    api = await buildLocalApi(db, dir.path);
  });
  afterEach(async () => {
    await api.app.close();
    db.close();
  });

  const get = (id: number) =>
    api.app.inject({
      method: 'GET',
      url: `/v1/email/attachments/att_${id}`,
      headers: { host, authorization: `Bearer ${api.key('read:email')}` },
    });

  it('takes the bytes out of the stored original, keeps them, and serves them from then on', async () => {
    const id = seed({ raw: true });
    const first = await get(id);
    expect(first.statusCode).toBe(200);
    expect(first.rawPayload.equals(content)).toBe(true);
    expect(first.headers['content-disposition']).toContain('filename="scan.bin"');
    const stored = db.prepare('SELECT blob_sha256 FROM attachments WHERE id = ?').pluck().get(id) as string | null;
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(blobs.read(stored as string).equals(content)).toBe(true);
    const again = await get(id);
    expect(again.rawPayload.equals(content)).toBe(true);
  });

  it('answers 409 attachment_not_available without an original, or when the original does not match the row', async () => {
    const noRaw = await get(seed({ raw: false }));
    expect(noRaw.statusCode).toBe(409);
    expect(noRaw.json()).toMatchObject({ code: 'attachment_not_available', request_id: expect.any(String) });
  });

  it('does not serve a part whose size differs from what was indexed', async () => {
    const id = seed({ raw: true, sizeBytes: 12 });
    const response = await get(id);
    expect(response.statusCode).toBe(409);
    expect(db.prepare('SELECT blob_sha256 FROM attachments WHERE id = ?').pluck().get(id)).toBeNull();
  });
});
