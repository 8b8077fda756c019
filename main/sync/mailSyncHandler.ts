import type { ProviderConfig } from '../auth/providerConfig.ts';
import type { TokenVault } from '../auth/tokenVault.ts';
import type { EventBus } from '../core/eventBus.ts';
import type { BlobStore } from '../db/blobStore.ts';
import type { IndexDb } from '../db/openIndex.ts';
import { getAccount } from '../db/queries/accounts.ts';
import { stmt } from '../db/statements.ts';
import { DEFAULT_GMAIL_QUOTA, type GmailQuotaSettings, openGmailSession } from '../providers/gmail/gmailSession.ts';
import { runGmailSync } from '../providers/gmail/gmailSyncJob.ts';
import { graphMailSync } from '../providers/graph/graphMailSync.ts';
import { openGraphClient } from '../providers/graph/graphSession.ts';
import { ProviderError } from '../providers/providerErrors.ts';
import type { JobHandler } from './jobRunner.ts';
import { pushGmailChanges, pushGraphChanges } from './pendingChangePusher.ts';

export interface MailSyncDeps {
  db: IndexDb;
  blobs: BlobStore;
  vault: TokenVault;
  events: EventBus;
  providers: ProviderConfig;
  attachmentSizeCap: number;
  gmailQuota?: GmailQuotaSettings;
}

/**
 * The email_sync job: syncs one account with its provider and records the
 * outcome on the account. A revoked or unusable sign-in marks the account
 * needs_reauth (shown in the API and UI) and fails the job once, instead of
 * retrying forever.
 */
export function createMailSyncHandler(deps: MailSyncDeps): JobHandler {
  return async (job, context) => {
    const account = job.account_id ? getAccount(deps.db, job.account_id) : undefined;
    if (!account) throw new ProviderError('not_connected', `account ${job.account_id} is not connected`);
    const params = JSON.parse(job.params_json) as { trigger?: string };
    try {
      let counts: Record<string, number>;
      if (account.provider === 'gmail') {
        if (!deps.providers.google)
          throw new ProviderError('not_connected', 'no Google OAuth client is configured (OUTPOST_GOOGLE_CLIENT_ID)');
        const session = openGmailSession(deps.providers.google, deps.vault, account.id, deps.gmailQuota ?? DEFAULT_GMAIL_QUOTA);
        // Local changes first, so the sync brings them back confirmed instead of undoing them.
        await pushGmailChanges(deps.db, session, account.id);
        const result = await runGmailSync(
          {
            db: deps.db,
            blobs: deps.blobs,
            session,
            accountId: account.id,
            attachmentSizeCap: deps.attachmentSizeCap,
            signal: context.signal,
            reportProgress: context.reportProgress,
          },
          { mode: job.mode, catchUpWindow: params.trigger === 'gmail-connections' },
        );
        counts = result.counts;
      } else if (account.provider === 'microsoft') {
        if (!deps.providers.microsoft)
          throw new ProviderError('not_connected', 'no Microsoft OAuth client is configured (OUTPOST_MICROSOFT_CLIENT_ID)');
        const client = await openGraphClient(deps.providers.microsoft, deps.vault, account.id, context.signal);
        await pushGraphChanges(deps.db, client, account.id);
        counts = await graphMailSync(
          {
            db: deps.db,
            blobs: deps.blobs,
            client,
            accountId: account.id,
            attachmentSizeCap: deps.attachmentSizeCap,
            signal: context.signal,
            reportProgress: context.reportProgress,
          },
          { full: job.mode === 'full' },
        );
      } else if (account.provider === 'local') {
        counts = { messagesProcessed: 0, threadsProcessed: 0 };
      } else {
        throw new ProviderError('not_connected', `${account.provider} accounts cannot be synced`);
      }
      recordOutcome(deps, account.id, null);
      return counts;
    } catch (error) {
      recordOutcome(deps, account.id, error);
      throw error;
    }
  };
}

function recordOutcome(deps: MailSyncDeps, accountId: string, error: unknown): void {
  const code = (error as { code?: string } | null)?.code;
  if (error === null) {
    stmt(deps.db, `UPDATE accounts SET last_synced_at = ?, last_error = NULL, status = 'active' WHERE id = ?`).run(
      Date.now(),
      accountId,
    );
    return;
  }
  const status = code === 'needs_reauth' ? 'needs_reauth' : null;
  stmt(deps.db, 'UPDATE accounts SET last_error = ?, status = coalesce(?, status) WHERE id = ?').run(
    (error as Error).message ?? String(error),
    status,
    accountId,
  );
  if (status) deps.events.emit({ type: 'account.updated', account_id: accountId, status });
}
