import { publicId } from '../../shared/ids.ts';
import type { ReadableDb } from '../db/handles.ts';
import { highestMessageId, newInboxMessages, syncedAccountIds } from '../db/queries/newMail.ts';

export interface NewInboxMessage {
  account_id: string;
  thread_id: string;
  from: string;
  subject: string;
}

/**
 * Which inbox mail is new since the last look, for "new mail" notifications
 * and the `mail.received` event. The mark is the highest message row id seen:
 * rows are only ever appended with higher ids, so anything above it arrived
 * since. Mail of an account that had never finished a sync at the previous
 * look is its first sync's backlog, not news, and is not reported.
 */
export class NewMailWatch {
  readonly #db: ReadableDb;
  #mark: number;
  #synced: Set<string>;

  constructor(db: ReadableDb) {
    this.#db = db;
    this.#mark = highestMessageId(db);
    this.#synced = new Set(syncedAccountIds(db));
  }

  /** Unread inbox messages that arrived since the previous call, newest first (at most `limit`). */
  take(limit = 50): NewInboxMessage[] {
    const since = this.#mark;
    const synced = this.#synced;
    this.#mark = highestMessageId(this.#db);
    this.#synced = new Set(syncedAccountIds(this.#db));
    if (this.#mark <= since || synced.size === 0) return [];
    return newInboxMessages(this.#db, { after: since, upTo: this.#mark, accountIds: [...synced], limit }).map((row) => ({
      ...row,
      thread_id: publicId('thr', row.thread_id),
    }));
  }
}
