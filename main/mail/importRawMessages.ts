import { createHash } from 'node:crypto';
import type { BlobStore } from '../db/blobStore.ts';
import type { IndexDb } from '../db/openIndex.ts';
import { upsertLabel } from '../db/queries/labels.ts';
import { writeMessages } from '../db/queries/messageWrites.ts';
import { parseRfc822 } from './parseRfc822.ts';
import { findThreadByReferences } from './threading.ts';
import { toMessageInput } from './toMessageInput.ts';

export interface ImportResult {
  imported: number;
  failed: Array<{ index: number; error: string }>;
}

export interface ImportOptions {
  /** Attachments larger than this keep their metadata only. */
  attachmentSizeCap: number;
  /** Called after each committed batch. */
  onProgress?: (done: number) => void;
}

const BATCH_SIZE = 200;

/**
 * Imports raw RFC 822 messages (an mbox, .eml files, a corpus) into a local
 * account's inbox. Idempotent: a message's id is the hash of its bytes, so a
 * second import of the same file adds nothing. A message that cannot be
 * parsed is reported and skipped; it never aborts the import.
 */
export async function importRawMessages(
  db: IndexDb,
  blobs: BlobStore,
  accountId: string,
  raws: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ImportOptions,
): Promise<ImportResult> {
  const inboxId = upsertLabel(db, accountId, { remoteId: 'INBOX', name: 'Inbox', kind: 'system', role: 'inbox' });
  const result: ImportResult = { imported: 0, failed: [] };
  let batch: Array<{ raw: Uint8Array; parsed: Awaited<ReturnType<typeof parseRfc822>> }> = [];
  let index = 0;

  const flush = () => {
    db.transaction(() => {
      for (const { raw, parsed } of batch) {
        const remoteId = createHash('sha256').update(raw).digest('hex').slice(0, 24);
        const references = [...parsed.references, ...(parsed.inReplyTo ? [parsed.inReplyTo] : [])];
        const threadRemoteId = findThreadByReferences(db, accountId, references, parsed.subject) ?? remoteId;
        const status = parsed.headers.get('status') ?? '';
        const input = toMessageInput(
          parsed,
          {
            remoteId,
            threadRemoteId,
            receivedAt: null,
            labelIds: [inboxId],
            isUnread: !status.includes('R'),
            isStarred: false,
            isImportant: false,
            isDraft: false,
            sizeBytes: raw.byteLength,
          },
          { blobs, attachmentSizeCap: options.attachmentSizeCap, raw },
        );
        if (input.sentAt === 0) input.sentAt = Date.now();
        writeMessages(db, accountId, [input]);
      }
    })();
    result.imported += batch.length;
    batch = [];
    options.onProgress?.(result.imported);
  };

  for await (const raw of raws) {
    try {
      batch.push({ raw, parsed: await parseRfc822(raw) });
    } catch (error) {
      result.failed.push({ index, error: (error as Error).message });
    }
    index++;
    if (batch.length >= BATCH_SIZE) flush();
  }
  if (batch.length) flush();
  return result;
}
