import PostalMime from 'postal-mime';
import type { Address } from './headers.ts';
import { allHeaders, parseAddresses, readHeaders } from './headers.ts';
import { changeKey, type IdKind, idOf } from './ids.ts';
import type { StoredMessage } from './mailbox.ts';

type Email = Awaited<ReturnType<typeof PostalMime.parse>>;
const parsedCache = new Map<string, Email>();

/** Parses a stored message's MIME once (small cache: bodies are read far less often than summaries). */
export async function parsed(m: StoredMessage): Promise<Email> {
  const hit = parsedCache.get(m.id);
  if (hit) return hit;
  const email = await PostalMime.parse(m.raw);
  if (parsedCache.size > 500) parsedCache.delete(parsedCache.keys().next().value!);
  parsedCache.set(m.id, email);
  return email;
}

/** A draft's content changed (PATCH): its parse is read again. */
export function forgetParsed(id: string): void {
  parsedCache.delete(id);
}

const recipient = (a: Address) => ({ emailAddress: { name: a.name || a.address, address: a.address } });

const NEEDS_BODY = new Set(['body', 'bodyPreview', 'uniqueBody', 'hasAttachments']);

/** The Graph message resource, named by the id kind its request asked for; $select trims it (id always kept, as Graph does). */
export async function messageJson(m: StoredMessage, kind: IdKind, select?: string[]): Promise<Record<string, unknown>> {
  const want = (k: string) => !select || select.includes(k);
  const id = idOf(m, kind);
  const s = m.summary;
  const email = !select || select.some((k) => NEEDS_BODY.has(k)) ? await parsed(m) : undefined;
  const bodyHtml = email?.html;
  const bodyText = email?.text ?? '';
  const full: Record<string, unknown> = {
    '@odata.etag': `W/"${changeKey(m.seq, m.id)}"`,
    id,
    createdDateTime: iso(m.receivedDateTime),
    lastModifiedDateTime: iso(m.receivedDateTime),
    changeKey: changeKey(m.seq, m.id),
    categories: m.categories,
    receivedDateTime: iso(m.receivedDateTime),
    sentDateTime: iso(s.date ?? m.receivedDateTime),
    hasAttachments: email ? email.attachments.some((a) => a.disposition !== 'inline') : s.hasAttachments,
    internetMessageId: s.messageId,
    subject: s.subject,
    bodyPreview: email ? (bodyText || stripTags(bodyHtml ?? '')).replace(/\s+/g, ' ').trim().slice(0, 255) : undefined,
    importance: 'normal',
    parentFolderId: m.parentFolderId,
    conversationId: m.conversationId,
    isDeliveryReceiptRequested: false,
    isReadReceiptRequested: false,
    isRead: m.isRead,
    isDraft: m.isDraft,
    webLink: `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(id)}&exvsurl=1&viewmodel=ReadMessageItem`,
    inferenceClassification: m.inferenceClassification,
    body: email
      ? bodyHtml
        ? { contentType: 'html', content: bodyHtml }
        : { contentType: 'text', content: bodyText }
      : undefined,
    sender: s.from ? recipient(s.from) : null,
    from: s.from ? recipient(s.from) : null,
    toRecipients: s.to.map(recipient),
    ccRecipients: s.cc.map(recipient),
    // Only a draft (and the sender's own copy) holds Bcc; the emulator shows it for drafts.
    bccRecipients: m.isDraft ? parseAddresses(readHeaders(m.raw).get('bcc')).map(recipient) : [],
    replyTo: s.replyTo.map(recipient),
    flag: { flagStatus: m.flagStatus },
  };
  if (select?.includes('internetMessageHeaders')) {
    full.internetMessageHeaders = allHeaders(m.raw);
  }
  if (!select) return full;
  const out: Record<string, unknown> = { '@odata.etag': full['@odata.etag'], id };
  for (const k of select) if (k in full && want(k)) out[k] = full[k];
  return out;
}

/** Attachment ids derive from the message's id of the kind asked for (a default id's change with it, as Exchange's do). */
export async function attachmentsJson(m: StoredMessage, kind: IdKind, withBytes: boolean): Promise<Record<string, unknown>[]> {
  const email = await parsed(m);
  const messageId = idOf(m, kind);
  return email.attachments.map((a, i) => {
    const bytes = typeof a.content === 'string' ? Buffer.from(a.content) : Buffer.from(a.content as ArrayBuffer);
    const json: Record<string, unknown> = {
      '@odata.type': '#microsoft.graph.fileAttachment',
      id: `${messageId.slice(0, 40)}AT${i}`,
      lastModifiedDateTime: iso(m.receivedDateTime),
      name: a.filename ?? `attachment${i}`,
      contentType: a.mimeType,
      size: bytes.length,
      isInline: a.disposition === 'inline',
      contentId: a.contentId ?? null,
    };
    if (withBytes) json.contentBytes = bytes.toString('base64');
    return json;
  });
}

export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function stripTags(html: string): string {
  return html
    .replace(/<style[\s\S]*?<\/style>|<script[\s\S]*?<\/script>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/g, ' ');
}
