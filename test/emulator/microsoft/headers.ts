import { isUtf8 } from 'node:buffer';

/** Minimal RFC 822 header reading for seeding summaries; bodies are parsed lazily with postal-mime. */
export interface HeaderSummary {
  subject: string;
  from?: Address;
  to: Address[];
  cc: Address[];
  replyTo: Address[];
  date?: number;
  messageId: string;
  inReplyTo?: string;
  references: string[];
  hasAttachments: boolean;
  /** Mail from a mailing list (a List-Id header): what Focused Inbox sorts into Other. */
  fromList: boolean;
}
export interface Address {
  name: string;
  address: string;
}

/** Strips the mbox "From " envelope line the corpus keeps. */
export function stripEnvelope(raw: Buffer): Buffer {
  return raw.subarray(0, 5).toString('latin1') === 'From ' ? raw.subarray(raw.indexOf(0x0a) + 1) : raw;
}

/**
 * The header block as text. Raw 8-bit header bytes are UTF-8 in modern mail
 * (RFC 6532) and some legacy 8-bit charset in old mail; Latin-1 stands in for those.
 */
function headerText(raw: Buffer | string): string {
  if (typeof raw === 'string') return raw;
  const ends = [raw.indexOf('\n\n'), raw.indexOf('\r\n\r\n')].filter((i) => i >= 0);
  const head = raw.subarray(0, ends.length ? Math.min(...ends) : raw.length);
  return isUtf8(head) ? head.toString('utf8') : head.toString('latin1');
}

/** Every header in order, repeated ones (Received, Delivered-To) each time, names as written: Graph's internetMessageHeaders. */
export function allHeaders(raw: Buffer | string): Array<{ name: string; value: string }> {
  const text = headerText(raw);
  const end = text.search(/\r?\n\r?\n/);
  const head = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  return head
    .split(/\r?\n/)
    .filter((line) => line.indexOf(':') > 0)
    .map((line) => ({ name: line.slice(0, line.indexOf(':')).trim(), value: line.slice(line.indexOf(':') + 1).trim() }));
}

export function readHeaders(raw: Buffer | string): Map<string, string> {
  const text = headerText(raw);
  const end = text.search(/\r?\n\r?\n/);
  const head = (end < 0 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  const map = new Map<string, string>();
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    if (!map.has(name)) map.set(name, line.slice(i + 1).trim());
  }
  return map;
}

/**
 * RFC 2047 encoded-words -> text. Whitespace between adjacent encoded-words
 * is not part of the text (RFC 2047 6.2), and a character's bytes may be split
 * across two words, so runs of words in one charset are decoded together.
 */
export function decodeWords(value: string): string {
  const word = /=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g;
  return value.replace(/(?:=\?[^?]+\?[bBqQ]\?[^?]*\?=\s*)+/g, (run) => {
    const trailing = /\s*$/.exec(run)?.[0] ?? '';
    let out = '';
    let charset = '';
    let bytes: Buffer[] = [];
    const flush = () => {
      if (bytes.length) out += decodeBytes(Buffer.concat(bytes), charset);
      bytes = [];
    };
    for (const [, cs = '', enc = '', text = ''] of run.matchAll(word)) {
      if (cs.toLowerCase() !== charset) flush();
      charset = cs.toLowerCase();
      bytes.push(
        enc.toUpperCase() === 'B'
          ? Buffer.from(text, 'base64')
          : Buffer.from(
              text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
              'latin1',
            ),
      );
    }
    flush();
    return out + trailing;
  });
}

function decodeBytes(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.replace(/\*.*$/, ''), { fatal: false }).decode(bytes);
  } catch {
    return bytes.toString('latin1');
  }
}

export function parseAddresses(value: string | undefined): Address[] {
  if (!value) return [];
  const out: Address[] = [];
  for (const part of value.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) {
    const angle = /^(.*)<([^>]+)>/.exec(part);
    const paren = /^\s*([^\s(]+@[^\s(]+)\s*\((.*)\)/.exec(part);
    if (angle) out.push({ name: decodeWords((angle[1] ?? '').trim().replace(/^"|"$/g, '')), address: (angle[2] ?? '').trim() });
    else if (paren) out.push({ name: decodeWords(paren[2] ?? ''), address: paren[1] ?? '' });
    else if (part.includes('@')) out.push({ name: '', address: part.trim() });
  }
  return out;
}

export function summarize(raw: Buffer | string): HeaderSummary {
  const h = readHeaders(raw);
  const date = h.get('date') ? Date.parse(h.get('date')!.replace(/\s*\([^)]*\)\s*$/, '')) : NaN;
  const ids = (v: string | undefined) => (v ? (v.match(/<[^>]+>/g) ?? []) : []);
  return {
    subject: decodeWords(h.get('subject') ?? ''),
    from: parseAddresses(h.get('from'))[0],
    to: parseAddresses(h.get('to')),
    cc: parseAddresses(h.get('cc')),
    replyTo: parseAddresses(h.get('reply-to')),
    date: Number.isFinite(date) ? date : undefined,
    messageId: ids(h.get('message-id'))[0] ?? '',
    inReplyTo: ids(h.get('in-reply-to'))[0],
    references: ids(h.get('references')),
    hasAttachments: /multipart\/mixed/i.test(h.get('content-type') ?? ''),
    fromList: h.has('list-id'),
  };
}

/** Subject without Re:/Fwd: prefixes, for conversation grouping. */
export function baseSubject(subject: string): string {
  return subject
    .replace(/^\s*((re|fwd?|aw|sv)\s*(\[\d+\])?\s*:\s*)+/i, '')
    .trim()
    .toLowerCase();
}
