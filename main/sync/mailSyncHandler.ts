import type { EventBus } from '../core/eventBus.ts';
import type { Log } from '../core/log.ts';
import { codeOf } from '../core/outpostError.ts';
import type { BlobStore } from '../db/blobStore.ts';
import type { WritableDb } from '../db/handles.ts';
import { type AccountRow, getAccount, recordSyncFailure, recordSyncSuccess } from '../db/queries/accounts.ts';
import { LARGE_CHANGE_MESSAGES, refreshStatistics } from '../db/statistics.ts';
import { modeRunOf } from '../providers/accountProvider.ts';
import { ProviderError } from '../providers/providerErrors.ts';
import type { ProviderRegistry } from '../providers/registry.ts';
import { pushDrafts } from '../send/draftSync.ts';
import { cleanUpBlobs } from './blobCleanup.ts';
import type { JobHandler } from './jobRunner.ts';
import { pushPendingChanges } from './pendingChangePusher.ts';

export interface SyncHandlerDeps {
  db: WritableDb;
  blobs: BlobStore;
  events: EventBus;
  providers: ProviderRegistry;
  log: Log;
}

/** The job's account, or not_connected when it is gone (removed meanwhile). */
export function jobAccount(db: WritableDb, accountId: string | null): AccountRow {
  const account = accountId ? getAccount(db, accountId) : undefined;
  if (!account) throw new ProviderError('not_connected', `account ${accountId} is not connected`);
  return account;
}

/**
 * The email_sync job: pushes the account's local changes, then syncs its mail
 * with its provider, and records the outcome on the account. A revoked or
 * unusable sign-in marks the account needs_reauth (shown in the API and UI)
 * and fails the job once, instead of retrying forever.
 */
export function createMailSyncHandler(deps: SyncHandlerDeps): JobHandler {
  return async (job, context) => {
    const account = jobAccount(deps.db, job.account_id);
    const params = JSON.parse(job.params_json) as { trigger?: string };
    const session = deps.providers.of(account).session(account, context.signal);
    let counts: Awaited<ReturnType<typeof session.syncMail>>;
    const scheduled = params.trigger === 'scheduler';
    try {
      // Local changes first, so the sync brings them back confirmed instead of undoing them.
      const pushed = await pushPendingChanges(deps.db, session, account.id, { scheduled });
      if (pushed > 0) deps.log.info({ job_id: job.id, account_id: account.id, changes: pushed }, 'pushed local changes');
      await pushDrafts(deps, session, account.id);
      counts = await session.syncMail({ mode: job.mode, catchUp: params.trigger === 'gmail-connections', scheduled }, context);
      recordSyncSuccess(deps.db, account.id);
    } catch (error) {
      recordFailure(deps, account.id, error, true);
      throw error;
    }
    await cleanUpAfterSync(deps, job.id);
    if (modeRunOf(counts, job.mode) === 'full' || counts.messagesProcessed + counts.messagesDeleted > LARGE_CHANGE_MESSAGES) {
      refreshStatisticsAfterSync(deps, job.id);
    }
    return counts;
  };
}

/** The planner's statistics after a full sync or a large incremental one (main/db/statistics.ts); a failure is logged, never fails the sync. */
function refreshStatisticsAfterSync(deps: SyncHandlerDeps, jobId: string): void {
  try {
    const how = refreshStatistics(deps.db);
    deps.log.debug({ job_id: jobId, statistics: how }, 'planner statistics refreshed');
  } catch (error) {
    deps.log.warn({ err: error, job_id: jobId }, 'refreshing planner statistics failed; the next full sync tries again');
  }
}

/** Disk given back after a sync (main/sync/blobCleanup.ts); a failure is logged and never fails the sync. */
async function cleanUpAfterSync(deps: SyncHandlerDeps, jobId: string): Promise<void> {
  try {
    await cleanUpBlobs(deps);
  } catch (error) {
    deps.log.warn({ err: error, job_id: jobId }, 'blob clean-up failed; the next sync tries again');
  }
}

/**
 * A failed sync on the account: needs_reauth marks it (and says so on the event stream);
 * `remember` keeps the message as the account's last error (mail syncs do; calendars only mark).
 */
export function recordFailure(deps: SyncHandlerDeps, accountId: string, error: unknown, remember: boolean): void {
  const needsReauth = codeOf(error) === 'needs_reauth';
  if (!remember && !needsReauth) return;
  recordSyncFailure(deps.db, accountId, error instanceof Error ? error.message : String(error), needsReauth);
  if (needsReauth) deps.events.emit({ type: 'account.updated', account_id: accountId, status: 'needs_reauth' });
}
