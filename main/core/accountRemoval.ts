import { rmSync } from 'node:fs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { BlobStore } from '../db/blobStore.ts';
import type { WritableDb } from '../db/handles.ts';
import { deleteAccountRow, deleteMessageBatch, deleteThreadBatch, releaseUnusedBlobs } from '../db/queries/accountRemoval.ts';
import { getAccount } from '../db/queries/accounts.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import type { JobRunner } from '../sync/jobRunner.ts';
import type { EventBus } from './eventBus.ts';
import { OutpostError } from './outpostError.ts';

export interface AccountRemovalDeps {
  db: WritableDb;
  blobs: BlobStore;
  runner: JobRunner;
  events: EventBus;
  providers: ProviderRegistry;
}

export interface AccountRemoval {
  messages: number;
  events: number;
  /** Blob files no other account used, deleted from disk. */
  blobsFreed: number;
  /**
   * Whether the provider was told to forget Outpost's grant (false: it could not be reached or
   * refused). Null where there is nothing to revoke: Microsoft has no per-app revocation (the
   * sign-in stays listed under the Microsoft account's apps until removed there), and imported
   * mail has no provider.
   */
  revoked: boolean | null;
}

export class AccountNotFoundError extends OutpostError {
  constructor(message: string) {
    super('not_found', message);
  }
}

/** Messages (then threads) deleted per transaction: each batch is short, so the API keeps answering during a large removal. */
const BATCH = 1_000;

/**
 * Removes an account from this computer: its sync jobs are stopped first, then
 * its messages (in batches, with the search index rows their triggers remove)
 * and threads, then the account row, which cascades to labels, calendars, events,
 * outbox, pending changes, cursors and stored tokens. Blobs only it used are
 * deleted. Nothing is deleted at the provider; the provider is asked to revoke
 * the grant where it can be. Running it again after a crash finishes what was left.
 */
export async function removeAccount(deps: AccountRemovalDeps, accountId: string): Promise<AccountRemoval> {
  const { db, runner } = deps;
  const account = getAccount(db, accountId);
  if (!account) throw new AccountNotFoundError(`no account ${accountId}`);
  await runner.holdAccount(accountId);
  try {
    // What revoking needs is read now: the account's secrets go with its row.
    const revoke = deps.providers.of(account).revocation(account);
    const candidates = new Set<string>();
    let messages = 0;
    for (;;) {
      const batch = deleteMessageBatch(db, accountId, BATCH);
      messages += batch.deleted;
      for (const sha256 of batch.blobs) candidates.add(sha256);
      if (batch.deleted < BATCH) break;
      await yieldToEventLoop();
    }
    // Threads too (their label rows go with them), so the last transaction is small.
    while (deleteThreadBatch(db, accountId, BATCH) === BATCH) await yieldToEventLoop();
    const removed = deleteAccountRow(db, accountId);
    for (const sha256 of removed.blobs) candidates.add(sha256);
    // The blobs nothing uses now, a batch at a time: rows first, files after their commit,
    // so a crash in between leaves only unreferenced files, never a row without its file.
    let blobsFreed = 0;
    const pending = [...candidates];
    for (let i = 0; i < pending.length; i += BATCH) {
      const freed = releaseUnusedBlobs(db, pending.slice(i, i + BATCH));
      for (const sha256 of freed) rmSync(deps.blobs.pathOf(sha256), { force: true });
      blobsFreed += freed.length;
      await yieldToEventLoop();
    }
    deps.events.emit({ type: 'account.removed', account_id: accountId });
    const revoked = revoke ? await revoke() : null;
    return { messages, events: removed.events, blobsFreed, revoked };
  } finally {
    runner.releaseAccount(accountId);
  }
}
