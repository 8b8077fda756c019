import type { Database } from 'better-sqlite3';

/**
 * A sync writing a message's remote state lays the user's unpushed changes
 * for that message over it (messageWrites.withPendingChanges): one lookup per
 * message written, by account and remote id.
 */
export function up(db: Database): void {
  db.exec('CREATE INDEX pending_changes_by_message ON pending_changes (account_id, message_remote_id, id);');
}
