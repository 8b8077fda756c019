import type { ReadableDb, WritableDb } from '../handles.ts';
import { pluckStmt, stmt } from '../statements.ts';
import { transaction } from '../transactions.ts';

/** How much of a persisted rate-limit window (bucket, window start) is used. */
export function usedInWindow(db: ReadableDb, bucket: string, windowStart: number): number {
  return (
    pluckStmt<[string, number], number>(db, 'SELECT count FROM rate_limit_windows WHERE bucket = ? AND window_start = ?').get(
      bucket,
      windowStart,
    ) ?? 0
  );
}

/**
 * Takes one from the window unless `limit` are used: returns how many were
 * used before, or null when the window is full (nothing taken). Older windows
 * of the bucket are dropped. One immediate transaction, so concurrent takers
 * never overshoot.
 */
export function takeFromWindow(db: WritableDb, bucket: string, windowStart: number, limit: number): number | null {
  return transaction(
    db,
    () => {
      const used = usedInWindow(db, bucket, windowStart);
      if (used >= limit) return null;
      stmt(db, 'DELETE FROM rate_limit_windows WHERE bucket = ? AND window_start < ?').run(bucket, windowStart);
      stmt(
        db,
        `INSERT INTO rate_limit_windows (bucket, window_start, count) VALUES (?, ?, 1)
         ON CONFLICT (bucket, window_start) DO UPDATE SET count = count + 1`,
      ).run(bucket, windowStart);
      return used;
    },
    'immediate',
  );
}
