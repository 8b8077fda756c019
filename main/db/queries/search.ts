import type { SearchClause, SearchQuery, SearchTerm, TextField } from '../../search/parseSearchQuery.ts';
import type { ReadableDb } from '../handles.ts';
import { pluckStmt, rawStmt, stmt } from '../statements.ts';

export interface SearchOptions {
  accountId?: string | undefined;
  limit: number;
  offset: number;
  /** Match the last plain word as a prefix (search as you type). */
  prefixLast?: boolean | undefined;
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

const FTS_COLUMNS: Record<TextField, string | null> = {
  any: null,
  subject: 'subject',
  from: 'from_text',
  to: 'recipients_text',
  cc: 'recipients_text',
  bcc: 'recipients_text',
};

/** bm25 weights of messages_fts columns: subject, from_text, recipients_text, body_text. */
const BM25 = 'bm25(messages_fts, 10.0, 4.0, 2.0, 1.0)';
const HIT_COLUMNS = `m.id, m.thread_id, m.account_id, m.subject, m.from_name, m.from_email, m.sent_at, m.snippet,
  m.is_unread, m.is_starred, m.has_attachments`;

/**
 * Up to this many full-text matches, results are ranked by relevance (bm25
 * scores every match: ~2 ms per 1,000). Beyond it the words are common and
 * relevance says little; results come newest first, as Gmail answers every
 * search, which the date-ordered full-text keys make cheap (migration 006).
 */
const RANKING_LIMIT = 2_000;

/**
 * Runs a parsed query. Clauses made only of words go into one FTS5 MATCH,
 * ranked by bm25 (subject and sender weigh most); every other clause becomes
 * a parameterised SQL condition. Without words, newest messages come first.
 * Values reach SQL only as parameters; FTS5 strings are quoted literals.
 * `fullText` says whether the words went through the full-text index.
 */
export function findMessages(
  db: ReadableDb,
  query: SearchQuery,
  options: SearchOptions,
): { rows: MessageMatchRow[]; fullText: boolean } {
  const lastPlainWord = options.prefixLast ? findLastPlainWord(query) : null;
  const ftsClauses: string[] = [];
  const conditions: string[] = [];
  const params: unknown[] = [];

  for (const clause of query.clauses) {
    if (!clause.negated && clause.anyOf.every((t) => t.kind === 'text')) {
      ftsClauses.push(`(${clause.anyOf.map((t) => ftsTerm(t as TextTerm, t === lastPlainWord)).join(' OR ')})`);
    } else {
      const { sql, values } = clauseCondition(clause, lastPlainWord);
      conditions.push(sql);
      params.push(...values);
    }
  }
  if (options.accountId) {
    conditions.push('m.account_id = ?');
    params.push(options.accountId);
  }
  const where = conditions.length ? ` AND ${conditions.join(' AND ')}` : '';

  if (ftsClauses.length === 0) {
    const rows = stmt<unknown[], MessageMatchRow>(
      db,
      `SELECT ${HIT_COLUMNS}, NULL AS score FROM messages m
       WHERE 1${where} ORDER BY m.sent_at DESC, m.id DESC LIMIT ? OFFSET ?`,
    ).all(...params, options.limit, options.offset);
    return { rows, fullText: false };
  }
  const match = ftsClauses.join(' AND ');
  const ids = matchesAtLeast(db, match, RANKING_LIMIT)
    ? newestMatchIds(db, match, where, params, options)
    : rankedMatchIds(db, match, where, params, options);
  if (ids.length === 0) return { rows: [], fullText: true };
  const byId = new Map(
    stmt<[string], Omit<MessageMatchRow, 'score'>>(
      db,
      `SELECT ${HIT_COLUMNS} FROM messages m WHERE m.id IN (SELECT value FROM json_each(?))`,
    )
      .all(JSON.stringify(ids.map((r) => r.id)))
      .map((row) => [row.id, row]),
  );
  return {
    rows: ids.flatMap((r) => {
      const row = byId.get(r.id);
      return row ? [{ ...row, score: r.score }] : [];
    }),
    fullText: true,
  };
}

/** The texts a highlighted passage is cut from, in the order they are tried: body, subject, sender, recipients. */
export function messageSearchTexts(db: ReadableDb, messageId: number): string[] | undefined {
  return rawStmt<[number]>(db, 'SELECT body_text, subject, from_text, recipients_text FROM messages WHERE id = ?').get(
    messageId,
  ) as string[] | undefined;
}

/** Counts matches only up to `limit`: the doclist walk stops there. */
function matchesAtLeast(db: ReadableDb, match: string, limit: number): boolean {
  const count = pluckStmt<[string, number], number>(
    db,
    'SELECT count(*) FROM (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? LIMIT ?)',
  ).get(match, limit + 1) as number;
  return count > limit;
}

type RankedId = { id: number; score: number | null };

/** bm25 order over a few thousand matches at most; messages is joined for filters and the id. */
function rankedMatchIds(db: ReadableDb, match: string, where: string, params: unknown[], options: SearchOptions): RankedId[] {
  // CROSS JOIN keeps the full-text match as the outer loop (SQLite never reorders it).
  return stmt<unknown[], RankedId>(
    db,
    `SELECT m.id, ${BM25} AS score FROM messages_fts CROSS JOIN messages m ON m.search_key = messages_fts.rowid
     WHERE messages_fts MATCH ?${where} ORDER BY score LIMIT ? OFFSET ?`,
  ).all(match, ...params, options.limit, options.offset);
}

/**
 * Newest matches first: FTS5 walks the doclists from the highest (newest)
 * search_key down and the walk stops once the page is full, filters included.
 */
function newestMatchIds(db: ReadableDb, match: string, where: string, params: unknown[], options: SearchOptions): RankedId[] {
  return stmt<unknown[], RankedId>(
    db,
    `SELECT m.id, NULL AS score FROM messages_fts CROSS JOIN messages m ON m.search_key = messages_fts.rowid
     WHERE messages_fts MATCH ?${where} ORDER BY messages_fts.rowid DESC LIMIT ? OFFSET ?`,
  ).all(match, ...params, options.limit, options.offset);
}

type TextTerm = Extract<SearchTerm, { kind: 'text' }>;

function findLastPlainWord(query: SearchQuery): TextTerm | null {
  const last = query.clauses.at(-1);
  const term = last?.anyOf.at(-1);
  return last && !last.negated && term?.kind === 'text' && !term.phrase && term.field === 'any' ? term : null;
}

/** One FTS5 term: a quoted string (so operators and punctuation in it are just text), optionally column-filtered. */
function ftsTerm(term: TextTerm, asPrefix: boolean): string {
  const literal = `"${term.value.replace(/"/g, '""')}"${asPrefix ? ' *' : ''}`;
  const column = FTS_COLUMNS[term.field];
  return column ? `${column} : ${literal}` : literal;
}

function clauseCondition(clause: SearchClause, lastPlainWord: TextTerm | null): { sql: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  for (const term of clause.anyOf) {
    const { sql, value } = termCondition(term, term === lastPlainWord);
    parts.push(sql);
    if (value !== undefined) values.push(...(Array.isArray(value) ? value : [value]));
  }
  const any = parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`;
  return { sql: clause.negated ? `NOT ${any}` : any, values };
}

function termCondition(term: SearchTerm, asPrefix: boolean): { sql: string; value?: unknown } {
  switch (term.kind) {
    case 'text':
      return {
        sql: 'm.search_key IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)',
        value: ftsTerm(term, asPrefix),
      };
    case 'label':
      return {
        // The few labels first (CROSS JOIN keeps them the outer loop), then each one's messages by message_labels_by_label.
        sql: `m.id IN (SELECT ml.message_id FROM labels l CROSS JOIN message_labels ml ON ml.label_id = l.id
               WHERE lower(l.name) = ? OR lower(l.remote_id) = ? OR l.role = ?)`,
        value: [term.value, term.value, term.value],
      };
    case 'has':
      return { sql: 'm.has_attachments = 1' };
    case 'is':
      return {
        sql: {
          unread: 'm.is_unread = 1',
          read: 'm.is_unread = 0',
          starred: 'm.is_starred = 1',
          unstarred: 'm.is_starred = 0',
          important: 'm.is_important = 1',
        }[term.value],
      };
    case 'date':
      return { sql: term.op === 'before' ? 'm.sent_at < ?' : 'm.sent_at >= ?', value: term.ms };
    case 'filename':
      return {
        sql: `m.id IN (SELECT message_id FROM attachments WHERE lower(filename) LIKE ? ESCAPE '\\')`,
        value: `%${escapeLike(term.value)}%`,
      };
  }
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
