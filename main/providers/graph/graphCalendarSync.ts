import type { WritableDb } from '../../db/handles.ts';
import { getAccount } from '../../db/queries/accounts.ts';
import {
  type Attendee,
  deleteCalendar,
  deleteEvents,
  deleteSeries,
  type EventInput,
  listCalendars,
  remoteEventIds,
  upsertCalendar,
  writeEvents,
} from '../../db/queries/calendarEvents.ts';
import { deleteCursor, getCursor, setCursor } from '../../db/queries/syncCursors.ts';
import { transaction } from '../../db/transactions.ts';
import { localMidnight } from '../gcal/gcalEvents.ts';
import { type CalendarWindow, forgetWindow, overlapsWindow, roundWindow, storedWindow, storeWindow } from '../gcal/syncWindow.ts';
import { type GraphClient, GraphHttpError } from './graphClient.ts';
import { windowsToIana } from './windowsZones.ts';

interface GraphEvent {
  id: string;
  '@removed'?: { reason?: string };
  type?: 'singleInstance' | 'occurrence' | 'exception' | 'seriesMaster';
  seriesMasterId?: string | null;
  originalStart?: string | null;
  subject?: string;
  bodyPreview?: string;
  location?: { displayName?: string };
  start?: { dateTime?: string; timeZone?: string };
  end?: { dateTime?: string; timeZone?: string };
  originalStartTimeZone?: string;
  isAllDay?: boolean;
  isCancelled?: boolean;
  showAs?: string;
  organizer?: { emailAddress?: { name?: string; address?: string } };
  attendees?: Array<{ type?: string; status?: { response?: string }; emailAddress?: { name?: string; address?: string } }>;
  /** The mailbox owner's own answer, which the attendee list of an invitee's copy need not carry. */
  responseStatus?: { response?: string };
  onlineMeeting?: { joinUrl?: string } | null;
  isReminderOn?: boolean;
  reminderMinutesBeforeStart?: number;
  webLink?: string;
  lastModifiedDateTime?: string;
  changeKey?: string;
}

const RESPONSES: Record<string, string> = {
  accepted: 'accepted',
  declined: 'declined',
  tentativelyAccepted: 'tentative',
  none: 'needsAction',
  notResponded: 'needsAction',
  organizer: 'accepted',
};
const CURSOR = 'graph.calendarView';

/** Graph times come in the zone asked for (Prefer: outlook.timezone="UTC"), without an offset. */
function utc(value: string | undefined): number {
  return value ? Date.parse(/[zZ]|[+-]\d\d:\d\d$/.test(value) ? value : `${value}Z`) : Number.NaN;
}

/** Outlook names zones the Windows way ("Pacific Standard Time"); the index keeps IANA names. */
function ianaZone(name: string | undefined): string {
  if (!name || name === 'tzone://Microsoft/Custom') return 'UTC';
  if (name.includes('/') || name === 'UTC') return name;
  return windowsToIana(name) ?? 'UTC';
}

/**
 * A Graph event -> the index's event model. Graph's attendees do not say which one is the
 * user (Google's self does): the one whose address is the account's, when it is given.
 */
export function graphEventInput(event: GraphEvent, accountEmail?: string): EventInput | null {
  const selfEmail = accountEmail?.toLowerCase();
  const startsAt = utc(event.start?.dateTime);
  const endsAt = utc(event.end?.dateTime);
  if (!event.id || Number.isNaN(startsAt) || Number.isNaN(endsAt)) return null;
  const zone = ianaZone(event.originalStartTimeZone);
  const allDay = event.isAllDay === true;
  const startDate = allDay ? new Date(startsAt).toISOString().slice(0, 10) : null;
  const endDate = allDay ? new Date(endsAt).toISOString().slice(0, 10) : null;
  return {
    remoteId: event.id,
    seriesRemoteId: event.seriesMasterId ?? null,
    originalStartAt: event.originalStart ? utc(event.originalStart) : null,
    status: event.isCancelled ? 'cancelled' : event.showAs === 'tentative' ? 'tentative' : 'confirmed',
    summary: event.subject ?? '',
    description: event.bodyPreview ?? '',
    location: event.location?.displayName ?? '',
    startsAt: allDay && startDate ? localMidnight(startDate, zone) : startsAt,
    endsAt: allDay && endDate ? localMidnight(endDate, zone) : endsAt,
    isAllDay: allDay,
    startDate,
    endDate,
    timeZone: zone,
    organizer: event.organizer?.emailAddress?.address
      ? { email: event.organizer.emailAddress.address.toLowerCase(), name: event.organizer.emailAddress.name ?? '' }
      : null,
    attendees: (event.attendees ?? [])
      .filter((a) => a.emailAddress?.address)
      .map((a): Attendee => {
        const self = selfEmail !== undefined && (a.emailAddress?.address ?? '').toLowerCase() === selfEmail;
        const own = self ? event.responseStatus?.response : undefined;
        return {
          email: (a.emailAddress?.address ?? '').toLowerCase(),
          name: a.emailAddress?.name ?? '',
          response: RESPONSES[own && own !== 'organizer' ? own : (a.status?.response ?? 'none')] ?? 'needsAction',
          optional: a.type === 'optional',
          organizer: a.status?.response === 'organizer',
          self,
        };
      }),
    conferenceUrl: event.onlineMeeting?.joinUrl ?? null,
    reminders: event.isReminderOn && event.reminderMinutesBeforeStart !== undefined ? [event.reminderMinutesBeforeStart] : [],
    webLink: event.webLink ?? null,
    updatedAt: event.lastModifiedDateTime ? Date.parse(event.lastModifiedDateTime) : null,
    etag: event.changeKey ?? null,
  };
}

/**
 * Outlook calendars: each calendar's calendarView delta over the window
 * (occurrences and exceptions expanded by Graph), deltaLink kept per
 * calendar, "@removed" deleted, 410 -> walk again and reconcile.
 */
export async function graphCalendarSync(
  ctx: {
    db: WritableDb;
    client: GraphClient;
    accountId: string;
    signal?: AbortSignal;
    reportProgress(done: number, total: number | null): void;
  },
  options: { full: boolean; window: CalendarWindow },
): Promise<Record<string, number>> {
  const { db, client, accountId } = ctx;
  const accountEmail = getAccount(db, accountId)?.email;
  const page: { value: Array<{ id: string; name?: string; hexColor?: string; isDefaultCalendar?: boolean }> } =
    await client.request('/me/calendars?$top=100');
  const calendars = new Map<string, number>();
  transaction(db, () => {
    for (const c of page.value) {
      calendars.set(
        c.id,
        upsertCalendar(db, accountId, {
          remoteId: c.id,
          name: c.name ?? c.id,
          color: c.hexColor || null,
          timeZone: null,
          isPrimary: c.isDefaultCalendar ?? false,
        }),
      );
    }
    for (const stale of listCalendars(db, accountId).filter((c) => !calendars.has(c.remote_id))) {
      deleteCalendar(db, stale.id);
      deleteCursor(db, accountId, CURSOR, stale.remote_id);
      forgetWindow(db, accountId, CURSOR, stale.remote_id);
    }
  });
  const counts = { eventsProcessed: 0, eventsDeleted: 0 };
  let done = 0;
  for (const [calendarId, rowId] of calendars) {
    let link = options.full ? null : getCursor(db, accountId, CURSOR, calendarId);
    // A deltaLink covers the window it was started with; a 410's resync walks that same window.
    const round = roundWindow(link ? storedWindow(db, accountId, CURSOR, calendarId) : null, options.window);
    const window = round.window;
    if (round.relist) link = null;
    const initial = `/me/calendars/${encodeURIComponent(calendarId)}/calendarView/delta?startDateTime=${new Date(window.from).toISOString()}&endDateTime=${new Date(window.to).toISOString()}`;
    let reconcile = link === null;
    link ??= initial;
    const seen = new Set<string>();
    for (;;) {
      ctx.signal?.throwIfAborted();
      let result: { value: GraphEvent[]; '@odata.nextLink'?: string; '@odata.deltaLink'?: string };
      try {
        result = await client.request(link, { headers: { prefer: 'odata.maxpagesize=100, outlook.timezone="UTC"' } });
      } catch (error) {
        if (error instanceof GraphHttpError && error.status === 410) {
          link = initial;
          reconcile = true;
          seen.clear();
          continue;
        }
        throw error;
      }
      const removed = result.value.filter((e) => e['@removed']).map((e) => e.id);
      const inputs = result.value
        .filter((e) => !e['@removed'] && e.type !== 'seriesMaster')
        .map((e) => graphEventInput(e, accountEmail))
        .filter((e) => e !== null);
      const live = inputs.filter((e) => e.status !== 'cancelled' && overlapsWindow(e, window));
      for (const e of live) seen.add(e.remoteId);
      const next = result['@odata.nextLink'];
      transaction(db, () => {
        writeEvents(db, rowId, live);
        // A removed seriesMaster takes its occurrences and exceptions with it.
        for (const id of removed) counts.eventsDeleted += deleteSeries(db, rowId, id);
        counts.eventsDeleted += deleteEvents(db, rowId, [
          ...inputs.filter((e) => e.status === 'cancelled' || !overlapsWindow(e, window)).map((e) => e.remoteId),
        ]);
        if (!next && reconcile)
          counts.eventsDeleted += deleteEvents(
            db,
            rowId,
            remoteEventIds(db, rowId).filter((id) => !seen.has(id)),
          );
        if (!next && result['@odata.deltaLink']) {
          setCursor(db, accountId, CURSOR, calendarId, result['@odata.deltaLink']);
          storeWindow(db, accountId, CURSOR, calendarId, window);
        }
      });
      counts.eventsProcessed += result.value.length;
      if (!next) break;
      link = next;
    }
    ctx.reportProgress(++done, calendars.size);
  }
  return counts;
}
