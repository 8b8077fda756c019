import type { Credentials } from 'google-auth-library';
import type { GoogleConfig } from '../auth/providerConfig.ts';
import type { AccountRow } from '../db/queries/accounts.ts';
import type { QuotaWindow } from '../sync/quotaWindow.ts';
import { type AccountProvider, type AccountSession, countsWithModeRun } from './accountProvider.ts';
import { describeProvider } from './descriptions.ts';
import { writeGoogleEvent } from './gcal/gcalEventWrites.ts';
import { answerOnGoogle } from './gcal/gcalInvitations.ts';
import { gcalSync } from './gcal/gcalSync.ts';
import { pushGmailChanges } from './gmail/gmailChangePusher.ts';
import { connectGoogle } from './gmail/gmailConnect.ts';
import { gmailDrafts } from './gmail/gmailDrafts.ts';
import { DailyQuotaError } from './gmail/gmailErrors.ts';
import { gmailLabelWrites } from './gmail/gmailLabelWrites.ts';
import { gmailSendProvider } from './gmail/gmailSendProvider.ts';
import {
  type GmailQuotaSettings,
  type GmailSession,
  GOOGLE_TOKENS,
  gmailQuotaWindow,
  newGoogleOAuthClient,
  openGmailSession,
} from './gmail/gmailSession.ts';
import { runGmailSync } from './gmail/gmailSyncJob.ts';
import type { ProviderDeps } from './providerDeps.ts';

/**
 * Google accounts: Gmail for mail (history-based incremental sync, batch
 * fetches paced to the per-user quota, batchModify for local changes,
 * messages.send) and Google Calendar (syncTokens, events.patch for
 * invitations), both through the official clients with one OAuth grant.
 */
export function googleProvider(config: GoogleConfig, deps: ProviderDeps & { quota: GmailQuotaSettings }): AccountProvider {
  // Gmail counts one quota per user, whatever the request: a sync, a send and a calendar page share it.
  const quotas = new Map<string, QuotaWindow>();
  const quotaOf = (accountId: string) => {
    let quota = quotas.get(accountId);
    if (!quota) {
      quota = gmailQuotaWindow(deps.quota);
      quotas.set(accountId, quota);
    }
    return quota;
  };
  // 403 dailyLimitExceeded answered: until the quota day resets, scheduled syncs end with the same
  // error without asking Google (a sync someone asks for still asks, once).
  const dailyPause = new Map<string, { until: number; error: DailyQuotaError }>();
  const heedingDailyQuota = async <T>(accountId: string, scheduled: boolean | undefined, sync: () => Promise<T>): Promise<T> => {
    const paused = dailyPause.get(accountId);
    if (paused && scheduled && Date.now() < paused.until) throw paused.error;
    try {
      const result = await sync();
      dailyPause.delete(accountId);
      return result;
    } catch (error) {
      if (error instanceof DailyQuotaError) dailyPause.set(accountId, { until: Date.now() + error.waitMs, error });
      throw error;
    }
  };
  return {
    description: describeProvider('gmail'),
    connect: (options) => connectGoogle(deps.db, deps.vault, config, options),
    session(account: AccountRow, signal?: AbortSignal): AccountSession {
      let opened: GmailSession | null = null;
      const open = () => {
        opened ??= openGmailSession(
          config,
          deps.vault,
          account.id,
          quotaOf(account.id),
          deps.log.child({ provider: 'gmail', account_id: account.id }),
        );
        return opened;
      };
      const base = { db: deps.db, blobs: deps.blobs, accountId: account.id, attachmentSizeCap: deps.attachmentSizeCap };
      return {
        // While the day's quota is used up, a scheduled push ends with the pause's error and the
        // changes stay queued; one asked for asks Google, once, like the sync.
        pushChanges: async (changes, settle, options) =>
          heedingDailyQuota(account.id, options?.scheduled, () => pushGmailChanges(open(), changes, settle, signal)),
        async syncMail(request, run) {
          const context = { ...base, session: open(), signal: run.signal, reportProgress: run.reportProgress };
          const { counts, mode } = await heedingDailyQuota(account.id, request.scheduled, () =>
            runGmailSync(context, { mode: request.mode, catchUpWindow: request.catchUp }),
          );
          // A history 404 fell back to a reconciling full sync: say so (the 24-hour catch-up is not a full one).
          return countsWithModeRun(counts, mode === 'full' ? 'full' : 'incremental');
        },
        syncCalendars: async (request, run) =>
          heedingDailyQuota(account.id, request.scheduled, () =>
            gcalSync({ ...base, session: open(), signal: run.signal, reportProgress: run.reportProgress }, request),
          ),
        sender: async () => gmailSendProvider(open()),
        answerInvitation: async (invitation) => answerOnGoogle(open(), invitation, signal),
        writeEvent: async (edit) => writeGoogleEvent(open(), edit, signal),
        drafts: async () => gmailDrafts(open(), signal),
        labels: async () => gmailLabelWrites(open(), signal),
        // Gmail's messages are fetched as raw and kept at sync: there is nothing more to ask for.
        original: async () => null,
      };
    },
    revocation(account) {
      const stored = deps.vault.get(account.id, GOOGLE_TOKENS);
      const { refresh_token: refresh, access_token: access } = stored ? (JSON.parse(stored) as Credentials) : {};
      const token = refresh ?? access;
      if (!token) return async () => false;
      return async () => {
        try {
          // Revoking the refresh token ends the whole grant, its access tokens included.
          await newGoogleOAuthClient(config).revokeToken(token);
          return true;
        } catch (error) {
          deps.log.warn({ err: error, account_id: account.id }, 'Google did not revoke the grant');
          return false;
        }
      };
    },
  };
}
