import type { ReadableDb } from '../db/handles.ts';
import {
  candidatesInDates,
  checkSearchLimit,
  countMatches,
  findMatchKeys,
  findMessages,
  type MatchKey,
  type MessageMatchRow,
  matchesInThreads,
  messageRows,
  rankedMatches,
  type SearchCursor,
  type SearchOptions,
} from '../db/queries/search.ts';
import { type CompiledSearch, compileSearch } from '../db/queries/searchConditions.ts';
import { type HighlightSource, highlightRows } from './highlightMatches.ts';
import type { SearchQuery } from './parseSearchQuery.ts';

export { HIGHLIGHT_END, HIGHLIGHT_START } from './highlightMatches.ts';
export type { SearchCursor, SearchOptions };

export interface SearchHitRow extends MessageMatchRow {
  /** A passage around the first match, matched words wrapped in \u0002 ... \u0003, or null for searches without words. */
  highlight: string | null;
  /** The subject with the query's words marked (queries with words only). */
  subject_highlight: string | null;
  /** Which text the highlight passage was cut from (null without one). */
  highlight_source: HighlightSource | null;
  /** How many messages of the row's conversation match (1 when results are messages). */
  matching_messages: number;
}

/**
 * Searches the index (main/db/queries/search.ts runs the query), one row per
 * matching message, newest first unless sorted by relevance, and, for
 * full-text searches, marks the query's words: a passage around the first
 * match and the subject.
 */
export function searchMessages(db: ReadableDb, query: SearchQuery, options: SearchOptions): SearchHitRow[] {
  checkPageSize(options.limit);
  const { rows } = findMessages(db, query, options);
  return highlighted(db, query, options, rows, () => 1);
}

export interface SearchPageOptions extends Omit<SearchOptions, 'offset' | 'after'> {
  /** 'threads' (one row per conversation, the default) or 'messages'. */
  group: 'threads' | 'messages';
  /** Where the previous page ended: a row (newest first) or a number of rows (relevance). */
  cursor?: { after: SearchCursor } | { offset: number } | null | undefined;
}

export interface SearchPage {
  rows: SearchHitRow[];
  /** Where the next page starts, or null after the last result. */
  next: { after: SearchCursor } | { offset: number } | null;
  /** Matching messages, or conversations when grouped by thread. */
  total: number;
  /** The total is an estimate (more than 5,000 candidates to count), as Gmail's resultSizeEstimate. */
  totalEstimated: boolean;
}

/**
 * One page of results with its total. Grouped by thread, a conversation is one
 * row at its newest match (its matching messages counted), so pages walk the
 * same newest-first order as messages do and never repeat a conversation.
 */
export function searchPage(db: ReadableDb, query: SearchQuery, options: SearchPageOptions): SearchPage {
  checkPageSize(options.limit);
  const compiled = compileSearch(db, query, options);
  // Relevance needs words in the stemmed index (a typed prefix alone has no bm25: messages_prefix keeps no positions).
  const ranked = options.sort === 'relevance' && compiled.match !== null && compiled.table === 'messages_fts';
  const known: Known = {};
  const { walked, ...page } = ranked
    ? { ...relevancePage(db, query, compiled, options), walked: null }
    : newestPage(db, query, compiled, options, known);
  // A first page whose walk read every match counted them already: no second pass over the matches.
  if (walked)
    return { ...page, total: options.group === 'threads' ? walked.threads.size : walked.messages, totalEstimated: false };
  const counted = countMatches(db, query, { ...options, threads: options.group === 'threads', candidates: known.candidates });
  return { ...page, total: options.group === 'threads' ? counted.threads : counted.messages, totalEstimated: counted.estimated };
}

/** Every match a first page's walk read, when it read them all (the walk reached the end of the results), else null. */
type Walked = { messages: number; threads: Set<number> } | null;
/** What the walk learnt that the count needs too: the candidates (full-text matches or messages), counted once. */
type Known = { candidates?: number };

function newestPage(
  db: ReadableDb,
  query: SearchQuery,
  compiled: CompiledSearch,
  options: SearchPageOptions,
  known: Known,
): Omit<SearchPage, 'total' | 'totalEstimated'> & { walked: Walked } {
  const after = options.cursor && 'after' in options.cursor ? options.cursor.after : null;
  const limit = options.limit;
  if (options.group === 'messages') {
    const { rows } = findMessages(db, query, { ...options, sort: 'date', limit: limit + 1, after });
    const page = rows.slice(0, limit);
    const walked = after === null && rows.length <= limit ? { messages: rows.length, threads: new Set<number>() } : null;
    return { rows: highlighted(db, query, options, page, () => 1), next: nextAfter(rows, page, limit), walked };
  }
  const kept: MatchKey[] = [];
  const counts = new Map<number, number>();
  const decided = new Set<number>();
  let from = after;
  const seen = { messages: 0, threads: new Set<number>() };
  let complete = false;
  // Matching messages run about two to a conversation: four per row fills most pages in one batch. A first page of
  // few candidates walks them all at once (keys only, no rows), so the walk counts them and looks no thread up.
  const batch = firstBatch(db, compiled, after === null, known) ?? Math.min(Math.max(limit * 4, 100), MAX_BATCH);
  // No candidates at all (a batch of one to learn that there is none): nothing to walk.
  if (batch === 1) return { rows: [], next: null, walked: seen };
  // Walk matches newest first; a message opens its conversation's row only when it is the conversation's newest match.
  for (;;) {
    const found = findMatchKeys(db, query, { ...options, sort: 'date', limit: batch, after: from }).keys;
    seen.messages += found.length;
    for (const row of found) seen.threads.add(row.thread_id);
    complete = found.length < batch;
    const open = found.filter((r) => !decided.has(r.thread_id));
    const newest = new Map<number, { id: number; sent_at: number }>();
    // Walked from the top to the end, the open conversations' matches are all in this batch: none to look up.
    const matches =
      after === null && complete
        ? open
        : open.length
          ? matchesInThreads(db, compiled, [...new Set(open.map((r) => r.thread_id))])
          : [];
    for (const match of matches) {
      counts.set(match.thread_id, (counts.get(match.thread_id) ?? 0) + 1);
      const current = newest.get(match.thread_id);
      if (!current || keyAbove(match, current)) newest.set(match.thread_id, match);
    }
    for (const row of found) {
      if (decided.has(row.thread_id)) continue;
      decided.add(row.thread_id);
      if ((newest.get(row.thread_id)?.id ?? row.id) !== row.id) continue;
      kept.push(row);
      if (kept.length > limit) break;
    }
    const last = found.at(-1);
    if (kept.length > limit || complete || !last) break;
    from = { sentAt: last.sent_at, id: last.id };
  }
  const page = kept.slice(0, limit);
  return {
    rows: highlighted(db, query, options, messageRows(db, page), (row) => counts.get(row.thread_id) ?? 1),
    next: nextAfter(kept, page, limit),
    walked: after === null && complete ? seen : null,
  };
}

/** bm25 order: the best matches (at most 10,000 are ranked), a conversation at its best message. */
function relevancePage(
  db: ReadableDb,
  query: SearchQuery,
  compiled: CompiledSearch,
  options: SearchPageOptions,
): Omit<SearchPage, 'total' | 'totalEstimated'> {
  const offset = options.cursor && 'offset' in options.cursor ? options.cursor.offset : 0;
  let ranked = rankedMatches(db, compiled, Number.POSITIVE_INFINITY);
  const counts = new Map<number, number>();
  if (options.group === 'threads') {
    for (const r of ranked) counts.set(r.thread_id, (counts.get(r.thread_id) ?? 0) + 1);
    const seen = new Set<number>();
    ranked = ranked.filter((r) => !seen.has(r.thread_id) && seen.add(r.thread_id));
  }
  const slice = ranked.slice(offset, offset + options.limit);
  return {
    rows: highlighted(db, query, options, messageRows(db, slice), (row) => counts.get(row.thread_id) ?? 1),
    next: offset + options.limit < ranked.length ? { offset: offset + options.limit } : null,
  };
}

/** The most keys one step of the conversations' walk reads. */
const MAX_BATCH = 1_000;

/**
 * A first page's first batch when it can hold every match: the candidates (full-text matches, or every message)
 * when there are fewer than MAX_BATCH, or MAX_BATCH for a listed label (a page started from a label reads all of
 * its matches however small the limit). Null: the usual batch.
 */
function firstBatch(db: ReadableDb, compiled: CompiledSearch, fromTop: boolean, known: Known): number | null {
  if (!fromTop) return null;
  // A listed condition every result needs (a label, a domain) with no message: no result, nothing to walk or count.
  if (compiled.listed) return compiled.listed.size === 0 ? 1 : MAX_BATCH;
  const candidates = candidatesInDates(db, compiled);
  // Without dates these are the count's candidates too (with them the count's are all the full-text matches).
  if (compiled.dates.length === 0) known.candidates = candidates;
  return candidates < MAX_BATCH ? candidates + 1 : null;
}

function checkPageSize(limit: number): void {
  checkSearchLimit(limit);
  if (limit < 1) checkSearchLimit(Number.NaN);
}

function nextAfter(rows: readonly MatchKey[], page: readonly MatchKey[], limit: number): { after: SearchCursor } | null {
  const last = page.at(-1);
  return rows.length > limit && last ? { after: { sentAt: last.sent_at, id: last.id } } : null;
}

/** Whether a comes after b newest first: search_key's order (the second of sent_at, clamped as migration 006 does, then id). */
function keyAbove(a: { sent_at: number; id: number }, b: { sent_at: number; id: number }): boolean {
  const second = (ms: number) => Math.floor(Math.min(Math.max(ms, 0), 4102444800000) / 1000);
  const sa = second(a.sent_at);
  const sb = second(b.sent_at);
  return sa !== sb ? sa > sb : a.id > b.id;
}

function highlighted(
  db: ReadableDb,
  query: SearchQuery,
  options: Pick<SearchOptions, 'prefixLast'>,
  rows: MessageMatchRow[],
  matching: (row: MessageMatchRow) => number,
): SearchHitRow[] {
  const marks = highlightRows(db, query, options.prefixLast === true, rows);
  return rows.map((row, i) => ({ ...row, ...(marks[i] as (typeof marks)[number]), matching_messages: matching(row) }));
}
