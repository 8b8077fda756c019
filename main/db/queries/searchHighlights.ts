import type { SearchClause, SearchQuery } from '../../search/parseSearchQuery.ts';
import type { ReadableDb } from '../handles.ts';
import { pluckStmt, stmt } from '../statements.ts';
import { findLastPlainWord, ftsExpression, typedPrefix } from './searchConditions.ts';

/**
 * What a result's highlighting marks, as full-text expressions the index itself
 * evaluates: `words`, every word, phrase and AROUND of the query that is not
 * negated, each with its field (subject:, from:, to:/cc:/bcc:), ORed, for the
 * stemmed messages_fts; `typed`, the word being typed in a prefix search, as
 * compileSearch matches it in the unstemmed messages_prefix (migration 020).
 * Null when the query has none.
 */
export interface HighlightExpressions {
  words: string | null;
  typed: string | null;
}

export function highlightExpressions(query: SearchQuery, prefixLast: boolean): HighlightExpressions {
  const typed = prefixLast ? findLastPlainWord(query) : null;
  const phrases = new Set<string>();
  const visit = (clauses: readonly SearchClause[]) => {
    for (const clause of clauses) {
      if (clause.negated) continue;
      for (const term of clause.anyOf) {
        if (term.kind === 'group') visit(term.clauses);
        else if ((term.kind === 'text' && term !== typed) || term.kind === 'near') phrases.add(ftsExpression(term, null));
      }
    }
  };
  visit(query.clauses);
  return { words: phrases.size ? [...phrases].join(' OR ') : null, typed: typed ? typedPrefix(typed) : null };
}

/** A message's indexed texts with what a full-text expression matches in each wrapped in `start` ... `end`. */
export interface MarkedTexts {
  subject: string;
  from_text: string;
  recipients_text: string;
  body_text: string;
  searchable_text: string;
}

/**
 * The message's texts as FTS5's highlight() marks them for `expression`: the
 * index's own tokenizer and stemmer decide what matched, column filters and
 * phrases included. Undefined when the message does not match the expression.
 */
export function markedTexts(
  db: ReadableDb,
  table: 'messages_fts' | 'messages_prefix',
  expression: string,
  messageId: number,
  markers: { start: string; end: string },
): MarkedTexts | undefined {
  const mark = (column: number) => `coalesce(highlight(${table}, ${column}, @start, @end), '')`;
  return stmt<{ expression: string; id: number; start: string; end: string }, MarkedTexts>(
    db,
    `SELECT ${mark(0)} AS subject, ${mark(1)} AS from_text, ${mark(2)} AS recipients_text, ${mark(3)} AS body_text,
       ${mark(4)} AS searchable_text
     FROM ${table} WHERE ${table} MATCH @expression AND rowid = (SELECT search_key FROM messages WHERE id = @id)`,
  ).get({ expression, id: messageId, ...markers });
}

/** The names of a message's attachments (the last lines of its searchable_text). */
export function attachmentNames(db: ReadableDb, messageId: number): string[] {
  return pluckStmt<[number], string>(db, 'SELECT filename FROM attachments WHERE message_id = ?').all(messageId);
}
