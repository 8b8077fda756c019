import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventBus } from '../../../main/core/eventBus.ts';
import { silentLog } from '../../../main/core/log.ts';
import type { BlobStore } from '../../../main/db/blobStore.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import type { JobRow } from '../../../main/db/queries/jobs.ts';
import { writeMessages } from '../../../main/db/queries/messageWrites.ts';
import type { SyncCounts } from '../../../main/providers/accountProvider.ts';
import type { ProviderRegistry } from '../../../main/providers/registry.ts';
import { createMailSyncHandler } from '../../../main/sync/mailSyncHandler.ts';
import { messageInput, seedAccount } from '../../support/indexFixtures.ts';

/** Whether the planner has statistics for the messages' labels. */
function analyzed(db: IndexDb): boolean {
  return db.prepare("SELECT count(*) FROM sqlite_stat1 WHERE idx = 'message_labels_by_label'").pluck().get() !== 0;
}

describe('a mail sync refreshes the planner statistics when it changed much', () => {
  let db: IndexDb;
  let accountId: string;
  beforeEach(() => {
    db = openIndex(':memory:');
    const seeded = seedAccount(db);
    accountId = seeded.account.id;
    writeMessages(
      db,
      accountId,
      Array.from({ length: 50 }, (_, i) => messageInput({ remoteId: `m${i}`, labelIds: [seeded.inbox] })),
    );
  });
  afterEach(() => db.close());

  /** Runs the handler once over a provider whose sync reports `counts` (what it wrote is already in the index). */
  const syncReporting = async (counts: SyncCounts, mode: JobRow['mode']) => {
    const providers = {
      of: () => ({ session: () => ({ syncMail: async () => counts }) }),
    } as unknown as ProviderRegistry;
    const handler = createMailSyncHandler({
      db,
      blobs: { deleteFiles: () => {} } as unknown as BlobStore,
      events: new EventBus(silentLog),
      providers,
      log: silentLog,
    });
    const job = { id: 'job_1', account_id: accountId, mode, params_json: '{}' } as JobRow;
    await handler(job, { reportProgress: () => {}, signal: new AbortController().signal });
  };

  it('after an incremental sync of more than 1,000 messages', async () => {
    await syncReporting({ messagesProcessed: 900, threadsProcessed: 900, messagesDeleted: 101, fullSyncs: 0 }, 'incremental');
    expect(analyzed(db)).toBe(true);
  });

  it('after a full sync, whatever its size', async () => {
    await syncReporting({ messagesProcessed: 5, threadsProcessed: 5, messagesDeleted: 0, fullSyncs: 1 }, 'incremental');
    expect(analyzed(db)).toBe(true);
  });

  it('not after a small incremental sync', async () => {
    await syncReporting({ messagesProcessed: 999, threadsProcessed: 999, messagesDeleted: 1, fullSyncs: 0 }, 'incremental');
    expect(analyzed(db)).toBe(false);
  });
});
