import type { ReadableDb, WritableDb } from '../handles.ts';
import { stmt } from '../statements.ts';
import { type Attendee, EVENT_COLUMNS, type EventRow } from './calendarEvents.ts';

/** A guest as an edit names one: who, and whether they are needed. */
export interface EventGuest {
  email: string;
  name: string;
  optional: boolean;
}

/**
 * What an event is, in the product's terms: a timed event is two instants
 * (ms) shown in `timeZone` (IANA); an all-day event is local dates
 * (YYYY-MM-DD, end exclusive) in `timeZone`, whose instants are their local
 * midnights. Each provider module in main/providers/ writes it its own way.
 */
export interface EventFields {
  summary: string;
  description: string;
  location: string;
  allDay: boolean;
  startsAt: number;
  endsAt: number;
  startDate: string | null;
  endDate: string | null;
  timeZone: string;
  attendees: EventGuest[];
  /**
   * Reminders, in minutes before the start (popups on the person's devices); absent: the calendar's own
   * defaults, as the provider applies them.
   */
  reminders?: number[];
  /** A video call the provider makes for the event (Google Meet, Microsoft Teams); true once it has one. */
  videoCall?: boolean;
  /** A new recurring series: its RRULE line ("RRULE:FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"), checked. */
  recurrence?: string | null;
}

/**
 * One edit waiting for the provider. `update` carries only the fields that
 * changed, `madeAt` (when it was made here) and `baseEtag` (the provider's
 * version the edit was made on), so the push can tell a change made at the
 * provider meanwhile and let the later one win.
 */
/** Which instances of a recurring series an edit or delete of one of them reaches (besides "this event" alone). */
export type SeriesScope = 'all' | 'following';

/**
 * How a series edit moves its instances, in the event's zone: whole days, then minutes of wall-clock time
 * (so 09:00 stays 09:00 either side of a DST change), and their new length when it changed.
 */
export interface SeriesTiming {
  days: number;
  minutes: number;
  lengthMs: number | null;
  lengthDays: number | null;
}

/** Where an edit of a series' rest splits it: the instance's slot in the series (its original start, or date). */
export interface SeriesSplit {
  slotStartsAt: number;
  slotDate: string | null;
}

export type EventEdit =
  | { type: 'create'; calendarRemoteId: string; eventRemoteId: string; fields: EventFields }
  | {
      /**
       * An edit of a whole series ('all') or of an instance and those after it ('following'): `eventRemoteId`
       * names the series; 'following' ends it before the split and starts a new series there under
       * `newSeriesRemoteId`. `fields` are the changed fields other than timing (and `recurrence`, a new rule).
       */
      type: 'update_series';
      scope: SeriesScope;
      calendarRemoteId: string;
      eventRemoteId: string;
      newSeriesRemoteId: string;
      split: SeriesSplit;
      fields: Partial<EventFields>;
      timing: SeriesTiming;
      timeZone: string;
      madeAt: number;
      baseEtag: null;
    }
  | {
      /** A whole series deleted ('all'), or an instance and those after it ('following': the series ends before it). */
      type: 'delete_series';
      scope: SeriesScope;
      calendarRemoteId: string;
      eventRemoteId: string;
      split: SeriesSplit;
      timeZone: string;
      notifyGuests: boolean;
      madeAt: number;
      baseEtag: null;
    }
  | {
      type: 'update';
      calendarRemoteId: string;
      eventRemoteId: string;
      fields: Partial<EventFields>;
      madeAt: number;
      baseEtag: string | null;
    }
  | {
      type: 'delete';
      calendarRemoteId: string;
      eventRemoteId: string;
      notifyGuests: boolean;
      madeAt: number;
      baseEtag: string | null;
    };

export interface QueuedEventEdit {
  id: number;
  attempts: number;
  edit: EventEdit;
}

/** Queues an edit, in the caller's transaction (the index's change and its record commit together). */
export function queueEventEdit(db: WritableDb, accountId: string, edit: EventEdit): number {
  return Number(
    stmt(
      db,
      'INSERT INTO event_edits (account_id, event_remote_id, edit_json, base_etag, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(accountId, edit.eventRemoteId, JSON.stringify(edit), edit.type === 'create' ? null : edit.baseEtag, Date.now())
      .lastInsertRowid,
  );
}

/** The account's waiting edits, in the order they were made. */
export function queuedEventEdits(db: ReadableDb, accountId: string): QueuedEventEdit[] {
  return stmt<[string], { id: number; attempts: number; event_remote_id: string; edit_json: string }>(
    db,
    'SELECT id, attempts, event_remote_id, edit_json FROM event_edits WHERE account_id = ? ORDER BY id',
  )
    .all(accountId)
    .map((row) => ({
      id: row.id,
      attempts: row.attempts,
      // The id column is the truth: a create that the provider answered renames its event's later edits.
      edit: { ...(JSON.parse(row.edit_json) as EventEdit), eventRemoteId: row.event_remote_id },
    }));
}

/** How many edits of the account wait. */
export function countQueuedEventEdits(db: ReadableDb, accountId: string): number {
  return stmt<[string], { n: number }>(db, 'SELECT count(*) AS n FROM event_edits WHERE account_id = ?').get(accountId)?.n ?? 0;
}

/** Forgets an edit the provider has (or that no longer applies). */
export function settleEventEdit(db: WritableDb, id: number): void {
  stmt(db, 'DELETE FROM event_edits WHERE id = ?').run(id);
}

/** An attempt that failed for now: counted, with its reason, the edit kept. */
export function noteEventEditFailure(db: WritableDb, id: number, reason: string): void {
  stmt(db, 'UPDATE event_edits SET attempts = attempts + 1, last_error = ? WHERE id = ?').run(reason.slice(0, 500), id);
}

/**
 * The provider named an event Outpost created: the index's row and the event's later edits take its id
 * (one calendar's rows; ids are unique per calendar).
 */
export function renameCreatedEvent(
  db: WritableDb,
  accountId: string,
  calendarRemoteId: string,
  localId: string,
  remoteId: string,
): void {
  if (localId === remoteId) return;
  stmt(
    db,
    `UPDATE events SET remote_id = ? WHERE remote_id = ?
       AND calendar_id = (SELECT id FROM calendars WHERE account_id = ? AND remote_id = ?)`,
  ).run(remoteId, localId, accountId, calendarRemoteId);
  stmt(db, 'UPDATE event_edits SET event_remote_id = ? WHERE account_id = ? AND event_remote_id = ?').run(
    remoteId,
    accountId,
    localId,
  );
}

/** The provider's version of an event after a push (or a sync): later edits are made on it. */
export function setEventEtag(
  db: WritableDb,
  accountId: string,
  calendarRemoteId: string,
  remoteId: string,
  etag: string | null,
): void {
  stmt(
    db,
    `UPDATE events SET etag = ? WHERE remote_id = ?
       AND calendar_id = (SELECT id FROM calendars WHERE account_id = ? AND remote_id = ?)`,
  ).run(etag, remoteId, accountId, calendarRemoteId);
}

export interface LocalEventWrite {
  calendarId: number;
  remoteId: string;
  fields: EventFields;
  organizer: { email: string; name: string } | null;
  attendees: Attendee[];
  /** An instance of a series made here, until the provider's own instances replace it. */
  series?: { remoteId: string; originalStartAt: number };
}

/**
 * The row's values in the column order both statements below use: calendar_id, remote_id, summary,
 * description, location, starts_at, ends_at, is_all_day, start_date, end_date, time_zone,
 * organizer_json, attendees_json, reminders_json, updated_at.
 */
function localEventValues(event: LocalEventWrite): unknown[] {
  const f = event.fields;
  return [
    event.calendarId,
    event.remoteId,
    f.summary,
    f.description,
    f.location,
    f.startsAt,
    f.endsAt,
    f.allDay ? 1 : 0,
    f.startDate,
    f.endDate,
    f.timeZone,
    event.organizer ? JSON.stringify(event.organizer) : null,
    JSON.stringify(event.attendees),
    JSON.stringify(f.reminders ?? []),
    Date.now(),
  ];
}

/** An event made here, in the index at once (under the id Outpost chose until the provider names it). */
export function insertLocalEvent(db: WritableDb, event: LocalEventWrite): number {
  return Number(
    stmt(
      db,
      `INSERT INTO events (calendar_id, remote_id, status, summary, description, location, starts_at, ends_at, is_all_day,
         start_date, end_date, time_zone, organizer_json, attendees_json, reminders_json, updated_at,
         series_remote_id, original_start_at)
       VALUES (?, ?, 'confirmed', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(...localEventValues(event), event.series?.remoteId ?? null, event.series?.originalStartAt ?? null).lastInsertRowid,
  );
}

/**
 * A series made here was pushed: the instances the index showed for it give way to the provider's, which
 * the sync that follows brings (one calendar's rows).
 */
export function deleteSeriesMadeHere(db: WritableDb, accountId: string, calendarRemoteId: string, seriesKey: string): void {
  stmt(
    db,
    `DELETE FROM events WHERE (series_remote_id = ? OR remote_id = ?)
       AND calendar_id = (SELECT id FROM calendars WHERE account_id = ? AND remote_id = ?)`,
  ).run(seriesKey, seriesKey, accountId, calendarRemoteId);
}

/** An event changed here: its row takes the new fields at once (calendar and id too, when it moved). */
export function updateLocalEvent(db: WritableDb, id: number, event: LocalEventWrite): void {
  stmt(
    db,
    `UPDATE events SET calendar_id = ?, remote_id = ?, summary = ?, description = ?, location = ?, starts_at = ?, ends_at = ?,
       is_all_day = ?, start_date = ?, end_date = ?, time_zone = ?, organizer_json = ?, attendees_json = ?, reminders_json = ?,
       updated_at = ?
     WHERE id = ?`,
  ).run(...localEventValues(event), id);
}

/** A series' instances in the index from a slot on (its original start; all of them from 0), in slot order. */
export function seriesInstancesFrom(db: ReadableDb, calendarId: number, seriesRemoteId: string, fromSlot: number): EventRow[] {
  return stmt<[number, string, number], EventRow>(
    db,
    `SELECT ${EVENT_COLUMNS} FROM events e JOIN calendars c ON c.id = e.calendar_id
      WHERE e.calendar_id = ? AND e.series_remote_id = ? AND coalesce(e.original_start_at, e.starts_at) >= ?
      ORDER BY coalesce(e.original_start_at, e.starts_at)`,
  ).all(calendarId, seriesRemoteId, fromSlot);
}

/** An event deleted here leaves the index at once. */
export function deleteLocalEvent(db: WritableDb, id: number): void {
  stmt(db, 'DELETE FROM events WHERE id = ?').run(id);
}

/** A calendar row of the account, by its public id's number. */
export function calendarOfAccount(
  db: ReadableDb,
  calendarId: number,
): { id: number; account_id: string; remote_id: string; time_zone: string | null } | undefined {
  return stmt<[number], { id: number; account_id: string; remote_id: string; time_zone: string | null }>(
    db,
    'SELECT id, account_id, remote_id, time_zone FROM calendars WHERE id = ?',
  ).get(calendarId);
}
