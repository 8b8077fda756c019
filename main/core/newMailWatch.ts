import { publicId } from '../../shared/ids.ts';
import type { IndexDb } from '../db/openIndex.ts';

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
  readonly #db: IndexDb;
  #mark: number;
  #synced: Set<string>;

  constructor(db: IndexDb) {
    this.#db = db;
    this.#mark = this.#highestId();
    this.#synced = this.#syncedAccounts();
  }

  /** Unread inbox messages that arrived since the previous call, newest first (at most `limit`). */
  take(limit = 50): NewInboxMessage[] {
    const since = this.#mark;
    const synced = this.#synced;
    this.#mark = this.#highestId();
    this.#synced = this.#syncedAccounts();
    if (this.#mark <= since || synced.size === 0) return [];
    const accounts = [...synced];
    return this.#db
      .prepare(
        `SELECT m.account_id, t.id AS thread_id,
                CASE WHEN m.from_name != '' THEN m.from_name ELSE m.from_email END AS "from", m.subject
           FROM messages m
           JOIN threads t ON t.id = m.thread_id
          WHERE m.id > ? AND m.id <= ? AND m.is_unread = 1
            AND m.account_id IN (${accounts.map(() => '?').join(', ')})
            AND EXISTS (SELECT 1 FROM message_labels ml JOIN labels l ON l.id = ml.label_id
                         WHERE ml.message_id = m.id AND l.role = 'inbox')
          ORDER BY m.sent_at DESC
          LIMIT ?`,
      )
      .all(since, this.#mark, ...accounts, limit)
      .map((row) => {
        const r = row as { account_id: string; thread_id: number; from: string; subject: string };
        return { ...r, thread_id: publicId('thr', r.thread_id) };
      });
  }

  #syncedAccounts(): Set<string> {
    return new Set(this.#db.prepare('SELECT id FROM accounts WHERE last_synced_at IS NOT NULL').pluck().all() as string[]);
  }

  #highestId(): number {
    return (this.#db.prepare('SELECT coalesce(max(id), 0) FROM messages').pluck().get() as number) ?? 0;
  }
}
