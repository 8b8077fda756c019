import PostalMime from 'postal-mime';
import { OutpostError } from '../core/outpostError.ts';
import { decodeText } from './charsetDecoding.ts';

/**
 * postal-mime reads raw 8-bit header lines as UTF-8 and text bodies with one
 * lossy decoder (an unknown charset silently becomes windows-1252), so
 * latin-1 "gef\xe4llig" in a Subject came out "gef\uFFFDllig". This installs,
 * once per process, three small overrides on its MIME part class (not
 * exported, reached through a parser's root part): header lines that are not
 * UTF-8 are decoded again from their bytes with the part's declared charset,
 * then the message's, then windows-1252; text bodies go through the same
 * chain (see charsetDecoding.ts), an HTML part's own <meta> charset right
 * after the part's declared one. Everything else stays postal-mime's.
 * test/unit/mail/charsetFallback.test.ts fails if an upgrade moves these
 * internals.
 */

/** The parts of postal-mime's MimeNode (src/mime-node.ts, 4.x) the overrides use. */
interface MimeNodeInternals {
  state: 'header' | 'body' | 'finished';
  headerLines: string[];
  parentNode?: MimeNodeInternals;
  content: ArrayBuffer | null;
  contentType: { parsed: { value: string; params: Record<string, string> } };
  postalMime: { av?: Uint8Array };
  decodeFlowedText(text: string, delSp: boolean): string;
  feed(line: Uint8Array): void;
  processHeaders(): void;
  getTextContent(): string;
}

/** A part's raw header lines, kept beside postal-mime's UTF-8 reading of them (same order). */
const rawHeaderLines = new WeakMap<MimeNodeInternals, Uint8Array[]>();
/** The charset a message declares, found once per parser. */
const messageCharsets = new WeakMap<object, string | null>();

const CONTENT_TYPE_CHARSET = /^content-type:[^\n]*(?:\n[ \t][^\n]*)*?charset\s*=\s*"?([^\s";]+)/im;
const HTML_META_CHARSET = /<meta\b[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i;
/** How far into an HTML part its <meta> charset is looked for (WHATWG's prescan reads 1024 bytes; mail often has more before it). */
const HTML_META_SCAN_BYTES = 4096;
/** How far into a message its first declared charset is looked for. */
const CHARSET_SCAN_BYTES = 64 * 1024;

let installed = false;

export function installCharsetFallback(): void {
  if (installed) return;
  const parser = new PostalMime() as unknown as { root: object };
  const proto = Object.getPrototypeOf(parser.root) as MimeNodeInternals;
  if (
    typeof proto.feed !== 'function' ||
    typeof proto.processHeaders !== 'function' ||
    typeof proto.getTextContent !== 'function' ||
    typeof proto.decodeFlowedText !== 'function'
  ) {
    throw new OutpostError('internal_error', 'postal-mime no longer has the MIME part methods Outpost decodes through');
  }
  const { feed, processHeaders } = proto;

  proto.feed = function (this: MimeNodeInternals, line: Uint8Array): void {
    const headerLine = this.state === 'header' && line.length > 0;
    feed.call(this, line);
    // Past its headers a part's lines go straight to postal-mime (a body has far more lines than a header).
    if (this.state !== 'header') this.feed = feed;
    if (!headerLine) return;
    const lines = rawHeaderLines.get(this);
    if (lines) lines.push(line);
    else rawHeaderLines.set(this, [line]);
  };

  proto.processHeaders = function (this: MimeNodeInternals): void {
    const raw = rawHeaderLines.get(this);
    rawHeaderLines.delete(this);
    if (raw && this.headerLines.some((line) => line.includes('\uFFFD'))) {
      // RFC 6532 UTF-8 first; the declared charsets after it (a line reaches here only when UTF-8 did not decode it).
      const chain = ['utf-8', declaredCharset(this.headerLines.join('\n')), messageCharset(this)];
      this.headerLines = this.headerLines.map((line, i) => {
        const bytes = raw[i];
        return bytes && line.includes('\uFFFD') ? decodeText(bytes, chain) : line;
      });
    }
    processHeaders.call(this);
  };

  proto.getTextContent = function (this: MimeNodeInternals): string {
    if (!this.content) return '';
    const params = this.contentType.parsed.params;
    const bytes = new Uint8Array(this.content);
    const html = this.contentType.parsed.value === 'text/html' ? htmlMetaCharset(bytes) : null;
    let text = decodeText(bytes, [params.charset, html, messageCharset(this), 'utf-8']);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a byte-order mark is a signature, not text
    if (/^flowed$/i.test(params.format ?? '')) text = this.decodeFlowedText(text, /^yes$/i.test(params.delsp ?? ''));
    return text;
  };
  installed = true;
}

/** What an HTML part declares in its own <meta> (charset= or http-equiv Content-Type), read from its start. */
function htmlMetaCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, HTML_META_SCAN_BYTES)).toString('latin1');
  return HTML_META_CHARSET.exec(head)?.[1] ?? null;
}

function declaredCharset(headerText: string): string | null {
  return CONTENT_TYPE_CHARSET.exec(headerText)?.[1] ?? null;
}

/** The charset of the message a part belongs to: its top Content-Type's, else the first one declared in it. */
function messageCharset(node: MimeNodeInternals): string | null {
  let root = node;
  while (root.parentNode) root = root.parentNode;
  const own = root.state === 'header' ? null : root.contentType.parsed.params.charset;
  if (own) return own;
  const parser = root.postalMime;
  const known = messageCharsets.get(parser);
  if (known !== undefined) return known;
  const bytes = parser.av;
  const found = bytes
    ? declaredCharset(Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, CHARSET_SCAN_BYTES)).toString('latin1'))
    : null;
  messageCharsets.set(parser, found);
  return found;
}
