import { TrustedSenderListResponse, TrustedSenderParams } from '../../../shared/api/trustedSenders.ts';
import { OutpostError } from '../../core/outpostError.ts';
import { distrustSender, listTrustedSenders, trustSender } from '../../db/queries/trustedSenders.ts';
import type { ApiDeps, ApiServer } from '../server.ts';

const errors = Object.fromEntries([400, 401, 403, 404].map((s) => [s, { $ref: 'ApiError#' }]));

/** "Always show images from this sender": the reader loads remote images only for these addresses. */
export function registerTrustedSenderRoutes(app: ApiServer, { reader, writer }: ApiDeps): void {
  app.get(
    '/v1/email/trusted-senders',
    {
      config: { auth: { scope: 'read:email' } },
      schema: { summary: 'Senders whose remote images are shown', response: { 200: TrustedSenderListResponse, ...errors } },
    },
    async () => ({
      data: listTrustedSenders(reader).map((r) => ({ email: r.email, created_at: new Date(r.created_at).toISOString() })),
    }),
  );
  app.put(
    '/v1/email/trusted-senders/:email',
    {
      config: { auth: { scope: 'write:email' } },
      schema: {
        summary: "Always show this sender's remote images",
        params: TrustedSenderParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      trustSender(writer, request.params.email.toLowerCase(), Date.now());
      return reply.code(204).send(null);
    },
  );
  app.delete(
    '/v1/email/trusted-senders/:email',
    {
      config: { auth: { scope: 'write:email' } },
      schema: {
        summary: "Block this sender's remote images again",
        params: TrustedSenderParams,
        response: { 204: { type: 'null' }, ...errors },
      },
    },
    async (request, reply) => {
      if (!distrustSender(writer, request.params.email))
        throw new OutpostError('not_found', `${request.params.email} is not a trusted sender`);
      return reply.code(204).send(null);
    },
  );
}
