// Recipient autocomplete over 100,000 messages: GET /v1/email/contacts's
// query, for prefixes that match many, few and no people. Seeds the index
// directly: 2,000 correspondents, one message in ten sent by the user.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openIndex } from '../../main/db/openIndex.ts';
import { writeMessages } from '../../main/db/queries/messageWrites.ts';
import { messageInput, seedAccount } from '../support/indexFixtures.ts';
import { buildLocalApi } from '../support/localApi.ts';
import { machine, median, percentile } from './benchStats.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const dir = mkdtempSync(join(tmpdir(), 'outpost-contacts-bench-'));
const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Ken', 'Dennis', 'Margaret', 'Linus'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Knuth', 'Thompson', 'Ritchie', 'Hamilton', 'Torvalds'];
const person = (n: number) => ({
  name: `${FIRST[n % 10]} ${LAST[Math.floor(n / 10) % 10]} ${n}`,
  email: `${(FIRST[n % 10] as string).toLowerCase()}.${n}@example.test`,
});

try {
  const db = openIndex(join(dir, 'index.db'));
  const { account, inbox, sent } = seedAccount(db);
  for (let i = 0; i < MESSAGES; i += 1000) {
    writeMessages(
      db,
      account.id,
      Array.from({ length: Math.min(1000, MESSAGES - i) }, (_, j) => {
        const n = i + j;
        const other = person(n % 2000);
        return n % 10 === 0
          ? messageInput({
              remoteId: `m${n}`,
              sentAt: n * 60_000,
              from: { name: 'Me', email: 'me@example.test' },
              to: [other],
              labelIds: [sent],
            })
          : messageInput({ remoteId: `m${n}`, sentAt: n * 60_000, from: other, labelIds: [inbox] });
      }),
    );
  }
  const { app, key: newKey } = await buildLocalApi(db, join(dir, 'blobs'));
  const key = newKey('read:email');
  console.log(`machine: ${machine()}; ${MESSAGES.toLocaleString()} messages, 2,000 correspondents`);
  for (const q of ['a', 'grace', 'hopper', 'grace hopper', 'ken.1', 'zz']) {
    const times: number[] = [];
    let count = 0;
    for (let run = 0; run < 21; run++) {
      const start = performance.now();
      const response = await app.inject({
        method: 'GET',
        url: `/v1/email/contacts?q=${encodeURIComponent(q)}`,
        headers: { host: '127.0.0.1:7766', authorization: `Bearer ${key}` },
      });
      times.push(performance.now() - start);
      count = (response.json() as { data: unknown[] }).data.length;
    }
    console.log(`q=${q}: ${count} results, median ${median(times).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`);
  }
  await app.close();
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
