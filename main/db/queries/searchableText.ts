import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';
import { transaction } from '../transactions.ts';
import { countsAsAttachment } from './attachments.ts';

/**
 * messages.searchable_text, the full-text index's fifth column (migration 018): what a
 * search finds beyond the plain body kept for display — the parsed message's other
 * readable parts (main/mail/searchableParts.ts) and the names of its attachments, so
 * a plain word finds "Yinxiang Motorcycles.doc". NULL marks a message stored before it
 * existed, to be read again from its raw message (main/mail/reindexStoredMessages.ts).
 */
export function searchableText(
  parts: string,
  attachments: ReadonlyArray<{ filename: string; mimeType: string; isInline: boolean }>,
): string {
  const names = attachments.filter(countsAsAttachment).map((a) => a.filename);
  return [parts, ...names].filter((piece) => piece !== '').join('\n');
}

export interface MessageToReindex {
  id: number;
  raw_sha256: string | null;
  /** Its attachments as stored, for when the raw message cannot be read. */
  attachments: Array<{ filename: string; mimeType: string; isInline: boolean }>;
}

/** Messages stored before searchable_text existed, in row order (a partial index holds only them). */
export function messagesToReindex(db: ReadableDb, limit: number): MessageToReindex[] {
  return stmt<[number], { id: number; raw_sha256: string | null; attachments: string }>(
    db,
    `SELECT m.id, m.raw_sha256, (
       SELECT json_group_array(json_object('filename', a.filename, 'mimeType', a.mime_type, 'isInline', a.is_inline = 1))
       FROM attachments a WHERE a.message_id = m.id
     ) AS attachments
     FROM messages m WHERE m.searchable_text IS NULL ORDER BY m.id LIMIT ?`,
  )
    .all(limit)
    .map((row) => ({ ...row, attachments: JSON.parse(row.attachments) }));
}

/** How many messages still wait to be read again. */
export function countMessagesToReindex(db: ReadableDb): number {
  return (stmt<[], { n: number }>(db, 'SELECT count(*) AS n FROM messages WHERE searchable_text IS NULL').get() as { n: number })
    .n;
}

/** Stores the searchable text of messages read again, in one transaction (the full-text triggers follow). */
export function setSearchableTexts(db: WritableDb, texts: ReadonlyArray<{ id: number; text: string }>): void {
  transaction(db, () => {
    const update = stmt(db, 'UPDATE messages SET searchable_text = ? WHERE id = ? AND searchable_text IS NULL');
    for (const { id, text } of texts) update.run(text, id);
  });
}
