import { getAccount } from '../db/queries/accounts.ts';
import { stmt } from '../db/statements.ts';
import { gcalSync } from '../providers/gcal/gcalSync.ts';
import { openGmailSession } from '../providers/gmail/gmailSession.ts';
import { graphCalendarSync } from '../providers/graph/graphCalendarSync.ts';
import { openGraphClient } from '../providers/graph/graphSession.ts';
import { ProviderError } from '../providers/providerErrors.ts';
import type { JobHandler } from './jobRunner.ts';
import type { MailSyncDeps } from './mailSyncHandler.ts';

const DAY_MS = 24 * 3600 * 1000;

/**
 * The window a calendar sync covers: the job's bounds, else 90 days back and 180 ahead (the API reference's
 * defaults). POST /v1/calendar/sync queues them as from/to; from_date/to_date are the request's own names.
 */
export function calendarWindow(
  params: { from?: string; to?: string; from_date?: string; to_date?: string },
  now = Date.now(),
): { from: number; to: number } {
  const fromParam = params.from ?? params.from_date;
  const toParam = params.to ?? params.to_date;
  const from = fromParam ? Date.parse(fromParam) : now - 90 * DAY_MS;
  const to = toParam ? Date.parse(toParam) : now + 180 * DAY_MS;
  if (Number.isNaN(from) || Number.isNaN(to) || to <= from)
    throw new ProviderError('provider_error', 'the calendar window is not a valid range');
  return { from, to };
}

/** The calendar_sync job: Google Calendar or Outlook calendars of one account into the index. */
export function createCalendarSyncHandler(deps: MailSyncDeps): JobHandler {
  return async (job, context) => {
    const account = job.account_id ? getAccount(deps.db, job.account_id) : undefined;
    if (!account) throw new ProviderError('not_connected', `account ${job.account_id} is not connected`);
    const params = JSON.parse(job.params_json) as Parameters<typeof calendarWindow>[0];
    // Without bounds of its own the job syncs the default window, which moves on with the clock.
    const sliding = !(params.from ?? params.from_date ?? params.to ?? params.to_date);
    const window = { ...calendarWindow(params), sliding };
    const options = { full: job.mode === 'full', window };
    try {
      if (account.provider === 'gmail') {
        if (!deps.providers.google)
          throw new ProviderError('not_connected', 'no Google OAuth client is configured (OUTPOST_GOOGLE_CLIENT_ID)');
        const session = openGmailSession(deps.providers.google, deps.vault, account.id, deps.gmailQuota);
        return await gcalSync(
          {
            db: deps.db,
            blobs: deps.blobs,
            session,
            accountId: account.id,
            signal: context.signal,
            reportProgress: context.reportProgress,
          },
          options,
        );
      }
      if (account.provider === 'microsoft') {
        if (!deps.providers.microsoft)
          throw new ProviderError('not_connected', 'no Microsoft OAuth client is configured (OUTPOST_MICROSOFT_CLIENT_ID)');
        const client = await openGraphClient(deps.providers.microsoft, deps.vault, account.id, context.signal);
        return await graphCalendarSync(
          { db: deps.db, client, accountId: account.id, signal: context.signal, reportProgress: context.reportProgress },
          options,
        );
      }
      return { eventsProcessed: 0 };
    } catch (error) {
      if ((error as { code?: string }).code === 'needs_reauth') {
        stmt(deps.db, `UPDATE accounts SET status = 'needs_reauth', last_error = ? WHERE id = ?`).run(
          (error as Error).message,
          account.id,
        );
        deps.events.emit({ type: 'account.updated', account_id: account.id, status: 'needs_reauth' });
      }
      throw error;
    }
  };
}
