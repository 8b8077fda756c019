import type { Engine } from '../../main/core/engine.ts';
import type { IndexDb } from '../../main/db/openIndex.ts';
import type { JobMode } from '../../shared/events.ts';

/** One expanded event instance in the index's terms: what a calendar sync must leave in the index. */
export interface CalendarInstance {
  calendar: string;
  id: string;
  seriesId: string | null;
  originalStartAt: number | null;
  startsAt: number;
  endsAt: number;
  allDay: boolean;
  status: string;
  summary: string;
  location: string;
  attendees: Array<{ email: string; response: string }>;
}

export interface TimeWindow {
  from: number;
  to: number;
}

type Control = (path: string, init?: { method?: string; body?: unknown }) => Promise<Record<string, unknown>>;

const byIdentity = (a: { calendar: string; id: string }, b: { calendar: string; id: string }) =>
  a.calendar.localeCompare(b.calendar) || a.id.localeCompare(b.id);

interface GoogleRemoteInstance {
  id: string;
  status: string;
  summary?: string;
  location?: string;
  attendees?: Array<{ email: string; responseStatus: string }>;
  recurringEventId?: string;
  start: { date?: string; dateTime?: string; timeZone?: string };
  startMs: number;
  endMs: number;
  originalStartMs: number | null;
}

/** Google's calendars expanded over a window as events.list(singleEvents) answers (the emulator's control route). */
export async function remoteGoogleInstances(control: Control, user: string, window: TimeWindow): Promise<CalendarInstance[]> {
  const q = `timeMin=${new Date(window.from).toISOString()}&timeMax=${new Date(window.to).toISOString()}`;
  const answer = (await control(`/google/users/${user}/calendar-instances?${q}`)) as unknown as {
    calendars: Array<{ id: string; instances: GoogleRemoteInstance[] }>;
  };
  return answer.calendars
    .flatMap((c) =>
      c.instances.map((e) => ({
        calendar: c.id,
        id: e.id,
        seriesId: e.recurringEventId ?? null,
        originalStartAt: e.originalStartMs,
        startsAt: e.startMs,
        endsAt: e.endMs,
        allDay: e.start.date !== undefined,
        status: e.status,
        summary: e.summary ?? '',
        location: e.location ?? '',
        attendees: (e.attendees ?? []).map((a) => ({ email: a.email.toLowerCase(), response: a.responseStatus })),
      })),
    )
    .sort(byIdentity);
}

export interface GraphRemoteInstance {
  calendar: string;
  id: string;
  type: string;
  subject: string;
  seriesMasterId: string | null;
  isAllDay: boolean;
  showAs: string;
  location: { displayName?: string };
  attendees: Array<{ status?: { response?: string }; emailAddress: { address: string } }>;
  originalStartTimeZone: string;
  startMs: number;
  endMs: number;
  originalStartMs: number | null;
}

/** Graph's response words in the index's (Google's) terms. */
const GRAPH_RESPONSE: Record<string, string> = {
  accepted: 'accepted',
  declined: 'declined',
  tentativelyAccepted: 'tentative',
  organizer: 'accepted',
  none: 'needsAction',
  notResponded: 'needsAction',
};

/** What Graph's calendarView answers over a window for each calendar, times as UTC instants (the emulator's control route). */
export async function remoteGraphInstancesRaw(
  control: Control,
  user: string,
  window: TimeWindow,
): Promise<GraphRemoteInstance[]> {
  const q = `user=${user}&startDateTime=${new Date(window.from).toISOString()}&endDateTime=${new Date(window.to).toISOString()}`;
  const answer = (await control(`/microsoft/calendar/instances?${q}`)) as unknown as {
    calendars: Array<{ id: string; instances: Array<Omit<GraphRemoteInstance, 'calendar'>> }>;
  };
  return answer.calendars.flatMap((c) => c.instances.map((e) => ({ ...e, calendar: c.id })));
}

/** calendarView over a window in the index's terms. */
export async function remoteGraphInstances(control: Control, user: string, window: TimeWindow): Promise<CalendarInstance[]> {
  return (await remoteGraphInstancesRaw(control, user, window))
    .map((e) => ({
      calendar: e.calendar,
      id: e.id,
      seriesId: e.seriesMasterId,
      originalStartAt: e.originalStartMs,
      startsAt: e.startMs,
      endsAt: e.endMs,
      allDay: e.isAllDay,
      status: e.showAs === 'tentative' ? 'tentative' : 'confirmed',
      summary: e.subject,
      location: e.location.displayName ?? '',
      attendees: e.attendees.map((a) => ({
        email: a.emailAddress.address.toLowerCase(),
        response: GRAPH_RESPONSE[a.status?.response ?? 'none'] ?? 'needsAction',
      })),
    }))
    .sort(byIdentity);
}

/** The account's indexed event instances with the zone each was scheduled in, sorted as the remote ones are. */
export function indexedInstancesWithZones(db: IndexDb, accountId: string): Array<CalendarInstance & { timeZone: string | null }> {
  return (
    db
      .prepare(
        `SELECT c.remote_id AS calendar, e.remote_id AS id, e.series_remote_id AS seriesId, e.original_start_at AS originalStartAt,
           e.starts_at AS startsAt, e.ends_at AS endsAt, e.is_all_day AS allDay, e.status, e.summary, e.location,
           e.attendees_json AS attendees, e.time_zone AS timeZone
         FROM events e JOIN calendars c ON c.id = e.calendar_id WHERE c.account_id = ?`,
      )
      .all(accountId) as Array<
      Omit<CalendarInstance, 'allDay' | 'attendees'> & { allDay: number; attendees: string; timeZone: string | null }
    >
  )
    .map((r) => ({
      ...r,
      allDay: r.allDay === 1,
      attendees: (JSON.parse(r.attendees) as Array<{ email: string; response: string }>).map((a) => ({
        email: a.email,
        response: a.response,
      })),
    }))
    .sort(byIdentity);
}

/** The account's indexed event instances, comparable with remoteGoogleInstances / remoteGraphInstances. */
export function indexedInstances(db: IndexDb, accountId: string): CalendarInstance[] {
  return indexedInstancesWithZones(db, accountId).map(({ timeZone: _zone, ...rest }) => rest);
}

/**
 * Runs one calendar_sync job of the account through the engine's queue and
 * waits for it: 'full' over the given window, 'full-default' a full sync with
 * the default (sliding) window, 'incremental' from the stored positions.
 */
export async function runCalendarSync(
  engine: Engine,
  accountId: string,
  mode: JobMode | 'full-default' = 'incremental',
  window?: TimeWindow,
) {
  const params =
    mode === 'full' && window ? { from: new Date(window.from).toISOString(), to: new Date(window.to).toISOString() } : {};
  const job = engine.jobs.enqueue({
    kind: 'calendar_sync',
    mode: mode === 'full-default' ? 'full' : mode,
    accountIds: [accountId],
    params,
  });
  engine.runner.wake();
  await engine.runner.idle();
  return engine.jobs.get(job.id);
}

/** The window each calendar's stored sync position was minted for (`kind`: 'gcal.syncToken.window', 'graph.calendarView.window'), by the calendar's remote id. */
export function storedCalendarWindows(db: IndexDb, accountId: string, kind: string): Map<string, TimeWindow> {
  const rows = db
    .prepare('SELECT scope, cursor FROM sync_cursors WHERE account_id = ? AND kind = ? ORDER BY scope')
    .all(accountId, kind) as Array<{ scope: string; cursor: string }>;
  return new Map(
    rows.map((r) => {
      const [from, to] = r.cursor.split('/').map(Number);
      return [r.scope, { from: from as number, to: to as number }];
    }),
  );
}
