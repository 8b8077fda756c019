import type { FastifyReply, FastifyRequest } from 'fastify';
import { EmailSendBody, EmailSendResponse } from '../../../shared/api/send.ts';
import { OutpostError } from '../../core/outpostError.ts';
import { listAccounts } from '../../db/queries/accounts.ts';
import { describeProvider } from '../../providers/descriptions.ts';
import type { IdempotentRoute } from '../idempotency.ts';
import { type RateLimits, setRateLimitHeaders } from '../rateLimits.ts';
import { checkSendRequest, type EmailSendRequest, type EmailSendResult } from '../sendContract.ts';
import type { ApiDeps, ApiServer } from '../server.ts';

/** Sends carry attachments inline (base64), so this route alone accepts bodies up to 25 MiB. */
export const SEND_BODY_LIMIT_BYTES = 25 * 1024 * 1024;
const errors = Object.fromEntries([400, 401, 403, 404, 409, 413, 429, 502, 503].map((s) => [s, { $ref: 'ApiError#' }]));

export function registerSendRoutes(app: ApiServer, deps: ApiDeps & { limits: RateLimits }): void {
  app.post(
    '/v1/email/send',
    {
      bodyLimit: SEND_BODY_LIMIT_BYTES,
      config: { rateLimit: 'send', idempotent: sendIdempotency(deps), auth: { scope: 'write:email' } },
      schema: { summary: 'Send an email', body: EmailSendBody, response: { 200: EmailSendResponse, ...errors } },
    },
    async (request, reply) => {
      checkSendRequest(request.body, deps.attachmentRoots ?? []);
      return { data: await submitSend(deps, request, reply, request.body) };
    },
  );
}

/**
 * What a send's Idempotency-Key answers beyond the generic replay: the send as
 * it stands now (a message answered "queued" may have been sent, or failed,
 * since; one no longer in the outbox unsent was cancelled), and, for a request
 * a crash cut short, the send it had queued (none, or one that failed without
 * being sent: the retry runs again). `present` is the route's answer for a send.
 */
export function sendIdempotency(
  deps: Pick<ApiDeps, 'send'>,
  present: (send: EmailSendResult) => unknown = (send) => ({ data: send }),
): IdempotentRoute {
  return {
    refresh(storedBody) {
      const stored = JSON.parse(storedBody) as { id?: unknown; status?: unknown; data?: Partial<EmailSendResult> };
      const id = stored.data?.id ?? stored.id;
      if (typeof id !== 'string' || !deps.send?.status) return storedBody;
      const now = deps.send.status(id);
      if (now) return JSON.stringify(present(now));
      if ((stored.data?.status ?? stored.status) === 'sent') return storedBody;
      return JSON.stringify(
        present({
          id,
          thread_id: null,
          provider: stored.data?.provider ?? 'unknown',
          status: 'failed',
          sent_at: null,
          error: { code: 'send_cancelled', message: 'cancelled before it was sent', provider_status: null },
        }),
      );
    },
    recover(key, since) {
      const send = deps.send?.recover?.(key, since);
      return send && send.status !== 'failed' ? { status: 200, body: JSON.stringify(present(send)) } : null;
    },
  };
}

/** Sends a checked request through the send engine, within the send caps, under the request's Idempotency-Key. */
export async function submitSend(
  deps: ApiDeps & { limits: RateLimits },
  request: FastifyRequest,
  reply: FastifyReply,
  body: EmailSendRequest,
): Promise<EmailSendResult> {
  if (!listAccounts(deps.writer).some((a) => describeProvider(a.provider).capabilities.send && a.status === 'active'))
    throw new OutpostError('insufficient_permissions', 'no email provider is connected');
  if (!deps.send)
    throw new OutpostError(
      'service_unavailable',
      'sending is not available in this build of Outpost (no send service configured)',
    );
  const slot = deps.limits.takeSend();
  setRateLimitHeaders(reply, slot.state);
  const key = request.headers['idempotency-key'];
  try {
    return await deps.send.submit(body, { idempotencyKey: typeof key === 'string' ? key : null });
  } catch (error) {
    // Refused (nothing will be sent): it does not count against the caps.
    setRateLimitHeaders(reply, slot.giveBack());
    throw error;
  }
}
