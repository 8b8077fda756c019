import { OutpostError } from '../../core/outpostError.ts';
import type { SearchQuery } from '../../search/parseSearchQuery.ts';
import type { ReadableDb } from '../handles.ts';
import { pluckStmt, stmt } from '../statements.ts';
import { type CompiledSearch, compileSearch } from './searchConditions.ts';

/** Where a page of newest-first results ends: the last row's date and id (the next page starts below it). */
export interface SearchCursor {
  sentAt: number;
  id: number;
}

export interface SearchOptions {
  accountId?: string | undefined;
  /** At most MAX_SEARCH_LIMIT. */
  limit: number;
  /** Rows to skip: relevance pages; newest-first pages take `after` instead. */
  offset?: number | undefined;
  /** Newest first: start below this row (keyset paging, as deep as the results go). */
  after?: SearchCursor | null | undefined;
  /** Match the last plain word as a prefix (search as you type). */
  prefixLast?: boolean | undefined;
  /** 'date' (newest first, the default, as Gmail) or 'relevance' (bm25, for queries with words). */
  sort?: 'date' | 'relevance' | undefined;
}

/** A matching message as the index has it (main/search adds the highlighted passages). */
export interface MessageMatchRow {
  id: number;
  thread_id: number;
  account_id: string;
  subject: string;
  from_name: string;
  from_email: string;
  sent_at: number;
  snippet: string;
  is_unread: number;
  is_starred: number;
  has_attachments: number;
  /** bm25 (lower is better) when ranked, else null. */
  score: number | null;
}

/** The most rows one search call returns (larger pages are a clear error, never "too many SQL variables"). */
export const MAX_SEARCH_LIMIT = 1_000;
/** Relevance ranks at most this many of the best matches (bm25 scores every match: ~2 ms per 1,000). */
export const MAX_RANKED = 10_000;
/** Candidates a total reads: all of them, an exact count; more, an estimate from these. */
const COUNTED_CANDIDATES = 5_000;

/** bm25 weights of messages_fts columns: subject, from_text, recipients_text, body_text (and any later columns, 1.0). */
const BM25 = 'bm25(messages_fts, 10.0, 4.0, 2.0, 1.0)';
const HIT_COLUMNS = `m.id, m.thread_id, m.account_id, m.subject, m.from_name, m.from_email, m.sent_at, m.snippet,
  m.is_unread, m.is_starred, m.has_attachments`;
/** messages.search_key of a (sent_at, id), as migration 006 defines it: the date order of every search. */
const KEY_OF = '((min(max(CAST(? AS INTEGER), 0), 4102444800000) / 1000) * 2147483648 + CAST(? AS INTEGER))';

/**
 * Runs a parsed query, newest first (messages.search_key: date, then id), or
 * by bm25 with sort 'relevance' (subject and sender weigh most). Clauses made
 * only of words go into one FTS5 MATCH, walked from the newest match down so
 * a page reads only its rows; every other clause is a parameterised SQL
 * condition. `fullText` says whether the words went through the full-text index.
 */
export function findMessages(
  db: ReadableDb,
  query: SearchQuery,
  options: SearchOptions,
): { rows: MessageMatchRow[]; fullText: boolean } {
  // One row more than a page: how a page learns there is a next one.
  checkSearchLimit(options.limit - 1);
  const compiled = compileSearch(db, query, options);
  const { match, table, where, params } = compiled;
  const offset = options.offset ?? 0;
  const after = options.after ? [options.after.sentAt, options.after.id] : [];

  if (match === null) {
    const rows = stmt<unknown[], MessageMatchRow>(
      db,
      `SELECT ${HIT_COLUMNS}, NULL AS score FROM messages m
       WHERE 1${where}${after.length ? ` AND m.search_key < ${KEY_OF}` : ''} ORDER BY m.search_key DESC LIMIT ? OFFSET ?`,
    ).all(...params, ...after, options.limit, offset);
    return { rows, fullText: false };
  }
  const ids =
    options.sort === 'relevance' && table === 'messages_fts'
      ? rankedMatches(db, compiled, options.limit + offset).slice(offset)
      : stmt<unknown[], RankedId>(
          db,
          `SELECT m.id, m.thread_id, NULL AS score FROM ${table} CROSS JOIN messages m ON m.search_key = ${table}.rowid
           WHERE ${table} MATCH ?${where}${after.length ? ` AND ${table}.rowid < ${KEY_OF}` : ''}
           ORDER BY ${table}.rowid DESC LIMIT ? OFFSET ?`,
        ).all(match, ...params, ...after, options.limit, offset);
  return { rows: messageRows(db, ids), fullText: true };
}

type RankedId = { id: number; thread_id: number; score: number | null };

/** The best `limit` matches by bm25 (at most MAX_RANKED), each with its thread. */
export function rankedMatches(db: ReadableDb, compiled: CompiledSearch, limit: number): RankedId[] {
  if (compiled.match === null || compiled.table !== 'messages_fts') return [];
  // CROSS JOIN keeps the full-text match as the outer loop (SQLite never reorders it).
  return stmt<unknown[], RankedId>(
    db,
    `SELECT m.id, m.thread_id, ${BM25} AS score FROM messages_fts CROSS JOIN messages m ON m.search_key = messages_fts.rowid
     WHERE messages_fts MATCH ?${compiled.where} ORDER BY score LIMIT ?`,
  ).all(compiled.match, ...compiled.params, Math.min(limit, MAX_RANKED));
}

/** The rows of ranked ids, in their order. */
export function messageRows(db: ReadableDb, ids: readonly RankedId[]): MessageMatchRow[] {
  if (ids.length === 0) return [];
  const byId = new Map(
    stmt<[string], Omit<MessageMatchRow, 'score'>>(
      db,
      `SELECT ${HIT_COLUMNS} FROM messages m WHERE m.id IN (SELECT value FROM json_each(?))`,
    )
      .all(JSON.stringify(ids.map((r) => r.id)))
      .map((row) => [row.id, row]),
  );
  return ids.flatMap((r) => {
    const row = byId.get(r.id);
    return row ? [{ ...row, score: r.score }] : [];
  });
}

/**
 * How many messages (or conversations) match. The newest 5,000 candidates
 * (full-text matches, or messages for a query without words) are read and the
 * filters counted over them: when that was every candidate, the count is
 * exact; else it is the filters' share of those, times all candidates, and
 * flagged as an estimate. The work is bounded whatever the query: a selective
 * filter without an index (has:attachment) never walks the whole index.
 */
export function countMatches(
  db: ReadableDb,
  query: SearchQuery,
  options: Pick<SearchOptions, 'accountId' | 'prefixLast'> & { threads: boolean },
): { messages: number; threads: number; estimated: boolean } {
  const { match, table, where, params } = compileSearch(db, query, options);
  // Distinct threads cost a sort of the counted rows: only when conversations are counted.
  const threads = options.threads ? 'count(DISTINCT CASE WHEN ok THEN thread_id END)' : '0';
  const candidates = match
    ? `${table} CROSS JOIN messages m ON m.search_key = ${table}.rowid WHERE ${table} MATCH ? ORDER BY ${table}.rowid DESC`
    : 'messages m ORDER BY m.search_key DESC';
  const words = match ? [match] : [];
  const counted = stmt<unknown[], { walked: number; messages: number; threads: number }>(
    db,
    `SELECT count(*) AS walked, count(*) FILTER (WHERE ok) AS messages, ${threads} AS threads
     FROM (SELECT m.thread_id, (1${where}) AS ok FROM ${candidates} LIMIT ?)`,
  ).get(...params, ...words, COUNTED_CANDIDATES) as { walked: number; messages: number; threads: number };
  if (counted.walked < COUNTED_CANDIDATES) return { messages: counted.messages, threads: counted.threads, estimated: false };
  const all = match
    ? (pluckStmt<[string], number>(db, `SELECT count(*) FROM ${table} WHERE ${table} MATCH ?`).get(match) as number)
    : messageCount(db);
  const share = Math.max(all, counted.walked) / counted.walked;
  return {
    messages: Math.round(counted.messages * share),
    threads: Math.round(counted.threads * share),
    estimated: true,
  };
}

/** How many messages the index holds: the planner statistics' count when kept (refreshStatistics), else counted. */
function messageCount(db: ReadableDb): number {
  const analyzed = pluckStmt<[], number>(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'").get() as number;
  const stat = analyzed
    ? (pluckStmt<[], string>(
        db,
        "SELECT stat FROM sqlite_stat1 WHERE tbl = 'messages' AND idx = 'messages_by_search_key'",
      ).get() as string | undefined)
    : undefined;
  const rows = stat ? Number.parseInt(stat, 10) : Number.NaN;
  return Number.isFinite(rows) ? rows : (pluckStmt<[], number>(db, 'SELECT count(*) FROM messages').get() as number);
}

/**
 * The matching messages (thread, id, date) of some threads, to count each
 * thread's matches and find its newest. The full-text matches are listed once
 * (from the oldest message of those threads up), not tested message by message:
 * each FTS5 lookup costs ~50 µs, a listed match ~0.02 µs.
 */
export function matchesInThreads(
  db: ReadableDb,
  compiled: CompiledSearch,
  threadIds: readonly number[],
): Array<{ thread_id: number; id: number; sent_at: number }> {
  const { match, table, where, params } = compiled;
  const threads = JSON.stringify(threadIds);
  // The threads' messages are the outer loop (messages_by_thread); "+" keeps the match list from driving instead.
  return stmt<unknown[], { thread_id: number; id: number; sent_at: number }>(
    db,
    `SELECT m.thread_id, m.id, m.sent_at FROM messages m WHERE m.thread_id IN (SELECT value FROM json_each(?))${
      match
        ? ` AND +m.search_key IN (SELECT rowid FROM ${table} WHERE ${table} MATCH ?
             AND rowid >= (SELECT min(search_key) FROM messages WHERE thread_id IN (SELECT value FROM json_each(?))))`
        : ''
    }${where}`,
  ).all(threads, ...(match ? [match, threads] : []), ...params);
}

/** A page size callers may ask for: 1 to MAX_SEARCH_LIMIT, else a validation error about `limit`. */
export function checkSearchLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_SEARCH_LIMIT)
    throw new OutpostError('validation_error', `limit must be a whole number from 1 to ${MAX_SEARCH_LIMIT}`, { field: 'limit' });
}
