import type { Database } from 'better-sqlite3';

/**
 * A thread is starred when any of its messages is, which every thread row the
 * API shows asks (threadReads' is_starred). Through messages_by_thread that
 * question read each of the thread's messages; this small partial index holds
 * only starred messages, so it is one probe per thread.
 */
export function up(db: Database): void {
  db.exec('CREATE INDEX messages_starred_by_thread ON messages (thread_id) WHERE is_starred = 1');
}
