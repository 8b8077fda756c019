import { createHash } from 'node:crypto';
import type { BlobStore } from '../db/blobStore.ts';
import type { WritableDb } from '../db/handles.ts';
import { upsertLabel } from '../db/queries/labels.ts';
import { writeMessages } from '../db/queries/messageWrites.ts';
import { transaction } from '../db/transactions.ts';
import { parseRfc822 } from './parseRfc822.ts';
import { findThreadByReferences } from './threading.ts';
import { toMessageInput } from './toMessageInput.ts';

export interface ImportResult {
  imported: number;
  /** The imported messages' remote ids (the hash of their bytes), in order. */
  remoteIds: string[];
  failed: Array<{ index: number; error: string }>;
}

export interface ImportOptions {
  /** Attachments larger than this keep their metadata only. */
  attachmentSizeCap: number;
  /** Called after each committed batch. */
  onProgress?: (done: number) => void;
  /** Where the messages go: a label of the account's own (default: its inbox). */
  label?: { remoteId: string; name: string };
  /** Mark them read whatever their Status header says (a file the user opened). */
  read?: boolean;
}

const BATCH_SIZE = 200;

/** The local account imported mail goes to unless another is named (`outpost import-mbox`, opened .eml files). */
export const DEFAULT_LOCAL_ACCOUNT = 'local@outpost.localhost';

/**
 * Imports raw RFC 822 messages (an mbox, .eml files, a corpus) into a local
 * account's inbox (or another label). Idempotent: a message's id is the hash of its bytes, so a
 * second import of the same file adds nothing. A message that cannot be
 * parsed is reported and skipped; it never aborts the import.
 */
export async function importRawMessages(
  db: WritableDb,
  blobs: BlobStore,
  accountId: string,
  raws: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ImportOptions,
): Promise<ImportResult> {
  const labelId = options.label
    ? upsertLabel(db, accountId, { remoteId: options.label.remoteId, name: options.label.name, kind: 'user', role: null })
    : upsertLabel(db, accountId, { remoteId: 'INBOX', name: 'Inbox', kind: 'system', role: 'inbox' });
  const result: ImportResult = { imported: 0, remoteIds: [], failed: [] };
  let batch: Array<{ raw: Uint8Array; parsed: Awaited<ReturnType<typeof parseRfc822>> }> = [];
  let index = 0;

  const flush = () => {
    transaction(db, () => {
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
            labelIds: [labelId],
            isUnread: !options.read && !status.includes('R'),
            isStarred: false,
            isImportant: false,
            isDraft: false,
            sizeBytes: raw.byteLength,
          },
          { blobs, attachmentSizeCap: options.attachmentSizeCap, raw },
        );
        if (input.sentAt === 0) input.sentAt = Date.now();
        writeMessages(db, accountId, [input]);
        result.remoteIds.push(remoteId);
      }
    });
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
