// Marking 1,000 ticked threads read (then unread) through the API: one request
// per thread (what the UI did before) as the baseline, against one bulk request
// (POST /v1/email/threads/actions). In-process (inject), so it measures the
// server's work, not the network. Index: 30,000 messages in 10,000 threads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openIndex } from '../../main/db/openIndex.ts';
import { writeMessages } from '../../main/db/queries/messageWrites.ts';
import { messageInput, seedAccount } from '../support/indexFixtures.ts';
import { buildLocalApi } from '../support/localApi.ts';
import { machine, median } from './benchStats.ts';

const THREADS = 10_000;
const TICKED = 1_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const dir = mkdtempSync(join(tmpdir(), 'outpost-bulk-bench-'));

try {
  const db = openIndex(join(dir, 'index.db'));
  // A Gmail account: every change is also queued for the provider, as in real use.
  const { account, inbox } = seedAccount(db);
  for (let i = 0; i < THREADS * 3; i += 1000)
    writeMessages(
      db,
      account.id,
      Array.from({ length: 1000 }, (_, j) =>
        messageInput({
          remoteId: `m${i + j}`,
          threadRemoteId: `t${(i + j) % THREADS}`,
          sentAt: (i + j) * 60_000,
          labelIds: [inbox],
        }),
      ),
    );
  const { app, key: newKey } = await buildLocalApi(db, join(dir, 'blobs'), { rateLimits: { requestsPerMinute: 1_000_000 } });
  const headers = {
    host: '127.0.0.1:7766',
    authorization: `Bearer ${newKey('write:email')}`,
    'content-type': 'application/json',
  };
  const ids = (db.prepare('SELECT id FROM threads ORDER BY id LIMIT ?').pluck().all(TICKED) as number[]).map((id) => `thr_${id}`);
  const one = async (action: string) => {
    const start = performance.now();
    for (const id of ids)
      await app.inject({ method: 'POST', url: `/v1/email/threads/${id}/actions`, headers, payload: JSON.stringify({ action }) });
    return performance.now() - start;
  };
  const bulk = async (action: string) => {
    const start = performance.now();
    const response = await app.inject({
      method: 'POST',
      url: '/v1/email/threads/actions',
      headers,
      payload: JSON.stringify({ thread_ids: ids, action }),
    });
    if ((response.json() as { data: { updated: string[] } }).data.updated.length !== TICKED) throw new Error('bulk fell short');
    return performance.now() - start;
  };
  const singles: number[] = [];
  const bulks: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    singles.push(await one('mark_read'), await one('mark_unread'));
    bulks.push(await bulk('mark_read'), await bulk('mark_unread'));
  }
  console.log(`machine: ${machine()}; ${TICKED} of ${THREADS} threads, mark read / unread, median of ${RUNS * 2}`);
  console.log(`baseline: one request per thread  ${median(singles).toFixed(0)} ms`);
  console.log(`bulk: one request                 ${median(bulks).toFixed(0)} ms`);
  await app.close();
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
