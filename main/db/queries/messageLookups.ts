import type { ReadableDb } from '../handles.ts';
import { stmt } from '../statements.ts';

/** Which of `remoteIds` the index already holds for the account (a sync fetches only what it lacks). */
export function existingRemoteIds(db: ReadableDb, accountId: string, remoteIds: readonly string[]): Set<string> {
  const found = new Set<string>();
  const lookup = stmt<[string, string], { one: number }>(
    db,
    'SELECT 1 AS one FROM messages WHERE account_id = ? AND remote_id = ?',
  );
  for (const id of remoteIds) if (lookup.get(accountId, id)) found.add(id);
  return found;
}

/** Whether the account has any mail in the index (a requested full sync then reconciles instead of starting over). */
export function accountHasMessages(db: ReadableDb, accountId: string): boolean {
  return (
    stmt<[string], { one: number }>(db, 'SELECT 1 AS one FROM messages WHERE account_id = ? LIMIT 1').get(accountId) !== undefined
  );
}

/** Remote ids of the messages carrying a label (an Outlook folder's messages). */
export function remoteIdsWithLabel(db: ReadableDb, labelId: number): string[] {
  return stmt<[number], { remote_id: string }>(
    db,
    'SELECT m.remote_id FROM message_labels ml JOIN messages m ON m.id = ml.message_id WHERE ml.label_id = ?',
  )
    .all(labelId)
    .map((row) => row.remote_id);
}

/** Whether the account's message (by remote id) carries the label. */
export function messageHasLabelByRemoteId(db: ReadableDb, accountId: string, remoteId: string, labelId: number): boolean {
  return (
    stmt<[string, string, number], { one: number }>(
      db,
      `SELECT 1 AS one FROM messages m JOIN message_labels ml ON ml.message_id = m.id
       WHERE m.account_id = ? AND m.remote_id = ? AND ml.label_id = ?`,
    ).get(accountId, remoteId, labelId) !== undefined
  );
}

/** The names of a message's categories, sorted (Graph sets a message's categories as one list). */
export function categoryNamesOfMessage(db: ReadableDb, accountId: string, remoteId: string): string[] {
  return stmt<[string, string], { name: string }>(
    db,
    `SELECT l.name FROM messages m JOIN message_labels ml ON ml.message_id = m.id JOIN labels l ON l.id = ml.label_id
      WHERE m.account_id = ? AND m.remote_id = ? AND l.kind = 'category' ORDER BY l.name`,
  )
    .all(accountId, remoteId)
    .map((row) => row.name);
}

/** A thread's provider id and account (a reply goes into it, from its account). */
export function threadRemote(db: ReadableDb, threadId: number): { remoteId: string; accountId: string } | undefined {
  const row = stmt<[number], { remote_id: string; account_id: string }>(
    db,
    'SELECT remote_id, account_id FROM threads WHERE id = ?',
  ).get(threadId);
  return row ? { remoteId: row.remote_id, accountId: row.account_id } : undefined;
}

/**
 * The Message-ID and References of the message a reply answers: the one
 * named (if it is in the thread), else the thread's newest.
 */
export function answeredMessage(
  db: ReadableDb,
  threadId: number,
  messageId?: number,
): { rfc822MessageId: string | null; references: string[] } | undefined {
  const row =
    messageId === undefined
      ? stmt<[number], { rfc822_message_id: string | null; references_ids: string }>(
          db,
          'SELECT rfc822_message_id, references_ids FROM messages WHERE thread_id = ? ORDER BY sent_at DESC, id DESC LIMIT 1',
        ).get(threadId)
      : stmt<[number, number], { rfc822_message_id: string | null; references_ids: string }>(
          db,
          'SELECT rfc822_message_id, references_ids FROM messages WHERE id = ? AND thread_id = ?',
        ).get(messageId, threadId);
  return row
    ? { rfc822MessageId: row.rfc822_message_id, references: row.references_ids ? row.references_ids.split(' ') : [] }
    : undefined;
}

/** The thread (row id) of the account's message with this provider id. */
export function threadOfRemoteMessage(db: ReadableDb, accountId: string, remoteId: string): number | undefined {
  return stmt<[string, string], { thread_id: number }>(
    db,
    'SELECT thread_id FROM messages WHERE account_id = ? AND remote_id = ?',
  ).get(accountId, remoteId)?.thread_id;
}

/** A message of the account with this Message-ID (messages_by_rfc822_id): its subject and its thread's provider id. */
export function messageByRfc822Id(
  db: ReadableDb,
  accountId: string,
  rfc822MessageId: string,
): { subject: string; threadRemoteId: string } | undefined {
  const row = stmt<[string, string], { remote_id: string; subject: string }>(
    db,
    `SELECT t.remote_id, m.subject FROM messages m JOIN threads t ON t.id = m.thread_id
     WHERE m.account_id = ? AND m.rfc822_message_id = ? LIMIT 1`,
  ).get(accountId, rfc822MessageId);
  return row ? { subject: row.subject, threadRemoteId: row.remote_id } : undefined;
}
