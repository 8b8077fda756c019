import { readFileSync } from 'node:fs';
import type { EmailSendRequest, EmailSendResult, EmailSendService } from '../api/sendContract.ts';
import { OutpostError } from '../core/outpostError.ts';
import { resolveAttachmentPath } from './attachmentSources.ts';
import type { SendService } from './sendService.ts';

const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

/**
 * POST /v1/email/send's body (the documented contract) -> the send engine.
 * storage_path attachments are read only from inside the allowed folders.
 * A message the provider refused for good becomes 502 provider_error; one
 * still queued (offline, provider outage) is answered with status "queued".
 */
export function apiSendService(service: SendService, attachmentRoots: readonly string[]): EmailSendService {
  return {
    async submit(body: EmailSendRequest, options): Promise<EmailSendResult> {
      const attachments = body.attachments?.map((a) => ({
        filename: a.filename,
        mimeType: a.mime_type ?? 'application/octet-stream',
        ...(a.content_id ? { contentId: a.content_id } : {}),
        content:
          a.content_base64 !== undefined
            ? Buffer.from(a.content_base64, 'base64')
            : readFileSync(resolveAttachmentPath(a.storage_path as string, attachmentRoots, MAX_ATTACHMENT_BYTES)),
      }));
      const result = await service.submit(
        {
          to: typeof body.to === 'string' ? [body.to] : body.to,
          cc: body.cc,
          bcc: body.bcc,
          replyTo: body.reply_to,
          subject: body.subject,
          html: body.body_html,
          text: body.body_text,
          attachments,
          threadId: body.thread_id,
          replyToMessageId: body.in_reply_to,
          from: body.from,
          delaySeconds: body.send_delay_seconds,
          contactId: body.contact_id,
          dealId: body.deal_id,
          draftId: body.draft_id,
        },
        options,
      );
      // Refused for good at the first attempt: a 502 that says what the provider said. The key is
      // released with the failure, so the same key may be used again (corrected, or as it was).
      if (result.status === 'failed')
        throw new OutpostError('provider_error', result.error?.message ?? 'the provider refused the message', {
          details: { provider_status: result.error?.provider_status ?? null, provider_message: result.error?.message ?? null },
        });
      return result;
    },
    status: (id) => service.status(id),
    recover: (idempotencyKey, since) => service.recover(idempotencyKey, since),
  };
}
