import type { IndexDb } from '../openIndex.ts';
import { stmt } from '../statements.ts';

export type LabelKind = 'system' | 'user' | 'folder' | 'category';
export type LabelRole = 'inbox' | 'sent' | 'drafts' | 'trash' | 'spam' | 'starred' | 'important' | 'archive';

export interface LabelRow {
  id: number;
  account_id: string;
  remote_id: string;
  name: string;
  kind: LabelKind;
  role: LabelRole | null;
}

export interface LabelInput {
  remoteId: string;
  name: string;
  kind: LabelKind;
  role: LabelRole | null;
}

/** Inserts or renames the label (account, remoteId); returns its row id. */
export function upsertLabel(db: IndexDb, accountId: string, label: LabelInput): number {
  const row = stmt<unknown[], { id: number }>(
    db,
    `INSERT INTO labels (account_id, remote_id, name, kind, role) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (account_id, remote_id) DO UPDATE SET name = excluded.name, kind = excluded.kind, role = excluded.role
     RETURNING id`,
  ).get(accountId, label.remoteId, label.name, label.kind, label.role);
  return (row as { id: number }).id;
}

export function listLabels(db: IndexDb, accountId?: string): LabelRow[] {
  if (accountId)
    return stmt<[string], LabelRow>(db, 'SELECT * FROM labels WHERE account_id = ? ORDER BY kind, name').all(accountId);
  return stmt<[], LabelRow>(db, 'SELECT * FROM labels ORDER BY account_id, kind, name').all();
}

/** Label row ids with the given role, across all accounts or one. */
export function labelIdsByRole(db: IndexDb, role: LabelRole, accountId?: string): number[] {
  const rows = accountId
    ? stmt<[string, string], { id: number }>(db, 'SELECT id FROM labels WHERE role = ? AND account_id = ?').all(role, accountId)
    : stmt<[string], { id: number }>(db, 'SELECT id FROM labels WHERE role = ?').all(role);
  return rows.map((row) => row.id);
}

export function getLabel(db: IndexDb, id: number): LabelRow | undefined {
  return stmt<[number], LabelRow>(db, 'SELECT * FROM labels WHERE id = ?').get(id);
}

export interface LabelWithCounts extends LabelRow {
  thread_count: number;
  unread_thread_count: number;
}

/** Labels with thread and unread-thread counts, for the sidebar (one pass over thread_labels per label). */
export function listLabelsWithCounts(db: IndexDb, accountId?: string): LabelWithCounts[] {
  const sql = `SELECT l.*,
      (SELECT count(*) FROM thread_labels tl WHERE tl.label_id = l.id) AS thread_count,
      (SELECT count(*) FROM thread_labels tl JOIN threads t ON t.id = tl.thread_id WHERE tl.label_id = l.id AND t.unread_count > 0) AS unread_thread_count
    FROM labels l ${accountId ? 'WHERE l.account_id = ?' : ''} ORDER BY l.account_id, l.role IS NULL, l.kind, l.name`;
  return (accountId ? db.prepare(sql).all(accountId) : db.prepare(sql).all()) as LabelWithCounts[];
}

/** Inbox threads with unread mail across every account: the tray and dock badge. */
export function inboxUnreadThreadCount(db: IndexDb): number {
  return db
    .prepare(
      `SELECT count(DISTINCT tl.thread_id) FROM labels l
         JOIN thread_labels tl ON tl.label_id = l.id
         JOIN threads t ON t.id = tl.thread_id
        WHERE l.role = 'inbox' AND t.unread_count > 0`,
    )
    .pluck()
    .get() as number;
}
