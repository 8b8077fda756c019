/**
 * Builds Gmail's `payload` (MessagePart tree) from a raw RFC 822 message:
 * partId, mimeType, filename, headers, body {size, data | attachmentId}, parts.
 * Tolerant of real-world breakage (missing boundaries, bad encodings), as Gmail is.
 */

export interface GmailHeader {
  name: string;
  value: string;
}

export interface MessagePart {
  partId: string;
  mimeType: string;
  filename: string;
  headers: GmailHeader[];
  body: { size: number; data?: string; attachmentId?: string };
  parts?: MessagePart[];
}

export interface Attachment {
  data: Buffer;
}

export function splitHeaderBody(raw: Buffer): { head: string; body: Buffer } {
  let idx = raw.indexOf('\r\n\r\n');
  let sep = 4;
  const lf = raw.indexOf('\n\n');
  if (idx < 0 || (lf >= 0 && lf < idx)) {
    idx = lf;
    sep = 2;
  }
  if (idx < 0) return { head: raw.toString('latin1'), body: Buffer.alloc(0) };
  return { head: raw.subarray(0, idx).toString('latin1'), body: raw.subarray(idx + sep) };
}

export function parseHeaders(head: string): GmailHeader[] {
  const headers: GmailHeader[] = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      const last = headers[headers.length - 1] as GmailHeader;
      last.value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  return headers;
}

export function headerValue(headers: GmailHeader[], name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === lower)?.value;
}

function contentTypeOf(headers: GmailHeader[]): { mimeType: string; params: Record<string, string> } {
  const value = headerValue(headers, 'content-type') ?? 'text/plain';
  const [type, ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    params[p.slice(0, eq).trim().toLowerCase()] = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
  }
  const mimeType = (type ?? '').trim().toLowerCase();
  return { mimeType: /^[\w.+-]+\/[\w.+-]+$/.test(mimeType) ? mimeType : 'text/plain', params };
}

function filenameOf(headers: GmailHeader[], ctParams: Record<string, string>): string {
  const disposition = headerValue(headers, 'content-disposition') ?? '';
  const m = /filename\*?="?([^";]+)"?/i.exec(disposition);
  return m?.[1] ?? ctParams.name ?? '';
}

export function decodeTransfer(body: Buffer, encoding: string | undefined): Buffer {
  const enc = (encoding ?? '').trim().toLowerCase();
  if (enc === 'base64') return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  if (enc === 'quoted-printable') {
    const text = body.toString('latin1').replace(/=\r?\n/g, '');
    return Buffer.from(
      text.replace(/=([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16))),
      'latin1',
    );
  }
  return body;
}

function splitMultipart(body: Buffer, boundary: string): Buffer[] {
  const text = body.toString('latin1');
  const delimiter = `--${boundary}`;
  const pieces = text.split(new RegExp(`(?:^|\\r?\\n)${escapeRegExp(delimiter)}`));
  const parts: Buffer[] = [];
  for (let i = 1; i < pieces.length; i++) {
    const piece = pieces[i] as string;
    if (piece.startsWith('--')) break;
    parts.push(Buffer.from(piece.replace(/^[ \t]*\r?\n/, ''), 'latin1'));
  }
  return parts;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The payload tree; attachments (parts with a filename) are stored by their attachment id. */
export function buildPayload(raw: Buffer, messageId: string, attachments?: Map<string, Attachment>): MessagePart {
  let counter = 0;
  const visit = (buf: Buffer, partId: string, depth: number): MessagePart => {
    const { head, body } = splitHeaderBody(buf);
    const headers = parseHeaders(head);
    const { mimeType, params } = contentTypeOf(headers);
    const filename = filenameOf(headers, params);
    const part: MessagePart = { partId, mimeType, filename, headers, body: { size: 0 } };
    if (mimeType.startsWith('multipart/') && params.boundary && depth < 20) {
      const children = splitMultipart(body, params.boundary);
      if (children.length > 0) {
        part.parts = children.map((child, i) => visit(child, partId === '' ? String(i) : `${partId}.${i}`, depth + 1));
        return part;
      }
    }
    const decoded = decodeTransfer(body, headerValue(headers, 'content-transfer-encoding'));
    part.body.size = decoded.length;
    if (filename && decoded.length > 0) {
      const attachmentId = `ANGjdJ${messageId}${(counter++).toString(16).padStart(4, '0')}`;
      part.body.attachmentId = attachmentId;
      attachments?.set(attachmentId, { data: decoded });
    } else if (decoded.length > 0) {
      part.body.data = decoded.toString('base64url');
    }
    return part;
  };
  return visit(raw, '', 0);
}

/** Gmail's snippet: the first ~200 characters of the first text part, whitespace collapsed. */
export function snippetOf(payload: MessagePart): string {
  const stack = [payload];
  while (stack.length > 0) {
    const part = stack.shift() as MessagePart;
    if (part.parts) stack.unshift(...part.parts);
    else if (part.mimeType.startsWith('text/') && part.body.data) {
      let text = Buffer.from(part.body.data, 'base64url').toString('utf8');
      if (part.mimeType === 'text/html') text = text.replace(/<[^>]*>/g, ' ');
      return text.replace(/\s+/g, ' ').trim().slice(0, 200);
    }
  }
  return '';
}

export function hasAttachment(payload: MessagePart): boolean {
  if (payload.body.attachmentId) return true;
  return (payload.parts ?? []).some(hasAttachment);
}
