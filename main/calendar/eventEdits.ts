import { randomBytes } from 'node:crypto';
import { DateTime, IANAZone } from 'luxon';
import { OutpostError } from '../core/outpostError.ts';
import type { WritableDb } from '../db/handles.ts';
import { getAccount } from '../db/queries/accounts.ts';
import { type Attendee, type EventRow, getEvent } from '../db/queries/calendarEvents.ts';
import {
  calendarOfAccount,
  deleteLocalEvent,
  type EventFields,
  type EventGuest,
  insertLocalEvent,
  type LocalEventWrite,
  queueEventEdit,
  type SeriesScope,
  type SeriesSplit,
  type SeriesTiming,
  seriesInstancesFrom,
  updateLocalEvent,
} from '../db/queries/eventEdits.ts';
import { transaction } from '../db/transactions.ts';
import { localMidnight } from '../providers/gcal/gcalEvents.ts';
import { formatRecurrenceRule, parseRecurrenceRule } from '../providers/recurrenceRule.ts';
import { expandRule } from './expandRule.ts';
import { daysBetween, movedDates, movedTimes } from './seriesTiming.ts';

/** What a person asks for (the API's body, parsed): a new event's fields, or the ones an edit changes. */
export interface EventDraft {
  calendarId?: number;
  summary?: string;
  description?: string;
  location?: string;
  allDay?: boolean;
  startsAt?: number;
  endsAt?: number;
  startDate?: string;
  endDate?: string;
  timeZone?: string;
  attendees?: Array<{ email: string; name?: string; optional?: boolean }>;
  /** Minutes before the start; [] for none. Absent on a new event: the calendar's defaults. */
  reminders?: number[];
  /** Ask the provider for a video call (it makes the link; the next sync brings it). */
  videoCall?: true;
  /** A new event only: an RRULE makes it a recurring series. */
  recurrence?: string;
}

const TIMING: ReadonlyArray<keyof EventFields> = ['allDay', 'startsAt', 'endsAt', 'startDate', 'endDate', 'timeZone'];
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

/**
 * The id Outpost gives an event it creates, until the provider names it: 26 base32hex characters, which
 * Google takes as the event's own id (so a retried insert finds it taken) and Graph as its transactionId.
 */
export function newEventKey(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuv';
  return [...randomBytes(26)].map((b) => alphabet[b & 31]).join('');
}

const invalid = (field: string, message: string) => new OutpostError('validation_error', message, { field });

function checkDate(value: string, field: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || !DateTime.fromISO(value, { zone: 'UTC' }).isValid)
    throw invalid(field, `${field} must be a date (YYYY-MM-DD)`);
  return value;
}

const addDays = (date: string, days: number) => DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() as string;

/** The guests as given, checked: addresses in lower case, each once. */
function guestsOf(draft: NonNullable<EventDraft['attendees']>): EventGuest[] {
  const seen = new Set<string>();
  return draft.flatMap((a, i) => {
    const email = a.email.trim().toLowerCase();
    if (!EMAIL.test(email)) throw invalid(`attendees[${i}].email`, `${a.email} is not an email address`);
    if (seen.has(email)) return [];
    seen.add(email);
    return [{ email, name: a.name?.trim() ?? '', optional: a.optional ?? false }];
  });
}

/**
 * An event's fields after a draft: a new event's (base null) or an edited one's. Times stay consistent: a
 * new start keeps the event's length unless an end is given; all-day events are dates whose instants are
 * their local midnights; a zone must be an IANA name.
 */
export function resolveFields(
  base: EventFields | null,
  draft: EventDraft,
  calendarZone: string | null,
  options: { newRule?: boolean } = {},
): EventFields {
  const timeZone = draft.timeZone ?? base?.timeZone ?? calendarZone ?? 'UTC';
  if (draft.recurrence !== undefined && base && !options.newRule)
    throw invalid('recurrence', 'a new rule applies to a series: edit with apply_to "all" or "following"');
  if (!IANAZone.isValidZone(timeZone))
    throw invalid('time_zone', `${timeZone} is not a time zone (an IANA name such as Europe/Berlin)`);
  const allDay =
    draft.allDay ?? (draft.startDate !== undefined ? true : draft.startsAt !== undefined ? false : (base?.allDay ?? false));
  const common = {
    summary: draft.summary ?? base?.summary ?? '',
    description: draft.description ?? base?.description ?? '',
    location: draft.location ?? base?.location ?? '',
    attendees: draft.attendees ? guestsOf(draft.attendees) : (base?.attendees ?? []),
    ...(draft.videoCall || base?.videoCall ? { videoCall: true } : {}),
    ...(draft.reminders !== undefined
      ? { reminders: [...new Set(draft.reminders)].sort((a, b) => a - b) }
      : base?.reminders !== undefined
        ? { reminders: base.reminders }
        : {}),
    timeZone,
    allDay,
    ...(draft.recurrence !== undefined ? { recurrence: formatRecurrenceRule(parseRecurrenceRule(draft.recurrence)) } : {}),
  };
  if (allDay) {
    const baseDate = base?.allDay ? base.startDate : null;
    const fromInstant = draft.startsAt !== undefined ? DateTime.fromMillis(draft.startsAt, { zone: timeZone }).toISODate() : null;
    const startDate = draft.startDate ? checkDate(draft.startDate, 'start_date') : (fromInstant ?? baseDate);
    if (!startDate) throw invalid('start_date', 'an all-day event needs start_date');
    const baseLength =
      base?.allDay && base.startDate && base.endDate
        ? Math.round((Date.parse(base.endDate) - Date.parse(base.startDate)) / 86_400_000)
        : 1;
    const endDate = draft.endDate ? checkDate(draft.endDate, 'end_date') : addDays(startDate, Math.max(1, baseLength));
    if (endDate <= startDate) throw invalid('end_date', 'end_date must be after start_date (it is exclusive)');
    return {
      ...common,
      startDate,
      endDate,
      startsAt: localMidnight(startDate, timeZone),
      endsAt: localMidnight(endDate, timeZone),
    };
  }
  const timedBase = base && !base.allDay ? base : null;
  const startsAt = draft.startsAt ?? timedBase?.startsAt;
  if (startsAt === undefined) throw invalid('start', 'the event needs a start (or all_day with start_date)');
  const length = timedBase ? timedBase.endsAt - timedBase.startsAt : 3_600_000;
  const endsAt = draft.endsAt ?? (draft.startsAt !== undefined || !timedBase ? startsAt + length : timedBase.endsAt);
  if (endsAt <= startsAt) throw invalid('end', 'end must be after start');
  return { ...common, startDate: null, endDate: null, startsAt, endsAt };
}

/** The fields an edit changed (the whole timing when any of it did). */
function changedFields(base: EventFields, next: EventFields): Partial<EventFields> {
  const changed: Partial<EventFields> = {};
  const differs = (key: keyof EventFields) => JSON.stringify(base[key]) !== JSON.stringify(next[key]);
  for (const key of ['summary', 'description', 'location', 'attendees', 'reminders', 'videoCall'] as const)
    if (differs(key)) Object.assign(changed, { [key]: next[key] });
  if (TIMING.some(differs)) for (const key of TIMING) Object.assign(changed, { [key]: next[key] });
  return changed;
}

/** An indexed event's fields, as an edit starts from them. */
export function fieldsOfRow(row: EventRow): EventFields {
  const attendees = JSON.parse(row.attendees_json) as Attendee[];
  return {
    summary: row.summary,
    description: row.description,
    location: row.location,
    allDay: row.is_all_day === 1,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    startDate: row.start_date,
    endDate: row.end_date,
    timeZone: row.time_zone ?? 'UTC',
    attendees: attendees.filter((a) => !a.organizer).map((a) => ({ email: a.email, name: a.name, optional: a.optional })),
    reminders: JSON.parse(row.reminders_json) as number[],
    ...(row.conference_url ? { videoCall: true } : {}),
  };
}

function localWrite(
  db: WritableDb,
  calendar: { id: number; account_id: string },
  remoteId: string,
  fields: EventFields,
  previous: EventRow | null,
): LocalEventWrite {
  const own = getAccount(db, calendar.account_id)?.email.toLowerCase() ?? '';
  const known = new Map(previous ? (JSON.parse(previous.attendees_json) as Attendee[]).map((a) => [a.email, a] as const) : []);
  const organizerRow = [...known.values()].filter((a) => a.organizer);
  return {
    calendarId: calendar.id,
    remoteId,
    fields,
    organizer: previous?.organizer_json
      ? (JSON.parse(previous.organizer_json) as { email: string; name: string })
      : { email: own, name: '' },
    attendees: [
      ...organizerRow,
      ...fields.attendees.map(
        (g): Attendee => ({
          email: g.email,
          name: g.name,
          response: known.get(g.email)?.response ?? 'needsAction',
          optional: g.optional,
          organizer: false,
          self: g.email === own,
        }),
      ),
    ],
  };
}

function calendarFor(db: WritableDb, calendarId: number) {
  const calendar = calendarOfAccount(db, calendarId);
  if (!calendar) throw new OutpostError('not_found', `no calendar cal_${calendarId}`, { field: 'calendar_id' });
  return calendar;
}

/** A new event: in the index at once, under the id Outpost chose, and queued for its provider. */
export function createEvent(db: WritableDb, draft: EventDraft): EventRow {
  if (draft.calendarId === undefined) throw invalid('calendar_id', 'calendar_id is required');
  const calendar = calendarFor(db, draft.calendarId);
  const fields = resolveFields(null, draft, calendar.time_zone);
  const key = newEventKey();
  return transaction(db, () => {
    const write = localWrite(db, calendar, key, fields, null);
    const id = fields.recurrence ? insertSeriesMadeHere(db, write) : insertLocalEvent(db, write);
    queueEventEdit(db, calendar.account_id, {
      type: 'create',
      calendarRemoteId: calendar.remote_id,
      eventRemoteId: key,
      fields,
    });
    return getEvent(db, id) as EventRow;
  });
}

/** How far ahead a new series is shown before the provider's own instances come (as the default sync window). */
const NEW_SERIES_HORIZON_MS = 366 * 86_400_000;

/**
 * A new series, in the index at once as the instances the provider will make (main/calendar/expandRule.ts),
 * each under the id Google gives an instance (series id, "_", its start in UTC), until the push's sync brings
 * the provider's own. Returns the first instance's row id.
 */
function insertSeriesMadeHere(db: WritableDb, write: LocalEventWrite): number {
  const { fields } = write;
  const rule = parseRecurrenceRule(fields.recurrence as string);
  const horizon = Date.now() + NEW_SERIES_HORIZON_MS;
  const starts = expandRule(rule, fields.startsAt, fields.timeZone, { horizon, max: 1000 });
  const ids = starts.map((start) => {
    const local = DateTime.fromMillis(start, { zone: fields.timeZone });
    const instance = fields.allDay
      ? {
          ...fields,
          ...movedDates(fields.startDate as string, fields.endDate as string, {
            days: daysBetween(fields.startDate as string, local.toISODate() as string),
            minutes: 0,
            lengthMs: null,
            lengthDays: null,
          }),
        }
      : { ...fields, startsAt: start, endsAt: start + (fields.endsAt - fields.startsAt) };
    const timed = { ...instance, ...(fields.allDay ? allDayInstants(instance) : {}) };
    const suffix = fields.allDay ? local.toFormat('yyyyMMdd') : local.toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'");
    return insertLocalEvent(db, {
      ...write,
      remoteId: `${write.remoteId}_${suffix}`,
      fields: timed,
      series: { remoteId: write.remoteId, originalStartAt: timed.startsAt },
    });
  });
  // A rule whose first day it does not name still shows the event where it was put, until the sync.
  return ids[0] ?? insertLocalEvent(db, write);
}

/** An all-day instance's instants: its dates' local midnights. */
function allDayInstants(fields: EventFields): Pick<EventFields, 'startsAt' | 'endsAt'> {
  return {
    startsAt: localMidnight(fields.startDate as string, fields.timeZone),
    endsAt: localMidnight(fields.endDate as string, fields.timeZone),
  };
}

function existing(db: WritableDb, eventId: number): EventRow {
  const row = getEvent(db, eventId);
  if (!row || row.status === 'cancelled') throw new OutpostError('not_found', `no event evt_${eventId}`);
  return row;
}

/**
 * An edit: the index's row changes at once, and the changed fields are queued with the provider's version
 * the edit was made on. Another calendar of the same account moves the event: deleted where it was,
 * created in the other one.
 */
export function editEvent(db: WritableDb, eventId: number, draft: EventDraft, applyTo: ApplyTo = 'this'): EventRow {
  const row = existing(db, eventId);
  if (applyTo !== 'this' && row.series_remote_id) return editSeries(db, row, draft, applyTo);
  if (applyTo !== 'this' && draft.recurrence !== undefined)
    throw invalid('recurrence', 'this event does not repeat: a rule is given when an event is created');
  const base = fieldsOfRow(row);
  const fromCalendar = calendarFor(db, row.calendar_id);
  const toCalendar = draft.calendarId === undefined ? fromCalendar : calendarFor(db, draft.calendarId);
  if (toCalendar.account_id !== fromCalendar.account_id)
    throw invalid('calendar_id', 'an event moves only between calendars of its own account');
  const fields = resolveFields(base, draft, toCalendar.time_zone);
  const madeAt = Date.now();
  return transaction(db, () => {
    if (toCalendar.id !== fromCalendar.id) {
      if (row.series_remote_id) throw invalid('calendar_id', 'an instance of a recurring event cannot move to another calendar');
      const key = newEventKey();
      queueEventEdit(db, row.account_id, {
        type: 'delete',
        calendarRemoteId: fromCalendar.remote_id,
        eventRemoteId: row.remote_id,
        notifyGuests: false,
        madeAt,
        baseEtag: row.etag,
      });
      queueEventEdit(db, row.account_id, { type: 'create', calendarRemoteId: toCalendar.remote_id, eventRemoteId: key, fields });
      updateLocalEvent(db, eventId, localWrite(db, toCalendar, key, fields, row));
      return getEvent(db, eventId) as EventRow;
    }
    const changed = changedFields(base, fields);
    if (Object.keys(changed).length > 0) {
      queueEventEdit(db, row.account_id, {
        type: 'update',
        calendarRemoteId: fromCalendar.remote_id,
        eventRemoteId: row.remote_id,
        fields: changed,
        madeAt,
        baseEtag: row.etag,
      });
      updateLocalEvent(db, eventId, localWrite(db, fromCalendar, row.remote_id, fields, row));
    }
    return getEvent(db, eventId) as EventRow;
  });
}

/**
 * A deletion: gone from the index at once, queued for the provider (guests told by it). An instance of a
 * series takes the whole series with it ('all'), or itself and the instances after it ('following').
 * Returns the event's account.
 */
export function deleteEvent(db: WritableDb, eventId: number, applyTo: ApplyTo = 'this'): string {
  const row = existing(db, eventId);
  const calendar = calendarFor(db, row.calendar_id);
  if (applyTo !== 'this' && row.series_remote_id) {
    const seriesRemoteId = row.series_remote_id;
    const split = splitOf(row);
    transaction(db, () => {
      queueEventEdit(db, row.account_id, {
        type: 'delete_series',
        scope: applyTo,
        calendarRemoteId: calendar.remote_id,
        eventRemoteId: seriesRemoteId,
        split,
        timeZone: row.time_zone ?? 'UTC',
        notifyGuests: true,
        madeAt: Date.now(),
        baseEtag: null,
      });
      for (const instance of seriesInstancesFrom(db, row.calendar_id, seriesRemoteId, applyTo === 'all' ? 0 : split.slotStartsAt))
        deleteLocalEvent(db, instance.id);
    });
    return row.account_id;
  }
  transaction(db, () => {
    queueEventEdit(db, row.account_id, {
      type: 'delete',
      calendarRemoteId: calendar.remote_id,
      eventRemoteId: row.remote_id,
      notifyGuests: true,
      madeAt: Date.now(),
      baseEtag: row.etag,
    });
    deleteLocalEvent(db, eventId);
  });
  return row.account_id;
}

/** Which events an edit or delete of an instance reaches: it alone, it and the series' later ones, or the whole series. */
export type ApplyTo = 'this' | SeriesScope;

/** An instance's slot in its series: its original start (an exception's), as an instant and, all-day, a date. */
function splitOf(row: EventRow): SeriesSplit {
  const slotStartsAt = row.original_start_at ?? row.starts_at;
  const slotDate = row.is_all_day === 1 ? DateTime.fromMillis(slotStartsAt, { zone: row.time_zone ?? 'UTC' }).toISODate() : null;
  return { slotStartsAt, slotDate };
}

/**
 * How the edit moves the instance it was made on, as the whole series (or its rest) moves: whole days, then
 * minutes of wall-clock time in the event's zone, and the new length when it changed.
 */
function seriesTiming(base: EventFields, next: EventFields): SeriesTiming {
  if (base.allDay) {
    const length = (f: EventFields) => daysBetween(f.startDate as string, f.endDate as string);
    const days = daysBetween(base.startDate as string, next.startDate as string);
    return { days, minutes: 0, lengthMs: null, lengthDays: length(next) === length(base) ? null : length(next) };
  }
  const from = DateTime.fromMillis(base.startsAt, { zone: base.timeZone });
  const to = DateTime.fromMillis(next.startsAt, { zone: base.timeZone });
  const days = Math.round(to.startOf('day').diff(from.startOf('day'), 'days').days);
  const minutes = to.hour * 60 + to.minute - (from.hour * 60 + from.minute);
  const length = next.endsAt - next.startsAt;
  return { days, minutes, lengthMs: length === base.endsAt - base.startsAt ? null : length, lengthDays: null };
}

/** An instance's fields after a series edit moved it (`timing`) and changed `changed`. */
function movedInstance(instance: EventFields, changed: Partial<EventFields>, timing: SeriesTiming): EventFields {
  const { recurrence: _rule, ...plain } = changed;
  const fields = { ...instance, ...plain };
  if (!instance.allDay) return { ...fields, ...movedTimes(instance.startsAt, instance.endsAt, instance.timeZone, timing) };
  const dates = movedDates(instance.startDate as string, instance.endDate as string, timing);
  return {
    ...fields,
    ...dates,
    startsAt: localMidnight(dates.startDate, instance.timeZone),
    endsAt: localMidnight(dates.endDate, instance.timeZone),
  };
}

/**
 * An edit of a whole series, or of an instance and the ones after it: the index's instances change at once
 * (moved as the edited one moved, in wall-clock time), and one edit is queued for the provider, which
 * changes the series (or splits it: see main/providers/). A new rule changes the index at the next sync.
 * A series keeps its calendar, zone and kind (all-day or timed): those are edits of "this event", or a
 * new series.
 */
function editSeries(db: WritableDb, row: EventRow, draft: EventDraft, scope: SeriesScope): EventRow {
  const seriesRemoteId = row.series_remote_id as string;
  const calendar = calendarFor(db, row.calendar_id);
  if (draft.calendarId !== undefined && draft.calendarId !== row.calendar_id)
    throw invalid('calendar_id', 'a recurring series stays in its calendar; move single events');
  const base = fieldsOfRow(row);
  const next = resolveFields(base, draft, calendar.time_zone, { newRule: true });
  if (next.allDay !== base.allDay)
    throw invalid('all_day', 'a series cannot switch between all-day and timed: edit "this event", or make a new series');
  if (next.timeZone !== base.timeZone)
    throw invalid('time_zone', 'a series keeps its time zone: edit "this event", or make a new series in the other zone');
  const timing = seriesTiming(base, next);
  const changed = changedFields(base, next);
  for (const key of TIMING) delete changed[key];
  if (next.recurrence) changed.recurrence = next.recurrence;
  const moves = timing.days !== 0 || timing.minutes !== 0 || timing.lengthMs !== null || timing.lengthDays !== null;
  if (Object.keys(changed).length === 0 && !moves) return row;
  const split = splitOf(row);
  return transaction(db, () => {
    queueEventEdit(db, row.account_id, {
      type: 'update_series',
      scope,
      calendarRemoteId: calendar.remote_id,
      eventRemoteId: seriesRemoteId,
      newSeriesRemoteId: newEventKey(),
      split,
      fields: changed,
      timing,
      timeZone: base.timeZone,
      madeAt: Date.now(),
      baseEtag: null,
    });
    for (const instance of seriesInstancesFrom(db, row.calendar_id, seriesRemoteId, scope === 'all' ? 0 : split.slotStartsAt))
      updateLocalEvent(
        db,
        instance.id,
        localWrite(db, calendar, instance.remote_id, movedInstance(fieldsOfRow(instance), changed, timing), instance),
      );
    return getEvent(db, row.id) as EventRow;
  });
}
