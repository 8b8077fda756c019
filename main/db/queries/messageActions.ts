import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';
import type { Provider } from './accounts.ts';
import type { LabelRow } from './labels.ts';

/** The account (and its provider) a thread belongs to. */
export function threadOwner(db: ReadableDb, threadId: number): { accountId: string; provider: Provider } | undefined {
  const row = stmt<[number], { account_id: string; provider: Provider }>(
    db,
    'SELECT t.account_id, a.provider FROM threads t JOIN accounts a ON a.id = t.account_id WHERE t.id = ?',
  ).get(threadId);
  return row ? { accountId: row.account_id, provider: row.provider } : undefined;
}

export interface ActionMessage {
  id: number;
  remoteId: string;
  isUnread: boolean;
  isStarred: boolean;
}

/** A thread's messages, oldest first, as an action sees them. */
export function messagesForAction(db: ReadableDb, threadId: number): ActionMessage[] {
  return stmt<[number], { id: number; remote_id: string; is_unread: number; is_starred: number }>(
    db,
    'SELECT id, remote_id, is_unread, is_starred FROM messages WHERE thread_id = ? ORDER BY sent_at, id',
  )
    .all(threadId)
    .map((m) => ({ id: m.id, remoteId: m.remote_id, isUnread: m.is_unread === 1, isStarred: m.is_starred === 1 }));
}

/** The folders a message is in (Outlook: one). */
export function foldersOfMessage(db: ReadableDb, messageId: number): LabelRow[] {
  return stmt<[number], LabelRow>(
    db,
    `SELECT l.* FROM message_labels ml JOIN labels l ON l.id = ml.label_id WHERE ml.message_id = ? AND l.kind = 'folder'`,
  ).all(messageId);
}

export function messageHasLabel(db: ReadableDb, messageId: number, labelId: number): boolean {
  return (
    stmt<[number, number], { one: number }>(db, 'SELECT 1 AS one FROM message_labels WHERE message_id = ? AND label_id = ?').get(
      messageId,
      labelId,
    ) !== undefined
  );
}

/**
 * Changes a message's labels and flags in the index (a user's action). The
 * caller refreshes its thread (refreshThreads) in the same transaction.
 */
export function changeMessage(
  db: WritableDb,
  messageId: number,
  change: { add: readonly number[]; remove: readonly number[]; unread?: boolean; starred?: boolean },
): void {
  for (const labelId of change.remove)
    stmt(db, 'DELETE FROM message_labels WHERE message_id = ? AND label_id = ?').run(messageId, labelId);
  for (const labelId of change.add)
    stmt(db, 'INSERT OR IGNORE INTO message_labels (message_id, label_id) VALUES (?, ?)').run(messageId, labelId);
  if (change.unread !== undefined)
    stmt(db, 'UPDATE messages SET is_unread = ? WHERE id = ?').run(change.unread ? 1 : 0, messageId);
  if (change.starred !== undefined)
    stmt(db, 'UPDATE messages SET is_starred = ? WHERE id = ?').run(change.starred ? 1 : 0, messageId);
}

/**
 * Puts a message back in the one folder its provider has it in (a move the
 * provider refused): out of every other folder, into that one. Returns the
 * message's thread, for the caller to refresh in the same transaction, or
 * undefined when the index does not hold the message.
 */
export function returnMessageToFolder(
  db: WritableDb,
  accountId: string,
  remoteId: string,
  folderLabelId: number,
): number | undefined {
  const message = stmt<[string, string], { id: number; thread_id: number }>(
    db,
    'SELECT id, thread_id FROM messages WHERE account_id = ? AND remote_id = ?',
  ).get(accountId, remoteId);
  if (!message) return undefined;
  const elsewhere = foldersOfMessage(db, message.id)
    .map((f) => f.id)
    .filter((id) => id !== folderLabelId);
  changeMessage(db, message.id, { add: [folderLabelId], remove: elsewhere });
  return message.thread_id;
}
