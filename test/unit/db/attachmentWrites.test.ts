import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobStore } from '../../../main/db/blobStore.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { setAttachmentBlob } from '../../../main/db/queries/attachments.ts';
import { type AttachmentInput, writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';
import { makeTempDir } from '../../support/tempDir.ts';

describe('attachments across a rewrite of their message', () => {
  let db: IndexDb;
  let dir: ReturnType<typeof makeTempDir>;
  let blobs: BlobStore;
  let accountId: string;
  let inbox: number;
  beforeEach(() => {
    db = openIndex(':memory:');
    dir = makeTempDir();
    blobs = new BlobStore(db, dir.path);
    ({
      account: { id: accountId },
      inbox,
    } = seedAccount(db));
  });
  afterEach(() => {
    db.close();
    dir.remove();
  });

  const attachment = (partIndex: number, overrides: Partial<AttachmentInput> = {}): AttachmentInput => ({
    partIndex,
    remoteId: `att-${partIndex}`,
    filename: `file${partIndex}.txt`,
    mimeType: 'text/plain',
    sizeBytes: 10 + partIndex,
    contentId: null,
    isInline: false,
    blobSha256: null,
    ...overrides,
  });
  /** The attachments of the first message written (remote id m1 or draft). */
  const rows = () =>
    db
      .prepare(
        `SELECT a.id, a.part_index, a.filename, a.size_bytes, a.blob_sha256 FROM attachments a JOIN messages m ON m.id = a.message_id
         WHERE m.remote_id IN ('m1', 'draft') ORDER BY a.part_index`,
      )
      .all() as Array<{ id: number; part_index: number; filename: string; size_bytes: number; blob_sha256: string | null }>;
  const rawOf = () => db.prepare(`SELECT raw_sha256 FROM messages WHERE remote_id = 'm1'`).pluck().get() as string | null;

  it('keeps ids and stored bytes when a message is written again (a read flag, a move), including bytes stored later', () => {
    const stored = blobs.put(Buffer.from('second file'));
    const raw = blobs.put(Buffer.from('Subject: x\r\n\r\nraw'));
    const write = (overrides: Parameters<typeof messageInput>[0]) =>
      writeMessages(db, accountId, [
        messageInput({
          labelIds: [inbox],
          rawSha256: raw,
          attachments: [attachment(0), attachment(1, { blobSha256: stored })],
          ...overrides,
        }),
      ]);
    write({ remoteId: 'm1' });
    const before = rows();
    writeMessages(db, accountId, [messageInput({ remoteId: 'later', attachments: [attachment(0), attachment(1)] })]);
    // The first attachment was over the sync's cap: its bytes are taken out of the original when first asked for.
    const lazy = blobs.put(Buffer.from('first file'));
    setAttachmentBlob(db, before[0]?.id as number, lazy);
    // The provider reports a read-state change and a move: the message is written again, with the same parts (no bytes
    // for the first, as at the first sync) and, as Graph does, no raw original.
    write({ remoteId: 'm1', isUnread: false, rawSha256: null });
    expect(rows()).toEqual([
      { ...before[0], blob_sha256: lazy },
      { ...before[1], blob_sha256: stored },
    ]);
    expect(rawOf()).toBe(raw);
  });

  it('updates a part in place when it changed, drops its old bytes, and deletes parts that are gone', () => {
    const old = blobs.put(Buffer.from('old draft attachment'));
    writeMessages(db, accountId, [
      messageInput({
        remoteId: 'draft',
        attachments: [attachment(0, { blobSha256: old }), attachment(1), attachment(2)],
      }),
    ]);
    const [first, second] = rows();
    writeMessages(db, accountId, [messageInput({ remoteId: 'later', attachments: [attachment(0)] })]);
    // The draft was edited: its first file replaced by another of another size (not fetched: over the cap), the third removed.
    writeMessages(db, accountId, [
      messageInput({
        remoteId: 'draft',
        attachments: [attachment(0, { remoteId: 'att-new', filename: 'new.txt', sizeBytes: 99 }), attachment(1)],
      }),
    ]);
    expect(rows()).toEqual([
      { id: first?.id, part_index: 0, filename: 'new.txt', size_bytes: 99, blob_sha256: null },
      { ...second },
    ]);
  });
});
