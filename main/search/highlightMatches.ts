import type { ReadableDb } from '../db/handles.ts';
import {
  attachmentNames,
  type HighlightExpressions,
  highlightExpressions,
  type MarkedTexts,
  markedTexts,
} from '../db/queries/searchHighlights.ts';
import type { SearchQuery } from './parseSearchQuery.ts';

export const HIGHLIGHT_START = '\u0002';
export const HIGHLIGHT_END = '\u0003';

const BEFORE_CHARS = 60;
const AFTER_CHARS = 160;
/** What highlight() wraps matches in: noncharacters, which mail does not hold (its own \u0002 and \u0003 are dropped). */
const MARKERS = { start: '\uFDD0', end: '\uFDD1' };

/**
 * Where a result's passage comes from: the body, the message's other readable
 * parts (the HTML alternative when it says more, bounce reports), an
 * attachment's name, the subject, the sender or the recipients.
 */
export type HighlightSource = 'body' | 'other_parts' | 'attachment_name' | 'subject' | 'from' | 'recipients';

export interface RowHighlight {
  /** A passage around the first match, matches wrapped in HIGHLIGHT_START/END; null when nothing is marked. */
  highlight: string | null;
  /** The subject with its matches marked, or null when the query has no words. */
  subject_highlight: string | null;
  highlight_source: HighlightSource | null;
}

/** The texts a passage is cut from, in the order they are tried. */
const PASSAGE_TEXTS: ReadonlyArray<[keyof MarkedTexts, HighlightSource]> = [
  ['body_text', 'body'],
  ['searchable_text', 'other_parts'],
  ['subject', 'subject'],
  ['from_text', 'from'],
  ['recipients_text', 'recipients'],
];

const NOTHING: RowHighlight = { highlight: null, subject_highlight: null, highlight_source: null };

/**
 * Marks what the query matched in each row, where it matched: SQLite's FTS5
 * highlight() over the page's rows decides (main/db/queries/searchHighlights.ts),
 * so tokens, stems, diacritics, phrases, AROUND and field operators agree with
 * the index by construction; negated terms are never marked, and the last word
 * is a prefix only in a prefix search (marked from the unstemmed index, as it
 * matched). Then a keyword-in-context passage is cut in JavaScript around the
 * first match of the first text that has one.
 */
export function highlightRows(
  db: ReadableDb,
  query: SearchQuery,
  prefixLast: boolean,
  rows: ReadonlyArray<{ id: number }>,
): RowHighlight[] {
  const expressions = highlightExpressions(query, prefixLast);
  if (!expressions.words && !expressions.typed) return rows.map(() => NOTHING);
  return rows.map((row) => highlightRow(db, expressions, row.id));
}

function highlightRow(db: ReadableDb, expressions: HighlightExpressions, id: number): RowHighlight {
  const words = expressions.words ? markedTexts(db, 'messages_fts', expressions.words, id, MARKERS) : undefined;
  const typed = expressions.typed ? markedTexts(db, 'messages_prefix', expressions.typed, id, MARKERS) : undefined;
  if (!words && !typed) return NOTHING;
  const field = (column: keyof MarkedTexts) => union(parseMarks(words?.[column]), parseMarks(typed?.[column]));
  const subject = render(field('subject'));
  for (const [column, source] of PASSAGE_TEXTS) {
    const marked = field(column);
    const first = marked.ranges[0];
    if (!first) continue;
    const from = source === 'other_parts' && isAttachmentName(db, id, marked.text, first) ? 'attachment_name' : source;
    return { highlight: passage(marked), subject_highlight: subject, highlight_source: from };
  }
  return { highlight: null, subject_highlight: subject, highlight_source: null };
}

/** A text and its marked ranges ([start, end) offsets into the text). */
interface Marked {
  text: string;
  ranges: Array<[number, number]>;
}

function parseMarks(marked: string | undefined): Marked | null {
  if (marked === undefined) return null;
  const [head, ...pieces] = marked.replaceAll(HIGHLIGHT_START, '').replaceAll(HIGHLIGHT_END, '').split(MARKERS.start);
  const ranges: Array<[number, number]> = [];
  let text = head as string;
  for (const piece of pieces) {
    const close = piece.indexOf(MARKERS.end);
    if (close > 0) ranges.push([text.length, text.length + close]);
    text += piece.slice(0, Math.max(close, 0)) + piece.slice(close + 1);
  }
  return { text, ranges };
}

/** Both markings of one text as one: overlapping ranges merged. */
function union(a: Marked | null, b: Marked | null): Marked {
  if (!a || !b) return a ?? b ?? { text: '', ranges: [] };
  const ranges: Array<[number, number]> = [];
  for (const range of [...a.ranges, ...b.ranges].sort((x, y) => x[0] - y[0])) {
    const last = ranges.at(-1);
    if (last && range[0] < last[1]) last[1] = Math.max(last[1], range[1]);
    else ranges.push([range[0], range[1]]);
  }
  return { text: a.text, ranges };
}

/** The text from start to end with its ranges there wrapped in HIGHLIGHT_START/END. */
function render(marked: Marked, start = 0, end = marked.text.length): string {
  let out = '';
  let at = start;
  for (const [from, to] of marked.ranges) {
    if (to <= start || from >= end) continue;
    const open = Math.max(from, start);
    const close = Math.min(to, end);
    out += `${marked.text.slice(at, open)}${HIGHLIGHT_START}${marked.text.slice(open, close)}${HIGHLIGHT_END}`;
    at = close;
  }
  return out + marked.text.slice(at, end);
}

/**
 * A keyword-in-context passage around the first match, on word boundaries,
 * whitespace folded, cut ends marked with "…". Cut here rather than with
 * FTS5's snippet(), which scores every possible passage of a long body.
 */
function passage(marked: Marked): string {
  const { text, ranges } = marked;
  const [matchStart, matchEnd] = ranges[0] as [number, number];
  let start = Math.max(0, matchStart - BEFORE_CHARS);
  let end = Math.min(text.length, matchEnd + AFTER_CHARS);
  if (start > 0) start = nextSpace(text, start);
  if (end < text.length) end = lastSpace(text, end, matchEnd);
  // A match the cut would halve is shown whole.
  for (const [from, to] of ranges) if (from < end && to > end) end = to;
  const shown = render(marked, start, end).replace(/\s+/g, ' ').trim();
  return `${start > 0 ? '…' : ''}${shown}${end < text.length ? '…' : ''}`;
}

/** Whether a match in searchable_text is on one of its last lines, an attachment's name. */
function isAttachmentName(db: ReadableDb, id: number, text: string, [from, to]: [number, number]): boolean {
  const lineStart = text.lastIndexOf('\n', from - 1) + 1;
  const lineEnd = text.indexOf('\n', to);
  const line = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd);
  return attachmentNames(db, id).includes(line);
}

function nextSpace(text: string, from: number): number {
  const at = text.slice(from, from + 20).search(/\s/);
  return at < 0 ? from : from + at + 1;
}

function lastSpace(text: string, to: number, notBefore: number): number {
  const at = text.lastIndexOf(' ', to);
  return at > notBefore ? at : to;
}
