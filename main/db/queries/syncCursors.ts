import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';

/**
 * Sync positions: Gmail historyId, a Graph deltaLink per folder, a Calendar
 * syncToken per calendar, a full sync's next pageToken. Written in the same
 * transaction as the page of changes they cover.
 */
export function getCursor(db: ReadableDb, accountId: string, kind: string, scope = ''): string | null {
  return (
    stmt<[string, string, string], { cursor: string }>(
      db,
      'SELECT cursor FROM sync_cursors WHERE account_id = ? AND kind = ? AND scope = ?',
    ).get(accountId, kind, scope)?.cursor ?? null
  );
}

export function setCursor(db: WritableDb, accountId: string, kind: string, scope: string, cursor: string): void {
  stmt(
    db,
    `INSERT INTO sync_cursors (account_id, kind, scope, cursor, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (account_id, kind, scope) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
  ).run(accountId, kind, scope, cursor, Date.now());
}

export function deleteCursor(db: WritableDb, accountId: string, kind: string, scope = ''): void {
  stmt(db, 'DELETE FROM sync_cursors WHERE account_id = ? AND kind = ? AND scope = ?').run(accountId, kind, scope);
}

/** Every cursor of a kind (one per scope), in scope order. */
export function cursorsOfKind(db: ReadableDb, accountId: string, kind: string): string[] {
  return stmt<[string, string], { cursor: string }>(
    db,
    'SELECT cursor FROM sync_cursors WHERE account_id = ? AND kind = ? ORDER BY scope',
  )
    .all(accountId, kind)
    .map((row) => row.cursor);
}

export function deleteCursorsOfKind(db: WritableDb, accountId: string, kind: string): void {
  stmt(db, 'DELETE FROM sync_cursors WHERE account_id = ? AND kind = ?').run(accountId, kind);
}

/** Remote ids a reconciling resync has confirmed still exist. */
export function markSeen(db: WritableDb, accountId: string, scope: string, remoteIds: Iterable<string>): void {
  const insert = stmt(db, 'INSERT OR IGNORE INTO resync_seen (account_id, scope, remote_id) VALUES (?, ?, ?)');
  for (const id of remoteIds) insert.run(accountId, scope, id);
}

export function clearSeen(db: WritableDb, accountId: string, scope: string): void {
  stmt(db, 'DELETE FROM resync_seen WHERE account_id = ? AND scope = ?').run(accountId, scope);
}

/** The remote ids a reconciling resync has seen so far. */
export function seenRemoteIds(db: ReadableDb, accountId: string, scope: string): Set<string> {
  return new Set(
    stmt<[string, string], { remote_id: string }>(db, 'SELECT remote_id FROM resync_seen WHERE account_id = ? AND scope = ?')
      .all(accountId, scope)
      .map((row) => row.remote_id),
  );
}
