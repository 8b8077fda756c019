import type { EmailAddress } from '../../../shared/mailModel.ts';
import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';
import { noteMailChange, transaction } from '../transactions.ts';
import { replaceAddressDomains } from './addressDomains.ts';
import { countsAsAttachment } from './attachments.ts';
import { replaceHeaderAddresses } from './headerAddresses.ts';
import { labelIdByRemoteId, labelIdsByRole } from './labels.ts';
import { type PlaceRef, pendingChangesOfMessage } from './pendingChanges.ts';
import { searchableText } from './searchableText.ts';

/** One message as a provider (or an import) hands it to the index. */
export interface MessageInput {
  remoteId: string;
  threadRemoteId: string;
  rfc822MessageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  from: EmailAddress | null;
  to: EmailAddress[];
  cc: EmailAddress[];
  bcc: EmailAddress[];
  replyTo: EmailAddress[];
  sentAt: number;
  snippet: string;
  bodyText: string;
  bodyHtml: string | null;
  /** Text a search finds beyond bodyText (HTML alternative, bounce reports: main/mail/searchableParts.ts); attachment names are added. */
  searchableText?: string;
  /** Mailing lists (List-Id, List-Post) as dotted names and Delivered-To addresses (main/mail/listAndDeliveryHeaders.ts); left as stored when absent. */
  mailingLists?: string[];
  deliveredTo?: string[];
  /** Outlook's Focused Inbox classification; null where the provider has none (Gmail). */
  inferenceClassification?: 'focused' | 'other' | null;
  sizeBytes: number;
  isUnread: boolean;
  isStarred: boolean;
  isImportant: boolean;
  isDraft: boolean;
  rawSha256: string | null;
  attachments: AttachmentInput[];
  /** Row ids of the labels the message carries. */
  labelIds: number[];
  /** The contact and deal a sent message was linked to (POST /v1/email/send); a later sync of it keeps them. */
  contactId?: string | null;
  dealId?: string | null;
}

export interface AttachmentInput {
  partIndex: number;
  remoteId: string | null;
  filename: string;
  mimeType: string;
  sizeBytes: number;
  contentId: string | null;
  isInline: boolean;
  blobSha256: string | null;
}

const MAX_THREAD_PARTICIPANTS = 10;

/**
 * Writes messages and keeps their threads' aggregates and label membership
 * consistent. Runs in one transaction (a savepoint when the caller already
 * holds one, so a sync page and its cursor commit together); the threads it
 * touched are announced after the commit (mail.changed).
 */
export function writeMessages(db: WritableDb, accountId: string, inputs: readonly MessageInput[]): Map<string, number> {
  const ids = new Map<string, number>();
  if (inputs.length === 0) return ids;
  transaction(db, () => {
    const touchedThreads = new Set<number>();
    for (const remote of inputs) {
      const input = { ...remote, ...withPendingChanges(db, accountId, remote.remoteId, remote) };
      const { messageId, threadId, previousThreadId } = upsertMessageRow(db, accountId, input);
      writeAttachments(db, messageId, input.attachments);
      replaceAddressDomains(db, messageId, input);
      if (input.mailingLists || input.deliveredTo)
        replaceHeaderAddresses(db, messageId, { mailingLists: input.mailingLists ?? [], deliveredTo: input.deliveredTo ?? [] });
      replaceMessageLabels(db, messageId, input.labelIds);
      touchedThreads.add(threadId);
      if (previousThreadId !== null && previousThreadId !== threadId) touchedThreads.add(previousThreadId);
      ids.set(input.remoteId, messageId);
    }
    refreshThreads(db, accountId, touchedThreads, 'messages');
  });
  return ids;
}

/** Deletes messages by remote id; threads left empty disappear. Unknown ids are ignored (deletes are idempotent). */
export function deleteMessages(db: WritableDb, accountId: string, remoteIds: readonly string[]): number {
  let deleted = 0;
  if (remoteIds.length === 0) return 0;
  transaction(db, () => {
    const touchedThreads = new Set<number>();
    for (const remoteId of remoteIds) {
      const row = stmt<[string, string], { thread_id: number }>(
        db,
        'DELETE FROM messages WHERE account_id = ? AND remote_id = ? RETURNING thread_id',
      ).get(accountId, remoteId);
      if (row) {
        deleted++;
        touchedThreads.add(row.thread_id);
      }
    }
    refreshThreads(db, accountId, touchedThreads, 'messages');
  });
  return deleted;
}

/** Refreshes threads after their messages changed and records the change for mail.changed (after the commit). */
export function refreshThreads(
  db: WritableDb,
  accountId: string,
  threadIds: Iterable<number>,
  what: 'messages' | 'flags' | 'labels',
): void {
  const updated: number[] = [];
  const removed: number[] = [];
  for (const threadId of threadIds) (refreshThread(db, threadId) ? updated : removed).push(threadId);
  if (updated.length || removed.length) noteMailChange(db, accountId, { threadIds: updated, removedThreadIds: removed, what });
}

/** The thread's row id, created when new. A read first: an upsert would rewrite the row and its index entry for every message. */
function ensureThread(db: WritableDb, accountId: string, remoteId: string): number {
  const existing = stmt<[string, string], { id: number }>(
    db,
    'SELECT id FROM threads WHERE account_id = ? AND remote_id = ?',
  ).get(accountId, remoteId);
  if (existing) return existing.id;
  const row = stmt<[string, string], { id: number }>(
    db,
    'INSERT INTO threads (account_id, remote_id) VALUES (?, ?) RETURNING id',
  ).get(accountId, remoteId);
  return (row as { id: number }).id;
}

function upsertMessageRow(db: WritableDb, accountId: string, input: MessageInput) {
  const threadId = ensureThread(db, accountId, input.threadRemoteId);
  const previous = stmt<[string, string], { id: number; thread_id: number }>(
    db,
    'SELECT id, thread_id FROM messages WHERE account_id = ? AND remote_id = ?',
  ).get(accountId, input.remoteId);
  const values = {
    account_id: accountId,
    thread_id: threadId,
    remote_id: input.remoteId,
    rfc822_message_id: input.rfc822MessageId,
    in_reply_to: input.inReplyTo,
    references_ids: input.references.join(' '),
    subject: input.subject,
    from_name: input.from?.name ?? '',
    from_email: input.from?.email ?? '',
    to_json: JSON.stringify(input.to),
    cc_json: JSON.stringify(input.cc),
    bcc_json: JSON.stringify(input.bcc),
    reply_to_json: JSON.stringify(input.replyTo),
    from_text: addressText(input.from ? [input.from] : []),
    recipients_text: addressText([...input.to, ...input.cc, ...input.bcc]),
    sent_at: input.sentAt,
    snippet: input.snippet,
    body_text: input.bodyText,
    body_html: input.bodyHtml,
    searchable_text: searchableText(input.searchableText ?? '', input.attachments),
    size_bytes: input.sizeBytes,
    is_unread: input.isUnread ? 1 : 0,
    is_starred: input.isStarred ? 1 : 0,
    is_important: input.isImportant ? 1 : 0,
    is_draft: input.isDraft ? 1 : 0,
    has_attachments: input.attachments.some(countsAsAttachment) ? 1 : 0,
    raw_sha256: input.rawSha256,
    inference_classification: input.inferenceClassification ?? null,
    contact_id: input.contactId ?? null,
    deal_id: input.dealId ?? null,
  };
  if (previous) {
    stmt(
      db,
      `UPDATE messages SET thread_id = @thread_id, rfc822_message_id = @rfc822_message_id, in_reply_to = @in_reply_to,
         references_ids = @references_ids, subject = @subject, from_name = @from_name, from_email = @from_email,
         to_json = @to_json, cc_json = @cc_json, bcc_json = @bcc_json, reply_to_json = @reply_to_json,
         from_text = @from_text, recipients_text = @recipients_text, sent_at = @sent_at, snippet = @snippet, body_text = @body_text,
         body_html = @body_html, searchable_text = @searchable_text, size_bytes = @size_bytes, is_unread = @is_unread, is_starred = @is_starred,
         is_important = @is_important, is_draft = @is_draft, has_attachments = @has_attachments,
         raw_sha256 = coalesce(@raw_sha256, raw_sha256),
         inference_classification = coalesce(@inference_classification, inference_classification),
         contact_id = coalesce(@contact_id, contact_id), deal_id = coalesce(@deal_id, deal_id)
       WHERE id = @id`,
    ).run({ ...values, id: previous.id });
    return { messageId: previous.id, threadId, previousThreadId: previous.thread_id };
  }
  const inserted = stmt<[typeof values], { id: number }>(
    db,
    `INSERT INTO messages (account_id, thread_id, remote_id, rfc822_message_id, in_reply_to, references_ids, subject,
       from_name, from_email, to_json, cc_json, bcc_json, reply_to_json, from_text, recipients_text, sent_at, snippet, body_text,
       body_html, searchable_text, size_bytes, is_unread, is_starred, is_important, is_draft, has_attachments, raw_sha256, inference_classification,
       contact_id, deal_id)
     VALUES (@account_id, @thread_id, @remote_id, @rfc822_message_id, @in_reply_to, @references_ids, @subject,
       @from_name, @from_email, @to_json, @cc_json, @bcc_json, @reply_to_json, @from_text, @recipients_text, @sent_at, @snippet,
       @body_text, @body_html, @searchable_text, @size_bytes, @is_unread, @is_starred, @is_important, @is_draft, @has_attachments, @raw_sha256,
       @inference_classification, @contact_id, @deal_id)
     RETURNING id`,
  ).get(values);
  return { messageId: (inserted as { id: number }).id, threadId, previousThreadId: null };
}

/**
 * A message's attachments, updated in place by (message, part): ids (att_…)
 * stay across rewrites, and so do stored bytes (fetched at sync, or taken out
 * of the original later) while the part is the same file (same name and size,
 * same provider id when both have one); parts no longer there are deleted.
 */
function writeAttachments(db: WritableDb, messageId: number, attachments: readonly AttachmentInput[]): void {
  const upsert = stmt(
    db,
    `INSERT INTO attachments (message_id, part_index, remote_id, filename, mime_type, size_bytes, content_id, is_inline, blob_sha256)
     VALUES (@message_id, @part_index, @remote_id, @filename, @mime_type, @size_bytes, @content_id, @is_inline, @blob_sha256)
     ON CONFLICT (message_id, part_index) DO UPDATE SET
       blob_sha256 = CASE
         WHEN excluded.blob_sha256 IS NOT NULL THEN excluded.blob_sha256
         WHEN filename = excluded.filename AND size_bytes = excluded.size_bytes
           AND (remote_id IS NULL OR excluded.remote_id IS NULL OR remote_id = excluded.remote_id) THEN blob_sha256
         END,
       remote_id = excluded.remote_id, filename = excluded.filename, mime_type = excluded.mime_type,
       size_bytes = excluded.size_bytes, content_id = excluded.content_id, is_inline = excluded.is_inline`,
  );
  for (const a of attachments) {
    upsert.run({
      message_id: messageId,
      part_index: a.partIndex,
      remote_id: a.remoteId,
      filename: a.filename,
      mime_type: a.mimeType,
      size_bytes: a.sizeBytes,
      content_id: a.contentId,
      is_inline: a.isInline ? 1 : 0,
      blob_sha256: a.blobSha256,
    });
  }
  stmt(db, 'DELETE FROM attachments WHERE message_id = ? AND part_index NOT IN (SELECT value FROM json_each(?))').run(
    messageId,
    JSON.stringify(attachments.map((a) => a.partIndex)),
  );
}

function replaceMessageLabels(db: WritableDb, messageId: number, labelIds: readonly number[]): void {
  stmt(db, 'DELETE FROM message_labels WHERE message_id = ?').run(messageId);
  const insert = stmt(db, 'INSERT OR IGNORE INTO message_labels (message_id, label_id) VALUES (?, ?)');
  for (const labelId of labelIds) insert.run(messageId, labelId);
}

/** Recomputes a thread's aggregates and label membership from its messages; deletes it when empty (false). */
function refreshThread(db: WritableDb, threadId: number): boolean {
  const totals = stmt<[number], { count: number; unread: number | null; last: number | null; attach: number | null }>(
    db,
    `SELECT count(*) AS count, sum(is_unread) AS unread, max(sent_at) AS last, max(has_attachments) AS attach
     FROM messages WHERE thread_id = ?`,
  ).get(threadId) as { count: number; unread: number | null; last: number | null; attach: number | null };
  stmt(db, 'DELETE FROM thread_labels WHERE thread_id = ?').run(threadId);
  if (totals.count === 0) {
    stmt(db, 'DELETE FROM threads WHERE id = ?').run(threadId);
    return false;
  }
  const senders = stmt<[number], { from_name: string; from_email: string; subject: string; snippet: string }>(
    db,
    'SELECT from_name, from_email, subject, snippet FROM messages WHERE thread_id = ? ORDER BY sent_at, id',
  ).all(threadId);
  const participants = new Map<string, { name: string; email: string }>();
  for (const s of senders) {
    if (s.from_email && !participants.has(s.from_email) && participants.size < MAX_THREAD_PARTICIPANTS) {
      participants.set(s.from_email, { name: s.from_name, email: s.from_email });
    }
  }
  const first = senders[0];
  const latest = senders[senders.length - 1];
  stmt(
    db,
    `UPDATE threads SET subject = ?, snippet = ?, last_message_at = ?, message_count = ?, unread_count = ?,
       has_attachments = ?, participants = ? WHERE id = ?`,
  ).run(
    first?.subject ?? '',
    latest?.snippet ?? '',
    totals.last ?? 0,
    totals.count,
    totals.unread ?? 0,
    totals.attach ?? 0,
    JSON.stringify([...participants.values()]),
    threadId,
  );
  stmt(
    db,
    `INSERT INTO thread_labels (label_id, thread_id, last_message_at)
     SELECT DISTINCT ml.label_id, ?, ? FROM message_labels ml JOIN messages m ON m.id = ml.message_id WHERE m.thread_id = ?`,
  ).run(threadId, totals.last ?? 0, threadId);
  return true;
}

function addressText(people: readonly EmailAddress[]): string {
  return people.map((p) => (p.name ? `${p.name} ${p.email}` : p.email)).join(' ');
}

export interface MessageState {
  labelIds: number[];
  isUnread: boolean;
  isStarred: boolean;
  isImportant: boolean;
  isDraft: boolean;
}

/**
 * Changes a message's labels and flags without touching its content (label
 * moves and read-state flips from incremental sync). Returns false when the
 * message is not in the index, so the caller can fetch it in full.
 */
export function updateMessageState(db: WritableDb, accountId: string, remoteId: string, remoteState: MessageState): boolean {
  const state = { ...remoteState, ...withPendingChanges(db, accountId, remoteId, remoteState) };
  return transaction(db, () => {
    const row = stmt<[number, number, number, number, string, string], { id: number; thread_id: number }>(
      db,
      `UPDATE messages SET is_unread = ?, is_starred = ?, is_important = ?, is_draft = ?
       WHERE account_id = ? AND remote_id = ? RETURNING id, thread_id`,
    ).get(state.isUnread ? 1 : 0, state.isStarred ? 1 : 0, state.isImportant ? 1 : 0, state.isDraft ? 1 : 0, accountId, remoteId);
    if (!row) return false;
    replaceMessageLabels(db, row.id, state.labelIds);
    refreshThreads(db, accountId, [row.thread_id], 'labels');
    return true;
  });
}

/** Deletes the account's messages a finished resync did not see (they are gone remotely); returns how many. */
export function deleteUnseenMessages(db: WritableDb, accountId: string, scope: string): number {
  const gone = stmt<[string, string, string], { remote_id: string }>(
    db,
    `SELECT remote_id FROM messages m WHERE account_id = ?
     AND NOT EXISTS (SELECT 1 FROM resync_seen s WHERE s.account_id = ? AND s.scope = ? AND s.remote_id = m.remote_id)`,
  )
    .all(accountId, accountId, scope)
    .map((r) => r.remote_id);
  return deleteMessages(db, accountId, gone);
}

interface LabelledState {
  labelIds: number[];
  isUnread: boolean;
  isStarred: boolean;
}

/**
 * A message's remote state with the user's changes not yet pushed laid over
 * it, in the order they were made. Changes are pushed before each sync, but
 * one made while a sync runs (archive during a pull) would otherwise be undone
 * on screen until the next sync pushed it and pulled it back.
 */
export function withPendingChanges(db: ReadableDb, accountId: string, remoteId: string, remote: LabelledState): LabelledState {
  const changes = pendingChangesOfMessage(db, accountId, remoteId);
  if (changes.length === 0) return { labelIds: [...remote.labelIds], isUnread: remote.isUnread, isStarred: remote.isStarred };
  const labels = new Set(remote.labelIds);
  let { isUnread, isStarred } = remote;
  const rowOf = (place: PlaceRef) => labelIdByRemoteId(db, accountId, place.remoteId);
  const place = (ref: PlaceRef | null | undefined, on: boolean) => {
    const id = ref ? rowOf(ref) : undefined;
    if (id !== undefined) on ? labels.add(id) : labels.delete(id);
  };
  for (const change of changes) {
    switch (change.type) {
      case 'read':
        isUnread = !change.read;
        break;
      case 'starred':
        isStarred = change.starred;
        // Where starring is also a label (Gmail's STARRED), the label follows the flag.
        for (const id of labelIdsByRole(db, 'starred', accountId)) change.starred ? labels.add(id) : labels.delete(id);
        break;
      case 'label':
        for (const ref of change.remove) place(ref, false);
        for (const ref of change.add) place(ref, true);
        break;
      case 'move':
        for (const ref of change.from) place(ref, false);
        place(change.to, true);
        break;
    }
  }
  return { labelIds: [...labels], isUnread, isStarred };
}
