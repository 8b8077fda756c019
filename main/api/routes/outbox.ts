import { OutboxListResponse, type OutboxMessage, OutboxMessageResponse, OutboxParams } from '../../../shared/api/outbox.ts';
import { OutpostError } from '../../core/outpostError.ts';
import type { BlobStore } from '../../db/blobStore.ts';
import { parseRfc822 } from '../../mail/parseRfc822.ts';
import type { Outbox, OutboxRow } from '../../send/outbox.ts';
import type { ApiDeps, ApiServer } from '../server.ts';

const errors = Object.fromEntries([400, 401, 403, 404, 409, 503].map((s) => [s, { $ref: 'ApiError#' }]));

/** Subject and recipients from the stored message's header block (the body and files are not read). */
export async function presentOutboxMessage(row: OutboxRow, blobs: BlobStore): Promise<OutboxMessage> {
  const raw = blobs.read(row.raw_sha256);
  const end = raw.indexOf('\r\n\r\n');
  const headers = await parseRfc822(new Uint8Array(end === -1 ? raw : raw.subarray(0, end + 4))).catch(() => null);
  return {
    id: row.id,
    account_id: row.account_id,
    status: row.status === 'sent' ? 'sending' : row.status,
    subject: headers?.subject ?? '',
    to: [...(headers?.to ?? []), ...(headers?.cc ?? []), ...(headers?.bcc ?? [])],
    attempts: row.attempts,
    last_error: row.last_error,
    next_attempt_at: row.status === 'queued' ? new Date(row.next_attempt_at).toISOString() : null,
    created_at: new Date(row.created_at).toISOString(),
  };
}

function outboxOf(deps: ApiDeps): Outbox {
  if (!deps.outbox) throw new OutpostError('service_unavailable', 'this build of Outpost has no outbox');
  return deps.outbox;
}

/**
 * The outbox: messages accepted by POST /v1/email/send that the provider has
 * not taken yet (offline, an outage, a refusal), to see, send now or cancel.
 */
export function registerOutboxRoutes(app: ApiServer, deps: ApiDeps): void {
  app.get(
    '/v1/email/outbox',
    {
      config: { auth: { scope: 'read:email' } },
      schema: {
        summary: 'Messages not sent yet: queued, being sent, failed (oldest first)',
        response: { 200: OutboxListResponse, ...errors },
      },
    },
    async () => ({
      data: await Promise.all(
        outboxOf(deps)
          .pending()
          .map((row) => presentOutboxMessage(row, deps.blobs)),
      ),
    }),
  );
  app.post(
    '/v1/email/outbox/:id/retry',
    {
      config: { auth: { scope: 'write:email' } },
      schema: {
        summary: 'Send a queued or failed message now',
        params: OutboxParams,
        response: { 200: OutboxMessageResponse, ...errors },
      },
    },
    async (request) => {
      const row = outboxOf(deps).retryNow(request.params.id);
      deps.deliverNow?.();
      return { data: await presentOutboxMessage(row, deps.blobs) };
    },
  );
  app.delete(
    '/v1/email/outbox/:id',
    {
      config: { auth: { scope: 'write:email' } },
      schema: {
        summary: 'Cancel a queued or failed message',
        params: OutboxParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      await outboxOf(deps).cancel(request.params.id);
      deps.events.emit({ type: 'outbox.updated', id: request.params.id, status: 'cancelled' });
      return reply.code(204).send(null);
    },
  );
}
