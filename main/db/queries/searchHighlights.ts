import type { ReadableDb } from '../handles.ts';
import { pluckStmt, stmt } from '../statements.ts';

/** The texts the full-text index holds for a message (its five columns), which highlighting marks. */
export interface HighlightTexts {
  subject: string;
  from_text: string;
  recipients_text: string;
  body_text: string;
  searchable_text: string;
}

export function highlightTexts(db: ReadableDb, messageId: number): HighlightTexts | undefined {
  return stmt<[number], HighlightTexts>(
    db,
    `SELECT subject, from_text, recipients_text, body_text, coalesce(searchable_text, '') AS searchable_text
     FROM messages WHERE id = ?`,
  ).get(messageId);
}

/** The names of a message's attachments (the last lines of its searchable_text). */
export function attachmentNames(db: ReadableDb, messageId: number): string[] {
  return pluckStmt<[number], string>(db, 'SELECT filename FROM attachments WHERE message_id = ?').all(messageId);
}
