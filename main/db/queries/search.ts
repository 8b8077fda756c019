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
  const { keys, fullText } = findMatchKeys(db, query, options);
  return { rows: messageRows(db, keys), fullText };
}

/**
 * findMessages' matches as keys only (id, thread, date, score), in the same order: a walk that keeps few of
 * the matches it reads (conversations) reads the rows of the kept ones only.
 */
export function findMatchKeys(
  db: ReadableDb,
  query: SearchQuery,
  options: SearchOptions,
): { keys: MatchKey[]; fullText: boolean } {
  // One row more than a page: how a page learns there is a next one.
  checkSearchLimit(options.limit - 1);
  const compiled = compileSearch(db, query, options);
  const { match, table, where, params } = compiled;
  const offset = options.offset ?? 0;
  const after = options.after ? [options.after.sentAt, options.after.id] : [];

  if (match === null) {
    // A small label is where the search starts (its messages, sorted) when the walk down the date index would read more.
    const listed = compiled.listed && startFromListed(db, compiled, compiled.listed.size, options.limit) ? compiled.listed : null;
    const keys = stmt<unknown[], MatchKey>(
      db,
      `SELECT ${KEY_COLUMNS} FROM messages m
       WHERE ${listed ? listed.sql : '1'}${listed ? '' : keyRange(compiled, 'm.search_key')}${where}${after.length ? ` AND m.search_key < ${KEY_OF}` : ''} ORDER BY m.search_key DESC LIMIT ? OFFSET ?`,
    ).all(...(listed?.params ?? []), ...(listed ? [] : keyRangeParams(compiled)), ...params, ...after, options.limit, offset);
    return { keys, fullText: false };
  }
  const ranked = options.sort === 'relevance' && table === 'messages_fts';
  if (!ranked && compiled.listed && startFromListed(db, compiled, compiled.listed.size, options.limit)) {
    // Start from the listed messages (a small label, has:attachment, a domain), the matches listed once beside them;
    // a domain's rows meet the matches by search_key before any message is read (from:linux.ie kernel: 31 of 644).
    const { listed } = compiled;
    const inMatch = `SELECT rowid FROM ${table} WHERE ${table} MATCH ?`;
    const start = listed.keys
      ? { sql: `m.search_key IN (${listed.keys.sql} AND h.search_key IN (${inMatch}))`, params: [...listed.keys.params, match] }
      : { sql: `${listed.sql} AND +m.search_key IN (${inMatch})`, params: [...listed.params, match] };
    const keys = stmt<unknown[], MatchKey>(
      db,
      `SELECT ${KEY_COLUMNS} FROM messages m
       WHERE ${start.sql}${where}${after.length ? ` AND m.search_key < ${KEY_OF}` : ''}
       ORDER BY m.search_key DESC LIMIT ? OFFSET ?`,
    ).all(...start.params, ...params, ...after, options.limit, offset);
    return { keys, fullText: true };
  }
  const keys = ranked
    ? rankedMatches(db, compiled, options.limit + offset).slice(offset)
    : stmt<unknown[], MatchKey>(
        db,
        `SELECT ${KEY_COLUMNS} FROM ${table} CROSS JOIN messages m ON m.search_key = ${table}.rowid
           WHERE ${table} MATCH ?${keyRange(compiled, `${table}.rowid`)}${where}${after.length ? ` AND ${table}.rowid < ${KEY_OF}` : ''}
           ORDER BY ${table}.rowid DESC LIMIT ? OFFSET ?`,
      ).all(match, ...keyRangeParams(compiled), ...params, ...after, options.limit, offset);
  return { keys, fullText: true };
}

/** The search_key bounds of a query's dates (a second wider than each date: `where` keeps the exact condition). */
function keyRange(compiled: CompiledSearch, column: string): string {
  return compiled.dates
    .map(
      (d) =>
        ` AND ${column} ${d.op === 'after' ? '>=' : '<'} (min(max(CAST(? AS INTEGER), 0), 4102444800000) / 1000 + ${d.op === 'after' ? 0 : 1}) * 2147483648`,
    )
    .join('');
}
function keyRangeParams(compiled: CompiledSearch): number[] {
  return compiled.dates.map((d) => d.ms);
}

/**
 * How many messages a query's matches are among within its dates (its full-text matches, else every message, between
 * its after: and before:), before its other filters: at most this many match.
 */
export function candidatesInDates(db: ReadableDb, compiled: CompiledSearch): number {
  const { match, table } = compiled;
  if (match === null && compiled.dates.length === 0) return messageCount(db);
  return pluckStmt<unknown[], number>(
    db,
    match
      ? `SELECT count(*) FROM ${table} WHERE ${table} MATCH ?${keyRange(compiled, 'rowid')}`
      : `SELECT count(*) FROM messages m WHERE 1${keyRange(compiled, 'm.search_key')}`,
  ).get(...(match ? [match] : []), ...keyRangeParams(compiled)) as number;
}

/** A match before its row is read: its id, conversation, date (the newest-first key) and bm25 score when ranked. */
export type MatchKey = { id: number; thread_id: number; sent_at: number; score: number | null };
const KEY_COLUMNS = 'm.id, m.thread_id, m.sent_at, NULL AS score';

/**
 * Whether a page is cheaper started from the `size` listed messages (a label's,
 * each read, then sorted) than by walking the matches newest first until
 * `limit` of them are listed: fewer listed messages than matches, and fewer
 * than the walk would read if they are spread evenly (limit × messages / size).
 */
function startFromListed(db: ReadableDb, compiled: CompiledSearch, size: number, limit: number): boolean {
  // A domain's rows meet the matches in the index (listed.keys), reading no message that is not in both: no count.
  const cheapStart = compiled.match === null || compiled.listed?.keys !== undefined;
  return size * size < limit * messageCount(db) && (cheapStart || size < matchesUpTo(db, compiled, size + 1));
}

/** How many full-text matches there are, counted no further than `bound`. */
function matchesUpTo(db: ReadableDb, compiled: CompiledSearch, bound: number): number {
  const { match, table } = compiled;
  return pluckStmt<[string, number], number>(
    db,
    `SELECT count(*) FROM (SELECT 1 FROM ${table} WHERE ${table} MATCH ? LIMIT ?)`,
  ).get(match as string, bound) as number;
}

/** The best `limit` matches by bm25 (at most MAX_RANKED), each with its thread. */
export function rankedMatches(db: ReadableDb, compiled: CompiledSearch, limit: number): MatchKey[] {
  if (compiled.match === null || compiled.table !== 'messages_fts') return [];
  // CROSS JOIN keeps the full-text match as the outer loop (SQLite never reorders it).
  return stmt<unknown[], MatchKey>(
    db,
    `SELECT m.id, m.thread_id, m.sent_at, ${BM25} AS score FROM messages_fts CROSS JOIN messages m ON m.search_key = messages_fts.rowid
     WHERE messages_fts MATCH ?${compiled.where} ORDER BY score LIMIT ?`,
  ).all(compiled.match, ...compiled.params, Math.min(limit, MAX_RANKED));
}

/** The rows of ranked ids, in their order. */
export function messageRows(db: ReadableDb, ids: readonly Pick<MatchKey, 'id' | 'score'>[]): MessageMatchRow[] {
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
 * How many messages (or conversations) match. Exact when the candidates (the
 * full-text matches, a listed label's messages, or every message for a query
 * without words) are at most 5,000: all of them are read and the filters
 * counted. Above that, an estimate flagged as such: the filters' share of a
 * sample of ~1,000 candidates spread over all of them (by a hash of the
 * message id, so old and new mail weigh alike whatever the order), times all
 * candidates; conversations are the messages times the sample's conversations
 * per message (threadsPerMessage). The work is bounded whatever the query.
 */
export function countMatches(
  db: ReadableDb,
  query: SearchQuery,
  options: Pick<SearchOptions, 'accountId' | 'prefixLast'> & { threads: boolean; candidates?: number | undefined },
): { messages: number; threads: number; estimated: boolean } {
  const compiled = compileSearch(db, query, options);
  const { match, table, where, params, listed } = compiled;
  const words = match ? [match] : [];
  if (listed) {
    // Fewer listed messages (a label's, has:attachment) than the bound: they are the candidates, counted exactly.
    const inMatch = match ? ` AND m.search_key IN (SELECT rowid FROM ${table} WHERE ${table} MATCH ?)` : '';
    const counted = tally(db, options.threads, `messages m WHERE ${listed.sql}`, `1${inMatch}${where}`).get(
      ...words,
      ...params,
      ...listed.params,
      COUNTED_CANDIDATES,
    ) as Tally;
    return { messages: counted.messages, threads: counted.threads, estimated: false };
  }
  const all = options.candidates ?? candidateCount(db, compiled);
  if (all <= COUNTED_CANDIDATES) {
    const newest = match
      ? `${table} CROSS JOIN messages m ON m.search_key = ${table}.rowid WHERE ${table} MATCH ?`
      : 'messages m';
    const counted = tally(db, options.threads, newest, `1${where}`).get(...params, ...words, COUNTED_CANDIDATES) as Tally;
    // Fewer candidates than the bound (the statistics' count of messages can lag: then it is sampled).
    if (counted.walked < COUNTED_CANDIDATES) return { messages: counted.messages, threads: counted.threads, estimated: false };
  }
  const sample = sampled(db, match ? { table, match } : null, `1${where}`, params, all);
  const share = sample.rows.length ? sample.rows.filter((r) => r.ok).length / sample.rows.length : 0;
  const messages = Math.round(share * Math.max(all, sample.rows.length));
  return {
    messages,
    threads: options.threads ? Math.round(messages * threadsPerMessage(db, compiled, sample.rows)) : 0,
    estimated: true,
  };
}

/** How many messages a query's matches are among before its other filters: its full-text matches, else every message. */
export function candidateCount(db: ReadableDb, compiled: CompiledSearch): number {
  const { match, table } = compiled;
  return match
    ? (pluckStmt<[string], number>(db, `SELECT count(*) FROM ${table} WHERE ${table} MATCH ?`).get(match) as number)
    : messageCount(db);
}

type Tally = { walked: number; messages: number; threads: number };
type SampledRow = { thread_id: number; ok: number };
/** Candidates sampled for an estimate (the filters' share within ~3 % at 25 %, within ~25 % at 1 %). */
const SAMPLED_CANDIDATES = 1_000;
/** Sampled matches whose conversations are read for an estimate's conversations per message. */
const SAMPLED_THREADS = 200;

/** Counts `ok` over candidates (a FROM clause), at most LIMIT ? of them. */
function tally(db: ReadableDb, threads: boolean, candidates: string, ok: string) {
  // Distinct threads cost a sort of the counted rows: only when conversations are counted.
  const distinct = threads ? 'count(DISTINCT CASE WHEN ok THEN thread_id END)' : '0';
  return stmt<unknown[], Tally>(
    db,
    `SELECT count(*) AS walked, count(*) FILTER (WHERE ok) AS messages, ${distinct} AS threads
     FROM (SELECT m.thread_id, (${ok}) AS ok FROM ${candidates} LIMIT ?)`,
  );
}

/**
 * Conversations per matching message, unbiased from a sample: each sampled
 * match weighs 1 / (its conversation's matches), so a conversation of k
 * matches counts once in expectation however many of them were sampled.
 */
function threadsPerMessage(db: ReadableDb, compiled: CompiledSearch, rows: SampledRow[]): number {
  const matched = rows.filter((r) => r.ok).slice(0, SAMPLED_THREADS);
  if (matched.length === 0) return 1;
  const perThread = new Map<number, number>();
  for (const match of matchesInThreads(db, compiled, [...new Set(matched.map((r) => r.thread_id))]))
    perThread.set(match.thread_id, (perThread.get(match.thread_id) ?? 0) + 1);
  return matched.reduce((sum, r) => sum + 1 / Math.max(perThread.get(r.thread_id) ?? 1, 1), 0) / matched.length;
}

/** A hash of a message id in 0..65535 (Fibonacci hashing): spreads any id pattern (every 4th, every 50th) evenly. */
const ID_HASH = (id: string) => `(((${id} * 2654435761) & 4294967295) >> 16)`;

/**
 * About SAMPLED_CANDIDATES of `all` candidates, each with whether the filters
 * keep it: full-text matches whose id hashes low (the doclist is read once,
 * only a sampled match's message is looked up), or messages at spread-out ids.
 */
function sampled(
  db: ReadableDb,
  words: { table: string; match: string } | null,
  ok: string,
  params: unknown[],
  all: number,
): { rows: SampledRow[] } {
  if (words) {
    const { table, match } = words;
    const below = Math.max(1, Math.floor((65_536 * SAMPLED_CANDIDATES) / Math.max(all, 1)));
    const rows = stmt<unknown[], SampledRow>(
      db,
      `SELECT m.thread_id, (${ok}) AS ok FROM ${table} CROSS JOIN messages m ON m.search_key = ${table}.rowid
       WHERE ${table} MATCH ? AND ${ID_HASH(`(${table}.rowid & 2147483647)`)} < ?`,
    ).all(...params, match, below);
    return { rows };
  }
  const { low, high } = stmt<[], { low: number; high: number }>(
    db,
    // Two subqueries: each is one seek to an end of the primary key (min and max in one SELECT scan every row).
    'SELECT (SELECT min(id) FROM messages) AS low, (SELECT max(id) FROM messages) AS high',
  ).get() as { low: number; high: number };
  // One id in each of SAMPLED_CANDIDATES equal stretches, at a pseudo-random place in it (deterministic).
  const stretch = (high - low + 1) / SAMPLED_CANDIDATES;
  const ids = Array.from({ length: SAMPLED_CANDIDATES }, (_, i) => {
    const place = ((Math.imul(i + 1, 2654435761) >>> 16) & 0xffff) / 65_536;
    return low + Math.floor((i + place) * stretch);
  });
  const rows = stmt<unknown[], SampledRow>(
    db,
    `SELECT m.thread_id, (${ok}) AS ok FROM messages m WHERE m.id IN (SELECT value FROM json_each(?))`,
  ).all(...params, JSON.stringify([...new Set(ids)]));
  return { rows };
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
  // The threads' messages are the outer loop (CROSS JOIN: messages_by_thread), never the match list or a listed label.
  return stmt<unknown[], { thread_id: number; id: number; sent_at: number }>(
    db,
    `SELECT m.thread_id, m.id, m.sent_at FROM json_each(?) t CROSS JOIN messages m ON m.thread_id = t.value WHERE 1${
      match
        ? ` AND m.search_key IN (SELECT rowid FROM ${table} WHERE ${table} MATCH ?
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
