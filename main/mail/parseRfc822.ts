import { convert as htmlToText } from 'html-to-text';
import PostalMime, { type Address } from 'postal-mime';
import type { EmailAddress } from '../../shared/mailModel.ts';
import { decodeEncodedWords } from './encodedWords.ts';
import { type ListAndDelivery, listAndDelivery } from './listAndDeliveryHeaders.ts';
import { messageDate } from './mailDate.ts';
import { installCharsetFallback } from './postalMimeCharsets.ts';
import { searchableParts } from './searchableParts.ts';

installCharsetFallback();

/** One RFC 822 message reduced to what the index stores (with its List-Id, List-Post and Delivered-To: lists, deliveredTo). */
export interface ParsedMessage extends ListAndDelivery {
  rfc822MessageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  from: EmailAddress | null;
  to: EmailAddress[];
  cc: EmailAddress[];
  bcc: EmailAddress[];
  replyTo: EmailAddress[];
  /** ms since epoch (RFC 5322 with its obsolete forms; a Date far past the Received stamps gives way to them), or null when none is readable */
  date: number | null;
  text: string;
  html: string | null;
  /**
   * What a search should find beyond `text` (searchableParts.ts): the HTML alternative as
   * text when it says more than the plain part, the reports and returned headers of
   * bounces, and other text parts that are not attachments.
   */
  searchableText: string;
  attachments: ParsedAttachment[];
  headers: Map<string, string>;
}

export interface ParsedAttachment {
  filename: string;
  mimeType: string;
  contentId: string | null;
  isInline: boolean;
  content: Uint8Array;
}

const SNIPPET_LENGTH = 200;

/**
 * Parses raw RFC 822 bytes with postal-mime (encodings, broken headers; raw
 * 8-bit text in its declared charset or a fallback, postalMimeCharsets.ts)
 * and reads the date as RFC 5322 does (mailDate.ts). Never throws on bad MIME.
 */
export async function parseRfc822(raw: Uint8Array | string): Promise<ParsedMessage> {
  const email = await PostalMime.parse(stripMboxEnvelope(raw), { attachmentEncoding: 'arraybuffer' });
  const headers = new Map<string, string>();
  for (const header of email.headers) if (!headers.has(header.key)) headers.set(header.key, header.value);
  const html = email.html?.trim() ? email.html : null;
  const htmlText = html ? htmlToPlainText(html) : null;
  const text = email.text?.trim() || !htmlText ? (email.text ?? '') : htmlText;
  const attachments = email.attachments.map((attachment) => ({
    // An unnamed Content-Disposition: attachment is still a file the sender attached (Gmail calls it "noname").
    filename: attachment.filename ?? (attachment.disposition === 'attachment' ? 'noname' : ''),
    mimeType: attachment.mimeType || 'application/octet-stream',
    contentId: attachment.contentId ? attachment.contentId.replace(/^<|>$/g, '') : null,
    isInline: attachment.disposition === 'inline' || Boolean(attachment.related),
    content: toBytes(attachment.content),
  }));
  return {
    rfc822MessageId: bareMessageId(email.messageId),
    inReplyTo: bareMessageId(email.inReplyTo),
    references: messageIdList(email.references),
    subject: readableSubject(email.subject ?? '', headers),
    from: firstMailbox(email.from ? [email.from] : email.sender ? [email.sender] : []),
    to: mailboxes(email.to),
    cc: mailboxes(email.cc),
    bcc: mailboxes(email.bcc),
    replyTo: mailboxes(email.replyTo),
    date: messageDate(
      headers.get('date'),
      email.headers.filter((header) => header.key === 'received').map((header) => header.value),
    ),
    text,
    html,
    searchableText: searchableParts(text, htmlText, attachments),
    attachments,
    headers,
    ...listAndDelivery(email.headers.map((header) => ({ name: header.key, value: header.value }))),
  };
}

export function htmlToPlainText(html: string): string {
  return htmlToText(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
    ],
  });
}

/** The list-view preview: the start of the text with whitespace collapsed and quoted replies dropped. */
export function makeSnippet(text: string): string {
  const lines = text.split(/\r?\n/).filter((line) => !line.trimStart().startsWith('>'));
  return lines.join(' ').replace(/\s+/g, ' ').trim().slice(0, SNIPPET_LENGTH);
}

/** mbox files and some corpora prefix each message with a "From sender date" envelope line. */
function stripMboxEnvelope(raw: Uint8Array | string): Uint8Array | string {
  if (typeof raw === 'string') return raw.startsWith('From ') ? raw.slice(raw.indexOf('\n') + 1) : raw;
  if (raw[0] === 0x46 && raw[1] === 0x72 && raw[2] === 0x6f && raw[3] === 0x6d && raw[4] === 0x20) {
    const newline = raw.indexOf(0x0a);
    return newline === -1 ? raw : raw.subarray(newline + 1);
  }
  return raw;
}

/** postal-mime's subject, or its encoded words read again when that left U+FFFD (encodedWords.ts). */
function readableSubject(subject: string, headers: Map<string, string>): string {
  const raw = headers.get('subject');
  if (!subject.includes('\uFFFD') || !raw) return subject.trim();
  const charset = /charset\s*=\s*"?([^\s";]+)/i.exec(headers.get('content-type') ?? '')?.[1];
  return decodeEncodedWords(raw, [charset]).trim();
}

function bareMessageId(value: string | undefined): string | null {
  const ids = messageIdList(value);
  return ids[0] ?? null;
}

function messageIdList(value: string | undefined): string[] {
  if (!value) return [];
  const bracketed = value.match(/<[^<>\s]+>/g);
  if (bracketed) return bracketed.map((id) => id.slice(1, -1));
  return value.split(/\s+/).filter((id) => id.includes('@'));
}

function mailboxes(addresses: Address[] | undefined): EmailAddress[] {
  const result: EmailAddress[] = [];
  for (const address of addresses ?? []) {
    const members = address.group ?? [address];
    for (const member of members) {
      if (member.address) result.push({ name: (member.name ?? '').trim(), email: member.address.trim().toLowerCase() });
    }
  }
  return result;
}

function firstMailbox(addresses: Address[]): EmailAddress | null {
  return mailboxes(addresses)[0] ?? null;
}

function toBytes(content: ArrayBuffer | Uint8Array | string): Uint8Array {
  if (typeof content === 'string') return new TextEncoder().encode(content);
  return content instanceof Uint8Array ? content : new Uint8Array(content);
}
