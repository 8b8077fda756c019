import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';

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
