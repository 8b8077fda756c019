import { decodeStrict, decodeText } from './charsetDecoding.ts';

/**
 * RFC 2047 encoded words read again when postal-mime's reading of them left
 * U+FFFD: the bytes are decoded with the word's charset, then the fallbacks
 * given, then windows-1252 (charsetDecoding.ts). Two habits of old mailers
 * are undone first: a multibyte character split across two words (adjacent
 * words of one charset are joined before decoding), and in Q words a "_"
 * meant as the byte 0x5F, the second byte of many Big5 and GBK characters,
 * rather than a space (tried when the space reading does not decode).
 */

const ENCODED_WORD = /=\?([^?\s*]+)(?:\*[^?\s]*)?\?([bq])\?([^?\s]*)\?=/gi;

interface WordRun {
  charset: string;
  /** The words' bytes, "_" read as a space (RFC 2047) and, for Q words, as 0x5F. */
  asSpace: number[];
  asUnderscore: number[];
}

export function decodeEncodedWords(value: string, fallbackCharsets: readonly (string | null | undefined)[]): string {
  const segments: (string | WordRun)[] = [];
  let last = 0;
  for (const match of value.matchAll(ENCODED_WORD)) {
    const [word, charset = '', encoding = '', text = ''] = match;
    const between = value.slice(last, match.index);
    last = match.index + word.length;
    const previous = segments.at(-1);
    // Whitespace between two encoded words is not text (RFC 2047 section 6.2).
    const follows = typeof previous === 'object' && between.trim() === '';
    if (!follows) segments.push(between);
    let run = follows && previous.charset.toLowerCase() === charset.toLowerCase() ? previous : undefined;
    if (!run) {
      run = { charset, asSpace: [], asUnderscore: [] };
      segments.push(run);
    }
    if (encoding.toLowerCase() === 'b') {
      const bytes = Buffer.from(text, 'base64');
      run.asSpace.push(...bytes);
      run.asUnderscore.push(...bytes);
    } else {
      run.asSpace.push(...quotedPrintableBytes(text, 0x20));
      run.asUnderscore.push(...quotedPrintableBytes(text, 0x5f));
    }
  }
  segments.push(value.slice(last));
  return segments.map((segment) => (typeof segment === 'string' ? segment : decodeRun(segment, fallbackCharsets))).join('');
}

function decodeRun(run: WordRun, fallbackCharsets: readonly (string | null | undefined)[]): string {
  const asSpace = Uint8Array.from(run.asSpace);
  for (const bytes of [asSpace, Uint8Array.from(run.asUnderscore)]) {
    const text = decodeStrict(bytes, run.charset);
    if (text !== null) return text;
  }
  return decodeText(asSpace, [run.charset, ...fallbackCharsets]);
}

function quotedPrintableBytes(text: string, underscore: number): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    const hex = char === 0x3d ? text.slice(i + 1, i + 3) : '';
    if (/^[0-9a-f]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(char === 0x5f ? underscore : char & 0xff);
  }
  return bytes;
}
