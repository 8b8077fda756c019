/**
 * What a URL in an email refers to, decided by the WHATWG URL parser (the
 * browser's own rules: entities already decoded by the HTML parser, tabs and
 * newlines dropped, backslashes read as slashes, `//host` taking the page's
 * scheme), never by matching its text.
 */
export type ReferenceKind =
  /** Part of the message itself: a data: URL (or, for SVG and CSS, a #fragment of the same document). */
  | 'inline'
  /** Nothing to fetch: empty, or a #fragment. */
  | 'none'
  /** A path on the page's own origin (the email frame shares Outpost's origin): not remote, never fetched. */
  | 'ownOrigin'
  /** A network address somewhere else: what privacy protection is about. */
  | 'remote'
  /** Any other scheme (javascript:, file:, blob:, cid:, unparsable): nothing an email may load. */
  | 'other';

// The frame's documents resolve relative URLs against the app's http://127.0.0.1 address; this
// stands in for it (same scheme, so `http:foo` and `//host` resolve as they would there).
const PROBE_BASE = 'http://outpost-frame.invalid/';
const PROBE_HOST = 'outpost-frame.invalid';
const NETWORK_SCHEMES = new Set(['http:', 'https:', 'ftp:', 'ws:', 'wss:']);

export function parseReference(raw: string): { kind: ReferenceKind; url?: URL } {
  const value = raw.trim();
  if (value === '' || value.startsWith('#')) return { kind: 'none' };
  let url: URL;
  try {
    url = new URL(value, PROBE_BASE);
  } catch {
    return { kind: 'other' };
  }
  if (url.protocol === 'data:') return { kind: 'inline', url };
  if (!NETWORK_SCHEMES.has(url.protocol)) return { kind: 'other', url };
  if (url.hostname === PROBE_HOST) return { kind: 'ownOrigin', url };
  return { kind: 'remote', url };
}

export function referenceKind(raw: string): ReferenceKind {
  return parseReference(raw).kind;
}

/**
 * The URLs of a srcset (or imagesrcset) attribute, split as HTML's parser
 * splits it: a URL is a run of non-space characters (commas inside a data:
 * URL included), descriptors follow up to the next comma outside brackets.
 */
export function srcsetUrls(srcset: string): string[] {
  const urls: string[] = [];
  let position = 0;
  const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f';
  while (position < srcset.length) {
    while (position < srcset.length && (isSpace(srcset[position]) || srcset[position] === ',')) position++;
    if (position >= srcset.length) break;
    const start = position;
    while (position < srcset.length && !isSpace(srcset[position])) position++;
    let url = srcset.slice(start, position);
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      let depth = 0;
      while (position < srcset.length) {
        const c = srcset[position];
        if (c === '(') depth++;
        else if (c === ')') depth = Math.max(0, depth - 1);
        else if (c === ',' && depth === 0) break;
        position++;
      }
    }
    if (url) urls.push(url);
  }
  return urls;
}
