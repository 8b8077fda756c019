// Search over 100,000 messages built by resampling the real corpus (parsed
// once, written with new ids and dates): p50/p95 for a mix of queries.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openIndex } from '../../main/db/openIndex.ts';
import { upsertLabel } from '../../main/db/queries/labels.ts';
import { writeMessages } from '../../main/db/queries/messageWrites.ts';
import { parseSearchQuery } from '../../main/search/parseSearchQuery.ts';
import { searchMessages, searchPage } from '../../main/search/searchMessages.ts';
import { seedAccount } from '../support/indexFixtures.ts';
import { machine, median, percentile } from './benchStats.ts';
import { parsedCorpus, resampledMessage } from './resampledCorpus.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const QUERIES = [
  'linux',
  'kernel driver',
  '"red hat"',
  'from:linux.ie',
  'subject:ilug',
  'is:unread mail',
  'has:attachment',
  'label:receipts',
  'razor -spam',
  'subject:re after:2010/01/01',
  'perl OR python',
  'quarte',
  'meetin',
  'freety',
  'linux kern',
  // What issue 20 measured slower than notmuch, and the kinds its notmuch comparison runs.
  'label:inbox',
  'label:receipts linux',
  'is:unread python',
  'from:linux.ie kernel',
  'linux after:2008/01/01 before:2009/01/01',
  'python',
  'to:ilug',
  'from:spamassassin',
  'spamassassin -razor',
  'mailing list',
  'linux OR freebsd',
];
// BENCH_QUERIES='a|b' runs only those queries (iterating on one plan).
const queries = process.env.BENCH_QUERIES ? process.env.BENCH_QUERIES.split('|') : QUERIES;
// Runs per query and path (BENCH_RUNS, default 30).
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
// BENCH_NO_PREFIX=1 seeds without the unstemmed prefix index (migration 020), to measure what it costs.
const noPrefix = process.env.BENCH_NO_PREFIX === '1';

// BENCH_DB=path keeps the seeded index there and reuses it on the next run (iterating on queries).
const keep = process.env.BENCH_DB;
const dir = mkdtempSync(join(tmpdir(), 'outpost-search-bench-'));
const reuse = keep !== undefined && existsSync(keep);
const db = openIndex(keep ?? join(dir, 'index.sqlite'));
try {
  const corpus = reuse ? [] : await parsedCorpus();
  const { account, inbox } = reuse ? { account: { id: '' }, inbox: 0 } : seedAccount(db);
  const receipts = reuse ? 0 : upsertLabel(db, account.id, { remoteId: 'Label_1', name: 'Receipts', kind: 'user', role: null });
  if (noPrefix && !reuse)
    db.exec('DROP TRIGGER messages_prefix_insert; DROP TRIGGER messages_prefix_delete; DROP TRIGGER messages_prefix_update');
  const seedStart = performance.now();
  for (let i = 0; i < (reuse ? 0 : MESSAGES); i += 2000) {
    writeMessages(
      db,
      account.id,
      Array.from({ length: Math.min(2000, MESSAGES - i) }, (_, j) =>
        resampledMessage(corpus, i + j, { inbox, other: receipts }, (template) => ({
          attachments: template.attachments.slice(0, 2).map((a, partIndex) => ({
            partIndex,
            remoteId: null,
            filename: a.filename,
            mimeType: a.mimeType,
            sizeBytes: a.content.byteLength,
            contentId: null,
            isInline: false,
            blobSha256: null,
          })),
        })),
      ),
    );
  }
  db.pragma('optimize');
  const seedSeconds = (performance.now() - seedStart) / 1000;

  const sizes = db
    .prepare(
      `SELECT CASE WHEN name LIKE 'messages_prefix%' THEN 'prefix' WHEN name LIKE 'messages_fts%' THEN 'fts' ELSE 'rest' END AS part,
         sum(pgsize) AS bytes FROM dbstat GROUP BY part`,
    )
    .all() as Array<{ part: string; bytes: number }>;
  const all: number[] = [];
  const perQuery: string[] = [];
  for (const q of queries) {
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const t = performance.now();
      searchMessages(db, parseSearchQuery(q), { limit: 26, offset: 0, prefixLast: true });
      times.push(performance.now() - t);
    }
    // What GET /v1/email/search answers: conversations, newest first, with the total.
    const apiTimes: number[] = [];
    let total = 0;
    let estimated = false;
    for (let run = 0; run < RUNS; run++) {
      const t = performance.now();
      const page = searchPage(db, parseSearchQuery(q), { limit: 26, group: 'threads', prefixLast: true });
      total = page.total;
      estimated = page.totalEstimated;
      apiTimes.push(performance.now() - t);
    }
    all.push(...times);
    perQuery.push(
      `  ${q.padEnd(28)} p50 ${median(times).toFixed(2).padStart(7)} ms   p95 ${percentile(times, 95).toFixed(2).padStart(7)} ms` +
        `   conversations+total p50 ${median(apiTimes).toFixed(2).padStart(7)} ms   p95 ${percentile(apiTimes, 95).toFixed(2).padStart(7)} ms   total ${total}${estimated ? ' (estimated)' : ''}`,
    );
  }
  console.log(`machine: ${machine()}`);
  console.log(
    `indexed ${MESSAGES.toLocaleString()} messages in ${seedSeconds.toFixed(1)} s${noPrefix ? ' (no prefix index)' : ''}`,
  );
  console.log(`index sizes: ${sizes.map((p) => `${p.part} ${(p.bytes / 1e6).toFixed(1)} MB`).join(', ')}`);
  console.log(perQuery.join('\n'));
  console.log(`all queries (${all.length} runs): p50 ${median(all).toFixed(2)} ms, p95 ${percentile(all, 95).toFixed(2)} ms`);
} finally {
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
