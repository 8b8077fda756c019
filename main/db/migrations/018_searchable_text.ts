import type { Database } from 'better-sqlite3';
import { NOT_ATTACHMENTS_SQL } from './017_attachments_people_see.ts';

/**
 * Search finds more than the plain body: messages.searchable_text holds a
 * message's other readable parts (the HTML alternative as text when it says
 * more, bounce reports and returned headers) and its attachments' names, and
 * becomes the full-text index's fifth column (body_text stays what is shown).
 * Messages stored before this version are marked NULL when their raw message is
 * kept: main/mail/reindexStoredMessages.ts reads them again in the background,
 * batch by batch, resuming where it stopped; the others get their attachments'
 * names now (countsAsAttachment as of migration 017). The full-text index is
 * rebuilt once, with the same date-ordered keys as migration 006.
 */
export function up(db: Database): void {
  const columns = 'subject, from_text, recipients_text, body_text, searchable_text';
  const values = (row: 'new' | 'old') =>
    `${row}.search_key, ${row}.subject, ${row}.from_text, ${row}.recipients_text, ${row}.body_text, coalesce(${row}.searchable_text, '')`;
  db.exec(`
    DROP TRIGGER messages_fts_insert;
    DROP TRIGGER messages_fts_delete;
    DROP TRIGGER messages_fts_update;
    DROP TABLE messages_fts;

    ALTER TABLE messages ADD COLUMN searchable_text TEXT;
    UPDATE messages SET searchable_text = coalesce((
        SELECT group_concat(a.filename, char(10)) FROM attachments a
        WHERE a.message_id = messages.id AND a.is_inline = 0 AND a.filename <> ''
          AND lower(a.mime_type) NOT IN (${NOT_ATTACHMENTS_SQL})
      ), '')
      WHERE raw_sha256 IS NULL;
    -- The messages still to be read again, and only them.
    CREATE INDEX messages_to_reindex ON messages (id) WHERE searchable_text IS NULL;

    CREATE VIRTUAL TABLE messages_fts USING fts5 (
      ${columns},
      content = 'messages', content_rowid = 'search_key',
      tokenize = 'porter unicode61 remove_diacritics 2',
      prefix = '2 3'
    );
    CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
      INSERT INTO messages_fts (rowid, ${columns}) VALUES (${values('new')});
    END;
    CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
      INSERT INTO messages_fts (messages_fts, rowid, ${columns}) VALUES ('delete', ${values('old')});
    END;
    CREATE TRIGGER messages_fts_update
      AFTER UPDATE OF subject, from_text, recipients_text, body_text, searchable_text, sent_at ON messages BEGIN
      INSERT INTO messages_fts (messages_fts, rowid, ${columns}) VALUES ('delete', ${values('old')});
      INSERT INTO messages_fts (rowid, ${columns}) VALUES (${values('new')});
    END;
    INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
  `);
}
