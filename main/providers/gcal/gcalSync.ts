import { calendar, type calendar_v3 } from '@googleapis/calendar';
import type { BlobStore } from '../../db/blobStore.ts';
import type { WritableDb } from '../../db/handles.ts';
import {
  deleteCalendar,
  deleteEvents,
  deleteSeries,
  listCalendars,
  remoteEventIds,
  upsertCalendar,
  writeEvents,
} from '../../db/queries/calendarEvents.ts';
import { deleteCursor, getCursor, setCursor } from '../../db/queries/syncCursors.ts';
import { transaction } from '../../db/transactions.ts';
import { httpStatusOf } from '../gmail/gmailErrors.ts';
import { call } from '../gmail/gmailFullSync.ts';
import type { GmailSession } from '../gmail/gmailSession.ts';
import { gcalEventInput } from './gcalEvents.ts';
import { type CalendarWindow, forgetWindow, overlapsWindow, roundWindow, storedWindow, storeWindow } from './syncWindow.ts';

export type { CalendarWindow };

export interface CalendarSyncContext {
  db: WritableDb;
  blobs: BlobStore;
  session: GmailSession;
  accountId: string;
  signal?: AbortSignal;
  reportProgress(done: number, total: number | null): void;
}

const SYNC_TOKEN = 'gcal.syncToken';

/**
 * Every calendar in calendarList; per calendar a full sync over the window
 * (instances expanded by Google: singleEvents=true) that ends with a
 * syncToken, then incremental syncs with it. 410 (token expired) resyncs that
 * calendar and removes what it no longer has.
 */
export async function gcalSync(
  ctx: CalendarSyncContext,
  options: { full: boolean; window: CalendarWindow },
): Promise<Record<string, number>> {
  const { db, session, accountId, signal } = ctx;
  const calendarApi = calendar({ version: 'v3', auth: session.oauth, rootUrl: session.apiRootUrl });
  const gmailCtx = { ...ctx, attachmentSizeCap: 0 };
  const list = (await call(gmailCtx, 1, () => calendarApi.calendarList.list({ maxResults: 250 }, { signal }))).data.items ?? [];
  const calendars = new Map<string, { rowId: number; timeZone: string | null; defaultReminders: number[] }>();
  transaction(db, () => {
    for (const c of list) {
      if (!c.id) continue;
      const rowId = upsertCalendar(db, accountId, {
        remoteId: c.id,
        name: c.summaryOverride ?? c.summary ?? c.id,
        color: c.backgroundColor ?? null,
        timeZone: c.timeZone ?? null,
        isPrimary: c.primary ?? false,
      });
      // Popup reminders notify on this device; email and SMS ones are Google's to send.
      const defaultReminders = (c.defaultReminders ?? []).filter((r) => r.method !== 'email').map((r) => r.minutes ?? 0);
      calendars.set(c.id, { rowId, timeZone: c.timeZone ?? null, defaultReminders });
    }
    for (const stale of listCalendars(db, accountId).filter((c) => !calendars.has(c.remote_id))) {
      deleteCalendar(db, stale.id);
      deleteCursor(db, accountId, SYNC_TOKEN, stale.remote_id);
      forgetWindow(db, accountId, SYNC_TOKEN, stale.remote_id);
    }
  });

  const counts = { eventsProcessed: 0, eventsDeleted: 0 };
  let done = 0;
  for (const [calendarId, calendar] of calendars) {
    signal?.throwIfAborted();
    let token = options.full ? null : getCursor(db, accountId, SYNC_TOKEN, calendarId);
    // A token answers for the window its full listing covered; a resync after 410 walks that same window.
    const round = roundWindow(token ? storedWindow(db, accountId, SYNC_TOKEN, calendarId) : null, options.window);
    const window = round.window;
    if (round.relist) token = null;
    const seen = new Set<string>();
    let pageToken: string | undefined;
    for (;;) {
      let page: calendar_v3.Schema$Events;
      try {
        page = (
          await call(gmailCtx, 1, () =>
            calendarApi.events.list(
              token
                ? { calendarId, singleEvents: true, syncToken: token, maxResults: 2500, ...(pageToken ? { pageToken } : {}) }
                : {
                    calendarId,
                    singleEvents: true,
                    showDeleted: false,
                    maxResults: 2500,
                    timeMin: new Date(window.from).toISOString(),
                    timeMax: new Date(window.to).toISOString(),
                    ...(pageToken ? { pageToken } : {}),
                  },
              { signal },
            ),
          )
        ).data;
      } catch (error) {
        if (token && httpStatusOf((error as { cause?: unknown }).cause) === 410) {
          token = null; // fullSyncRequired: walk the window again and reconcile
          pageToken = undefined;
          seen.clear();
          continue;
        }
        throw error;
      }
      const items = page.items ?? [];
      // Deleted events come back as little more than an id and status: they are not mapped, only removed.
      const cancelled = items.filter((e) => e.status === 'cancelled' && e.id);
      const inputs = items
        .filter((e) => e.status !== 'cancelled')
        .map((e) => gcalEventInput(e, calendar.timeZone, calendar.defaultReminders))
        .filter((e) => e !== null);
      // Incremental pages carry every changed instance wherever it now lies; the index keeps the window only.
      const live = inputs.filter((e) => overlapsWindow(e, window));
      const gone = inputs.filter((e) => !overlapsWindow(e, window)).map((e) => e.remoteId);
      for (const e of live) seen.add(e.remoteId);
      const fullListing = token === null;
      transaction(db, () => {
        writeEvents(db, calendar.rowId, live);
        counts.eventsDeleted += deleteEvents(db, calendar.rowId, gone);
        for (const e of cancelled)
          counts.eventsDeleted += e.recurringEventId
            ? deleteEvents(db, calendar.rowId, [e.id as string]) // one cancelled instance
            : deleteSeries(db, calendar.rowId, e.id as string); // a single event, or a whole series with its instances
        if (!page.nextPageToken && fullListing) {
          // A full listing is the whole truth for the window: what it did not return is gone.
          counts.eventsDeleted += deleteEvents(
            db,
            calendar.rowId,
            remoteEventIds(db, calendar.rowId).filter((id) => !seen.has(id)),
          );
        }
        if (!page.nextPageToken && page.nextSyncToken) {
          setCursor(db, accountId, SYNC_TOKEN, calendarId, page.nextSyncToken);
          storeWindow(db, accountId, SYNC_TOKEN, calendarId, window);
        }
      });
      counts.eventsProcessed += items.length;
      pageToken = page.nextPageToken ?? undefined;
      if (!pageToken) break;
    }
    ctx.reportProgress(++done, calendars.size);
  }
  return counts;
}
