// What an integrity check of the index costs at 100,000 and 1,000,000 messages:
// PRAGMA quick_check and integrity_check on a read-only connection (warm page
// cache), against the baseline of opening the index and reading its header
// (what every start does anyway); and the check in a child process, with the
// longest wait the caller's event loop (the API) sees meanwhile.
// BENCH_SIZES=100000,1000000 (default), BENCH_DB_DIR=dir keeps the seeded
// indexes there and reuses them on the next run (seeding 1M takes a while).
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { checkIndexFile, checkIndexFileInBackground } from '../../main/db/integrity.ts';
import { openIndex } from '../../main/db/openIndex.ts';
import { upsertLabel } from '../../main/db/queries/labels.ts';
import { writeMessages } from '../../main/db/queries/messageWrites.ts';
import { seedAccount } from '../support/indexFixtures.ts';
import { eventLoopStall, machine, median } from './benchStats.ts';
import { parsedCorpus, resampledMessage } from './resampledCorpus.ts';

const SIZES = (process.env.BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
const keep = process.env.BENCH_DB_DIR;
const dir = keep ?? mkdtempSync(join(tmpdir(), 'outpost-integrity-bench-'));
mkdirSync(dir, { recursive: true });

/** Messages resampled from the real corpus (as search.bench.ts): real subjects, senders, bodies up to 20 kB, FTS. */
async function seed(path: string, count: number): Promise<number> {
  const started = performance.now();
  const corpus = await parsedCorpus();
  const db = openIndex(path);
  try {
    const { account, inbox } = seedAccount(db);
    const other = upsertLabel(db, account.id, { remoteId: 'Label_1', name: 'Receipts', kind: 'user', role: null });
    for (let i = 0; i < count; i += 2000) {
      writeMessages(
        db,
        account.id,
        Array.from({ length: Math.min(2000, count - i) }, (_, j) => resampledMessage(corpus, i + j, { inbox, other })),
      );
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  return (performance.now() - started) / 1000;
}

function timed(runs: number, work: () => void): number[] {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    work();
    times.push(performance.now() - started);
  }
  return times;
}

/** The check in a child process while a 2 ms timer measures the longest gap of this event loop. */
async function inBackground(path: string): Promise<{ ms: number; stallMs: number }> {
  const stall = eventLoopStall();
  const started = performance.now();
  const report = await checkIndexFileInBackground(path).result;
  const stallMs = stall.stop();
  if (!report?.ok) throw new Error(`background check failed: ${report?.problems.join('; ')}`);
  return { ms: performance.now() - started, stallMs };
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

console.log(`machine: ${machine()}`);
try {
  for (const size of SIZES) {
    const path = join(dir, `index-${size}.sqlite`);
    if (!existsSync(path)) console.log(`seeded ${size.toLocaleString()} messages in ${(await seed(path, size)).toFixed(0)} s`);
    const mb = statSync(path).size / 2 ** 20;
    const big = size >= 1_000_000;
    const open = timed(7, () => {
      const db = new Database(path, { readonly: true });
      db.pragma('schema_version');
      db.close();
    });
    checkIndexFile(path); // warm the page cache once, as a machine that has the index in use has it
    const quick = timed(big ? 3 : 5, () => {
      if (!checkIndexFile(path).ok) throw new Error('quick_check failed');
    });
    const full = timed(big ? 1 : 3, () => {
      if (!checkIndexFile(path, { check: 'integrity_check' }).ok) throw new Error('integrity_check failed');
    });
    const background = await inBackground(path);
    console.log(
      [
        `${size.toLocaleString()} messages, index ${mb.toFixed(0)} MiB (${((mb / size) * 1024).toFixed(1)} KiB per message)`,
        `  baseline: open + read header      median ${fmt(median(open))}`,
        `  quick_check                       median ${fmt(median(quick))} (${quick.length} runs; ${(mb / (median(quick) / 1000)).toFixed(0)} MiB/s)`,
        `  integrity_check                   median ${fmt(median(full))} (${full.length} runs)`,
        `  quick_check in a child process    ${fmt(background.ms)}, longest event-loop wait meanwhile ${fmt(background.stallMs)}`,
      ].join('\n'),
    );
  }
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
