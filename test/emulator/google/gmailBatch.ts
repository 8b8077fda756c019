/**
 * POST /batch/gmail/v1: multipart/mixed of application/http sub-requests
 * (at most 100), answered as multipart/mixed with "response-<Content-ID>"
 * parts. Each part runs through normal routing, so it is counted, charged
 * quota and subject to faults like a direct call.
 */
import { STATUS_CODES } from 'node:http';
import type { EmulatorContext, EmulatorReply, EmulatorRequest, Route } from '../kit/types.ts';
import { googleError } from './errors.ts';

const MAX_PARTS = 100;

interface SubRequest {
  contentId: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

function parseParts(req: EmulatorRequest): SubRequest[] {
  const type = req.headers['content-type'] ?? '';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!type.toLowerCase().startsWith('multipart/') || !boundary) {
    throw googleError(400, 'badRequest', 'Invalid multipart request with 0 mime parts.');
  }
  const text = req.body.toString('latin1');
  const pieces = text.split(`--${boundary}`);
  const parts: SubRequest[] = [];
  for (let i = 1; i < pieces.length; i++) {
    const piece = pieces[i] as string;
    if (piece.startsWith('--')) break;
    parts.push(parsePart(piece.replace(/^\r?\n/, '')));
  }
  if (parts.length === 0) throw googleError(400, 'badRequest', 'Invalid multipart request with 0 mime parts.');
  if (parts.length > MAX_PARTS) {
    // Gmail's own wording (seen from gmail.googleapis.com/batch), not the client libraries' 1,000 limit.
    const message = `Inner request count exceeds the limit. Received: ${parts.length}, Limit: ${MAX_PARTS}`;
    throw googleError(400, 'invalidArgument', message);
  }
  return parts;
}

function splitBlock(s: string): [string, string] {
  const m = /\r?\n\r?\n/.exec(s);
  return m ? [s.slice(0, m.index), s.slice(m.index + m[0].length)] : [s, ''];
}

function parsePart(piece: string): SubRequest {
  const [outerHead, inner] = splitBlock(piece);
  const outer = headerMap(outerHead);
  if (!(outer['content-type'] ?? '').toLowerCase().startsWith('application/http')) {
    throw googleError(400, 'badRequest', 'Each part of a batch request must have Content-Type: application/http.');
  }
  const [innerHead, body] = splitBlock(inner.replace(/^\s+/, ''));
  const [requestLine = '', ...headerLines] = innerHead.split(/\r?\n/);
  const m = /^(GET|POST|PUT|PATCH|DELETE)\s+(\S+)(\s+HTTP\/\d\.\d)?$/i.exec(requestLine.trim());
  if (!m)
    throw googleError(
      400,
      'badRequest',
      `Failed to parse batch request, error: Invalid request line: ${requestLine.slice(0, 80)}`,
    );
  const contentId = (outer['content-id'] ?? '').replace(/^<|>$/g, '');
  return {
    contentId,
    method: (m[1] as string).toUpperCase(),
    path: m[2] as string,
    headers: headerMap(headerLines.join('\n')),
    body: Buffer.from(body.replace(/\r?\n$/, ''), 'latin1'),
  };
}

function headerMap(head: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

function serialize(reply: EmulatorReply): { head: string; body: Buffer } {
  let body: Buffer;
  let type = reply.headers?.['content-type'];
  if (reply.body === undefined) body = Buffer.alloc(0);
  else if (Buffer.isBuffer(reply.body)) body = reply.body;
  else if (typeof reply.body === 'string') body = Buffer.from(reply.body);
  else {
    body = Buffer.from(reply.json === 'compact' ? JSON.stringify(reply.body) : JSON.stringify(reply.body, null, 2));
    type ??= 'application/json; charset=UTF-8';
  }
  const lines = [`HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status] ?? ''}`];
  if (type) lines.push(`Content-Type: ${type}`);
  for (const [k, v] of Object.entries(reply.headers ?? {})) if (k !== 'content-type') lines.push(`${k}: ${v}`);
  lines.push(`Content-Length: ${body.length}`);
  return { head: lines.join('\r\n'), body };
}

/** Who a batch belongs to and how many of its parts may run at once (Gmail's per-user concurrent-request limit). */
export type BatchAdmission = (
  req: EmulatorRequest,
  parts: number,
) => { admitted: number; release(): void; refusal: () => EmulatorReply };

export function gmailBatchRoute(ctx: EmulatorContext, admit?: BatchAdmission): Route {
  return {
    method: 'POST',
    path: '/batch/gmail/v1',
    endpoint: 'gmail.batch',
    handler: async (req) => {
      const parts = parseParts(req);
      const boundary = `batch_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
      const chunks: Buffer[] = [];
      // Gmail runs a batch's parts at once: those beyond the user's concurrent-request limit are refused.
      const admission = admit?.(req, parts.length) ?? {
        admitted: parts.length,
        release: () => {},
        refusal: () => ({ status: 500 }),
      };
      try {
        let index = 0;
        for (const part of parts) {
          const url = new URL(part.path, ctx.baseUrl);
          if (!url.pathname.startsWith('/gmail/v1/')) {
            throw googleError(400, 'badRequest', 'Batch sub-requests must target the Gmail API (/gmail/v1/...).');
          }
          const headers: Record<string, string | undefined> = { ...part.headers };
          headers.authorization ??= req.headers.authorization;
          const reply =
            index++ < admission.admitted
              ? await ctx.dispatch({ method: part.method, url, headers, body: part.body })
              : admission.refusal();
          const { head, body } = serialize(reply);
          const id = part.contentId ? `Content-ID: <response-${part.contentId}>\r\n` : '';
          chunks.push(
            Buffer.from(`--${boundary}\r\nContent-Type: application/http\r\n${id}\r\n${head}\r\n\r\n`),
            body,
            Buffer.from('\r\n'),
          );
        }
      } finally {
        admission.release();
      }
      chunks.push(Buffer.from(`--${boundary}--\r\n`));
      return { status: 200, headers: { 'content-type': `multipart/mixed; boundary=${boundary}` }, body: Buffer.concat(chunks) };
    },
  };
}
