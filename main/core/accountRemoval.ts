import { rmSync } from 'node:fs';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Credentials } from 'google-auth-library';
import type { GoogleConfig } from '../auth/providerConfig.ts';
import type { TokenVault } from '../auth/tokenVault.ts';
import type { BlobStore } from '../db/blobStore.ts';
import type { IndexDb } from '../db/openIndex.ts';
import { getAccount } from '../db/queries/accounts.ts';
import { stmt } from '../db/statements.ts';
import { GOOGLE_TOKENS, newGoogleOAuthClient } from '../providers/gmail/gmailSession.ts';
import type { JobRunner } from '../sync/jobRunner.ts';
import type { EventBus } from './eventBus.ts';
import { OutpostError } from './outpostError.ts';

export interface AccountRemovalDeps {
  db: IndexDb;
  blobs: BlobStore;
  runner: JobRunner;
  vault: TokenVault;
  events: EventBus;
  google: GoogleConfig | null;
}

export interface AccountRemoval {
  messages: number;
  events: number;
  /** Blob files no other account used, deleted from disk. */
  blobsFreed: number;
  /**
   * Whether the provider was told to forget Outpost's grant: Google's token is
   * revoked (false: Google could not be reached or refused). Null where there is
   * nothing to revoke: Microsoft has no per-app revocation (the sign-in stays
   * listed under the Microsoft account's apps until removed there), and imported
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
 * deleted. Nothing is deleted at the provider; Google is asked to revoke the
 * grant. Running it again after a crash finishes what was left.
 */
export async function removeAccount(deps: AccountRemovalDeps, accountId: string): Promise<AccountRemoval> {
  const { db, runner } = deps;
  const account = getAccount(db, accountId);
  if (!account) throw new AccountNotFoundError(`no account ${accountId}`);
  await runner.holdAccount(accountId);
  try {
    const googleTokens = account.provider === 'gmail' ? deps.vault.get(accountId, GOOGLE_TOKENS) : null;
    const candidates = new Set<string>();
    let messages = 0;
    const batch = stmt<[string, number], { id: number; raw_sha256: string | null }>(
      db,
      'SELECT id, raw_sha256 FROM messages WHERE account_id = ? LIMIT ?',
    );
    const attachmentBlobs = stmt<[string], { blob_sha256: string }>(
      db,
      'SELECT blob_sha256 FROM attachments WHERE message_id IN (SELECT value FROM json_each(?)) AND blob_sha256 IS NOT NULL',
    );
    const deleteMessages = stmt(db, 'DELETE FROM messages WHERE id IN (SELECT value FROM json_each(?))');
    for (;;) {
      const rows = db.transaction(() => {
        const chunk = batch.all(accountId, BATCH);
        const ids = JSON.stringify(chunk.map((row) => row.id));
        for (const row of chunk) if (row.raw_sha256) candidates.add(row.raw_sha256);
        for (const a of attachmentBlobs.all(ids)) candidates.add(a.blob_sha256);
        deleteMessages.run(ids);
        return chunk.length;
      })();
      messages += rows;
      if (rows < BATCH) break;
      await yieldToEventLoop();
    }
    // Threads too (their label rows go with them), so the last transaction is small.
    const deleteThreads = stmt(db, 'DELETE FROM threads WHERE id IN (SELECT id FROM threads WHERE account_id = ? LIMIT ?)');
    while (deleteThreads.run(accountId, BATCH).changes === BATCH) await yieldToEventLoop();
    const events = db.transaction(() => {
      for (const row of stmt<[string], { raw_sha256: string }>(db, 'SELECT raw_sha256 FROM outbox WHERE account_id = ?').all(
        accountId,
      ))
        candidates.add(row.raw_sha256);
      const eventCount =
        stmt<[string], { n: number }>(
          db,
          'SELECT count(*) AS n FROM events e JOIN calendars c ON c.id = e.calendar_id WHERE c.account_id = ?',
        ).get(accountId)?.n ?? 0;
      stmt(db, 'DELETE FROM accounts WHERE id = ?').run(accountId);
      return eventCount;
    })();
    // The blobs nothing uses now, a batch at a time: rows first, files after their commit,
    // so a crash in between leaves only unreferenced files, never a row without its file.
    let blobsFreed = 0;
    const pending = [...candidates];
    for (let i = 0; i < pending.length; i += BATCH) {
      const freed = db.transaction(() => unreferenced(db, pending.slice(i, i + BATCH)))();
      for (const sha256 of freed) rmSync(deps.blobs.pathOf(sha256), { force: true });
      blobsFreed += freed.length;
      await yieldToEventLoop();
    }
    deps.events.emit({ type: 'account.removed', account_id: accountId });
    const revoked = account.provider === 'gmail' ? await revokeGoogle(deps.google, googleTokens) : null;
    return { messages, events, blobsFreed, revoked };
  } finally {
    runner.releaseAccount(accountId);
  }
}

/** The candidates no message, attachment or outbox row uses any more, deleted from the blobs table. */
function unreferenced(db: IndexDb, candidates: readonly string[]): string[] {
  const used = stmt<[string, string, string], { one: number }>(
    db,
    `SELECT 1 AS one WHERE EXISTS (SELECT 1 FROM messages WHERE raw_sha256 = ?)
        OR EXISTS (SELECT 1 FROM attachments WHERE blob_sha256 = ?)
        OR EXISTS (SELECT 1 FROM outbox WHERE raw_sha256 = ?)`,
  );
  const remove = stmt(db, 'DELETE FROM blobs WHERE sha256 = ?');
  const freed: string[] = [];
  for (const sha256 of candidates) {
    if (used.get(sha256, sha256, sha256)) continue;
    remove.run(sha256);
    freed.push(sha256);
  }
  return freed;
}

/** Google's token revocation, through the same client library (and trust) as syncing; false when Google could not be told. */
async function revokeGoogle(config: GoogleConfig | null, stored: string | null): Promise<boolean> {
  if (!config || !stored) return false;
  const { refresh_token: refresh, access_token: access } = JSON.parse(stored) as Credentials;
  const token = refresh ?? access;
  if (!token) return false;
  try {
    // Revoking the refresh token ends the whole grant, its access tokens included.
    await newGoogleOAuthClient(config).revokeToken(token);
    return true;
  } catch {
    return false;
  }
}
