import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLog } from '../../../main/core/log.ts';
import { BlobStore } from '../../../main/db/blobStore.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { reclaimableBlobs } from '../../../main/db/queries/blobReferences.ts';
import { type AttachmentInput, deleteMessages, writeMessages } from '../../../main/db/queries/messageWrites.ts';
import { getOutboxRow, insertOutboxRow, updateOutboxRow } from '../../../main/db/queries/outbox.ts';
import { type BlobCleanupOptions, blobCleanupOptionsFromEnv, cleanUpBlobs } from '../../../main/sync/blobCleanup.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

describe('blob clean-up: disk given back when nothing refers to a blob any more', () => {
  let db: IndexDb;
  let dir: ReturnType<typeof makeTempDir>;
  let blobs: BlobStore;
  let accountId: string;
  beforeEach(() => {
    db = openIndex(':memory:');
    dir = makeTempDir();
    blobs = new BlobStore(db, dir.path);
    accountId = seedAccount(db).account.id;
  });
  afterEach(() => {
    db.close();
    dir.remove();
  });

  /** No grace: what is noted and unused is freed now (the default waits an hour for a blob just stored). */
  const now: BlobCleanupOptions = { ...blobCleanupOptionsFromEnv({}), graceMs: 0 };
  const cleanUp = (options: Partial<BlobCleanupOptions> = {}) =>
    cleanUpBlobs({ db, blobs, log: silentLog }, { ...now, ...options });
  const kept = (sha256: string) => ({
    file: existsSync(blobs.pathOf(sha256)),
    row: db.prepare('SELECT count(*) FROM blobs WHERE sha256 = ?').pluck().get(sha256) === 1,
  });
  const attachment = (partIndex: number, blobSha256: string | null): AttachmentInput => ({
    partIndex,
    remoteId: `att-${partIndex}`,
    filename: `file${partIndex}.txt`,
    mimeType: 'text/plain',
    sizeBytes: 10,
    contentId: null,
    isInline: false,
    blobSha256,
  });
  const message = (remoteId: string, raw: string, attachments: string[] = []) =>
    messageInput({ remoteId, rawSha256: raw, attachments: attachments.map((sha, i) => attachment(i, sha)) });
  /** One message per raw original, written, then deleted as a sync would. */
  const writeThenDelete = (raws: readonly string[]) => {
    const ids = raws.map((_, i) => `m${i}`);
    writeMessages(
      db,
      accountId,
      raws.map((raw, i) => message(ids[i] as string, raw)),
    );
    deleteMessages(db, accountId, ids);
  };

  it('frees the raw and attachment blobs of deleted messages (rows and files); a blob a kept message shares stays', async () => {
    const rawA = blobs.put(Buffer.from('raw a'));
    const rawB = blobs.put(Buffer.from('raw b'));
    const own = blobs.put(Buffer.from('only in a'));
    const shared = blobs.put(Buffer.from('in a and b'));
    writeMessages(db, accountId, [message('a', rawA, [own, shared]), message('b', rawB, [shared])]);
    // Blobs just stored and referred to are checked once and forgotten: nothing to free.
    expect(await cleanUp()).toEqual({ outboxRowsDeleted: 0, blobsFreed: 0, bytesFreed: 0 });
    expect(reclaimableBlobs(db)).toEqual({ blobs: 0, bytes: 0 });

    deleteMessages(db, accountId, ['a']);
    expect(reclaimableBlobs(db)).toEqual({ blobs: 2, bytes: 'raw a'.length + 'only in a'.length });
    expect(await cleanUp()).toMatchObject({ blobsFreed: 2, bytesFreed: 'raw a'.length + 'only in a'.length });
    expect([kept(rawA), kept(own)]).toEqual([
      { file: false, row: false },
      { file: false, row: false },
    ]);
    expect([kept(rawB), kept(shared)]).toEqual([
      { file: true, row: true },
      { file: true, row: true },
    ]);
    expect(reclaimableBlobs(db)).toEqual({ blobs: 0, bytes: 0 });
  });

  it('frees an attachment blob replaced by another, and a raw original replaced by another', async () => {
    const [raw1, raw2, old, replacement] = ['raw 1', 'raw 2', 'old file', 'new file'].map((s) => blobs.put(Buffer.from(s)));
    writeMessages(db, accountId, [message('m', raw1 as string, [old as string])]);
    writeMessages(db, accountId, [message('m', raw2 as string, [replacement as string])]);
    expect(await cleanUp()).toMatchObject({ blobsFreed: 2 });
    expect([kept(raw1 as string).file, kept(old as string).file]).toEqual([false, false]);
    expect([kept(raw2 as string).file, kept(replacement as string).file]).toEqual([true, true]);
  });

  it('leaves a blob stored moments ago that nothing refers to yet (its message is written a page later), frees it after the grace', async () => {
    const pending = blobs.put(Buffer.from('fetched, message not written yet'));
    expect(await cleanUp({ graceMs: 60_000 })).toMatchObject({ blobsFreed: 0 });
    expect(kept(pending)).toEqual({ file: true, row: true });
    writeMessages(db, accountId, [message('later', pending)]);
    expect(await cleanUp({ graceMs: 60_000 })).toMatchObject({ blobsFreed: 0 });
    deleteMessages(db, accountId, ['later']);
    // Its message deleted: the grace no longer matters once it was referred to and let go of.
    expect(await cleanUp({ graceMs: 60_000 })).toMatchObject({ blobsFreed: 1 });
    const orphan = blobs.put(Buffer.from('never referred to'));
    expect(await cleanUp({ graceMs: 60_000 })).toMatchObject({ blobsFreed: 0 });
    expect(await cleanUp({ graceMs: 0 })).toMatchObject({ blobsFreed: 1 });
    expect(kept(orphan)).toEqual({ file: false, row: false });
  });

  it('a blob stored again after it was freed has its file; a file whose row came back is never deleted', async () => {
    const raw = blobs.put(Buffer.from('the same bytes'));
    writeMessages(db, accountId, [message('m', raw)]);
    deleteMessages(db, accountId, ['m']);
    await cleanUp();
    expect(kept(raw)).toEqual({ file: false, row: false });
    expect(blobs.put(Buffer.from('the same bytes'))).toBe(raw);
    expect(kept(raw)).toEqual({ file: true, row: true });
    // The row is back before a (late) file deletion: the file stays.
    blobs.deleteFiles([raw]);
    expect(blobs.read(raw).toString()).toBe('the same bytes');
  });

  it('a blob stored again while the clean-up is deleting files keeps its file and row', async () => {
    const contents = Array.from({ length: 40 }, (_, i) => Buffer.from(`raw ${i}`));
    const raws = contents.map((bytes) => blobs.put(bytes));
    writeThenDelete(raws);
    // The clean-up runs until its first turn of the event loop: every row freed, only the first files deleted.
    const running = cleanUp();
    const late = [...raws].sort().at(-1) as string;
    expect(kept(late)).toEqual({ file: true, row: false });
    expect(blobs.put(contents[raws.indexOf(late)] as Buffer)).toBe(late);
    await running;
    expect(kept(late)).toEqual({ file: true, row: true });
    expect(raws.filter((raw) => raw !== late && kept(raw).file)).toEqual([]);
  });

  it('works through many noted blobs in batches', async () => {
    const raws = Array.from({ length: 7 }, (_, i) => blobs.put(Buffer.from(`raw ${i}`)));
    writeThenDelete(raws);
    expect(await cleanUp({ batchSize: 2 })).toMatchObject({ blobsFreed: 7 });
    expect(raws.filter((raw) => kept(raw).file)).toEqual([]);
  });

  it('keeps sent outbox rows for the retention period, then deletes them with their raw message; unsent rows stay', async () => {
    const started = Date.now();
    const row = (id: string, status: 'queued' | 'sent' | 'failed', sentDaysAgo: number | null) => {
      const raw = blobs.put(Buffer.from(`outbox ${id}`));
      insertOutboxRow(db, {
        id,
        account_id: accountId,
        idempotency_key: null,
        rfc822_message_id: `${id}@example.test`,
        raw_sha256: raw,
        provider_thread_id: null,
        contact_id: null,
        deal_id: null,
        next_attempt_at: started,
        created_at: started - 40 * DAY_MS,
      });
      updateOutboxRow(db, id, { status, sent_at: sentDaysAgo === null ? null : started - sentDaysAgo * DAY_MS });
      return raw;
    };
    const old = row('out_old', 'sent', 31);
    const recent = row('out_recent', 'sent', 29);
    const queued = row('out_queued', 'queued', null);
    const failed = row('out_failed', 'failed', null);
    expect(await cleanUp({ sentRetentionMs: 30 * DAY_MS })).toMatchObject({ outboxRowsDeleted: 1, blobsFreed: 1 });
    expect(getOutboxRow(db, 'out_old')).toBeUndefined();
    expect(kept(old)).toEqual({ file: false, row: false });
    for (const [id, raw] of [
      ['out_recent', recent],
      ['out_queued', queued],
      ['out_failed', failed],
    ] as const) {
      expect(getOutboxRow(db, id)?.id).toBe(id);
      expect(kept(raw)).toEqual({ file: true, row: true });
    }
  });

  it('reads the retention from OUTPOST_SENT_RETENTION_DAYS (30 days when unset or not a positive number)', () => {
    expect(blobCleanupOptionsFromEnv({}).sentRetentionMs).toBe(30 * DAY_MS);
    expect(blobCleanupOptionsFromEnv({ OUTPOST_SENT_RETENTION_DAYS: '7' }).sentRetentionMs).toBe(7 * DAY_MS);
    expect(blobCleanupOptionsFromEnv({ OUTPOST_SENT_RETENTION_DAYS: 'soon' }).sentRetentionMs).toBe(30 * DAY_MS);
  });
});
