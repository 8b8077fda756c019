import type { ReadableDb, WritableDb } from '../handles.ts';
import { pluckStmt, stmt } from '../statements.ts';
import { transaction } from '../transactions.ts';

export type LabelKind = 'system' | 'user' | 'folder' | 'category';
export type LabelRole = 'inbox' | 'sent' | 'drafts' | 'trash' | 'spam' | 'starred' | 'important' | 'archive';

export interface LabelRow {
  id: number;
  account_id: string;
  remote_id: string;
  name: string;
  kind: LabelKind;
  role: LabelRole | null;
  /** The remote id of the label or folder it is inside (Outlook's parentFolderId); null at the top or for Gmail. */
  parent_remote_id: string | null;
}

export interface LabelInput {
  remoteId: string;
  name: string;
  kind: LabelKind;
  role: LabelRole | null;
  /** The provider's id of the folder it is inside, when the provider nests by parent (Outlook). */
  parentRemoteId?: string | null;
}

/** Inserts or renames the label (account, remoteId); returns its row id. */
export function upsertLabel(db: WritableDb, accountId: string, label: LabelInput): number {
  const row = stmt<unknown[], { id: number }>(
    db,
    `INSERT INTO labels (account_id, remote_id, name, kind, role, parent_remote_id) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (account_id, remote_id) DO UPDATE SET name = excluded.name, kind = excluded.kind, role = excluded.role,
       parent_remote_id = excluded.parent_remote_id
     RETURNING id`,
  ).get(accountId, label.remoteId, label.name, label.kind, label.role, label.parentRemoteId ?? null);
  return (row as { id: number }).id;
}

export function listLabels(db: ReadableDb, accountId?: string): LabelRow[] {
  if (accountId)
    return stmt<[string], LabelRow>(db, 'SELECT * FROM labels WHERE account_id = ? ORDER BY kind, name').all(accountId);
  return stmt<[], LabelRow>(db, 'SELECT * FROM labels ORDER BY account_id, kind, name').all();
}

/** Label row ids with the given role, across all accounts or one. */
export function labelIdsByRole(db: ReadableDb, role: LabelRole, accountId?: string): number[] {
  const rows = accountId
    ? stmt<[string, string], { id: number }>(db, 'SELECT id FROM labels WHERE role = ? AND account_id = ?').all(role, accountId)
    : stmt<[string], { id: number }>(db, 'SELECT id FROM labels WHERE role = ?').all(role);
  return rows.map((row) => row.id);
}

export function getLabel(db: ReadableDb, id: number): LabelRow | undefined {
  return stmt<[number], LabelRow>(db, 'SELECT * FROM labels WHERE id = ?').get(id);
}

export interface LabelWithCounts extends LabelRow {
  thread_count: number;
  unread_thread_count: number;
}

/** Labels with thread and unread-thread counts, for the sidebar (one pass over thread_labels per label). */
export function listLabelsWithCounts(db: ReadableDb, accountId?: string): LabelWithCounts[] {
  const sql = `SELECT l.*,
      (SELECT count(*) FROM thread_labels tl WHERE tl.label_id = l.id) AS thread_count,
      (SELECT count(*) FROM thread_labels tl JOIN threads t ON t.id = tl.thread_id WHERE tl.label_id = l.id AND t.unread_count > 0) AS unread_thread_count
    FROM labels l ${accountId ? 'WHERE l.account_id = ?' : ''} ORDER BY l.account_id, l.role IS NULL, l.kind, l.name`;
  return accountId ? stmt<[string], LabelWithCounts>(db, sql).all(accountId) : stmt<[], LabelWithCounts>(db, sql).all();
}

/** Inbox threads with unread mail across every account: the tray and dock badge. */
export function inboxUnreadThreadCount(db: ReadableDb): number {
  return pluckStmt<[], number>(
    db,
    `SELECT count(DISTINCT tl.thread_id) FROM labels l
       JOIN thread_labels tl ON tl.label_id = l.id
       JOIN threads t ON t.id = tl.thread_id
      WHERE l.role = 'inbox' AND t.unread_count > 0`,
  ).get() as number;
}

/** The label row of a provider id (a Gmail label id, an Outlook folder id, `category:<name>`). */
export function labelIdByRemoteId(db: ReadableDb, accountId: string, remoteId: string): number | undefined {
  return stmt<[string, string], { id: number }>(db, 'SELECT id FROM labels WHERE account_id = ? AND remote_id = ?').get(
    accountId,
    remoteId,
  )?.id;
}

/** The account's label with a role (its inbox, trash, spam, ...), the first if there are several. */
export function labelByRole(db: ReadableDb, accountId: string, role: LabelRole): LabelRow | undefined {
  return stmt<[string, string], LabelRow>(db, 'SELECT * FROM labels WHERE account_id = ? AND role = ? ORDER BY id LIMIT 1').get(
    accountId,
    role,
  );
}

/** Provider id -> row id of every label of the account (a sync maps message labels through it). */
export function labelIdsByRemoteId(db: ReadableDb, accountId: string): Map<string, number> {
  return new Map(
    stmt<[string], { id: number; remote_id: string }>(db, 'SELECT id, remote_id FROM labels WHERE account_id = ?')
      .all(accountId)
      .map((row) => [row.remote_id, row.id]),
  );
}

/** Labels of one kind of the account (e.g. its Outlook folders). */
export function labelsOfKind(db: ReadableDb, accountId: string, kind: LabelKind): LabelRow[] {
  return stmt<[string, string], LabelRow>(db, 'SELECT * FROM labels WHERE account_id = ? AND kind = ? ORDER BY id').all(
    accountId,
    kind,
  );
}

/** Deletes the account's labels the provider no longer lists (messages keep their other labels). */
export function deleteLabelsExcept(db: WritableDb, accountId: string, keepRemoteIds: ReadonlySet<string>): void {
  const remove = stmt(db, 'DELETE FROM labels WHERE account_id = ? AND remote_id = ?');
  transaction(db, () => {
    for (const remoteId of labelIdsByRemoteId(db, accountId).keys())
      if (!keepRemoteIds.has(remoteId)) remove.run(accountId, remoteId);
  });
}

export function deleteLabel(db: WritableDb, id: number): void {
  stmt(db, 'DELETE FROM labels WHERE id = ?').run(id);
}
