import { pushEventEdits } from '../calendar/eventEditPusher.ts';
import { ProviderError } from '../providers/providerErrors.ts';
import type { JobHandler } from './jobRunner.ts';
import { jobAccount, recordFailure, type SyncHandlerDeps } from './mailSyncHandler.ts';

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

/** The calendar_sync job: an account's calendars (Google Calendar, Outlook) into the index. */
export function createCalendarSyncHandler(deps: SyncHandlerDeps): JobHandler {
  return async (job, context) => {
    const account = jobAccount(deps.db, job.account_id);
    const params = JSON.parse(job.params_json) as Parameters<typeof calendarWindow>[0];
    // Without bounds of its own the job syncs the default window, which moves on with the clock.
    const sliding = !(params.from ?? params.from_date ?? params.to ?? params.to_date);
    const window = { ...calendarWindow(params), sliding };
    try {
      const session = deps.providers.of(account).session(account, context.signal);
      // Edits made here go first, so the sync brings them back instead of undoing them. An edit the provider
      // refused left the index as it made it: a full listing puts the provider's copy back now, not at the
      // next full sync.
      const { refused } = await pushEventEdits(deps, session, account.id);
      return await session.syncCalendars(
        {
          full: job.mode === 'full' || refused > 0,
          window,
          scheduled: (params as { trigger?: string }).trigger === 'scheduler',
        },
        context,
      );
    } catch (error) {
      recordFailure(deps, account.id, error, false);
      throw error;
    }
  };
}
