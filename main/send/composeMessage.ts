import { randomBytes } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { EmailAddress } from '../../shared/mailModel.ts';
import { htmlToPlainText } from '../mail/parseRfc822.ts';

export interface ComposeAttachment {
  filename: string;
  mimeType: string;
  content: Buffer;
  /** Set for inline images referenced as cid:<contentId> from the HTML. */
  contentId?: string;
}

export interface ComposeRequest {
  from: EmailAddress;
  /** RFC 5322 addresses, e.g. "Jane Doe <jane@example.com>" (display names, IDN domains allowed). */
  to: string[];
  cc?: string[];
  bcc?: string[];
  replyTo?: string;
  subject: string;
  html?: string;
  text?: string;
  attachments?: ComposeAttachment[];
  /** Replies: the Message-ID (without <>) answered, and the thread's references chain. */
  inReplyTo?: string;
  references?: string[];
  date?: Date;
  /** Without <>: a draft keeps one Message-ID for its whole life; else a new one. */
  messageId?: string;
}

export interface ComposedMessage {
  raw: Buffer;
  /** Without angle brackets. */
  messageId: string;
}

/**
 * nodemailer is loaded when the first message is composed: loading it costs 70-80 ms of CPU, which
 * every `outpost sync` paid at start though a sync never composes (docs/benchmarks.md, CLI start-up).
 */
let composer: Promise<{ transport: Transporter; encodeWord: (text: string, encoding: 'Q', maxLength: number) => string }> | null =
  null;
function loadComposer() {
  composer ??= Promise.all([import('nodemailer'), import('nodemailer/lib/mime-funcs/index.js')]).then(
    ([{ default: nodemailer }, { encodeWord }]) => ({
      transport: nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' }),
      encodeWord,
    }),
  );
  return composer;
}

/**
 * Builds the RFC 822 message with nodemailer's MIME composer: encoded-word
 * subjects and names, punycode domains, multipart/alternative when there is
 * HTML (text derived from it when not given), multipart/related for inline
 * images, attachments, Message-ID and Date. Bcc stays in the headers: Gmail
 * and Graph route blind copies from it and strip it from what recipients get.
 */
export async function composeMessage(request: ComposeRequest): Promise<ComposedMessage> {
  const domain = request.from.email.split('@')[1] ?? 'outpost.localhost';
  const messageId = request.messageId ?? `${Date.now().toString(36)}.${randomBytes(12).toString('hex')}@${domain}`;
  const text = request.text ?? (request.html ? htmlToPlainText(request.html) : '');
  const { transport, encodeWord } = await loadComposer();
  const info = await transport.sendMail({
    from: { name: request.from.name, address: request.from.email },
    to: request.to,
    cc: request.cc,
    bcc: request.bcc,
    replyTo: request.replyTo,
    subject: foldableSubject(request.subject, encodeWord),
    text,
    html: request.html,
    messageId: `<${messageId}>`,
    date: request.date ?? new Date(),
    inReplyTo: request.inReplyTo ? `<${request.inReplyTo}>` : undefined,
    references: request.references?.length ? request.references.map((id) => `<${id}>`) : undefined,
    attachments: request.attachments?.map((a) => ({
      filename: a.filename,
      contentType: a.mimeType,
      content: a.content,
      ...(a.contentId ? { cid: a.contentId, contentDisposition: 'inline' as const } : {}),
    })),
    headers: { 'X-Mailer': 'Outpost' },
  });
  return { raw: info.message as Buffer, messageId };
}

/**
 * Header lines may not pass 998 characters (RFC 5322 2.1.1), and nodemailer folds only at spaces:
 * a subject holding a word too long for one line is sent as encoded words (RFC 2047), which a
 * reader decodes back to the same text and the composer folds between.
 */
function foldableSubject(subject: string, encodeWord: (text: string, encoding: 'Q', maxLength: number) => string): string {
  const longestWord = Math.max(0, ...subject.split(/\s+/).map((word) => word.length));
  return longestWord > 900 ? encodeWord(subject, 'Q', 60) : subject;
}
