import type { WritableDb } from '../handles.ts';
import { pluckStmt, stmt } from '../statements.ts';
import { transaction } from '../transactions.ts';

/**
 * Deletes up to `limit` of the account's messages in one transaction (their
 * search rows go with them through the triggers) and returns how many went
 * and the blobs they used (raw messages, attachments), which may now be free.
 */
export function deleteMessageBatch(db: WritableDb, accountId: string, limit: number): { deleted: number; blobs: string[] } {
  return transaction(db, () => {
    const chunk = stmt<[string, number], { id: number; raw_sha256: string | null }>(
      db,
      'SELECT id, raw_sha256 FROM messages WHERE account_id = ? LIMIT ?',
    ).all(accountId, limit);
    const ids = JSON.stringify(chunk.map((row) => row.id));
    const blobs = chunk.flatMap((row) => (row.raw_sha256 ? [row.raw_sha256] : []));
    for (const sha256 of pluckStmt<[string], string>(
      db,
      'SELECT blob_sha256 FROM attachments WHERE message_id IN (SELECT value FROM json_each(?)) AND blob_sha256 IS NOT NULL',
    ).all(ids))
      blobs.push(sha256);
    stmt(db, 'DELETE FROM messages WHERE id IN (SELECT value FROM json_each(?))').run(ids);
    return { deleted: chunk.length, blobs };
  });
}

/** Deletes up to `limit` of the account's threads (their label rows go with them); returns how many. */
export function deleteThreadBatch(db: WritableDb, accountId: string, limit: number): number {
  return stmt(db, 'DELETE FROM threads WHERE id IN (SELECT id FROM threads WHERE account_id = ? LIMIT ?)').run(accountId, limit)
    .changes;
}

/**
 * Deletes the account row, which cascades to labels, calendars, events,
 * outbox, pending changes, cursors and stored secrets. Returns how many
 * events it had and the blobs its outbox used.
 */
export function deleteAccountRow(db: WritableDb, accountId: string): { events: number; blobs: string[] } {
  return transaction(db, () => {
    const blobs = pluckStmt<[string], string>(db, 'SELECT raw_sha256 FROM outbox WHERE account_id = ?').all(accountId);
    const events =
      pluckStmt<[string], number>(
        db,
        'SELECT count(*) FROM events e JOIN calendars c ON c.id = e.calendar_id WHERE c.account_id = ?',
      ).get(accountId) ?? 0;
    stmt(db, 'DELETE FROM accounts WHERE id = ?').run(accountId);
    return { events, blobs };
  });
}

/** Of the candidate blobs, those no message, attachment or outbox row uses any more: their rows deleted, their ids returned. */
export function releaseUnusedBlobs(db: WritableDb, candidates: readonly string[]): string[] {
  return transaction(db, () => {
    const used = stmt<[string, string, string], { one: number }>(
      db,
      `SELECT 1 AS one WHERE EXISTS (SELECT 1 FROM messages WHERE raw_sha256 = ?)
          OR EXISTS (SELECT 1 FROM attachments WHERE blob_sha256 = ?)
          OR EXISTS (SELECT 1 FROM outbox WHERE raw_sha256 = ?)`,
    );
    const remove = stmt(db, 'DELETE FROM blobs WHERE sha256 = ?');
    const freed: string[] = [];
    for (const sha256 of candidates) {
      if (used.get(sha256, sha256, sha256)) continue;
      remove.run(sha256);
      freed.push(sha256);
    }
    return freed;
  });
}
