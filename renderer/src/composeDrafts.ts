import type { EmailSendRequestBody } from '../../shared/api/send.ts';
import type { Message, Thread } from '../../shared/api/threads.ts';
import type { ComposeDraft } from '../../shared/composeDraft.ts';

type EmailAddress = { name: string; email: string };

export type ReplyMode = 'reply' | 'replyAll' | 'forward';

/** The compose form's draft: the shared shape (also what the desktop's compose window is opened with). */
export type Draft = ComposeDraft;
export type { ForwardedAttachment } from '../../shared/composeDraft.ts';

/** A saved unsent message -> the draft the compose form reopens. */
export function draftFromSaved(saved: {
  id: string;
  to: string[];
  cc: string[];
  bcc: string[];
  subject: string;
  body_text: string;
  body_html?: string;
  thread_id?: string;
  from?: string;
}): Draft {
  return {
    to: saved.to,
    cc: saved.cc,
    bcc: saved.bcc,
    subject: saved.subject,
    body: saved.body_text,
    draftId: saved.id,
    ...(saved.body_html ? { html: saved.body_html } : {}),
    ...(saved.thread_id ? { threadId: saved.thread_id } : {}),
    ...(saved.from ? { from: saved.from } : {}),
  };
}

/** A draft synced from the provider (or saved here), opened from Drafts: compose continues it, from its account. */
export function draftFromMessage(message: Message, from: string | undefined, threadId: string | undefined): Draft {
  return {
    to: message.to.map(formatAddress),
    cc: message.cc.map(formatAddress),
    bcc: message.bcc.map(formatAddress),
    subject: message.subject,
    body: message.body_text,
    sourceMessageId: message.id,
    ...(from ? { from } : {}),
    ...(threadId ? { threadId } : {}),
  };
}

export function emptyDraft(): ComposeDraft {
  return { to: [], cc: [], bcc: [], subject: '', body: '' };
}

/** "Name" <email>, quoting a display name that needs it (RFC 5322). */
export function formatAddress(address: EmailAddress): string {
  if (!address.name) return address.email;
  const name = /^[\w .'-]+$/u.test(address.name) ? address.name : `"${address.name.replace(/["\\]/g, '\\$&')}"`;
  return `${name} <${address.email}>`;
}

/** A reply, reply-all or forward of a thread's newest message, from the user's own addresses' point of view. */
export function draftFor(thread: Thread, mode: ReplyMode, myAddresses: readonly string[], messageId?: string): Draft {
  // The message answered or forwarded: the one named, else the newest.
  const chosen = messageId ? thread.messages.find((m) => m.id === messageId) : undefined;
  const last = chosen ?? (thread.messages.at(-1) as Message);
  const mine = new Set(myAddresses.map((a) => a.toLowerCase()));
  const isMine = (a: EmailAddress) => mine.has(a.email.toLowerCase());
  const date = new Date(last.date).toUTCString();
  const from = last.from ? formatAddress(last.from) : 'unknown sender';
  if (mode === 'forward') {
    return {
      ...emptyDraft(),
      subject: /^fwd?:/i.test(last.subject) ? last.subject : `Fwd: ${last.subject}`,
      body: [
        '',
        '',
        '---------- Forwarded message ---------',
        `From: ${from}`,
        `Date: ${date}`,
        `Subject: ${last.subject}`,
        `To: ${last.to.map(formatAddress).join(', ')}`,
        '',
        last.body_text,
      ].join('\n'),
      // As mail clients forward: the files go along; inline images of an HTML body do not (the quote is text).
      forwardAttachments: last.attachments
        .filter((a) => !(a.content_id && last.body_html?.toLowerCase().includes(`cid:${a.content_id.toLowerCase()}`)))
        .map(({ id, filename, mime_type, size_bytes }) => ({ id, filename, mime_type, size_bytes })),
    };
  }
  // Replying to one's own message goes to its recipients, as mail clients do.
  const sender = last.reply_to.length > 0 ? last.reply_to : last.from ? [last.from] : [];
  const primary = sender.every(isMine) ? last.to : sender;
  const seen = new Set(primary.map((a) => a.email.toLowerCase()));
  const others =
    mode === 'replyAll'
      ? [...last.to, ...last.cc].filter((a) => {
          const key = a.email.toLowerCase();
          if (isMine(a) || seen.has(key)) return false;
          seen.add(key);
          return true;
        })
      : [];
  return {
    ...emptyDraft(),
    to: primary.map(formatAddress),
    cc: others.map(formatAddress),
    subject: /^re:/i.test(last.subject) ? last.subject : `Re: ${last.subject}`,
    body: `\n\nOn ${date}, ${from} wrote:\n${last.body_text
      .split('\n')
      .map((line) => `> ${line}`)
      .join('\n')}`,
    threadId: thread.id,
    ...(chosen ? { inReplyTo: chosen.id } : {}),
  };
}

/** A recipients field -> addresses: split on commas and semicolons outside quotes and angle brackets. */
export function splitAddresses(text: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  let angle = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (ch === '<' && !quoted) angle = true;
    else if (ch === '>' && !quoted) angle = false;
    if ((ch === ',' || ch === ';') && !quoted && !angle) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.map((a) => a.trim()).filter(Boolean);
}

/** The address being typed: what follows the last separator outside quotes and angle brackets. */
export function currentToken(text: string): { before: string; token: string } {
  const parts = splitAddresses(`${text}\u0000`);
  const last = (parts.at(-1) ?? '\u0000').replace('\u0000', '');
  const done = parts.slice(0, -1);
  return { before: done.length ? `${done.join(', ')}, ` : '', token: last.trim() };
}

/** The addresses of a field that are not plausible mailboxes (shown to the user before anything is sent). */
export function invalidAddresses(addresses: readonly string[]): string[] {
  return addresses.filter((a) => {
    const email = /<([^<>]*)>\s*$/.exec(a)?.[1] ?? a;
    return !/^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/.test(email.trim());
  });
}

export interface PickedAttachment {
  filename: string;
  mimeType: string;
  size: number;
  contentBase64: string;
}

/** The draft -> POST /v1/email/send's documented body. */
export function sendBody(
  draft: ComposeDraft,
  attachments: readonly PickedAttachment[],
  /** A rich-text message's HTML (already sanitized); body stays its plain-text alternative. */
  html?: string,
): EmailSendRequestBody {
  return {
    to: draft.to,
    ...(draft.cc.length ? { cc: draft.cc } : {}),
    ...(draft.bcc.length ? { bcc: draft.bcc } : {}),
    subject: draft.subject,
    body_text: draft.body,
    ...(html ? { body_html: html } : {}),
    ...(draft.threadId ? { thread_id: draft.threadId } : {}),
    ...(draft.from && !draft.threadId ? { from: draft.from } : {}),
    ...(draft.threadId && draft.inReplyTo ? { in_reply_to: draft.inReplyTo } : {}),
    ...(attachments.length
      ? {
          attachments: attachments.map((a) => ({
            filename: a.filename,
            mime_type: a.mimeType || 'application/octet-stream',
            content_base64: a.contentBase64,
          })),
        }
      : {}),
  };
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Plain text as the HTML a rich-text editor starts from: escaped, lines kept, "> " quotes as blockquotes. */
export function textToHtml(text: string): string {
  const escapeHtml = (line: string) =>
    line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const out: string[] = [];
  let quote: string[] = [];
  const flush = () => {
    if (quote.length) out.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    quote = [];
  };
  for (const line of text.split('\n')) {
    if (/^>( |$)/.test(line)) quote.push(escapeHtml(line.replace(/^> ?/, '')));
    else {
      flush();
      out.push(line ? `<div>${escapeHtml(line)}</div>` : '<div><br></div>');
    }
  }
  flush();
  return out.join('');
}

/** The signature block: the "-- " line that mail clients recognise, then the signature. */
function signatureBlock(signature: string): string {
  return `-- \n${signature.trim()}`;
}

/** Where quoted text starts: a reply's "On … wrote:" line, a forward's header, or a quoted line. */
const QUOTE_START = /^(On .* wrote:|---------- Forwarded message ---------|>)/m;

/**
 * A body with the account's signature in place: after what is written, above
 * a reply's or forward's quoted text, as mail apps put it.
 */
export function withSignature(body: string, signature: string): string {
  if (!signature.trim()) return body;
  const quote = QUOTE_START.exec(body);
  const own = (quote ? body.slice(0, quote.index) : body).trimEnd();
  const rest = quote ? `\n\n${body.slice(quote.index)}` : '';
  return `${own}\n\n${signatureBlock(signature)}${rest}`;
}

/** Sending from another account: its signature in place of the other one, if that is still there unchanged. */
export function swapSignature(body: string, from: string, to: string): string {
  if (from.trim() && body.includes(signatureBlock(from))) {
    if (to.trim()) return body.replace(signatureBlock(from), signatureBlock(to));
    return body.replace(`\n\n${signatureBlock(from)}`, '').replace(signatureBlock(from), '');
  }
  return from.trim() ? body : withSignature(body, to);
}
