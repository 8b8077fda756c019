// Search over 100,000 messages built by resampling the real corpus (parsed
// once, written with new ids and dates): p50/p95 for a mix of queries.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openIndex } from '../../main/db/openIndex.ts';
import { upsertLabel } from '../../main/db/queries/labels.ts';
import { writeMessages } from '../../main/db/queries/messageWrites.ts';
import { parseSearchQuery } from '../../main/search/parseSearchQuery.ts';
import { searchMessages } from '../../main/search/searchMessages.ts';
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
];

// BENCH_DB=path keeps the seeded index there and reuses it on the next run (iterating on queries).
const keep = process.env.BENCH_DB;
const dir = mkdtempSync(join(tmpdir(), 'outpost-search-bench-'));
const reuse = keep !== undefined && existsSync(keep);
const db = openIndex(keep ?? join(dir, 'index.sqlite'));
try {
  const corpus = reuse ? [] : await parsedCorpus();
  const { account, inbox } = reuse ? { account: { id: '' }, inbox: 0 } : seedAccount(db);
  const receipts = reuse ? 0 : upsertLabel(db, account.id, { remoteId: 'Label_1', name: 'Receipts', kind: 'user', role: null });
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

  const all: number[] = [];
  const perQuery: string[] = [];
  for (const q of QUERIES) {
    const times: number[] = [];
    for (let run = 0; run < 30; run++) {
      const t = performance.now();
      searchMessages(db, parseSearchQuery(q), { limit: 26, offset: 0, prefixLast: true });
      times.push(performance.now() - t);
    }
    all.push(...times);
    perQuery.push(
      `  ${q.padEnd(28)} p50 ${median(times).toFixed(2).padStart(7)} ms   p95 ${percentile(times, 95).toFixed(2).padStart(7)} ms`,
    );
  }
  console.log(`machine: ${machine()}`);
  console.log(`indexed ${MESSAGES.toLocaleString()} messages in ${seedSeconds.toFixed(1)} s`);
  console.log(perQuery.join('\n'));
  console.log(`all queries (${all.length} runs): p50 ${median(all).toFixed(2)} ms, p95 ${percentile(all, 95).toFixed(2)} ms`);
} finally {
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
