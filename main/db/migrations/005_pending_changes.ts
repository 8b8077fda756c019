import type { Database } from 'better-sqlite3';

/**
 * Changes the user made locally (archive, read, star, labels) that the
 * provider has not confirmed yet. Written in the same transaction as the
 * local change; pushed before each sync, so a sync never reverts them.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE pending_changes (
      id                 INTEGER PRIMARY KEY,
      account_id         TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      message_remote_id  TEXT NOT NULL,
      add_labels         TEXT NOT NULL DEFAULT '[]',   -- provider label/folder ids
      remove_labels      TEXT NOT NULL DEFAULT '[]',
      created_at         INTEGER NOT NULL,
      attempts           INTEGER NOT NULL DEFAULT 0,
      last_error         TEXT
    );
    -- The pusher takes an account's changes in order.
    CREATE INDEX pending_changes_by_account ON pending_changes (account_id, id);
  `);
}
