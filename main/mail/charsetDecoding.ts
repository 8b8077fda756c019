import { TextDecoder } from 'node:util';

/**
 * Text bytes decoded with the first charset that decodes them: strict
 * decoders (TextDecoder with fatal: true, the WHATWG encodings Node ships:
 * EUC-KR, ISO-2022-JP, GB18030, Big5, Shift_JIS, KOI8-R, windows-125x ...)
 * tell whether a candidate fits. windows-1252 maps every byte, so the chain
 * always ends in text without U+FFFD unless the sender wrote one.
 */

const LAST_RESORT = 'windows-1252';

/** Labels TextDecoder does not know, by what mailers meant with them. */
const ALIASES: Record<string, string> = {
  cp949: 'euc-kr',
  uhc: 'euc-kr',
  ks_c_5601: 'euc-kr',
  chinesebig5: 'big5',
  big5hkscs: 'big5-hkscs',
  cp936: 'gbk',
  ms936: 'gbk',
  cp932: 'shift_jis',
  windows31j: 'shift_jis',
  'windows-31j': 'shift_jis',
  sjis: 'shift_jis',
  eucjp: 'euc-jp',
  euckr: 'euc-kr',
  'iso-2022-jp-1': 'iso-2022-jp',
  'iso-2022-jp-2': 'iso-2022-jp',
  cp1250: 'windows-1250',
  cp1251: 'windows-1251',
  cp1253: 'windows-1253',
  cp1254: 'windows-1254',
  cp1255: 'windows-1255',
  cp1256: 'windows-1256',
  cp1257: 'windows-1257',
  cp1258: 'windows-1258',
  latin1: 'windows-1252',
  latin2: 'iso-8859-2',
  utf8: 'utf-8',
};

/** WHATWG reads these ASCII labels as windows-1252; an 8-bit byte does not fit them, so they are checked strictly. */
const ASCII_LABELS = new Set(['us-ascii', 'ascii', 'ansi_x3.4-1968', 'iso646-us', 'us', 'ibm367', 'cp367', 'csascii']);

interface Candidate {
  /** The WHATWG encoding name, e.g. "euc-kr" (dedupes spellings of one charset). */
  encoding: string;
  decoder: TextDecoder;
  asciiOnly: boolean;
}

const candidates = new Map<string, Candidate | null>();
const MAX_CACHED_LABELS = 256;

function alias(label: string): string | undefined {
  return Object.hasOwn(ALIASES, label) ? ALIASES[label] : undefined;
}

/** The strict decoder of a declared charset label, or null for an unknown or bogus one. */
function candidateFor(label: string): Candidate | null {
  const key = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  const cached = candidates.get(key);
  if (cached !== undefined) return cached;
  const asciiOnly = ASCII_LABELS.has(key);
  let candidate: Candidate | null = null;
  const bare = key.replace(/^x-/, '');
  for (const name of [key, alias(key), alias(bare), bare]) {
    if (!name) continue;
    try {
      const decoder = new TextDecoder(name, { fatal: true, ignoreBOM: true });
      // "replacement" (iso-2022-kr, hz-gb-2312 ...) decodes nothing: treat it as unknown.
      if (decoder.encoding !== 'replacement') {
        candidate = { encoding: asciiOnly ? 'us-ascii' : decoder.encoding, decoder, asciiOnly };
        break;
      }
    } catch {
      // not a label TextDecoder knows: try the next spelling
    }
  }
  // Labels come from mail: a flood of made-up ones must not grow the cache for ever.
  if (candidates.size >= MAX_CACHED_LABELS) candidates.clear();
  candidates.set(key, candidate);
  return candidate;
}

/** The known charsets among `labels`, in order, each once, ending with windows-1252. */
function charsetChain(labels: readonly (string | null | undefined)[]): Candidate[] {
  const chain: Candidate[] = [];
  for (const label of [...labels, LAST_RESORT]) {
    const candidate = label ? candidateFor(label) : null;
    if (candidate && !chain.some((c) => c.encoding === candidate.encoding)) chain.push(candidate);
  }
  return chain;
}

/** `bytes` in the charset `label` names, or null when it is unknown or does not decode them. */
export function decodeStrict(bytes: Uint8Array, label: string): string | null {
  const candidate = candidateFor(label);
  return candidate ? tryDecode(candidate, bytes) : null;
}

function tryDecode(candidate: Candidate, bytes: Uint8Array): string | null {
  if (candidate.asciiOnly && bytes.some((byte) => byte > 0x7f)) return null;
  try {
    return candidate.decoder.decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Decodes `bytes` with the first charset of `labels` (then windows-1252) that
 * decodes them all. When only the last resort fits the whole text, each line
 * is decoded on its own, so one stray byte does not turn a whole UTF-8 body
 * into mojibake.
 */
export function decodeText(bytes: Uint8Array, labels: readonly (string | null | undefined)[]): string {
  const chain = charsetChain(labels);
  for (const candidate of chain.slice(0, -1)) {
    const text = tryDecode(candidate, bytes);
    if (text !== null) return text;
  }
  if (chain.length === 1) return tryDecode(chain[0] as Candidate, bytes) ?? '';
  return decodeByLine(bytes, chain);
}

function decodeByLine(bytes: Uint8Array, chain: Candidate[]): string {
  const parts: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline === -1 ? bytes.length : newline + 1;
    const line = bytes.subarray(start, end);
    for (const candidate of chain) {
      const text = tryDecode(candidate, line);
      if (text !== null) {
        parts.push(text);
        break;
      }
    }
    start = end;
  }
  return parts.join('');
}
