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
      countOne(db, bucket, windowStart);
      return used;
    },
    'immediate',
  );
}

/** Gives one back to a window (what was taken for a request that was then refused). */
export function giveBackToWindow(db: WritableDb, bucket: string, windowStart: number): void {
  stmt(db, 'UPDATE rate_limit_windows SET count = count - 1 WHERE bucket = ? AND window_start = ? AND count > 0').run(
    bucket,
    windowStart,
  );
}

/**
 * A rolling window's slots in use: how many were taken after `since` and when
 * the oldest of them was taken (null when none). A rolling bucket keeps one
 * row per instant a slot was taken (window_start = that instant, count = how
 * many then), so a slot frees exactly one window after it was taken.
 */
export function rollingUsage(db: ReadableDb, bucket: string, since: number): { used: number; oldest: number | null } {
  const row = stmt<[string, number], { used: number | null; oldest: number | null }>(
    db,
    'SELECT sum(count) AS used, min(window_start) AS oldest FROM rate_limit_windows WHERE bucket = ? AND window_start > ?',
  ).get(bucket, since);
  return { used: row?.used ?? 0, oldest: row?.oldest ?? null };
}

/**
 * Takes one slot of a rolling window at `now` unless `limit` were taken after
 * `since`: returns the usage before the take, or null when the window is full
 * (nothing taken). The bucket's slots taken at or before `since` are dropped.
 * One immediate transaction, so concurrent takers never overshoot.
 */
export function takeRollingSlot(
  db: WritableDb,
  bucket: string,
  now: number,
  since: number,
  limit: number,
): { used: number; oldest: number | null } | null {
  return transaction(
    db,
    () => {
      stmt(db, 'DELETE FROM rate_limit_windows WHERE bucket = ? AND window_start <= ?').run(bucket, since);
      const usage = rollingUsage(db, bucket, since);
      if (usage.used >= limit) return null;
      countOne(db, bucket, now);
      return usage;
    },
    'immediate',
  );
}

/** One more in the row (bucket, window_start). */
function countOne(db: WritableDb, bucket: string, windowStart: number): void {
  stmt(
    db,
    `INSERT INTO rate_limit_windows (bucket, window_start, count) VALUES (?, ?, 1)
     ON CONFLICT (bucket, window_start) DO UPDATE SET count = count + 1`,
  ).run(bucket, windowStart);
}
