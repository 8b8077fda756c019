import type { WritableDb } from './handles.ts';
import { pluckStmt, stmt } from './statements.ts';

/** Messages written by one incremental sync beyond which the planner's statistics are refreshed as after a full sync. */
export const LARGE_CHANGE_MESSAGES = 1_000;

/** Rows ANALYZE samples per index: statistics within a few percent in milliseconds, whatever the index's size. */
const ANALYSIS_LIMIT = 1_000;

/**
 * Keeps the query planner's statistics (sqlite_stat1) true to the index, so
 * every search operator gets its plan (`label:` walked newest first instead of
 * every labelled message sorted: docs/benchmarks.md). An index never analyzed
 * is analyzed; otherwise `PRAGMA optimize` analyzes what changed enough since.
 * Both sample at most ANALYSIS_LIMIT rows per index. Run after `import-mbox`,
 * a full sync and a large incremental one; never inside a transaction.
 */
export function refreshStatistics(db: WritableDb): 'analyzed' | 'optimized' {
  stmt(db, `PRAGMA analysis_limit = ${ANALYSIS_LIMIT}`).run();
  // Opening runs PRAGMA optimize after migrating, which may leave rows for the full-text tables only.
  const analyzed =
    (pluckStmt<[], number>(db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat1'").get() ?? 0) >
      0 && (pluckStmt<[], number>(db, "SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'messages'").get() ?? 0) > 0;
  if (!analyzed) {
    stmt(db, 'ANALYZE').run();
    return 'analyzed';
  }
  stmt(db, 'PRAGMA optimize').run();
  return 'optimized';
}
