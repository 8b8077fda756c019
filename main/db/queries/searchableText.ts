import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';
import { transaction } from '../transactions.ts';
import { countsAsAttachment } from './attachments.ts';
import { replaceHeaderAddresses } from './headerAddresses.ts';

/**
 * messages.searchable_text, the full-text index's fifth column (migration 018): what a
 * search finds beyond the plain body kept for display — the parsed message's other
 * readable parts (main/mail/searchableParts.ts) and the names of its attachments, so
 * a plain word finds "Yinxiang Motorcycles.doc". NULL marks a message stored before it
 * existed, to be read again from its raw message (main/mail/reindexStoredMessages.ts);
 * the same re-read gives messages stored before migration 021 their mailing lists and
 * Delivered-To addresses (messages.headers_to_read).
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
  /** Whether its lists and Delivered-To addresses are still to be read (migration 021). */
  headers_to_read: boolean;
  /** Its attachments as stored, for when the raw message cannot be read. */
  attachments: Array<{ filename: string; mimeType: string; isInline: boolean }>;
}

/** Messages stored before searchable_text or their header addresses existed, in row order (partial indexes hold only them). */
export function messagesToReindex(db: ReadableDb, limit: number): MessageToReindex[] {
  return stmt<[number], { id: number; raw_sha256: string | null; headers_to_read: number; attachments: string }>(
    db,
    `SELECT m.id, m.raw_sha256, m.headers_to_read, (
       SELECT json_group_array(json_object('filename', a.filename, 'mimeType', a.mime_type, 'isInline', a.is_inline = 1))
       FROM attachments a WHERE a.message_id = m.id
     ) AS attachments
     FROM messages m WHERE m.id IN (
       -- Each partial index in id order, merged: only the rows still to be read are visited.
       SELECT id FROM (SELECT id FROM messages WHERE searchable_text IS NULL
                       UNION SELECT id FROM messages WHERE headers_to_read = 1 ORDER BY id LIMIT ?)
     ) ORDER BY m.id`,
  )
    .all(limit)
    .map((row) => ({ ...row, headers_to_read: row.headers_to_read === 1, attachments: JSON.parse(row.attachments) }));
}

/** How many messages still wait to be read again. */
export function countMessagesToReindex(db: ReadableDb): number {
  return (
    stmt<[], { n: number }>(
      db,
      'SELECT count(*) AS n FROM messages WHERE searchable_text IS NULL OR headers_to_read = 1',
    ).get() as {
      n: number;
    }
  ).n;
}

/**
 * Stores what was read again, in one transaction (the full-text triggers follow): the
 * searchable text where it is missing, the lists and Delivered-To addresses when given.
 */
export function setSearchableTexts(
  db: WritableDb,
  texts: ReadonlyArray<{ id: number; text: string; headers?: { mailingLists: string[]; deliveredTo: string[] } | undefined }>,
): void {
  transaction(db, () => {
    const update = stmt(db, 'UPDATE messages SET searchable_text = ? WHERE id = ? AND searchable_text IS NULL');
    for (const { id, text, headers } of texts) {
      update.run(text, id);
      if (headers) replaceHeaderAddresses(db, id, headers);
    }
  });
}
