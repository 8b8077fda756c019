import { randomBytes } from 'node:crypto';

/** One sub-request of a Google batch: a method and a path below the API root, e.g. GET /gmail/v1/users/me/messages/ID?format=raw */
export interface BatchPart {
  id: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
}

export interface BatchPartResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Google's batch limit is 100 sub-requests; beyond it the whole batch fails. */
export const MAX_BATCH_PARTS = 100;

/**
 * Encodes sub-requests as Google's batch body: multipart/mixed, each part an
 * application/http request with a Content-ID that the response echoes as
 * "response-<id>".
 */
export function encodeBatch(parts: readonly BatchPart[]): { contentType: string; body: string } {
  if (parts.length === 0 || parts.length > MAX_BATCH_PARTS)
    throw new Error(`a batch holds 1 to ${MAX_BATCH_PARTS} parts, not ${parts.length}`);
  const boundary = `batch_${randomBytes(12).toString('hex')}`;
  const chunks = parts.map((part) => {
    const json = part.body === undefined ? '' : JSON.stringify(part.body);
    const request = [
      `${part.method} ${part.path} HTTP/1.1`,
      ...(json ? ['Content-Type: application/json; charset=UTF-8', `Content-Length: ${Buffer.byteLength(json)}`] : []),
      '',
      json,
    ].join('\r\n');
    return `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <${part.id}>\r\n\r\n${request}\r\n`;
  });
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: `${chunks.join('')}--${boundary}--\r\n` };
}

/** Decodes a batch response into its parts' HTTP responses, keyed by the request part ids. */
export function decodeBatch(contentType: string, body: string): Map<string, BatchPartResponse> {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw new Error(`batch response without a multipart boundary (content-type: ${contentType})`);
  const responses = new Map<string, BatchPartResponse>();
  for (const rawPart of body.split(`--${boundary}`)) {
    const part = rawPart.replace(/^\r?\n/, '');
    if (part.startsWith('--') || part.trim() === '') continue;
    const [outerHead, inner] = splitHead(part);
    const contentId = /^content-id:\s*<?([^>\r\n]+)>?/im.exec(outerHead)?.[1]?.trim() ?? '';
    const id = contentId.replace(/^response-/, '');
    const [innerHead, innerBody] = splitHead(inner);
    const [statusLine = '', ...headerLines] = innerHead.split(/\r?\n/);
    const status = Number(/^HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(statusLine)?.[1] ?? 0);
    const headers: Record<string, string> = {};
    for (const line of headerLines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    responses.set(id, { id, status, headers, body: innerBody.replace(/\r?\n$/, '') });
  }
  return responses;
}

function splitHead(text: string): [string, string] {
  const match = /\r?\n\r?\n/.exec(text);
  if (!match) return [text, ''];
  return [text.slice(0, match.index), text.slice(match.index + match[0].length)];
}
