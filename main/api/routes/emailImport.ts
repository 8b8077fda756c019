import { EmailImportResponse } from '../../../shared/api/emailImport.ts';
import { publicId } from '../../../shared/ids.ts';
import { OutpostError } from '../../core/outpostError.ts';
import { ensureAccount } from '../../db/queries/accounts.ts';
import { messageByRemoteId } from '../../db/queries/threadReads.ts';
import { DEFAULT_LOCAL_ACCOUNT, importRawMessages } from '../../mail/importRawMessages.ts';
import type { ApiDeps, ApiServer } from '../server.ts';

/** A message file is at most what Gmail and Outlook accept, with room for encoding. */
export const IMPORT_BODY_LIMIT_BYTES = 50 * 1024 * 1024;
const OPENED_FILES = { remoteId: 'opened-files', name: 'Opened files' };
const ATTACHMENT_CAP = 25 * 1024 * 1024;
const errors = Object.fromEntries([400, 401, 403, 413, 415].map((s) => [s, { $ref: 'ApiError#' }]));

/**
 * Opening an .eml file: the message goes into the index (local account, label
 * "Opened files", read) so it can be shown, searched and kept offline like any
 * other; the same file opened twice is the same message.
 */
export function registerEmailImportRoutes(app: ApiServer, { writer: db, blobs }: ApiDeps): void {
  app.addContentTypeParser('message/rfc822', { parseAs: 'buffer', bodyLimit: IMPORT_BODY_LIMIT_BYTES }, (_request, body, done) =>
    done(null, body),
  );
  app.post(
    '/v1/email/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT_BYTES,
      config: { auth: { scope: 'write:email' } },
      schema: {
        summary: 'Add one message file (Content-Type: message/rfc822, e.g. an .eml) to the index, under Opened files',
        consumes: ['message/rfc822'],
        response: { 201: EmailImportResponse, ...errors },
      },
    },
    async (request, reply) => {
      if (!request.headers['content-type']?.toLowerCase().startsWith('message/rfc822'))
        throw new OutpostError(
          'unsupported_media_type',
          'send the message itself as the body, with Content-Type: message/rfc822',
        );
      const raw = request.body as Buffer;
      if (!Buffer.isBuffer(raw) || raw.byteLength === 0) throw new OutpostError('validation_error', 'the message is empty');
      const account = ensureAccount(db, 'local', DEFAULT_LOCAL_ACCOUNT);
      const result = await importRawMessages(db, blobs, account.id, [new Uint8Array(raw)], {
        attachmentSizeCap: ATTACHMENT_CAP,
        label: OPENED_FILES,
        read: true,
      });
      const remoteId = result.remoteIds[0];
      if (!remoteId)
        throw new OutpostError('validation_error', `not an email message: ${result.failed[0]?.error ?? 'unreadable'}`);
      const row = messageByRemoteId(db, account.id, remoteId);
      if (!row) throw new OutpostError('internal_error', 'the imported message is not in the index');
      return reply.status(201).send({ data: { message_id: publicId('msg', row.id), thread_id: publicId('thr', row.thread_id) } });
    },
  );
}
