import type { ReadableDb } from './handles.ts';
import { recordStatements } from './statements.ts';

/** A statement a production function ran, with SQLite's plan for it (EXPLAIN QUERY PLAN, one detail per line). */
export interface ExplainedStatement {
  sql: string;
  plan: string;
}

/**
 * Runs `work` (a production query function) and explains every distinct
 * statement it ran, with the parameters it ran them with. Tests assert on
 * the plans, so an index the production SQL stops using fails a test.
 */
export function explainStatements(db: ReadableDb, work: () => unknown): ExplainedStatement[] {
  const { calls } = recordStatements(db, work);
  const seen = new Set<string>();
  const explained: ExplainedStatement[] = [];
  for (const call of calls) {
    if (seen.has(call.sql)) continue;
    seen.add(call.sql);
    const rows = db.prepare(`EXPLAIN QUERY PLAN ${call.sql}`).all(...call.params) as Array<{ detail: string }>;
    explained.push({ sql: call.sql, plan: rows.map((row) => row.detail).join('\n') });
  }
  return explained;
}
