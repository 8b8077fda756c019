import { Type } from 'typebox';
import { bytesResponse } from '../../../shared/api/common.ts';
import { OutboxMessageSchema } from '../../../shared/api/outbox.ts';
import { ListMessagesQuery, MessageListResponse, MessageSchema } from '../../../shared/api/threads.ts';
import { parsePublicId } from '../../../shared/ids.ts';
import { OutpostError } from '../../core/outpostError.ts';
import {
  attachmentsOfMessage,
  getMessageRow,
  labelIdsOfMessage,
  listMessagesByLink,
  type MessageRow,
  messageByRemoteId,
} from '../../db/queries/threadReads.ts';
import { presentMessage } from '../mailPresenters.ts';
import { decodePageCursor, encodePageCursor } from '../pageCursor.ts';
import type { ApiDeps, ApiServer } from '../server.ts';
import { contentDisposition } from './attachments.ts';
import { presentOutboxMessage } from './outbox.ts';

const Params = Type.Object({ id: Type.String({ maxLength: 40, description: 'msg_<n>, or the out_… id a send returned' }) });
/** A message, or (for the id a send returned, before its sent copy is in the index) the send waiting in the outbox. */
const MessageOrSendResponse = Type.Object(
  {
    data: Type.Union([MessageSchema, OutboxMessageSchema], {
      description: 'The message; for an out_… id not sent yet, the outbox item with its state (queued, sending, failed)',
    }),
  },
  { description: 'The message (or the send not in the index yet)' },
);
const errors = Object.fromEntries([400, 401, 403, 404, 409].map((s) => [s, { $ref: 'ApiError#' }]));
/** The original may be asked of the provider: it can fail (502) or be out of reach (503). */
const rawErrors = { ...errors, ...Object.fromEntries([502, 503].map((s) => [s, { $ref: 'ApiError#' }])) };

/** One message, and its original RFC 822 bytes, for scripts reading mail offline. */
export function registerMessageRoutes(app: ApiServer, { reader, blobs, outbox, originals }: ApiDeps): void {
  /** A message by msg_<n>, or by the out_… id of the send it became (once the sent copy is in the index). */
  const find = (id: string) => {
    const rowId = id.startsWith('out_') ? sentMessageOf(id) : parsePublicId('msg', id);
    const row = rowId === null || rowId === undefined ? undefined : getMessageRow(reader, rowId);
    if (!row) throw new OutpostError('not_found', `no message ${id}`);
    return row;
  };
  const sentMessageOf = (outboxId: string) => {
    const send = outbox?.get(outboxId);
    return send?.status === 'sent' && send.provider_message_id
      ? messageByRemoteId(reader, send.account_id, send.provider_message_id)?.id
      : undefined;
  };
  /** Fetched from the provider (and kept) where the engine can; otherwise only the parse was kept. */
  const notKept = (messageId: number) => {
    if (originals) return originals.read(messageId);
    throw new OutpostError(
      'raw_not_available',
      'the original bytes of this message were not kept; GET the message for its parsed content',
    );
  };
  const present = (row: MessageRow) =>
    presentMessage(row, labelIdsOfMessage(reader, row.id), attachmentsOfMessage(reader, row.id));

  app.get(
    '/v1/email/messages',
    {
      config: { auth: { scope: 'read:email' } },
      schema: {
        summary:
          "The messages linked to a contact or a deal (their mail timeline, from POST /v1/email/send's contact_id and deal_id), newest first",
        querystring: ListMessagesQuery,
        response: { 200: MessageListResponse, ...errors },
      },
    },
    async (request) => {
      const { contact_id: contactId, deal_id: dealId, limit = 50, cursor } = request.query;
      if (contactId === undefined && dealId === undefined)
        throw new OutpostError('validation_error', 'name a contact_id or a deal_id (or both)', { field: 'contact_id' });
      const after = cursor === undefined ? undefined : decodePageCursor(cursor);
      const rows = listMessagesByLink(
        reader,
        { contactId, dealId },
        limit + 1,
        after ? { sentAt: after.at, messageId: after.id } : undefined,
      );
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        data: page.map(present),
        next_cursor: rows.length > limit && last ? encodePageCursor({ at: last.sent_at, id: last.id }) : null,
      };
    },
  );

  app.get(
    '/v1/email/messages/:id',
    {
      config: { auth: { scope: 'read:email' } },
      schema: {
        summary:
          'One message: headers, participants, bodies, labels, attachments. The out_… id a send returned reads the sent message once it is sent, the outbox item until then',
        params: Params,
        response: { 200: MessageOrSendResponse, ...errors },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (id.startsWith('out_')) {
        const sent = sentMessageOf(id);
        const row = sent === undefined ? undefined : getMessageRow(reader, sent);
        if (row) return { data: present(row) };
        const waiting = outbox?.get(id);
        if (!waiting) throw new OutpostError('not_found', `no message ${id}`);
        return { data: await presentOutboxMessage(waiting, blobs) };
      }
      return { data: present(find(id)) };
    },
  );

  app.get(
    '/v1/email/messages/:id/raw',
    {
      config: { auth: { scope: 'read:email' } },
      schema: {
        summary: 'The message as received (message/rfc822 download)',
        description:
          "An Outlook message's original is fetched from Graph on first request and kept; 409 raw_not_available when only the parsed message was kept (or the provider no longer has it), 503 network_error when it has yet to be fetched and the provider cannot be reached",
        params: Params,
        response: { 200: bytesResponse('The message as received (RFC 822), as a download', 'message/rfc822'), ...rawErrors },
      },
    },
    async (request, reply) => {
      const row = find(request.params.id);
      const bytes = row.raw_sha256 ? blobs.read(row.raw_sha256) : await notKept(row.id);
      return reply
        .header('content-type', 'message/rfc822')
        .header('content-disposition', contentDisposition(`${request.params.id}.eml`))
        .header('x-content-type-options', 'nosniff')
        .header('content-length', String(bytes.byteLength))
        .send(bytes);
    },
  );
}
