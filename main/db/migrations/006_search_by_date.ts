import type { Database } from 'better-sqlite3';

/**
 * Re-keys the full-text index by date. Its rowid becomes search_key, a
 * number that orders messages by sent time (seconds, clamped to 1970..2100)
 * and stays unique through the message id in its low 31 bits. FTS5 walks its
 * doclists in rowid order, so "newest matches first" reads only the first
 * page of matches instead of collecting every match of a common word and
 * sorting them (the p95 of search over 100,000 messages: see docs/benchmarks.md).
 * The key is computed by SQLite (a virtual generated column), never stored
 * twice, and never reaches JavaScript (it exceeds 2^53).
 */
export function up(db: Database): void {
  db.exec(`
    DROP TRIGGER messages_fts_insert;
    DROP TRIGGER messages_fts_delete;
    DROP TRIGGER messages_fts_update;
    DROP TABLE messages_fts;

    ALTER TABLE messages ADD COLUMN search_key INTEGER
      GENERATED ALWAYS AS ((min(max(sent_at, 0), 4102444800000) / 1000) * 2147483648 + id) VIRTUAL;
    -- Maps full-text rowids back to messages (every search with words joins on it).
    CREATE UNIQUE INDEX messages_by_search_key ON messages (search_key);

    CREATE VIRTUAL TABLE messages_fts USING fts5 (
      subject, from_text, recipients_text, body_text,
      content = 'messages', content_rowid = 'search_key',
      tokenize = 'porter unicode61 remove_diacritics 2',
      prefix = '2 3'
    );
    CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
      INSERT INTO messages_fts (rowid, subject, from_text, recipients_text, body_text)
      VALUES (new.search_key, new.subject, new.from_text, new.recipients_text, new.body_text);
    END;
    CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
      INSERT INTO messages_fts (messages_fts, rowid, subject, from_text, recipients_text, body_text)
      VALUES ('delete', old.search_key, old.subject, old.from_text, old.recipients_text, old.body_text);
    END;
    CREATE TRIGGER messages_fts_update AFTER UPDATE OF subject, from_text, recipients_text, body_text, sent_at ON messages BEGIN
      INSERT INTO messages_fts (messages_fts, rowid, subject, from_text, recipients_text, body_text)
      VALUES ('delete', old.search_key, old.subject, old.from_text, old.recipients_text, old.body_text);
      INSERT INTO messages_fts (rowid, subject, from_text, recipients_text, body_text)
      VALUES (new.search_key, new.subject, new.from_text, new.recipients_text, new.body_text);
    END;
    INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
  `);
}
