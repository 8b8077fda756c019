import type { Database } from 'better-sqlite3';

/**
 * Messages being written in Outpost's compose window, saved as they are typed
 * so a closed window, a crash or a quit loses nothing. Local only (never sent
 * to the provider's Drafts); attachments are not kept, only what was typed.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE compose_drafts (
      id          TEXT PRIMARY KEY,       -- chosen by the compose window (a UUID per message being written)
      draft_json  TEXT NOT NULL,          -- recipients, subject, text and HTML body, thread replied in
      updated_at  INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX compose_drafts_by_time ON compose_drafts (updated_at DESC);
  `);
}
