import { accountHasMessages } from '../../db/queries/messageLookups.ts';
import { getCursor } from '../../db/queries/syncCursors.ts';
import { CursorExpiredError } from '../providerErrors.ts';
import { gmailFullSync } from './gmailFullSync.ts';
import { gmailHistorySync } from './gmailHistorySync.ts';
import { FULL_SYNC_CURSOR, type GmailSyncContext, HISTORY_CURSOR, type SyncCounts } from './gmailSyncContext.ts';

export interface GmailSyncRequest {
  mode: 'full' | 'incremental';
  /** The gmail-connections endpoint: with no stored historyId, catch up on the last 24 hours only. */
  catchUpWindow?: boolean;
}

/**
 * Chooses the sync to run: resume an interrupted full sync; incremental from
 * history when a position is stored; otherwise a full sync. A history 404
 * (position too old) becomes a reconciling full sync. "full" on an account
 * that already has mail reconciles instead of re-downloading or wiping.
 */
export async function runGmailSync(
  ctx: GmailSyncContext,
  request: GmailSyncRequest,
): Promise<{ counts: SyncCounts; mode: 'full' | 'incremental' | 'catch_up' }> {
  const { db, accountId } = ctx;
  const hasMail = accountHasMessages(db, accountId);
  if (getCursor(db, accountId, FULL_SYNC_CURSOR))
    return { counts: await gmailFullSync(ctx, { reconcile: hasMail }), mode: 'full' };
  if (request.mode === 'full') return { counts: await gmailFullSync(ctx, { reconcile: hasMail }), mode: 'full' };
  if (!getCursor(db, accountId, HISTORY_CURSOR)) {
    if (request.catchUpWindow)
      return { counts: await gmailFullSync(ctx, { reconcile: false, query: 'newer_than:1d' }), mode: 'catch_up' };
    return { counts: await gmailFullSync(ctx, { reconcile: hasMail }), mode: 'full' };
  }
  try {
    return { counts: await gmailHistorySync(ctx), mode: 'incremental' };
  } catch (error) {
    if (!(error instanceof CursorExpiredError)) throw error;
    return { counts: await gmailFullSync(ctx, { reconcile: true }), mode: 'full' };
  }
}
