import type { Database } from 'better-sqlite3';

/**
 * Search as you type finds words as they are typed: "meetin" finds "meeting",
 * "freety" finds "freetype". The full-text index stems words (Porter), and
 * FTS5 stems a query's prefix too ("freety" becomes "freeti", "meetin" matches
 * no stem of "meeting"), so a typed prefix is looked up in messages_prefix: the
 * same texts, same date-ordered keys, tokenized without stemming, and with
 * detail=none (only which messages hold a word: no positions or columns, about
 * a third of a full index), with prefix indexes for 2, 3 and 4 characters so
 * short prefixes read one doclist instead of merging many.
 */
export function up(db: Database): void {
  const columns = 'subject, from_text, recipients_text, body_text, searchable_text';
  const values = (row: 'new' | 'old') =>
    `${row}.search_key, ${row}.subject, ${row}.from_text, ${row}.recipients_text, ${row}.body_text, coalesce(${row}.searchable_text, '')`;
  db.exec(`
    CREATE VIRTUAL TABLE messages_prefix USING fts5 (
      ${columns},
      content = 'messages', content_rowid = 'search_key',
      tokenize = 'unicode61 remove_diacritics 2',
      detail = 'none',
      prefix = '2 3 4'
    );
    CREATE TRIGGER messages_prefix_insert AFTER INSERT ON messages BEGIN
      INSERT INTO messages_prefix (rowid, ${columns}) VALUES (${values('new')});
    END;
    CREATE TRIGGER messages_prefix_delete AFTER DELETE ON messages BEGIN
      INSERT INTO messages_prefix (messages_prefix, rowid, ${columns}) VALUES ('delete', ${values('old')});
    END;
    CREATE TRIGGER messages_prefix_update
      AFTER UPDATE OF subject, from_text, recipients_text, body_text, searchable_text, sent_at ON messages BEGIN
      INSERT INTO messages_prefix (messages_prefix, rowid, ${columns}) VALUES ('delete', ${values('old')});
      INSERT INTO messages_prefix (rowid, ${columns}) VALUES (${values('new')});
    END;
    INSERT INTO messages_prefix (messages_prefix) VALUES ('rebuild');
  `);
}
