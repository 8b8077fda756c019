import type { ReadableDb } from '../db/handles.ts';
import { findMessages, type MessageMatchRow, messageSearchTexts, type SearchOptions } from '../db/queries/search.ts';
import { highlightFragment, highlightPattern, markMatches } from './highlightMatches.ts';
import type { SearchQuery } from './parseSearchQuery.ts';

export { HIGHLIGHT_END, HIGHLIGHT_START } from './highlightMatches.ts';
export type { SearchOptions };

export interface SearchHitRow extends MessageMatchRow {
  /** A passage around the first match, matched words wrapped in \u0002 ... \u0003, or null for searches without words. */
  highlight: string | null;
  /** The subject with the query's words marked (full-text queries only). */
  subject_highlight: string | null;
}

/**
 * Searches the index (main/db/queries/search.ts runs the query) and, for
 * full-text searches, marks the query's words: a passage around the first
 * match and the subject.
 */
export function searchMessages(db: ReadableDb, query: SearchQuery, options: SearchOptions): SearchHitRow[] {
  const { rows, fullText } = findMessages(db, query, options);
  const pattern = fullText ? highlightPattern(query) : null;
  return rows.map((row) => {
    if (!pattern) return { ...row, highlight: null, subject_highlight: null };
    const texts = messageSearchTexts(db, row.id);
    return {
      ...row,
      highlight: texts ? highlightFragment(texts, pattern) : null,
      subject_highlight: markMatches(row.subject, pattern),
    };
  });
}
