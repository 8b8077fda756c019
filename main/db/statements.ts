import type { Statement } from 'better-sqlite3';
import type { IndexDb } from './openIndex.ts';

const cache = new WeakMap<IndexDb, Map<string, Statement>>();

/** A prepared statement for `sql` on `db`, prepared once per connection. */
export function stmt<P extends unknown[] | {} = unknown[], R = unknown>(db: IndexDb, sql: string): Statement<P, R> {
  let byText = cache.get(db);
  if (!byText) {
    byText = new Map();
    cache.set(db, byText);
  }
  let prepared = byText.get(sql);
  if (!prepared) {
    prepared = db.prepare(sql);
    byText.set(sql, prepared);
  }
  return prepared as unknown as Statement<P, R>;
}
