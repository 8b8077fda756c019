// Removing an account of 100,000 messages (one in ten with its raw message kept
// as a blob) next to a second account of 10,000: how long it takes, and the
// longest the event loop (so the API and the UI's requests) waits meanwhile.
// Baseline in the same run: the same removal as one DELETE of the account row
// in one transaction, which is what batching replaces.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeAccount } from '../../main/core/accountRemoval.ts';
import { EventBus } from '../../main/core/eventBus.ts';
import { silentLog } from '../../main/core/log.ts';
import { BlobStore } from '../../main/db/blobStore.ts';
import { type IndexDb, openIndex } from '../../main/db/openIndex.ts';
import { writeMessages } from '../../main/db/queries/messageWrites.ts';
import { JobQueue } from '../../main/sync/jobQueue.ts';
import { JobRunner } from '../../main/sync/jobRunner.ts';
import { offlineProviders } from '../../test/support/offlineProviders.ts';
import { messageInput, seedAccount } from '../support/indexFixtures.ts';
import { eventLoopStall, machine, median } from './benchStats.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

function seed(db: IndexDb, blobs: BlobStore, email: string, count: number): string {
  const { account, inbox } = seedAccount(db, email);
  for (let i = 0; i < count; i += 1000) {
    writeMessages(
      db,
      account.id,
      Array.from({ length: Math.min(1000, count - i) }, (_, j) => {
        const n = i + j;
        return messageInput({
          remoteId: `${email}-${n}`,
          threadRemoteId: `${email}-t${Math.floor(n / 3)}`,
          sentAt: n * 60_000,
          bodyText: `message ${n} of ${email} with some words to index`,
          labelIds: [inbox],
          rawSha256: n % 10 === 0 ? blobs.put(randomBytes(64)) : null,
        });
      }),
    );
  }
  return account.id;
}

async function once(batched: boolean): Promise<{ ms: number; stallMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'outpost-removal-bench-'));
  try {
    const db = openIndex(join(dir, 'index.db'));
    const blobs = new BlobStore(db, join(dir, 'blobs'));
    const removed = seed(db, blobs, 'big@example.test', MESSAGES);
    seed(db, blobs, 'other@example.test', MESSAGES / 10);
    const events = new EventBus(silentLog);
    const runner = new JobRunner(new JobQueue(db, events), {}, { log: silentLog });
    // The longest gap between ticks of a 2 ms timer: how long a request would have waited.
    const stall = eventLoopStall();
    await new Promise((resolve) => setTimeout(resolve, 20));
    stall.reset();
    const started = performance.now();
    if (batched) await removeAccount({ db, blobs, runner, events, providers: offlineProviders(db, blobs) }, removed);
    else db.transaction(() => db.prepare('DELETE FROM accounts WHERE id = ?').run(removed))();
    const ms = performance.now() - started;
    // One more turn of the loop, so a stall at the very end is recorded.
    await new Promise((resolve) => setTimeout(resolve, 20));
    const stallMs = stall.stop();
    db.close();
    return { ms, stallMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const batchedRuns: Array<{ ms: number; stallMs: number }> = [];
const baselineRuns: Array<{ ms: number; stallMs: number }> = [];
for (let r = 0; r < RUNS; r++) {
  baselineRuns.push(await once(false));
  batchedRuns.push(await once(true));
}
const show = (name: string, runs: typeof batchedRuns) =>
  console.log(
    `${name.padEnd(34)} total ${median(runs.map((r) => r.ms)).toFixed(0)} ms, longest event-loop stall ${median(
      runs.map((r) => r.stallMs),
    ).toFixed(0)} ms (median of ${runs.length})`,
  );
console.log(`account removal, ${MESSAGES} messages (+${MESSAGES / 10} kept in another account) — ${machine()}`);
show('baseline: one DELETE, one tx', baselineRuns);
show('removeAccount: batches of 1,000', batchedRuns);
