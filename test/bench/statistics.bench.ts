// `label:` and friends before and after the planner's statistics exist
// (main/db/statistics.ts): 100,000 messages resampled from the real corpus are
// written as an import writes them (no ANALYZE), a mix of queries timed, then
// refreshStatistics runs (timed) and the same queries are timed again.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openIndex } from '../../main/db/openIndex.ts';
import { upsertLabel } from '../../main/db/queries/labels.ts';
import { writeMessages } from '../../main/db/queries/messageWrites.ts';
import { explainStatements } from '../../main/db/queryPlans.ts';
import { refreshStatistics } from '../../main/db/statistics.ts';
import { parseSearchQuery } from '../../main/search/parseSearchQuery.ts';
import { searchMessages } from '../../main/search/searchMessages.ts';
import { seedAccount } from '../support/indexFixtures.ts';
import { machine, median, percentile } from './benchStats.ts';
import { parsedCorpus, resampledMessage } from './resampledCorpus.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const QUERIES = ['label:receipts', 'label:inbox', 'label:receipts linux', 'is:unread label:receipts', 'has:attachment'];

const dir = mkdtempSync(join(tmpdir(), 'outpost-statistics-bench-'));
const db = openIndex(join(dir, 'index.sqlite'));
try {
  const corpus = await parsedCorpus();
  const { account, inbox } = seedAccount(db);
  const receipts = upsertLabel(db, account.id, { remoteId: 'Label_1', name: 'Receipts', kind: 'user', role: null });
  for (let i = 0; i < MESSAGES; i += 2000) {
    writeMessages(
      db,
      account.id,
      Array.from({ length: Math.min(2000, MESSAGES - i) }, (_, j) => resampledMessage(corpus, i + j, { inbox, other: receipts })),
    );
  }
  const run = (label: string) => {
    const lines: string[] = [];
    for (const q of QUERIES) {
      const search = () => searchMessages(db, parseSearchQuery(q), { limit: 26, offset: 0 });
      const times: number[] = [];
      for (let r = 0; r < 30; r++) {
        const t = performance.now();
        search();
        times.push(performance.now() - t);
      }
      lines.push(
        `  ${q.padEnd(26)} p50 ${median(times).toFixed(2).padStart(7)} ms   p95 ${percentile(times, 95).toFixed(2).padStart(7)} ms`,
      );
      if (process.env.BENCH_PLANS) {
        for (const s of explainStatements(db, search)) lines.push(`    ${s.plan.replace(/\n/g, '\n    ')}`);
      }
    }
    console.log(`${label}\n${lines.join('\n')}`);
  };
  console.log(`machine: ${machine()}`);
  console.log(`${MESSAGES.toLocaleString()} messages written without ANALYZE`);
  run('no statistics (as after an import before this change):');
  const t = performance.now();
  const how = refreshStatistics(db);
  console.log(`refreshStatistics: ${how} in ${(performance.now() - t).toFixed(0)} ms`);
  run('after refreshStatistics:');
  const t2 = performance.now();
  const again = refreshStatistics(db);
  console.log(`refreshStatistics again (nothing changed): ${again} in ${(performance.now() - t2).toFixed(0)} ms`);
} finally {
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
