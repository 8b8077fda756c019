import type { ReadableDb } from '../handles.ts';
import { stmt } from '../statements.ts';

/** How many of the newest messages naming a match are looked at (keeps a keystroke's cost flat in the index's size). */
const RECENT_MESSAGES = 2_000;

export interface ContactRow {
  email: string;
  name: string;
  score: number;
}

/**
 * People to complete a recipient field with, from the index: the people the
 * user wrote to (To/Cc of messages in a Sent label, weighted three times, as
 * writing to someone says more than hearing from them) and the senders of
 * mail received. The full-text index finds the newest messages whose sender
 * or recipients have a word starting like the typed text (its rowids are in
 * date order, so that is one short walk); their addresses are then matched
 * exactly on the start of the address, of the name, or of a word in the
 * name. The user's own addresses are left out. Each person is named as the
 * newest message with a name calls them.
 */
const MATCHING_CONTACTS = `
  WITH hits AS (
    SELECT m.id, m.sent_at, m.from_email, m.from_name, m.to_json, m.cc_json
    FROM messages_fts JOIN messages m ON m.search_key = messages_fts.rowid
    WHERE messages_fts MATCH @match
    ORDER BY messages_fts.rowid DESC
    LIMIT ${RECENT_MESSAGES}
  ),
  candidates(email, name, sent_at, weight) AS (
    SELECT lower(json_extract(r.value, '$.email')), coalesce(json_extract(r.value, '$.name'), ''), h.sent_at, 3
    FROM hits h
    JOIN message_labels ml ON ml.message_id = h.id
    JOIN labels l ON l.id = ml.label_id AND l.role = 'sent'
    JOIN json_each(json_array(json(h.to_json), json(h.cc_json))) AS lists
    JOIN json_each(lists.value) AS r
    UNION ALL
    SELECT lower(from_email), from_name, sent_at, 1 FROM hits WHERE from_email <> ''
  )
  SELECT email, name, sum(weight) AS score,
    -- The one max() aggregate: the bare "name" comes from this row, the newest that has a name.
    max((name <> '') * 10000000000000 + sent_at) AS newest
  FROM candidates
  WHERE (email LIKE @prefix ESCAPE '\\' OR name LIKE @prefix ESCAPE '\\' OR name LIKE @word ESCAPE '\\')
    AND email NOT IN (SELECT lower(email) FROM accounts)
  GROUP BY email
  ORDER BY score DESC, newest DESC
  LIMIT @limit`;

/** The typed text as an FTS5 query over the address columns: every word as a quoted prefix. */
export function contactMatchQuery(typed: string): string | null {
  const words = typed
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  if (words.length === 0) return null;
  return `{from_text recipients_text} : (${words.map((w) => `"${w}"*`).join(' AND ')})`;
}

/** The best-scored people whose address, name or a word of their name starts with the typed text. */
export function matchingContacts(db: ReadableDb, typed: string, limit: number): ContactRow[] {
  const match = contactMatchQuery(typed);
  if (!match) return [];
  const like = typed.toLowerCase().replace(/[\\%_]/g, '\\$&');
  return stmt<[{ match: string; prefix: string; word: string; limit: number }], ContactRow & { newest: number }>(
    db,
    MATCHING_CONTACTS,
  )
    .all({ match, prefix: `${like}%`, word: `% ${like}%`, limit })
    .map((row) => ({ email: row.email, name: row.name, score: row.score }));
}
