import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';
import { transaction } from '../transactions.ts';

/**
 * Blob references: a blob (main/db/blobStore.ts) is used while a message's raw
 * original, an attachment or an outbox row refers to it. Blobs that may have
 * lost their last reference are noted in blob_candidates (triggers, and
 * BlobStore.put; migration 016), so freeing them checks only those.
 */
const IN_USE = `EXISTS (SELECT 1 FROM messages WHERE raw_sha256 = c.sha256)
  OR EXISTS (SELECT 1 FROM attachments WHERE blob_sha256 = c.sha256)
  OR EXISTS (SELECT 1 FROM outbox WHERE raw_sha256 = c.sha256)`;

/**
 * The row of a blob whose file is written, and its note at `now` (ms): left alone by the
 * clean-up until the grace period has passed. One transaction (a savepoint inside another).
 */
export function recordStoredBlob(db: WritableDb, sha256: string, sizeBytes: number, now: number): void {
  transaction(db, () => {
    stmt(db, 'INSERT OR IGNORE INTO blobs (sha256, size_bytes) VALUES (?, ?)').run(sha256, sizeBytes);
    stmt(
      db,
      `INSERT INTO blob_candidates (sha256, since) VALUES (?, ?)
       ON CONFLICT (sha256) DO UPDATE SET since = max(since, excluded.since)`,
    ).run(sha256, now);
  });
}

export interface FreedBlob {
  sha256: string;
  sizeBytes: number;
}

/**
 * Checks up to `limit` noted blobs after `after` (in sha256 order), in one
 * transaction: one still referred to is no longer noted; one nothing refers to
 * and noted at or before `cutoff` loses its row and note and is returned, for
 * its file to be deleted after the commit; one stored after `cutoff` (perhaps
 * about to be referred to) stays noted for a later pass. `last` is where the
 * next batch starts, null when this was the last.
 */
export function releaseNotedBlobs(
  db: WritableDb,
  after: string,
  limit: number,
  cutoff: number,
): { freed: FreedBlob[]; last: string | null } {
  return transaction(db, () => {
    const batch = stmt<[string, number], { sha256: string; since: number; size_bytes: number | null; used: number }>(
      db,
      `SELECT c.sha256, c.since, b.size_bytes, ${IN_USE} AS used
       FROM blob_candidates c LEFT JOIN blobs b ON b.sha256 = c.sha256
       WHERE c.sha256 > ? ORDER BY c.sha256 LIMIT ?`,
    ).all(after, limit);
    const forget = stmt(db, 'DELETE FROM blob_candidates WHERE sha256 = ?');
    const remove = stmt(db, 'DELETE FROM blobs WHERE sha256 = ?');
    const freed: FreedBlob[] = [];
    for (const row of batch) {
      // Used, or its row already gone (an account removal frees its own blobs): nothing more to do.
      if (row.used || row.size_bytes === null) forget.run(row.sha256);
      else if (row.since <= cutoff) {
        remove.run(row.sha256);
        forget.run(row.sha256);
        freed.push({ sha256: row.sha256, sizeBytes: row.size_bytes });
      }
    }
    return { freed, last: batch.length < limit ? null : (batch.at(-1)?.sha256 ?? null) };
  });
}

/** Whether the blob has its row (stored, or stored again since it was freed). */
export function blobRowExists(db: ReadableDb, sha256: string): boolean {
  return stmt<[string], { one: number }>(db, 'SELECT 1 AS one FROM blobs WHERE sha256 = ?').get(sha256) !== undefined;
}

/** What freeing every blob nothing refers to would give back: how many, and their bytes (`outpost doctor`). */
export function reclaimableBlobs(db: ReadableDb): { blobs: number; bytes: number } {
  return (
    stmt<[], { blobs: number; bytes: number }>(
      db,
      `SELECT count(*) AS blobs, coalesce(sum(c.size_bytes), 0) AS bytes FROM blobs c WHERE NOT (${IN_USE})`,
    ).get() ?? { blobs: 0, bytes: 0 }
  );
}
