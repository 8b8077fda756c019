import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Static } from 'typebox';
import type { EmailSendBody, EmailSendResultBody } from '../../shared/api/send.ts';
import { OutpostError } from '../core/outpostError.ts';

export type EmailSendRequest = Static<typeof EmailSendBody>;

export type EmailSendResult = EmailSendResultBody;

/**
 * What POST /v1/email/send needs from the send engine (the outbox behind
 * it). Failures are OutpostErrors with their catalogue code (provider_error
 * -> 502, rate_limited -> 429, ...); anything else is a 500.
 */
export interface EmailSendService {
  submit(request: EmailSendRequest, options: { idempotencyKey: string | null }): Promise<EmailSendResult>;
  /** A send (out_…) as it stands now; null when there is none. */
  status?(id: string): EmailSendResult | null;
  /**
   * What became of a request with this Idempotency-Key made since `since` whose answer a crash
   * cut off: the send it queued, as it stands now; null when it queued nothing (it may run again).
   */
  recover?(idempotencyKey: string, since: number): EmailSendResult | null;
}

// An addr-spec with an optional display name; no CR/LF anywhere (header injection).
const ADDRESS = /^(?:[^<>\r\n\0]*<[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+)$/;

/** Checks what the schema cannot: addresses, the body rule, and attachment sources. Throws validation_error naming the field. */
export function checkSendRequest(body: EmailSendRequest, attachmentRoots: readonly string[]): void {
  const lists: [string, readonly string[] | undefined][] = [
    ['to', typeof body.to === 'string' ? [body.to] : body.to],
    ['cc', body.cc],
    ['bcc', body.bcc],
    ['reply_to', body.reply_to === undefined ? undefined : [body.reply_to]],
  ];
  for (const [field, addresses] of lists) {
    addresses?.forEach((address, i) => {
      if (!ADDRESS.test(address.trim())) {
        const where = field === 'reply_to' || typeof body.to === 'string' ? field : `${field}[${i}]`;
        throw new OutpostError('validation_error', `${where} is not a valid RFC 5322 address`, { field: where });
      }
    });
  }
  if (/[\r\n]/.test(body.subject))
    throw new OutpostError('validation_error', 'subject must not contain line breaks', { field: 'subject' });
  if (body.body_html === undefined && body.body_text === undefined)
    throw new OutpostError('validation_error', 'either body_html or body_text is required', { field: 'body_text' });
  body.attachments?.forEach((attachment, i) => {
    const field = `attachments[${i}]`;
    if (/[\r\n\0/\\]/.test(attachment.filename))
      throw new OutpostError('validation_error', `${field}.filename must be a plain file name`, { field: `${field}.filename` });
    if ((attachment.content_base64 === undefined) === (attachment.storage_path === undefined))
      throw new OutpostError('validation_error', `${field} needs exactly one of content_base64 or storage_path`, { field });
    if (attachment.storage_path !== undefined && !insideRoots(attachment.storage_path, attachmentRoots))
      throw new OutpostError('validation_error', `${field}.storage_path is outside the folders attachments may come from`, {
        field: `${field}.storage_path`,
      });
  });
}

/** True when the path, resolved, lies inside one of the allowed folders (no `..` escapes, no NUL). */
export function insideRoots(path: string, roots: readonly string[]): boolean {
  if (path.includes('\0') || !isAbsolute(path)) return false;
  const target = resolve(path);
  return roots.some((root) => {
    const rel = relative(resolve(root), target);
    return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
  });
}
