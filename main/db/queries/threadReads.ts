import type { ReadableDb } from '../handles.ts';
import { pluckStmt, stmt } from '../statements.ts';

export interface ThreadRow {
  id: number;
  account_id: string;
  remote_id: string;
  subject: string;
  snippet: string;
  last_message_at: number;
  message_count: number;
  unread_count: number;
  has_attachments: number;
  is_starred: number;
  participants: string;
  /** JSON [[to, cc], ...]: the addressees of the messages the account itself wrote (sent and drafts), oldest first. */
  own_recipients: string;
}

export interface MessageRow {
  id: number;
  account_id: string;
  thread_id: number;
  remote_id: string;
  rfc822_message_id: string | null;
  subject: string;
  from_name: string;
  from_email: string;
  to_json: string;
  cc_json: string;
  bcc_json: string;
  reply_to_json: string;
  sent_at: number;
  snippet: string;
  body_text: string;
  body_html: string | null;
  is_unread: number;
  is_starred: number;
  contact_id: string | null;
  deal_id: string | null;
}

export interface AttachmentRow {
  id: number;
  message_id: number;
  filename: string;
  mime_type: string;
  size_bytes: number;
  content_id: string | null;
  is_inline: number;
  blob_sha256: string | null;
}

/** Position after the last row of a page: threads strictly older than (lastMessageAt, threadId). */
export interface ThreadCursor {
  lastMessageAt: number;
  threadId: number;
}

// is_starred is looked up per row shown (one probe of messages_starred_by_thread), not stored: a page is 50 threads.
// So are the addressees of the account's own messages (Sent and Drafts show "To: …"; a message without a sender is a
// draft the provider has not stamped yet, as Graph's): one range of messages_by_thread,
// (thread_id, sent_at), which gives them oldest first without a sort.
const THREAD_COLUMNS = `t.id, t.account_id, t.remote_id, t.subject, t.snippet, t.last_message_at, t.message_count, t.unread_count,
  t.has_attachments, t.participants,
  EXISTS (SELECT 1 FROM messages sm WHERE sm.thread_id = t.id AND sm.is_starred = 1) AS is_starred,
  (SELECT json_group_array(json_array(json(rm.to_json), json(rm.cc_json))) FROM messages rm
   WHERE rm.thread_id = t.id
     AND (rm.from_email = '' OR rm.from_email = (SELECT a.email FROM accounts a WHERE a.id = t.account_id) COLLATE NOCASE)
  ) AS own_recipients`;

/**
 * Threads carrying any of `labelIds`, newest first. Each label is one range
 * scan of thread_labels_by_date; several labels (the unified inbox) are
 * merged here, which stays cheap because each scan stops at `limit`.
 */
export function listThreadsByLabels(
  db: ReadableDb,
  labelIds: readonly number[],
  limit: number,
  after?: ThreadCursor,
): ThreadRow[] {
  const before = after ?? { lastMessageAt: Number.MAX_SAFE_INTEGER, threadId: Number.MAX_SAFE_INTEGER };
  const query = stmt<[number, number, number, number], ThreadRow>(
    db,
    `SELECT ${THREAD_COLUMNS} FROM thread_labels tl JOIN threads t ON t.id = tl.thread_id
     WHERE tl.label_id = ? AND (tl.last_message_at, tl.thread_id) < (?, ?)
     ORDER BY tl.last_message_at DESC, tl.thread_id DESC LIMIT ?`,
  );
  const merged = new Map<number, ThreadRow>();
  for (const labelId of labelIds) {
    for (const row of query.all(labelId, before.lastMessageAt, before.threadId, limit)) merged.set(row.id, row);
  }
  return [...merged.values()].sort(compareNewestFirst).slice(0, limit);
}

/** All threads of one account, newest first (threads_by_account_date). */
export function listThreadsOfAccount(db: ReadableDb, accountId: string, limit: number, after?: ThreadCursor): ThreadRow[] {
  const before = after ?? { lastMessageAt: Number.MAX_SAFE_INTEGER, threadId: Number.MAX_SAFE_INTEGER };
  return stmt<[string, number, number, number], ThreadRow>(
    db,
    `SELECT ${THREAD_COLUMNS} FROM threads t
     WHERE t.account_id = ? AND (t.last_message_at, t.id) < (?, ?)
     ORDER BY t.last_message_at DESC, t.id DESC LIMIT ?`,
  ).all(accountId, before.lastMessageAt, before.threadId, limit);
}

/**
 * Starred (Gmail) or flagged (Outlook) threads, across accounts or of one, newest first: a thread is
 * starred when any of its messages is (the flag both providers sync; messages_starred_by_thread holds only those).
 */
export function listStarredThreads(
  db: ReadableDb,
  accountId: string | undefined,
  limit: number,
  after?: ThreadCursor,
): ThreadRow[] {
  const before = after ?? { lastMessageAt: Number.MAX_SAFE_INTEGER, threadId: Number.MAX_SAFE_INTEGER };
  return stmt<[string | null, string | null, number, number, number], ThreadRow>(
    db,
    `SELECT ${THREAD_COLUMNS} FROM threads t
     WHERE t.id IN (SELECT sm.thread_id FROM messages sm WHERE sm.is_starred = 1)
       AND (? IS NULL OR t.account_id = ?) AND (t.last_message_at, t.id) < (?, ?)
     ORDER BY t.last_message_at DESC, t.id DESC LIMIT ?`,
  ).all(accountId ?? null, accountId ?? null, before.lastMessageAt, before.threadId, limit);
}

/** The threads with these row ids that exist, in no particular order (each one probe of the primary key). */
export function threadRowsByIds(db: ReadableDb, threadIds: readonly number[]): ThreadRow[] {
  return stmt<[string], ThreadRow>(
    db,
    `SELECT ${THREAD_COLUMNS} FROM threads t WHERE t.id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(threadIds));
}

export function getThreadRow(db: ReadableDb, threadId: number): ThreadRow | undefined {
  return stmt<[number], ThreadRow>(db, `SELECT ${THREAD_COLUMNS} FROM threads t WHERE t.id = ?`).get(threadId);
}

/** Label row ids per thread, for one page of threads (thread_labels_by_thread). */
export function labelIdsOfThreads(db: ReadableDb, threadIds: readonly number[]): Map<number, number[]> {
  const result = new Map<number, number[]>();
  const query = stmt<[number], { label_id: number }>(db, 'SELECT label_id FROM thread_labels WHERE thread_id = ?');
  for (const threadId of threadIds)
    result.set(
      threadId,
      query.all(threadId).map((r) => r.label_id),
    );
  return result;
}

/** A thread's messages, oldest first (messages_by_thread). */
export function messagesOfThread(db: ReadableDb, threadId: number): MessageRow[] {
  return stmt<[number], MessageRow>(
    db,
    `SELECT id, account_id, thread_id, remote_id, rfc822_message_id, subject, from_name, from_email, to_json, cc_json,
       bcc_json, reply_to_json, sent_at, snippet, body_text, body_html, is_unread, is_starred, contact_id, deal_id
     FROM messages WHERE thread_id = ? ORDER BY sent_at, id`,
  ).all(threadId);
}

export function labelIdsOfMessage(db: ReadableDb, messageId: number): number[] {
  return stmt<[number], { label_id: number }>(db, 'SELECT label_id FROM message_labels WHERE message_id = ?')
    .all(messageId)
    .map((r) => r.label_id);
}

export function attachmentsOfMessage(db: ReadableDb, messageId: number): AttachmentRow[] {
  return stmt<[number], AttachmentRow>(
    db,
    `SELECT id, message_id, filename, mime_type, size_bytes, content_id, is_inline, blob_sha256
     FROM attachments WHERE message_id = ? ORDER BY part_index`,
  ).all(messageId);
}

function compareNewestFirst(a: ThreadRow, b: ThreadRow): number {
  return b.last_message_at - a.last_message_at || b.id - a.id;
}

export function getMessageRow(db: ReadableDb, messageId: number): (MessageRow & { raw_sha256: string | null }) | undefined {
  return stmt<[number], MessageRow & { raw_sha256: string | null }>(
    db,
    `SELECT id, account_id, thread_id, remote_id, rfc822_message_id, subject, from_name, from_email, to_json, cc_json,
       bcc_json, reply_to_json, sent_at, snippet, body_text, body_html, is_unread, is_starred, contact_id, deal_id,
       raw_sha256 FROM messages WHERE id = ?`,
  ).get(messageId);
}

/** The row ids of a message known by its provider id (after an import wrote it). */
export function messageByRemoteId(
  db: ReadableDb,
  accountId: string,
  remoteId: string,
): { id: number; thread_id: number } | undefined {
  return stmt<[string, string], { id: number; thread_id: number }>(
    db,
    'SELECT id, thread_id FROM messages WHERE account_id = ? AND remote_id = ?',
  ).get(accountId, remoteId);
}

/** How many messages an account has in the index. */
export function messageCountOfAccount(db: ReadableDb, accountId: string): number {
  return pluckStmt<[string], number>(db, 'SELECT count(*) FROM messages WHERE account_id = ?').get(accountId) ?? 0;
}

/** What links mail to a contact's or a deal's timeline (POST /v1/email/send contact_id, deal_id). */
export interface MailLink {
  contactId?: string | undefined;
  dealId?: string | undefined;
}

/** Position after the last row of a page of messages: older than (sentAt, messageId). */
export interface MessageCursor {
  sentAt: number;
  messageId: number;
}

const MESSAGE_COLUMNS = `id, account_id, thread_id, remote_id, rfc822_message_id, subject, from_name, from_email, to_json, cc_json,
  bcc_json, reply_to_json, sent_at, snippet, body_text, body_html, is_unread, is_starred, contact_id, deal_id`;

/** The SQL condition (and its values) for mail linked to a contact, a deal, or both. */
function linkCondition(link: MailLink, prefix: string): { sql: string; values: string[] } {
  const parts: string[] = [];
  const values: string[] = [];
  if (link.contactId !== undefined) {
    parts.push(`${prefix}contact_id = ?`);
    values.push(link.contactId);
  }
  if (link.dealId !== undefined) {
    parts.push(`${prefix}deal_id = ?`);
    values.push(link.dealId);
  }
  return { sql: parts.join(' AND '), values };
}

/** The messages linked to a contact, a deal or both, newest first (messages_by_contact / messages_by_deal), keyset-paged. */
export function listMessagesByLink(db: ReadableDb, link: MailLink, limit: number, after?: MessageCursor): MessageRow[] {
  const before = after ?? { sentAt: Number.MAX_SAFE_INTEGER, messageId: Number.MAX_SAFE_INTEGER };
  const where = linkCondition(link, '');
  return stmt<unknown[], MessageRow>(
    db,
    `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE ${where.sql} AND (sent_at, id) < (?, ?) ORDER BY sent_at DESC, id DESC LIMIT ?`,
  ).all(...where.values, before.sentAt, before.messageId, limit);
}

/** The threads holding mail linked to a contact, a deal or both, newest first, keyset-paged. */
export function listThreadsByLink(db: ReadableDb, link: MailLink, limit: number, after?: ThreadCursor): ThreadRow[] {
  const before = after ?? { lastMessageAt: Number.MAX_SAFE_INTEGER, threadId: Number.MAX_SAFE_INTEGER };
  const where = linkCondition(link, '');
  return stmt<unknown[], ThreadRow>(
    db,
    `SELECT ${THREAD_COLUMNS} FROM threads t
     WHERE t.id IN (SELECT thread_id FROM messages WHERE ${where.sql}) AND (t.last_message_at, t.id) < (?, ?)
     ORDER BY t.last_message_at DESC, t.id DESC LIMIT ?`,
  ).all(...where.values, before.lastMessageAt, before.threadId, limit);
}
