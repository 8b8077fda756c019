import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';
import { transaction } from '../transactions.ts';

export interface CalendarInput {
  remoteId: string;
  name: string;
  color: string | null;
  timeZone: string | null;
  isPrimary: boolean;
}

export interface CalendarRow {
  id: number;
  account_id: string;
  remote_id: string;
  name: string;
  color: string | null;
  time_zone: string | null;
  is_primary: number;
  /** The person's choices (migration 027): left out of the calendar views, their own colour, where new events go. */
  hidden: number;
  own_color: string | null;
  is_default: number;
}

/** What the person chose about a calendar; only the fields given change. `isDefault` true makes it the only default. */
export interface CalendarChoices {
  hidden?: boolean;
  ownColor?: string | null;
  isDefault?: boolean;
}

export function setCalendarChoices(db: WritableDb, id: number, choices: CalendarChoices): void {
  transaction(db, () => {
    if (choices.hidden !== undefined) stmt(db, 'UPDATE calendars SET hidden = ? WHERE id = ?').run(choices.hidden ? 1 : 0, id);
    if (choices.ownColor !== undefined) stmt(db, 'UPDATE calendars SET own_color = ? WHERE id = ?').run(choices.ownColor, id);
    if (choices.isDefault === true) {
      stmt(db, 'UPDATE calendars SET is_default = 0 WHERE is_default = 1 AND id != ?').run(id);
      stmt(db, 'UPDATE calendars SET is_default = 1 WHERE id = ?').run(id);
    } else if (choices.isDefault === false) stmt(db, 'UPDATE calendars SET is_default = 0 WHERE id = ?').run(id);
  });
}

/** One calendar by its row id. */
export function getCalendar(db: ReadableDb, id: number): CalendarRow | undefined {
  return stmt<[number], CalendarRow>(db, 'SELECT * FROM calendars WHERE id = ?').get(id);
}

export interface Attendee {
  email: string;
  name: string;
  /** accepted, declined, tentative, needsAction (Google's words; Graph's are mapped to them) */
  response: string;
  optional: boolean;
  organizer: boolean;
  self: boolean;
}

export interface EventInput {
  remoteId: string;
  seriesRemoteId: string | null;
  originalStartAt: number | null;
  status: 'confirmed' | 'tentative' | 'cancelled';
  summary: string;
  description: string;
  location: string;
  startsAt: number;
  endsAt: number;
  isAllDay: boolean;
  startDate: string | null;
  endDate: string | null;
  timeZone: string | null;
  organizer: { email: string; name: string } | null;
  attendees: Attendee[];
  conferenceUrl: string | null;
  reminders: number[];
  webLink: string | null;
  updatedAt: number | null;
  /** The provider's version of the event (Google's etag, Graph's changeKey): an edit made here is pushed against it. */
  etag?: string | null;
}

export interface EventRow {
  id: number;
  calendar_id: number;
  account_id: string;
  calendar_name: string;
  calendar_color: string | null;
  remote_id: string;
  series_remote_id: string | null;
  original_start_at: number | null;
  status: string;
  summary: string;
  description: string;
  location: string;
  starts_at: number;
  ends_at: number;
  is_all_day: number;
  start_date: string | null;
  end_date: string | null;
  time_zone: string | null;
  organizer_json: string | null;
  attendees_json: string;
  conference_url: string | null;
  reminders_json: string;
  web_link: string | null;
  /** The provider's version of the event as the last sync or push saw it (Google's etag, Graph's changeKey). */
  etag: string | null;
}

const WEEK_MS = 7 * 24 * 3600 * 1000;

/**
 * An edit made here is still queued for this event (main/db/queries/eventEdits.ts): a sync leaves the
 * event as the edit made it, and the push before the next sync settles it.
 */
const QUEUED_EDIT = `SELECT 1 FROM event_edits q JOIN calendars qc ON qc.account_id = q.account_id
  WHERE qc.id = $calendar AND q.event_remote_id = $remote`;

export function upsertCalendar(db: WritableDb, accountId: string, calendar: CalendarInput): number {
  return (
    stmt<unknown[], { id: number }>(
      db,
      `INSERT INTO calendars (account_id, remote_id, name, color, time_zone, is_primary) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, remote_id) DO UPDATE SET name = excluded.name, color = excluded.color,
         time_zone = excluded.time_zone, is_primary = excluded.is_primary
       RETURNING id`,
    ).get(accountId, calendar.remoteId, calendar.name, calendar.color, calendar.timeZone, calendar.isPrimary ? 1 : 0) as {
      id: number;
    }
  ).id;
}

export function listCalendars(db: ReadableDb, accountId?: string): CalendarRow[] {
  return accountId
    ? stmt<[string], CalendarRow>(db, 'SELECT * FROM calendars WHERE account_id = ? ORDER BY is_primary DESC, name').all(
        accountId,
      )
    : stmt<[], CalendarRow>(db, 'SELECT * FROM calendars ORDER BY account_id, is_primary DESC, name').all();
}

/** Inserts or replaces events of a calendar; in one transaction (a savepoint inside a sync page's). */
export function writeEvents(db: WritableDb, calendarId: number, events: readonly EventInput[]): void {
  const upsert = stmt(
    db,
    `INSERT INTO events (calendar_id, remote_id, series_remote_id, original_start_at, status, summary, description, location,
       starts_at, ends_at, is_all_day, start_date, end_date, time_zone, organizer_json, attendees_json, conference_url,
       reminders_json, web_link, updated_at, etag)
     VALUES (@calendar_id, @remote_id, @series_remote_id, @original_start_at, @status, @summary, @description, @location,
       @starts_at, @ends_at, @is_all_day, @start_date, @end_date, @time_zone, @organizer_json, @attendees_json, @conference_url,
       @reminders_json, @web_link, @updated_at, @etag)
     ON CONFLICT (calendar_id, remote_id) DO UPDATE SET series_remote_id = excluded.series_remote_id,
       original_start_at = excluded.original_start_at, status = excluded.status, summary = excluded.summary,
       description = excluded.description, location = excluded.location, starts_at = excluded.starts_at,
       ends_at = excluded.ends_at, is_all_day = excluded.is_all_day, start_date = excluded.start_date,
       end_date = excluded.end_date, time_zone = excluded.time_zone, organizer_json = excluded.organizer_json,
       attendees_json = excluded.attendees_json, conference_url = excluded.conference_url,
       reminders_json = excluded.reminders_json, web_link = excluded.web_link, updated_at = excluded.updated_at,
       etag = excluded.etag
     WHERE NOT EXISTS (${QUEUED_EDIT.replace('$calendar', 'excluded.calendar_id').replace('$remote', 'excluded.remote_id')})`,
  );
  transaction(db, () => {
    for (const e of events) {
      upsert.run({
        calendar_id: calendarId,
        remote_id: e.remoteId,
        series_remote_id: e.seriesRemoteId,
        original_start_at: e.originalStartAt,
        status: e.status,
        summary: e.summary,
        description: e.description,
        location: e.location,
        starts_at: e.startsAt,
        ends_at: Math.max(e.endsAt, e.startsAt),
        is_all_day: e.isAllDay ? 1 : 0,
        start_date: e.startDate,
        end_date: e.endDate,
        time_zone: e.timeZone,
        organizer_json: e.organizer ? JSON.stringify(e.organizer) : null,
        attendees_json: JSON.stringify(e.attendees),
        conference_url: e.conferenceUrl,
        reminders_json: JSON.stringify(e.reminders),
        web_link: e.webLink,
        updated_at: e.updatedAt,
        etag: e.etag ?? null,
      });
    }
  });
}

export function deleteEvents(db: WritableDb, calendarId: number, remoteIds: readonly string[]): number {
  const remove = stmt(db, 'DELETE FROM events WHERE calendar_id = ? AND remote_id = ?');
  let deleted = 0;
  transaction(db, () => {
    for (const id of remoteIds) deleted += remove.run(calendarId, id).changes;
  });
  return deleted;
}

/** A deleted series takes every instance and exception it had with it. */
export function deleteSeries(db: WritableDb, calendarId: number, seriesRemoteId: string): number {
  return stmt(db, 'DELETE FROM events WHERE calendar_id = ? AND (series_remote_id = ? OR remote_id = ?)').run(
    calendarId,
    seriesRemoteId,
    seriesRemoteId,
  ).changes;
}

/**
 * The calendar's events a full listing reconciles (what it did not return is gone). Events with an edit
 * still queued for the provider are left out: a sync that began before the edit cannot know of it.
 */
export function remoteEventIds(db: ReadableDb, calendarId: number): string[] {
  return stmt<[number], { remote_id: string }>(
    db,
    `SELECT remote_id FROM events e WHERE calendar_id = ?
       AND NOT EXISTS (${QUEUED_EDIT.replace('$calendar', 'e.calendar_id').replace('$remote', 'e.remote_id')})`,
  )
    .all(calendarId)
    .map((r) => r.remote_id);
}

/** An event with its calendar's account, name and colour (the person's own colour over the provider's). */
export const EVENT_COLUMNS = `e.*, c.account_id, c.name AS calendar_name, coalesce(c.own_color, c.color) AS calendar_color`;

/**
 * Events overlapping [from, to), in start order, cancelled ones left out.
 * Events up to a week long come from a scan of events_by_start bounded to
 * [from - 1 week, to); longer ones from the small events_long index.
 */
export function listEventsInRange(
  db: ReadableDb,
  range: { from: number; to: number; calendarIds?: readonly number[] },
): EventRow[] {
  const filter = range.calendarIds?.length ? `AND e.calendar_id IN (${range.calendarIds.map(() => '?').join(', ')})` : '';
  const ids = range.calendarIds ?? [];
  return stmt<unknown[], EventRow>(
    db,
    `SELECT ${EVENT_COLUMNS} FROM events e JOIN calendars c ON c.id = e.calendar_id
       WHERE e.starts_at >= ? AND e.starts_at < ? AND e.ends_at > ? AND e.ends_at - e.starts_at <= ${WEEK_MS}
         AND e.status != 'cancelled' ${filter}
       UNION ALL
       SELECT ${EVENT_COLUMNS} FROM events e INDEXED BY events_long JOIN calendars c ON c.id = e.calendar_id
       WHERE e.ends_at - e.starts_at > ${WEEK_MS} AND e.ends_at > ? AND e.starts_at < ?
         AND e.status != 'cancelled' ${filter}
       ORDER BY starts_at, id`,
  ).all(range.from - WEEK_MS, range.to, range.from, ...ids, range.from, range.to, ...ids);
}

export function getEvent(db: ReadableDb, id: number): EventRow | undefined {
  return stmt<[number], EventRow>(
    db,
    `SELECT ${EVENT_COLUMNS} FROM events e JOIN calendars c ON c.id = e.calendar_id WHERE e.id = ?`,
  ).get(id);
}

/** Removes a calendar the provider no longer lists, with its events. */
export function deleteCalendar(db: WritableDb, id: number): void {
  stmt(db, 'DELETE FROM calendars WHERE id = ?').run(id);
}

/** The provider's id of a calendar row. */
export function calendarRemoteId(db: ReadableDb, id: number): string | undefined {
  return stmt<[number], { remote_id: string }>(db, 'SELECT remote_id FROM calendars WHERE id = ?').get(id)?.remote_id;
}

/** Replaces an event's attendees (the user's answer to an invitation, as the provider now has it). */
export function setEventAttendees(db: WritableDb, id: number, attendees: readonly Attendee[]): void {
  stmt(db, 'UPDATE events SET attendees_json = ? WHERE id = ?').run(JSON.stringify(attendees), id);
}
