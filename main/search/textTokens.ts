import { stemmer } from 'stemmer';

/**
 * The full-text index's tokenizer and stemmer (`porter unicode61
 * remove_diacritics 2`, migrations 018 and 020) in JavaScript, so highlighting
 * can find what a query matched without SQLite re-tokenizing whole bodies.
 * highlightCorpusAgreement.test.ts checks it against SQLite's own tokens
 * (fts5vocab) of real corpus mail: every distinct word's stem, every token of
 * every field.
 */

/** unicode61's token characters: letters, numbers, private use; combining marks stay in the token (and are then removed). */
const TOKEN = /[\p{L}\p{N}\p{Co}\p{M}]+/gu;
const NON_ASCII = /[\u0080-\uffff]/;
/** Latin letters with diacritics, the ones remove_diacritics folds (other scripts keep their marks, as SQLite does). */
const LATIN_WITH_MARKS = /[\u00c0-\u024f\u1e00-\u1eff]/g;
const COMBINING_MARKS = /[\u0300-\u036f]/g;

export interface Token {
  /** Offsets in the text: [start, end). */
  start: number;
  end: number;
  /** As the unstemmed index holds it: lower case, Latin diacritics removed. */
  word: string;
}

/** The tokens of `text` from offset `from`, in order. */
export function* textTokens(text: string, from = 0): Generator<Token> {
  const pattern = new RegExp(TOKEN.source, 'gu');
  pattern.lastIndex = from;
  for (let found = pattern.exec(text); found; found = pattern.exec(text)) {
    const word = foldWord(found[0]);
    if (word) yield { start: found.index, end: found.index + found[0].length, word };
  }
}

/** The words of a query value, folded as the index folds them. */
export function tokenWords(value: string): string[] {
  return [...textTokens(value)].map((t) => t.word);
}

export function foldWord(raw: string): string {
  const lower = raw.toLowerCase();
  if (!NON_ASCII.test(lower)) return lower;
  return lower
    .replace(LATIN_WITH_MARKS, (c) => c.normalize('NFD'))
    .replace(COMBINING_MARKS, '')
    .replace(/\u00b5/g, '\u03bc');
}

/**
 * A folded word's Porter stem as FTS5's porter tokenizer computes it. FTS5
 * works on UTF-8 bytes: words under 3 or over 64 bytes are kept whole, and a
 * non-ASCII character counts as consonant bytes. So the word is stemmed with
 * each non-ASCII character spelled as that many consonant placeholders, and
 * those characters put back (Porter only rewrites an ASCII suffix).
 */
export function porterStem(word: string): string {
  if (!NON_ASCII.test(word)) return word.length < 3 || word.length > 64 ? word : stemmer(word);
  const chars = [...word];
  let spelled = '';
  /** For each placeholder-spelled position, how many characters of the word it completes. */
  const charsUpTo: number[] = [];
  chars.forEach((c, i) => {
    const width = c.charCodeAt(0) < 0x80 ? 1 : Buffer.byteLength(c);
    spelled += width === 1 ? c : '#'.repeat(width);
    for (let k = 0; k < width; k++) charsUpTo.push(i + 1);
  });
  if (spelled.length < 3 || spelled.length > 64) return word;
  const stem = stemmer(spelled);
  let same = 0;
  while (same < stem.length && same < spelled.length && stem[same] === spelled[same]) same++;
  return chars.slice(0, same === 0 ? 0 : charsUpTo[same - 1]).join('') + stem.slice(same);
}

/**
 * How every word with this stem starts: the stem less its last two letters, at
 * least two (Porter rewrites only a word's end: "happi" from "happy",
 * "sensibl" from "sensibility"; no corpus word differs from its stem before
 * the stem's last letter).
 */
export function stemStart(stem: string): string {
  return stem.slice(0, Math.max(2, stem.length - 2));
}
