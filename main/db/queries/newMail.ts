import type { ReadableDb } from '../handles.ts';
import { pluckStmt, stmt } from '../statements.ts';

export interface NewInboxMessageRow {
  account_id: string;
  thread_id: number;
  /** The sender's name, else address. */
  from: string;
  subject: string;
}

/** The highest message row id: rows are appended with higher ids, so it marks what has been seen. */
export function highestMessageId(db: ReadableDb): number {
  return pluckStmt<[], number>(db, 'SELECT coalesce(max(id), 0) FROM messages').get() ?? 0;
}

/** Accounts that have finished a mail sync at least once. */
export function syncedAccountIds(db: ReadableDb): string[] {
  return pluckStmt<[], string>(db, 'SELECT id FROM accounts WHERE last_synced_at IS NOT NULL').all();
}

/** Unread inbox messages with row ids in (after, upTo] of the given accounts, newest first. */
export function newInboxMessages(
  db: ReadableDb,
  range: { after: number; upTo: number; accountIds: readonly string[]; limit: number },
): NewInboxMessageRow[] {
  return stmt<[number, number, string, number], NewInboxMessageRow>(
    db,
    `SELECT m.account_id, m.thread_id,
            CASE WHEN m.from_name != '' THEN m.from_name ELSE m.from_email END AS "from", m.subject
       FROM messages m
      WHERE m.id > ? AND m.id <= ? AND m.is_unread = 1
        -- Unary + keeps the account filter off messages_by_account_date: the id range is the short walk.
        AND +m.account_id IN (SELECT value FROM json_each(?))
        AND EXISTS (SELECT 1 FROM message_labels ml JOIN labels l ON l.id = ml.label_id
                     WHERE ml.message_id = m.id AND l.role = 'inbox')
      ORDER BY m.sent_at DESC
      LIMIT ?`,
  ).all(range.after, range.upTo, JSON.stringify(range.accountIds), range.limit);
}
