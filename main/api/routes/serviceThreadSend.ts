import { ServiceThreadSendBody, ServiceThreadSendResponse } from '../../../shared/api/send.ts';
import { parsePublicId } from '../../../shared/ids.ts';
import { OutpostError } from '../../core/outpostError.ts';
import { getAccount } from '../../db/queries/accounts.ts';
import { getThreadRow, messagesOfThread } from '../../db/queries/threadReads.ts';
import type { RateLimits } from '../rateLimits.ts';
import { checkSendRequest, type EmailSendResult } from '../sendContract.ts';
import type { ApiDeps, ApiServer } from '../server.ts';
import { SEND_BODY_LIMIT_BYTES, sendIdempotency, submitSend } from './send.ts';

const errors = Object.fromEntries([400, 401, 403, 404, 409, 413, 429, 502, 503].map((s) => [s, { $ref: 'ApiError#' }]));

/**
 * POST /api/threads/send, the services document's third "next step" after a
 * sync (it gives no schema): a reply into a thread, sent through the same
 * outbox, caps and idempotency as POST /v1/email/send. The recipients default
 * to whoever a reply goes to (the answered message's Reply-To, else its
 * sender, unless that is the account itself); the subject is the thread's with
 * "Re: ".
 */
export function registerServiceThreadSendRoutes(app: ApiServer, deps: ApiDeps & { limits: RateLimits }): void {
  app.post(
    '/api/threads/send',
    {
      bodyLimit: SEND_BODY_LIMIT_BYTES,
      config: { rateLimit: 'send', idempotent: sendIdempotency(deps, presentThreadSend), auth: 'admin' },
      schema: {
        summary: 'Reply into a thread (admin session; services API vocabulary)',
        body: ServiceThreadSendBody,
        response: { 200: ServiceThreadSendResponse, ...errors },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const threadId = parsePublicId('thr', body.threadId) as number;
      const thread = getThreadRow(deps.reader, threadId);
      if (!thread) throw new OutpostError('not_found', `no thread ${body.threadId}`, { field: 'threadId' });
      const messages = messagesOfThread(deps.reader, threadId);
      const answered = body.inReplyTo
        ? messages.find((m) => m.id === parsePublicId('msg', body.inReplyTo as string))
        : messages.at(-1);
      if (!answered)
        throw new OutpostError('validation_error', `${body.inReplyTo} is not a message of ${body.threadId}`, {
          field: 'inReplyTo',
        });
      const self = getAccount(deps.reader, thread.account_id)?.email;
      const replyTo = (JSON.parse(answered.reply_to_json) as Array<{ email: string }>)[0]?.email ?? answered.from_email;
      const to = body.to ?? (replyTo && replyTo !== self ? [replyTo] : []);
      if (to.length === 0)
        throw new OutpostError('validation_error', 'the message answered is your own: say whom to send to', { field: 'to' });
      const send = {
        to,
        ...(body.cc ? { cc: body.cc } : {}),
        ...(body.bcc ? { bcc: body.bcc } : {}),
        subject: /^re:/i.test(thread.subject) ? thread.subject : `Re: ${thread.subject}`,
        ...(body.bodyHtml !== undefined ? { body_html: body.bodyHtml } : {}),
        ...(body.bodyText !== undefined ? { body_text: body.bodyText } : {}),
        thread_id: body.threadId,
        in_reply_to: `msg_${answered.id}`,
        ...(body.attachments ? { attachments: body.attachments } : {}),
      };
      checkSendRequest(send, deps.attachmentRoots ?? []);
      return presentThreadSend(await submitSend(deps, request, reply, send));
    },
  );
}

/** A send in the services API's words. */
function presentThreadSend(sent: EmailSendResult) {
  return {
    ok: true as const,
    id: sent.id,
    threadId: sent.thread_id,
    status: sent.status,
    sentAt: sent.sent_at,
    ...(sent.error ? { error: sent.error } : {}),
  };
}
