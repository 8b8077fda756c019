import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';

/** The hot list queries must be index range scans, never table scans or temp sorts. */
describe('query plans of the hot read paths', () => {
  let db: IndexDb;
  beforeAll(() => {
    db = openIndex(':memory:');
  });
  afterAll(() => db.close());

  const plan = (sql: string, ...params: unknown[]) =>
    db
      .prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .all(...params)
      .map((row) => (row as { detail: string }).detail)
      .join('\n');

  it('lists a label newest first from thread_labels_by_date without sorting', () => {
    const detail = plan(
      `SELECT t.id FROM thread_labels tl JOIN threads t ON t.id = tl.thread_id
       WHERE tl.label_id = ? AND (tl.last_message_at, tl.thread_id) < (?, ?)
       ORDER BY tl.last_message_at DESC, tl.thread_id DESC LIMIT ?`,
      1,
      2,
      3,
      4,
    );
    expect(detail).toMatch(/SEARCH tl USING COVERING INDEX thread_labels_by_date/);
    expect(detail).not.toMatch(/TEMP B-TREE/);
  });

  it('lists all mail of an account from threads_by_account_date without sorting', () => {
    const detail = plan(
      `SELECT t.id FROM threads t WHERE t.account_id = ? AND (t.last_message_at, t.id) < (?, ?)
       ORDER BY t.last_message_at DESC, t.id DESC LIMIT ?`,
      'a',
      1,
      2,
      3,
    );
    expect(detail).toMatch(/SEARCH t USING (COVERING )?INDEX threads_by_account_date/);
    expect(detail).not.toMatch(/TEMP B-TREE/);
  });

  it('reads a thread from messages_by_thread in order', () => {
    const detail = plan('SELECT id FROM messages WHERE thread_id = ? ORDER BY sent_at, id', 1);
    expect(detail).toMatch(/SEARCH messages USING (COVERING )?INDEX messages_by_thread/);
  });

  it('threads replies by Message-ID through messages_by_rfc822_id', () => {
    const detail = plan('SELECT thread_id FROM messages WHERE account_id = ? AND rfc822_message_id = ?', 'a', 'x@y');
    expect(detail).toMatch(/messages_by_rfc822_id/);
  });

  it('finds the events of a time range through bounded scans of events_by_start and events_long', () => {
    const detail = plan(
      `SELECT e.id FROM events e WHERE e.starts_at >= ? AND e.starts_at < ? AND e.ends_at > ? AND e.ends_at - e.starts_at <= 604800000
       UNION ALL SELECT e.id FROM events e INDEXED BY events_long WHERE e.ends_at - e.starts_at > 604800000 AND e.ends_at > ? AND e.starts_at < ?`,
      0,
      1,
      0,
      0,
      1,
    );
    expect(detail).toMatch(/SEARCH e USING (COVERING )?INDEX events_by_start \(starts_at>\? AND starts_at<\?\)/);
    expect(detail).toMatch(/SEARCH e USING INDEX events_long \(ends_at>\?\)/);
  });
});
