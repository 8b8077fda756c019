import type { Database } from 'better-sqlite3';

/** Senders whose remote images the user chose to always show ("Always show images from ..."). */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE trusted_senders (
      email       TEXT PRIMARY KEY COLLATE NOCASE,   -- looked up by the reader for every HTML message
      created_at  INTEGER NOT NULL
    ) WITHOUT ROWID;
  `);
}
