import type { Database } from 'better-sqlite3';

interface OldRow {
  id: number;
  account_id: string;
  add_labels: string;
  remove_labels: string;
}

interface Place {
  remoteId: string;
  kind: string;
  role: string | null;
}

/**
 * Pending changes become typed records (read, starred, label, move: see
 * main/db/queries/pendingChanges.ts) instead of Gmail label strings that the
 * Outlook pusher had to reinterpret. Rows still waiting are converted the way
 * the old pushers read them: UNREAD and STARRED are the read and starred
 * flags; an added folder is a move out of the removed ones; categories are
 * labels; on labels, a change that adds or removes a place (the inbox, trash,
 * spam) is a move, anything else a label change. A row may become several
 * records, each its own row, in order.
 */
export function up(db: Database): void {
  db.exec(`
    CREATE TABLE pending_changes_typed (
      id                 INTEGER PRIMARY KEY,
      account_id         TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
      message_remote_id  TEXT NOT NULL,
      change_json        TEXT NOT NULL,
      created_at         INTEGER NOT NULL
    );
  `);
  const place = db.prepare<[string, string], Place>(
    'SELECT remote_id AS remoteId, kind, role FROM labels WHERE account_id = ? AND remote_id = ?',
  );
  const insert = db.prepare(
    'INSERT INTO pending_changes_typed (account_id, message_remote_id, change_json, created_at) SELECT account_id, message_remote_id, ?, created_at FROM pending_changes WHERE id = ?',
  );
  for (const row of db
    .prepare<[], OldRow>('SELECT id, account_id, add_labels, remove_labels FROM pending_changes ORDER BY id')
    .all()) {
    const add = JSON.parse(row.add_labels) as string[];
    const remove = JSON.parse(row.remove_labels) as string[];
    const changes: unknown[] = [];
    if (add.includes('UNREAD')) changes.push({ type: 'read', read: false });
    if (remove.includes('UNREAD')) changes.push({ type: 'read', read: true });
    if (add.includes('STARRED')) changes.push({ type: 'starred', starred: true });
    if (remove.includes('STARRED')) changes.push({ type: 'starred', starred: false });
    const resolve = (ids: string[]) =>
      ids
        .filter((id) => id !== 'UNREAD' && id !== 'STARRED')
        .map((id) => place.get(row.account_id, id) ?? { remoteId: id, kind: 'user', role: null });
    const added = resolve(add);
    const removed = resolve(remove);
    const folder = added.find((p) => p.kind === 'folder');
    const categoriesAdded = added.filter((p) => p.kind === 'category');
    const categoriesRemoved = removed.filter((p) => p.kind === 'category');
    if (folder) {
      changes.push({ type: 'move', to: folder, from: removed.filter((p) => p.kind === 'folder') });
      if (categoriesAdded.length || categoriesRemoved.length)
        changes.push({ type: 'label', add: categoriesAdded, remove: categoriesRemoved });
    } else if ([...added, ...removed].some((p) => p.role !== null) && added.length <= 1) {
      changes.push({ type: 'move', to: added[0] ?? null, from: removed });
    } else if (added.length || removed.length) {
      changes.push({ type: 'label', add: added, remove: removed });
    }
    for (const change of changes) insert.run(JSON.stringify(change), row.id);
  }
  db.exec(`
    DROP TABLE pending_changes;
    ALTER TABLE pending_changes_typed RENAME TO pending_changes;
    -- The pusher takes an account's changes in order; a sync's overlay looks them up per message.
    CREATE INDEX pending_changes_by_account ON pending_changes (account_id, id);
    CREATE INDEX pending_changes_by_message ON pending_changes (account_id, message_remote_id, id);
  `);
}
