/** Renders a stored message as Gmail's Message resource in each format, with a small parse cache. */
import { base64url, type GmailEncoding, gmailEncodingDefaults, paddedPayload } from './encoding.ts';
import { googleError } from './errors.ts';
import type { StoredMessage } from './mailbox.ts';
import { type Attachment, buildPayload, type MessagePart, parseHeaders, snippetOf } from './mimeTree.ts';

interface Parsed {
  payload: MessagePart;
  attachments: Map<string, Attachment>;
  snippet: string;
  size: number;
}

const CACHE_LIMIT = 4000;
const cache = new Map<StoredMessage, Parsed>();

/** Synthetic messages share their corpus template's parse; only the top-level headers differ. */
const templateCache = new WeakMap<Buffer, Parsed>();

function parseSynthetic(synthetic: NonNullable<StoredMessage['synthetic']>): Parsed {
  let tpl = templateCache.get(synthetic.templateBody);
  if (!tpl) {
    const attachments = new Map<string, Attachment>();
    const payload = buildPayload(synthetic.templateBody, 'tpl', attachments);
    tpl = { payload, attachments, snippet: snippetOf(payload), size: synthetic.templateBody.length };
    templateCache.set(synthetic.templateBody, tpl);
  }
  let own = prefixCache.get(synthetic);
  if (!own) {
    const prefix = synthetic.headPrefix();
    own = { headers: [...parseHeaders(prefix), ...tpl.payload.headers], size: tpl.size + prefix.length };
    prefixCache.set(synthetic, own);
  }
  return { ...tpl, payload: { ...tpl.payload, headers: own.headers }, size: own.size };
}

/** A synthetic message's own headers never change: parse them once, on its first read (freed with the message). */
const prefixCache = new WeakMap<object, { headers: MessagePart['headers']; size: number }>();

export function parsed(msg: StoredMessage): Parsed {
  if (msg.synthetic) return parseSynthetic(msg.synthetic);
  let hit = cache.get(msg);
  if (hit) return hit;
  const raw = msg.raw();
  const attachments = new Map<string, Attachment>();
  const payload = buildPayload(raw, msg.id, attachments);
  hit = { payload, attachments, snippet: snippetOf(payload), size: raw.length };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as StoredMessage);
  cache.set(msg, hit);
  return hit;
}

export type MessageFormat = 'minimal' | 'full' | 'raw' | 'metadata';

export function readFormat(value: string | null): MessageFormat {
  const format = value ?? 'full';
  if (format !== 'minimal' && format !== 'full' && format !== 'raw' && format !== 'metadata') {
    throw googleError(
      400,
      'invalidArgument',
      `Invalid value at 'format' (type.googleapis.com/caribou.api.proto.MessageFormat), "${format}"`,
    );
  }
  return format;
}

export function renderMessage(
  msg: StoredMessage,
  format: MessageFormat,
  metadataHeaders: string[] = [],
  encoding: GmailEncoding = gmailEncodingDefaults(),
): Record<string, unknown> {
  const p = parsed(msg);
  const out: Record<string, unknown> = {
    id: msg.id,
    threadId: msg.threadId,
    labelIds: [...msg.labelIds],
    snippet: p.snippet,
    sizeEstimate: p.size,
    historyId: String(msg.historyId),
    internalDate: String(msg.internalDate),
  };
  if (format === 'raw') out.raw = base64url(msg.raw(), encoding.rawPadded);
  if (format === 'full') out.payload = encoding.dataPadded ? paddedPayload(p.payload) : p.payload;
  if (format === 'metadata') {
    const wanted = metadataHeaders.map((h) => h.toLowerCase());
    out.payload = {
      partId: '',
      mimeType: p.payload.mimeType,
      filename: '',
      headers: wanted.length === 0 ? p.payload.headers : p.payload.headers.filter((h) => wanted.includes(h.name.toLowerCase())),
      body: { size: 0 },
    };
  }
  return out;
}

export function attachmentOf(msg: StoredMessage, attachmentId: string): Attachment | undefined {
  return parsed(msg).attachments.get(attachmentId);
}
