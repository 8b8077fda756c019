import type { Database } from 'better-sqlite3';

/**
 * Where a label sits: the provider's id of the folder it is inside (Outlook's parentFolderId), so the
 * sidebar nests Outlook folders as Outlook does. Null for Gmail (it nests by "/" in names) and for a
 * folder at the top (its parent, the mailbox root, is no label).
 */
export function up(db: Database): void {
  db.exec('ALTER TABLE labels ADD COLUMN parent_remote_id TEXT');
}
