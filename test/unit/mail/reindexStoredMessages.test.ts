import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLog } from '../../../main/core/log.ts';
import { BlobStore } from '../../../main/db/blobStore.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { ensureAccount } from '../../../main/db/queries/accounts.ts';
import { countMessagesToReindex } from '../../../main/db/queries/searchableText.ts';
import { importRawMessages } from '../../../main/mail/importRawMessages.ts';
import { reindexStoredMessages } from '../../../main/mail/reindexStoredMessages.ts';
import { parseSearchQuery } from '../../../main/search/parseSearchQuery.ts';
import { searchMessages } from '../../../main/search/searchMessages.ts';
import { loadCorpus } from '../../emulator/kit/corpus.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const HTML_SAYS_MORE = 'hard-ham-1/00064.a80b45bb0339ed948bbbd968c074c60e';
const BOUNCE = 'easy-ham-1/01436.dc449ba377210e77d84647619e49c872';
const DOCUMENT_ATTACHED = 'spam-2/01359.deafa1d42658c6624c6809a446b7f369';

/** An index of these corpus messages with their raw messages kept, then made by `asBefore` (SQL) as an older version left it. */
async function importedAsBefore(
  dir: string,
  keys: readonly string[],
  asBefore: string,
): Promise<{ db: IndexDb; blobs: BlobStore }> {
  const db = openIndex(join(dir, 'index.sqlite'));
  const blobs = new BlobStore(db, join(dir, 'blobs'));
  const account = ensureAccount(db, 'gmail', 'me@example.test');
  const raws = loadCorpus()
    .filter((m) => keys.includes(m.key))
    .map((m) => m.raw);
  await importRawMessages(db, blobs, account.id, raws, { attachmentSizeCap: 25 * 2 ** 20 });
  db.exec(asBefore);
  return { db, blobs };
}

describe('reading stored messages again for search (indexes from before migration 18)', () => {
  const dir = makeTempDir();
  let db: IndexDb;
  let blobs: BlobStore;

  beforeAll(async () => {
    // What migration 18 leaves of messages whose raw message is kept: their searchable text to be read again.
    ({ db, blobs } = await importedAsBefore(
      dir.path,
      [HTML_SAYS_MORE, BOUNCE, DOCUMENT_ATTACHED],
      'UPDATE messages SET searchable_text = NULL',
    ));
  });
  afterAll(() => {
    db.close();
    dir.remove();
  });

  const count = (q: string) => searchMessages(db, parseSearchQuery(q), { limit: 10, offset: 0 }).length;

  it('reads them again batch by batch, resumes where a stopped run left off, and then finds their other parts', async () => {
    expect([count('comicshelp'), count('communigate'), count('yinxiang')]).toEqual([0, 0, 0]);
    const stop = new AbortController();
    const first = await reindexStoredMessages(
      { db, blobs, log: memoryLog().log },
      { batchSize: 1, signal: stop.signal, onProgress: () => stop.abort() },
    );
    expect(first.reindexed).toBe(1);
    expect(countMessagesToReindex(db)).toBe(2);

    const rest = await reindexStoredMessages({ db, blobs, log: memoryLog().log }, { batchSize: 1 });
    expect(rest.reindexed).toBe(2);
    expect(countMessagesToReindex(db)).toBe(0);
    expect([count('comicshelp'), count('communigate'), count('yinxiang')]).toEqual([1, 1, 1]);
    expect((await reindexStoredMessages({ db, blobs, log: memoryLog().log }, { batchSize: 10 })).reindexed).toBe(0);
  });

  it('keeps the attachment names of a message whose raw file is gone, logs it, and does not try it again', async () => {
    const row = db.prepare("SELECT id, raw_sha256 FROM messages WHERE searchable_text LIKE '%Yinxiang%'").get() as {
      id: number;
      raw_sha256: string;
    };
    rmSync(blobs.pathOf(row.raw_sha256));
    db.prepare('UPDATE messages SET searchable_text = NULL WHERE id = ?').run(row.id);
    const memory = memoryLog();
    expect((await reindexStoredMessages({ db, blobs, log: memory.log }, { batchSize: 10 })).reindexed).toBe(1);
    expect(memory.text()).toContain('message not read again for search');
    expect(count('yinxiang')).toBe(1);
    expect(countMessagesToReindex(db)).toBe(0);
  });
});

describe('reading stored messages again for their lists and Delivered-To (indexes from before migration 21)', () => {
  const ILUG = 'easy-ham-1/00013.81c34741dbed59c6dde50777e27e7ea3';
  const dir = makeTempDir();
  let db: IndexDb;
  let blobs: BlobStore;

  beforeAll(async () => {
    // What migration 21 leaves of a message whose raw message is kept: no rows yet, marked to be read again.
    ({ db, blobs } = await importedAsBefore(
      dir.path,
      [ILUG],
      'DELETE FROM message_header_addresses; UPDATE messages SET headers_to_read = 1',
    ));
  });
  afterAll(() => {
    db.close();
    dir.remove();
  });

  const count = (q: string) => searchMessages(db, parseSearchQuery(q), { limit: 10, offset: 0 }).length;

  it('gives them their List-Id and Delivered-To, leaving their searchable text as it was', async () => {
    const before = db.prepare('SELECT searchable_text FROM messages').pluck().get();
    expect([count('list:ilug.linux.ie'), count('deliveredto:zzzz@localhost.netnoteinc.com')]).toEqual([0, 0]);
    expect(countMessagesToReindex(db)).toBe(1);
    expect((await reindexStoredMessages({ db, blobs, log: memoryLog().log }, { batchSize: 10 })).reindexed).toBe(1);
    expect(countMessagesToReindex(db)).toBe(0);
    expect([
      count('list:ilug.linux.ie'),
      count('list:ilug@linux.ie'),
      count('deliveredto:zzzz@localhost.netnoteinc.com'),
    ]).toEqual([1, 1, 1]);
    expect(db.prepare('SELECT searchable_text FROM messages').pluck().get()).toBe(before);
  });
});
