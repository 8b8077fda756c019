import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';
import type { AttachmentInput } from './messageWrites.ts';
import type { AttachmentRow } from './threadReads.ts';

/**
 * MIME types no person calls an attachment, whatever their headers say: PGP and S/MIME
 * signatures, and the machine-readable reports of bounces and receipts (their text is
 * searchable instead). Migration 017 recomputed stored messages with the same list.
 */
export const NOT_ATTACHMENT_TYPES: readonly string[] = [
  'application/pgp-signature',
  'application/pkcs7-signature',
  'application/x-pkcs7-signature',
  'message/delivery-status',
  'message/disposition-notification',
  'message/feedback-report',
  'text/rfc822-headers',
];

/**
 * Whether a part is what `has:attachment` means (and notmuch, and a reader): a named file
 * that is not shown inline in the body (Content-Disposition: attachment, or a named part
 * without a disposition outside multipart/related). Unnamed attachments are named
 * "noname" when parsed, as Gmail shows them.
 */
export function countsAsAttachment(part: Pick<AttachmentInput, 'filename' | 'mimeType' | 'isInline'>): boolean {
  return !part.isInline && part.filename !== '' && !NOT_ATTACHMENT_TYPES.includes(part.mimeType.toLowerCase());
}

/** What serving an attachment needs: its stored bytes, or where in its message's original they are. */
export interface AttachmentDownloadRow {
  id: number;
  part_index: number;
  filename: string;
  mime_type: string;
  size_bytes: number;
  blob_sha256: string | null;
  /** The message's stored RFC 822 original, if kept. */
  raw_sha256: string | null;
}

export function attachmentForDownload(db: ReadableDb, attachmentId: number): AttachmentDownloadRow | undefined {
  return stmt<[number], AttachmentDownloadRow>(
    db,
    `SELECT a.id, a.part_index, a.filename, a.mime_type, a.size_bytes, a.blob_sha256, m.raw_sha256
     FROM attachments a JOIN messages m ON m.id = a.message_id WHERE a.id = ?`,
  ).get(attachmentId);
}

/** Points an attachment without stored bytes at a blob (taken out of its message's original). */
export function setAttachmentBlob(db: WritableDb, attachmentId: number, sha256: string): void {
  stmt(db, 'UPDATE attachments SET blob_sha256 = ? WHERE id = ? AND blob_sha256 IS NULL').run(sha256, attachmentId);
}

/** What the index holds of a message's attachments, read before its provider is asked for them again. */
export interface StoredAttachments {
  isDraft: boolean;
  attachments: AttachmentInput[];
}

/** The message's stored attachments in part order (undefined when the message is not indexed). */
export function storedAttachmentsOf(db: ReadableDb, accountId: string, remoteId: string): StoredAttachments | undefined {
  const rows = stmt<
    [string, string],
    Omit<AttachmentRow, 'id' | 'message_id'> & { is_draft: number; part_index: number | null; remote_id: string | null }
  >(
    db,
    `SELECT m.is_draft, a.part_index, a.remote_id, a.filename, a.mime_type, a.size_bytes, a.content_id, a.is_inline, a.blob_sha256
     FROM messages m LEFT JOIN attachments a ON a.message_id = m.id
     WHERE m.account_id = ? AND m.remote_id = ? ORDER BY a.part_index`,
  ).all(accountId, remoteId);
  const [first] = rows;
  if (!first) return undefined;
  return {
    isDraft: first.is_draft === 1,
    attachments: rows.flatMap((r) =>
      r.part_index === null
        ? []
        : [
            {
              partIndex: r.part_index,
              remoteId: r.remote_id,
              filename: r.filename,
              mimeType: r.mime_type,
              sizeBytes: r.size_bytes,
              contentId: r.content_id,
              isInline: r.is_inline === 1,
              blobSha256: r.blob_sha256,
            },
          ],
    ),
  };
}
