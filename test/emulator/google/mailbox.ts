/**
 * One Gmail user's mailbox: messages (raw kept lazily), labels, threads and
 * the history log. Every mutation bumps the user's historyId and appends a
 * history record, as Gmail does.
 */
import { randomBytes } from 'node:crypto';
import { headerValue, parseHeaders, splitHeaderBody } from './mimeTree.ts';

export interface GmailLabel {
  id: string;
  name: string;
  type: 'system' | 'user';
  messageListVisibility?: string;
  labelListVisibility?: string;
  color?: { textColor: string; backgroundColor: string };
}

export interface StoredMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  internalDate: number;
  historyId: number;
  /** Renders the RFC 822 bytes (synthetic messages build them on demand from a corpus template). */
  raw: () => Buffer;
  /** Synthetic messages: raw() is headPrefix() + templateBody, so the template's parse can be shared. */
  synthetic?: { headPrefix: () => string; templateBody: Buffer };
  /** Cached normalized header fields used for threading and search. */
  subject: string;
  messageIdHeader: string;
}

export type HistoryType = 'messageAdded' | 'messageDeleted' | 'labelAdded' | 'labelRemoved';

export interface HistoryRecord {
  id: number;
  type: HistoryType;
  message: { id: string; threadId: string; labelIds: string[] };
  labelIds?: string[];
}

export const SYSTEM_LABELS = [
  'INBOX',
  'SENT',
  'DRAFT',
  'SPAM',
  'TRASH',
  'UNREAD',
  'STARRED',
  'IMPORTANT',
  'CHAT',
  'CATEGORY_PERSONAL',
  'CATEGORY_SOCIAL',
  'CATEGORY_PROMOTIONS',
  'CATEGORY_UPDATES',
  'CATEGORY_FORUMS',
];

/** 16 hex digits below 2^63 (Gmail ids are signed 64-bit integers; see checkGmailId). */
export function gmailId(): string {
  const bytes = randomBytes(8);
  bytes[0] = 0x10 | ((bytes[0] as number) & 0x6f);
  return bytes.toString('hex');
}

export function normalizeSubject(subject: string): string {
  return subject
    .replace(/^\s*((re|fwd?|aw|wg)\s*(\[\d+\])?:\s*)+/i, '')
    .trim()
    .toLowerCase();
}

export class Mailbox {
  readonly email: string;
  messages = new Map<string, StoredMessage>();
  threads = new Map<string, string[]>();
  labels = new Map<string, GmailLabel>();
  history: HistoryRecord[] = [];
  /** Draft id -> the id of its message (which carries the DRAFT label). */
  drafts = new Map<string, string>();
  historyId = 1000;
  /** History ids below this are no longer retained (history.list answers 404). */
  oldestHistoryId = 1000;
  private byMessageIdHeader = new Map<string, string>();
  /** Kept sorted newest first lazily: messages.list order. */
  private order: StoredMessage[] | undefined;

  constructor(email: string) {
    this.email = email;
    for (const id of SYSTEM_LABELS) {
      this.labels.set(id, { id, name: id, type: 'system', messageListVisibility: 'hide', labelListVisibility: 'labelHide' });
    }
  }

  sorted(): StoredMessage[] {
    this.order ??= [...this.messages.values()].sort((a, b) => b.internalDate - a.internalDate || (a.id < b.id ? 1 : -1));
    return this.order;
  }

  private bump(): number {
    this.historyId += 1;
    return this.historyId;
  }

  private record(type: HistoryType, msg: StoredMessage, labelIds?: string[]): void {
    this.history.push({
      id: this.historyId,
      type,
      message: { id: msg.id, threadId: msg.threadId, labelIds: [...msg.labelIds] },
      labelIds,
    });
  }

  /** Gmail's threading: a References/In-Reply-To hit on a known message AND the same normalized subject. */
  threadFor(headers: { references: string; inReplyTo: string; subject: string }, requested?: string): string | undefined {
    const subject = normalizeSubject(headers.subject);
    if (requested && this.threads.has(requested)) {
      const first = this.messages.get((this.threads.get(requested) as string[])[0] as string);
      if (first && first.subject === subject) return requested;
    }
    const ids = `${headers.references} ${headers.inReplyTo}`.match(/<[^>]+>/g) ?? [];
    for (const ref of ids.reverse()) {
      const msgId = this.byMessageIdHeader.get(ref);
      const msg = msgId ? this.messages.get(msgId) : undefined;
      if (msg && msg.subject === subject) return msg.threadId;
    }
    return undefined;
  }

  /** Adds a message (insert/send/import/seed). With record=false no history is written (initial seeding). */
  add(
    input: {
      raw: () => Buffer;
      labelIds: string[];
      internalDate: number;
      threadId?: string;
      id?: string;
      known?: { subject: string; messageIdHeader: string };
      synthetic?: StoredMessage['synthetic'];
    },
    record = true,
  ): StoredMessage {
    let subject: string;
    let messageIdHeader: string;
    let threadId = input.threadId;
    if (input.known) {
      // Synthetic seeding already knows these fields: skip header parsing (1,000,000 messages).
      subject = input.known.subject;
      messageIdHeader = input.known.messageIdHeader;
    } else {
      const headers = parseHeaders(splitHeaderBody(input.raw()).head);
      subject = normalizeSubject(headerValue(headers, 'subject') ?? '');
      messageIdHeader = (headerValue(headers, 'message-id') ?? '').trim();
      threadId ??= this.threadFor({
        references: headerValue(headers, 'references') ?? '',
        inReplyTo: headerValue(headers, 'in-reply-to') ?? '',
        subject: headerValue(headers, 'subject') ?? '',
      });
    }
    const id = input.id ?? gmailId();
    const msg: StoredMessage = {
      id,
      threadId: threadId ?? id,
      labelIds: [...new Set(input.labelIds)],
      internalDate: input.internalDate,
      historyId: record ? this.bump() : this.historyId,
      raw: input.raw,
      synthetic: input.synthetic,
      subject,
      messageIdHeader,
    };
    this.messages.set(id, msg);
    const thread = this.threads.get(msg.threadId);
    if (thread) thread.push(id);
    else this.threads.set(msg.threadId, [id]);
    if (messageIdHeader) this.byMessageIdHeader.set(messageIdHeader, id);
    this.order = undefined;
    if (record) this.record('messageAdded', msg);
    return msg;
  }

  modify(msg: StoredMessage, add: string[], remove: string[]): void {
    const added = add.filter((l) => !msg.labelIds.includes(l));
    const removed = remove.filter((l) => msg.labelIds.includes(l) && !add.includes(l));
    if (added.length === 0 && removed.length === 0) return;
    const id = this.bump();
    msg.labelIds = msg.labelIds.filter((l) => !removed.includes(l)).concat(added);
    msg.historyId = id;
    if (added.length > 0) this.record('labelAdded', msg, added);
    if (removed.length > 0) this.record('labelRemoved', msg, removed);
  }

  delete(msg: StoredMessage): void {
    this.bump();
    this.messages.delete(msg.id);
    const thread = (this.threads.get(msg.threadId) ?? []).filter((m) => m !== msg.id);
    if (thread.length > 0) this.threads.set(msg.threadId, thread);
    else this.threads.delete(msg.threadId);
    if (this.byMessageIdHeader.get(msg.messageIdHeader) === msg.id) this.byMessageIdHeader.delete(msg.messageIdHeader);
    // A draft whose message is deleted (by any method) is gone with it, as in Gmail.
    for (const [draftId, messageId] of this.drafts) if (messageId === msg.id) this.drafts.delete(draftId);
    this.order = undefined;
    this.record('messageDeleted', msg);
  }

  findByRfc822Id(value: string): StoredMessage | undefined {
    const id = this.byMessageIdHeader.get(value.startsWith('<') ? value : `<${value}>`);
    return id ? this.messages.get(id) : undefined;
  }

  /** Forget history before the current id (tests use this to force a 404 on history.list). */
  expireHistory(keepAfter = this.historyId): void {
    this.oldestHistoryId = keepAfter;
    this.history = this.history.filter((r) => r.id > keepAfter);
  }

  /** Keeps the retained window bounded, like Gmail (records are kept about a week). */
  trimHistory(maxRecords: number): void {
    if (this.history.length <= maxRecords) return;
    const drop = this.history.length - maxRecords;
    this.oldestHistoryId = (this.history[drop - 1] as HistoryRecord).id;
    this.history = this.history.slice(drop);
  }
}
