import { EmailSendBody, EmailSendResponse } from '../../../shared/api/send.ts';
import { OutpostError } from '../../core/outpostError.ts';
import { listAccounts } from '../../db/queries/accounts.ts';
import { describeProvider } from '../../providers/descriptions.ts';
import { type RateLimits, setRateLimitHeaders } from '../rateLimits.ts';
import { checkSendRequest } from '../sendContract.ts';
import type { ApiDeps, ApiServer } from '../server.ts';

/** Sends carry attachments inline (base64), so this route alone accepts bodies up to 25 MiB. */
export const SEND_BODY_LIMIT_BYTES = 25 * 1024 * 1024;
const errors = Object.fromEntries([400, 401, 403, 409, 413, 429, 502, 503].map((s) => [s, { $ref: 'ApiError#' }]));

export function registerSendRoutes(app: ApiServer, deps: ApiDeps & { limits: RateLimits }): void {
  app.post(
    '/v1/email/send',
    {
      bodyLimit: SEND_BODY_LIMIT_BYTES,
      config: { rateLimit: 'send', idempotent: true, auth: { scope: 'write:email' } },
      schema: { summary: 'Send an email', body: EmailSendBody, response: { 200: EmailSendResponse, ...errors } },
    },
    async (request, reply) => {
      checkSendRequest(request.body, deps.attachmentRoots ?? []);
      if (!listAccounts(deps.writer).some((a) => describeProvider(a.provider).capabilities.send && a.status === 'active'))
        throw new OutpostError('insufficient_permissions', 'no email provider is connected');
      if (!deps.send)
        throw new OutpostError(
          'service_unavailable',
          'sending is not available in this build of Outpost (no send service configured)',
        );
      setRateLimitHeaders(reply, deps.limits.takeSend());
      const key = request.headers['idempotency-key'];
      return { data: await deps.send.submit(request.body, { idempotencyKey: typeof key === 'string' ? key : null }) };
    },
  );
}
