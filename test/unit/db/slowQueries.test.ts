import { describe, expect, it } from 'vitest';
import { memoryLog } from '../../../main/core/log.ts';
import { openIndex } from '../../../main/db/openIndex.ts';
import { pluckStmt, SLOW_QUERY_MS } from '../../../main/db/statements.ts';

describe('slow statements', () => {
  it(`are logged with their SQL and duration when they take over ${SLOW_QUERY_MS} ms`, () => {
    const logged = memoryLog();
    const db = openIndex(':memory:', { log: logged.log });
    try {
      expect(pluckStmt(db, 'SELECT count(*) FROM accounts').get()).toBe(0);
      // Counting to three million through a recursive CTE takes far longer than the threshold on any machine.
      const slow = `WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3000000)
        SELECT count(*) FROM n`;
      expect(pluckStmt(db, slow).get()).toBe(3_000_000);
      // (Only the slow one is looked for: on a loaded machine even a quick statement may be paused past the threshold.)
      const lines = logged.lines().filter((line) => line.msg === 'slow query' && String(line.sql).includes('RECURSIVE'));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: 40, method: 'get', sql: expect.stringContaining('WITH RECURSIVE n(x)') });
      expect(lines[0]?.ms).toBeGreaterThan(SLOW_QUERY_MS);
    } finally {
      db.close();
    }
  });
});
