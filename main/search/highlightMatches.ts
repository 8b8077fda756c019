import type { ReadableDb } from '../db/handles.ts';
import { findLastPlainWord } from '../db/queries/searchConditions.ts';
import { attachmentNames, type HighlightTexts, highlightTextsOf } from '../db/queries/searchHighlights.ts';
import type { SearchClause, SearchQuery, TextField } from './parseSearchQuery.ts';
import { foldWord, porterStem, stemStart, type Token, textTokens, tokenWords } from './textTokens.ts';

export const HIGHLIGHT_START = '\u0002';
export const HIGHLIGHT_END = '\u0003';

const BEFORE_CHARS = 60;
const AFTER_CHARS = 160;

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

type Field = keyof HighlightTexts;

/** The texts a passage is cut from, in the order they are tried. */
const PASSAGE_TEXTS: ReadonlyArray<[Field, HighlightSource]> = [
  ['body_text', 'body'],
  ['searchable_text', 'other_parts'],
  ['subject', 'subject'],
  ['from_text', 'from'],
  ['recipients_text', 'recipients'],
];
const ALL_FIELDS: readonly Field[] = PASSAGE_TEXTS.map(([field]) => field);
/** The full-text columns each operator searches (searchConditions.ts's FTS_COLUMNS). */
const FIELDS: Record<TextField, readonly Field[]> = {
  any: ALL_FIELDS,
  subject: ['subject'],
  from: ['from_text'],
  to: ['recipients_text'],
  cc: ['recipients_text'],
  bcc: ['recipients_text'],
};

const NOTHING: RowHighlight = { highlight: null, subject_highlight: null, highlight_source: null };

/**
 * What a query matched, token by token, as the index matched it: a phrase
 * (a word is a phrase of one) of stems in some fields, two phrases AROUND each
 * other, or the word being typed (unstemmed, the last one a prefix).
 */
type Matcher =
  | { kind: 'phrase'; fields: readonly Field[]; stems: string[] }
  | { kind: 'near'; left: string[]; right: string[]; distance: number }
  | { kind: 'typed'; words: string[]; prefix: string };

/**
 * Marks what the query matched in each row, where it matched: every word,
 * phrase and AROUND that is not negated, each only in the fields its operator
 * searches (subject:, from:, to:/cc:/bcc:), phrases only where their words
 * stand together in order, stems and folded diacritics as the index has them
 * (textTokens.ts), and the last word as a prefix only in a prefix search. The
 * passage is the first text with a match (body, other parts, subject, sender,
 * recipients), cut around its first match; a text is read only as far as that.
 */
export function highlightRows(
  db: ReadableDb,
  query: SearchQuery,
  prefixLast: boolean,
  rows: ReadonlyArray<{ id: number }>,
): RowHighlight[] {
  const matchers = queryMatchers(query, prefixLast);
  if (matchers.length === 0) return rows.map(() => NOTHING);
  const stems = new StemCache(matchers);
  const plans = fieldPlans(matchers);
  const textsOf = highlightTextsOf(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => {
    const texts = textsOf.get(row.id);
    return texts ? highlightRow(db, row.id, texts, plans, stems) : NOTHING;
  });
}

function queryMatchers(query: SearchQuery, prefixLast: boolean): Matcher[] {
  const typed = prefixLast ? findLastPlainWord(query) : null;
  const matchers: Matcher[] = [];
  const stemmed = (value: string) => tokenWords(value).map(porterStem);
  const visit = (clauses: readonly SearchClause[]) => {
    for (const clause of clauses) {
      if (clause.negated) continue;
      for (const term of clause.anyOf) {
        if (term.kind === 'group') visit(term.clauses);
        else if (term.kind === 'near') {
          const [left, right] = [stemmed(term.left), stemmed(term.right)];
          if (left.length && right.length) matchers.push({ kind: 'near', left, right, distance: term.distance });
        } else if (term.kind === 'text' && term === typed) {
          const words = tokenWords(term.value);
          matchers.push({ kind: 'typed', words: words.slice(0, -1), prefix: words.at(-1) as string });
        } else if (term.kind === 'text') {
          const stems = stemmed(term.value);
          if (stems.length) matchers.push({ kind: 'phrase', fields: FIELDS[term.field], stems });
        }
      }
    }
  };
  visit(query.clauses);
  return matchers;
}

function highlightRow(
  db: ReadableDb,
  id: number,
  texts: HighlightTexts,
  plans: Record<Field, FieldPlan>,
  stems: StemCache,
): RowHighlight {
  const subject = new TextMatches(texts.subject, plans.subject, stems);
  subject.readAll();
  const subjectHighlight = render(texts.subject, subject.ranges);
  for (const [field, source] of PASSAGE_TEXTS) {
    const text = field === 'subject' ? subject : new TextMatches(texts[field], plans[field], stems);
    const passage = text.passage();
    if (!passage) continue;
    const from =
      source === 'other_parts' && isAttachmentName(db, id, texts[field], text.ranges[0] as Range) ? 'attachment_name' : source;
    return { highlight: passage, subject_highlight: subjectHighlight, highlight_source: from };
  }
  return { highlight: null, subject_highlight: subjectHighlight, highlight_source: null };
}

/** The matchers that search a field, and where a matching word can start in it (null: nowhere). */
interface FieldPlan {
  matchers: Matcher[];
  starts: RegExp | null;
  folded: string[];
}

function fieldPlans(matchers: readonly Matcher[]): Record<Field, FieldPlan> {
  const plan = (field: Field): FieldPlan => {
    const applying = matchers.filter((m) => m.kind !== 'phrase' || m.fields.includes(field));
    const folded = wordStarts(applying);
    const escaped = folded.map((start) => start.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    const starts = folded.length ? new RegExp(`(?<![\\p{L}\\p{N}\\p{M}\\p{Co}])(?:${escaped.join('|')})`, 'iu') : null;
    return { matchers: applying, starts, folded };
  };
  return Object.fromEntries(ALL_FIELDS.map((field) => [field, plan(field)])) as Record<Field, FieldPlan>;
}

/** How a word that can match one of the query's words starts: its stem's start (stemStart); typed words as typed. */
function wordStarts(matchers: readonly Matcher[]): string[] {
  const starts = new Set<string>();
  for (const m of matchers) {
    if (m.kind === 'typed') for (const word of [...m.words, m.prefix]) starts.add(word);
    else for (const stem of m.kind === 'phrase' ? m.stems : [...m.left, ...m.right]) starts.add(stemStart(stem));
  }
  return [...starts];
}

/** Stems of the words that could stem to a query's stem, cached per page. */
class StemCache {
  private readonly cache = new Map<string, string | null>();
  private readonly starts: string[];
  constructor(matchers: readonly Matcher[]) {
    this.starts = wordStarts(matchers.filter((m) => m.kind !== 'typed'));
  }
  of(word: string): string | null {
    let stem = this.cache.get(word);
    if (stem === undefined) {
      stem = this.starts.some((start) => word.startsWith(start)) ? porterStem(word) : null;
      this.cache.set(word, stem);
    }
    return stem;
  }
}

type Range = [number, number];

/** The matches of one text, read token by token only as far as asked. */
class TextMatches {
  readonly ranges: Range[] = [];
  private readonly tokens: Token[] = [];
  private readonly stemsOf: Array<string | null> = [];
  private readonly reader: Generator<Token>;
  /** Phrase instances of each AROUND matcher seen so far: [first token, last token] of its left and right phrases. */
  private readonly nearSeen = new Map<Matcher, { left: Range[]; right: Range[] }>();
  private done = false;
  private readonly text: string;
  private readonly matchers: readonly Matcher[];
  private readonly stems: StemCache;

  constructor(text: string, plan: FieldPlan, stems: StemCache) {
    this.text = text;
    this.matchers = plan.matchers;
    this.stems = stems;
    const from = firstCandidate(text, plan);
    this.reader = textTokens(text, Math.max(from, 0));
    if (from < 0) this.done = true;
  }

  readAll(): void {
    while (this.next()) {}
  }

  /** A keyword-in-context passage around the first match, or null when the text has none. */
  passage(): string | null {
    while (this.ranges.length === 0 && this.next()) {}
    const first = this.ranges.reduce<Range | undefined>((a, r) => (!a || r[0] < a[0] ? r : a), undefined);
    if (!first) return null;
    const { text } = this;
    let start = Math.max(0, first[0] - BEFORE_CHARS);
    if (start > 0) start = nextSpace(text, start);
    let end = Math.min(text.length, first[1] + AFTER_CHARS);
    if (end < text.length) end = lastSpace(text, end, first[1]);
    // Read on to the passage's end, and a little further, for matches that end past it (shown whole).
    while (!this.done && (this.tokens.at(-1)?.start ?? 0) < end + 64) this.next();
    for (const [from, to] of this.ranges) if (from < end && to > end) end = to;
    const ranges = merged(this.ranges);
    const shown = render(text, ranges, start, end).replace(/\s+/g, ' ').trim();
    return `${start > 0 ? '…' : ''}${shown}${end < text.length ? '…' : ''}`;
  }

  /** Reads one more token and records the matches that end with it. */
  private next(): boolean {
    if (this.done) return false;
    const step = this.reader.next();
    if (step.done) {
      this.done = true;
      return false;
    }
    const token = step.value;
    const at = this.tokens.push(token) - 1;
    this.stemsOf.push(this.stems.of(token.word));
    for (const m of this.matchers) {
      if (m.kind === 'phrase') {
        if (this.phraseEndsAt(m.stems, at)) this.mark(at - m.stems.length + 1, at);
      } else if (m.kind === 'typed') {
        if (token.word.startsWith(m.prefix) || m.words.includes(token.word)) this.mark(at, at);
      } else this.nearAt(m, at);
    }
    return true;
  }

  private phraseEndsAt(stems: readonly string[], at: number): boolean {
    const first = at - stems.length + 1;
    if (first < 0) return false;
    return stems.every((stem, i) => this.stemsOf[first + i] === stem);
  }

  /** AROUND: a phrase instance ending here, with one of the other phrase at most `distance` tokens before it. */
  private nearAt(m: Extract<Matcher, { kind: 'near' }>, at: number): void {
    let seen = this.nearSeen.get(m);
    if (!seen) {
      seen = { left: [], right: [] };
      this.nearSeen.set(m, seen);
    }
    for (const [side, other, stems] of [
      ['left', 'right', m.left],
      ['right', 'left', m.right],
    ] as const) {
      if (!this.phraseEndsAt(stems, at)) continue;
      const instance: Range = [at - stems.length + 1, at];
      seen[side].push(instance);
      for (const before of seen[other]) {
        if (before[1] < instance[0] && instance[0] - before[1] - 1 <= m.distance) {
          this.mark(before[0], before[1]);
          this.mark(instance[0], instance[1]);
        }
      }
    }
  }

  private mark(firstToken: number, lastToken: number): void {
    this.ranges.push([(this.tokens[firstToken] as Token).start, (this.tokens[lastToken] as Token).end]);
  }
}

/**
 * Where a text's tokens need reading from: the first word that starts as a
 * matching word can (wordStarts), or -1 when there is none, so a long body
 * without the words is searched once instead of tokenized. A text with Latin
 * diacritics ("café" for "cafe") is searched folded, and read from its start
 * when folding moved its offsets.
 */
function firstCandidate(text: string, plan: FieldPlan): number {
  if (!plan.starts) return -1;
  const found = plan.starts.exec(text);
  // A character outside the Basic Multilingual Plane before it: read from the start rather than risk half a word.
  if (found) return found.index > 0 && SURROGATE.test(text[found.index - 1] as string) ? 0 : found.index;
  if (!FOLDS_DIFFERENTLY.test(text)) return -1;
  const folded = foldWord(text);
  if (folded.length === text.length) return plan.starts.exec(folded)?.index ?? -1;
  return plan.folded.some((start) => folded.includes(start)) ? 0 : -1;
}

/** Characters a case-insensitive search does not equate with their folded form (Latin diacritics, combining marks, µ). */
const FOLDS_DIFFERENTLY = /[\u00b5\u00c0-\u024f\u1e00-\u1eff]|\p{M}/u;
const SURROGATE = /[\ud800-\udfff]/;

/** Ranges sorted, overlapping ones merged. */
function merged(ranges: readonly Range[]): Range[] {
  const out: Range[] = [];
  for (const range of [...ranges].sort((x, y) => x[0] - y[0])) {
    const last = out.at(-1);
    if (last && range[0] < last[1]) last[1] = Math.max(last[1], range[1]);
    else out.push([range[0], range[1]]);
  }
  return out;
}

/** The text from start to end with its ranges there wrapped in HIGHLIGHT_START/END (the text's own marker characters dropped). */
function render(text: string, ranges: readonly Range[], start = 0, end = text.length): string {
  const plain = (from: number, to: number) => text.slice(from, to).replaceAll(HIGHLIGHT_START, '').replaceAll(HIGHLIGHT_END, '');
  let out = '';
  let at = start;
  for (const [from, to] of merged(ranges)) {
    if (to <= start || from >= end) continue;
    const open = Math.max(from, start);
    const close = Math.min(to, end);
    out += `${plain(at, open)}${HIGHLIGHT_START}${plain(open, close)}${HIGHLIGHT_END}`;
    at = close;
  }
  return out + plain(at, end);
}

/** Whether a match in searchable_text is on one of its last lines, an attachment's name. */
function isAttachmentName(db: ReadableDb, id: number, text: string, [from, to]: Range): boolean {
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
