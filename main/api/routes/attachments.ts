import { Type } from 'typebox';
import { parsePublicId } from '../../../shared/ids.ts';
import { ApiError } from '../errors.ts';
import type { ApiDeps, ApiServer } from '../server.ts';

const Params = Type.Object({ id: Type.String({ maxLength: 40, description: 'att_<n>' }) });
const errors = Object.fromEntries([400, 401, 403, 404, 409].map((s) => [s, { $ref: 'ApiError#' }]));

/**
 * GET /v1/email/attachments/{id}: an attachment's bytes, for reading mail
 * offline. Served as a download (never rendered by the browser in the API's
 * origin): Content-Disposition attachment with an RFC 6266 / 5987 filename,
 * nosniff, and a sandboxing CSP. Attachments over the sync's size cap have
 * metadata only (409 attachment_not_available).
 */
export function registerAttachmentRoutes(app: ApiServer, { db, blobs }: ApiDeps): void {
  app.get(
    '/v1/email/attachments/:id',
    {
      config: { scope: 'read:email' },
      schema: {
        summary: "An attachment's content (download)",
        params: Params,
        description: "The bytes, as a download (200, the attachment's media type)",
        response: errors,
      },
    },
    async (request, reply) => {
      const rowId = parsePublicId('att', request.params.id);
      const row =
        rowId === null
          ? undefined
          : (db.prepare('SELECT filename, mime_type, blob_sha256 FROM attachments WHERE id = ?').get(rowId) as
              | { filename: string; mime_type: string; blob_sha256: string | null }
              | undefined);
      if (!row) throw new ApiError('not_found', `no attachment ${request.params.id}`);
      if (!row.blob_sha256)
        throw new ApiError(
          'attachment_not_available',
          'this attachment is larger than the sync size cap, so only its name and size are stored; open the message at the provider',
        );
      const bytes = blobs.read(row.blob_sha256);
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
