import { Type } from 'typebox';
import { MessageResponse } from '../../../shared/api/threads.ts';
import { parsePublicId } from '../../../shared/ids.ts';
import { OutpostError } from '../../core/outpostError.ts';
import { attachmentsOfMessage, getMessageRow, labelIdsOfMessage } from '../../db/queries/threadReads.ts';
import { presentMessage } from '../mailPresenters.ts';
import type { ApiDeps, ApiServer } from '../server.ts';
import { contentDisposition } from './attachments.ts';

const Params = Type.Object({ id: Type.String({ maxLength: 40, description: 'msg_<n>' }) });
const errors = Object.fromEntries([400, 401, 403, 404, 409].map((s) => [s, { $ref: 'ApiError#' }]));

/** One message, and its original RFC 822 bytes, for scripts reading mail offline. */
export function registerMessageRoutes(app: ApiServer, { reader, blobs }: ApiDeps): void {
  const find = (id: string) => {
    const rowId = parsePublicId('msg', id);
    const row = rowId === null ? undefined : getMessageRow(reader, rowId);
    if (!row) throw new OutpostError('not_found', `no message ${id}`);
    return row;
  };

  app.get(
    '/v1/email/messages/:id',
    {
      config: { auth: { scope: 'read:email' } },
      schema: {
        summary: 'One message: headers, participants, bodies, labels, attachments',
        params: Params,
        response: { 200: MessageResponse, ...errors },
      },
    },
    async (request) => {
      const row = find(request.params.id);
      return { data: presentMessage(row, labelIdsOfMessage(reader, row.id), attachmentsOfMessage(reader, row.id)) };
    },
  );

  app.get(
    '/v1/email/messages/:id/raw',
    {
      config: { auth: { scope: 'read:email' } },
      schema: {
        summary: 'The message as received (message/rfc822 download)',
        description: '409 raw_not_available when only the parsed message was kept',
        params: Params,
        response: errors,
      },
    },
    async (request, reply) => {
      const row = find(request.params.id);
      if (!row.raw_sha256)
        throw new OutpostError(
          'raw_not_available',
          'the original bytes of this message were not kept; GET the message for its parsed content',
        );
      const bytes = blobs.read(row.raw_sha256);
      return reply
        .header('content-type', 'message/rfc822')
        .header('content-disposition', contentDisposition(`${request.params.id}.eml`))
        .header('x-content-type-options', 'nosniff')
        .header('content-length', String(bytes.byteLength))
        .send(bytes);
    },
  );
}
