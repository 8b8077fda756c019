import { Type } from 'typebox';
import { bytesResponse } from '../../../shared/api/common.ts';
import { parsePublicId } from '../../../shared/ids.ts';
import { OutpostError } from '../../core/outpostError.ts';
import type { BlobStore } from '../../db/blobStore.ts';
import type { WritableDb } from '../../db/handles.ts';
import { type AttachmentDownloadRow, attachmentForDownload, setAttachmentBlob } from '../../db/queries/attachments.ts';
import { parseRfc822 } from '../../mail/parseRfc822.ts';
import type { ApiDeps, ApiServer } from '../server.ts';

const Params = Type.Object({ id: Type.String({ maxLength: 40, description: 'att_<n>' }) });
const errors = Object.fromEntries([400, 401, 403, 404, 409].map((s) => [s, { $ref: 'ApiError#' }]));

/**
 * GET /v1/email/attachments/{id}: an attachment's bytes, for reading mail
 * offline. Served as a download (never rendered by the browser in the API's
 * origin): Content-Disposition attachment with an RFC 6266 / 5987 filename,
 * nosniff, and a sandboxing CSP. An attachment over the sync's size cap is
 * taken out of the message's stored original the first time it is asked for
 * (and kept, content-addressed); without an original, 409 attachment_not_available.
 */
export function registerAttachmentRoutes(app: ApiServer, { reader, writer, blobs }: ApiDeps): void {
  app.get(
    '/v1/email/attachments/:id',
    {
      config: { auth: { scope: 'read:email' } },
      schema: {
        summary: "An attachment's content (download)",
        params: Params,
        description: "The bytes, as a download (200, the attachment's media type)",
        response: { 200: bytesResponse("The attachment's bytes, as a download in its own media type", '*/*'), ...errors },
      },
    },
    async (request, reply) => {
      const rowId = parsePublicId('att', request.params.id);
      const row = rowId === null ? undefined : attachmentForDownload(reader, rowId);
      if (!row) throw new OutpostError('not_found', `no attachment ${request.params.id}`);
      const sha256 = row.blob_sha256 ?? (await storeFromOriginal(writer, blobs, row));
      if (!sha256)
        throw new OutpostError(
          'attachment_not_available',
          'this attachment was larger than the sync size cap and the original message is not stored, so only its name and size are known; open the message at the provider',
        );
      const bytes = blobs.read(sha256);
      return reply
        .header('content-type', safeMimeType(row.mime_type))
        .header('content-disposition', contentDisposition(row.filename || 'attachment'))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "sandbox; default-src 'none'")
        .header('content-length', String(bytes.byteLength))
        .send(bytes);
    },
  );
}

/**
 * The attachment's bytes from the message's stored RFC 822 original (Gmail
 * and imported mail keep it): the same parser that indexed the message gives
 * the same part order, checked against the stored name and size before the
 * bytes are kept and the row points at them. Null when there is no original
 * or the part does not match.
 */
async function storeFromOriginal(db: WritableDb, blobs: BlobStore, row: AttachmentDownloadRow): Promise<string | null> {
  if (!row.raw_sha256) return null;
  let raw: Buffer;
  try {
    raw = blobs.read(row.raw_sha256);
  } catch {
    return null;
  }
  const part = (await parseRfc822(raw)).attachments[row.part_index];
  if (!part || part.filename !== row.filename || part.content.byteLength !== row.size_bytes) return null;
  const sha256 = blobs.put(part.content);
  setAttachmentBlob(db, row.id, sha256);
  return sha256;
}

/** A type token only (no parameters an attacker could craft), else a neutral binary type. */
function safeMimeType(mime: string): string {
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/i.test(mime) ? mime.toLowerCase() : 'application/octet-stream';
}

/** `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266, RFC 5987). */
export function contentDisposition(filename: string): string {
  const cleaned = filename.replace(/[\r\n\0/\\]/g, '_').slice(0, 200);
  const ascii = cleaned.replace(/[^\x20-\x7e]/g, '_').replace(/["%]/g, '_');
  const encoded = encodeURIComponent(cleaned).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
