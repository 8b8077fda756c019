import { DateTime } from 'luxon';
import { useEffect, useRef, useState } from 'react';
import type { CalendarEvent, EventCreateBody, EventUpdateBody } from '../../../shared/api/calendar.ts';
import { type ApplyTo, api } from '../apiClient.ts';
import { viewerTimeZone } from '../calendarLayout.ts';
import { addDays, useCalendarStore } from '../calendarStore.ts';
import { type RepeatKind, repeatChoices, repeatRule } from '../eventRepeat.ts';

type CalendarChoice = { id: string; name: string; account_id: string; is_primary: boolean };

/** What the form holds: local dates and clock times as the inputs give them ("YYYY-MM-DD", "HH:MM"). */
interface Fields {
  summary: string;
  allDay: boolean;
  date: string;
  startTime: string;
  endDate: string;
  endTime: string;
  location: string;
  description: string;
  calendarId: string;
  /** Guests' addresses, separated by commas. */
  guests: string;
  /** Minutes before the start, 'none', or '' for the calendar's default reminders (new events). */
  reminder: string;
  /** The IANA zone the times are typed in and the event is scheduled in. */
  timeZone: string;
  /** A video call asked of the provider (an event that has one keeps it). */
  videoCall: boolean;
  /** A new event's repeat choice, and how the series ends (after `repeatCount` times, or on `repeatUntil`). */
  repeat: RepeatKind;
  repeatEnd: 'never' | 'count' | 'until';
  repeatCount: string;
  repeatUntil: string;
}

const REMINDERS: Array<{ value: string; label: string }> = [
  { value: 'none', label: 'None' },
  { value: '5', label: '5 minutes before' },
  { value: '10', label: '10 minutes before' },
  { value: '15', label: '15 minutes before' },
  { value: '30', label: '30 minutes before' },
  { value: '60', label: '1 hour before' },
  { value: '1440', label: '1 day before' },
];

const pad = (n: number) => String(n).padStart(2, '0');
const localDate = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const localTime = (d: Date) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;
/** "YYYY-MM-DD" and "HH:MM" as the local instant (a date-time without an offset is local time). */
const instant = (date: string, time: string) => new Date(`${date}T${time}`);
/** An instant's date and clock time in a zone ("YYYY-MM-DD", "HH:MM"). */
const zonedParts = (d: Date, zone: string) => {
  const t = DateTime.fromJSDate(d, { zone });
  return { date: t.toFormat('yyyy-MM-dd'), time: t.toFormat('HH:mm') };
};
/** A date and clock time typed for a zone, as the instant (null when either is not valid). */
const zonedInstant = (date: string, time: string, zone: string) => {
  const t = DateTime.fromISO(`${date}T${time}`, { zone });
  return t.isValid ? t.toJSDate() : null;
};
const isZone = (zone: string) => DateTime.local().setZone(zone).isValid;
/** Every zone the browser knows, for the form's suggestions. */
const ZONES: readonly string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

function fieldsOf(event: CalendarEvent | null, day: Date, span: { start: Date; end: Date } | null): Fields {
  if (!event) {
    // A new event: the times given on the grid, else the next whole hour today, or 09:00 on another day shown, for an hour.
    const now = new Date();
    const otherwise =
      localDate(day) === localDate(now)
        ? new Date(now.getFullYear(), now.getMonth(), now.getDate(), now.getHours() + 1)
        : new Date(day.getFullYear(), day.getMonth(), day.getDate(), 9);
    const start = span?.start ?? otherwise;
    const end = span?.end ?? new Date(start.getTime() + 3_600_000);
    return {
      summary: '',
      allDay: false,
      date: localDate(start),
      startTime: localTime(start),
      endDate: localDate(end),
      endTime: localTime(end),
      timeZone: viewerTimeZone(),
      videoCall: false,
      repeat: 'none',
      repeatEnd: 'never',
      repeatCount: '10',
      repeatUntil: localDate(new Date(start.getFullYear(), start.getMonth() + 3, start.getDate())),
      location: '',
      description: '',
      calendarId: '',
      guests: '',
      reminder: '',
    };
  }
  // A timed event's times are shown in the zone it is scheduled in (as the provider's own form does).
  const timeZone = event.time_zone && isZone(event.time_zone) ? event.time_zone : viewerTimeZone();
  const start = zonedParts(new Date(event.start), timeZone);
  const end = zonedParts(new Date(event.end), timeZone);
  const lastDay = event.end_date ? localDate(addDays(instant(event.end_date, '00:00'), -1)) : end.date;
  return {
    summary: event.summary,
    allDay: event.all_day,
    date: event.start_date ?? start.date,
    startTime: start.time,
    endDate: event.all_day ? lastDay : end.date,
    endTime: end.time,
    timeZone,
    location: event.location,
    description: event.description,
    calendarId: event.calendar_id,
    guests: event.attendees
      .filter((a) => !a.organizer && !a.self)
      .map((a) => a.email)
      .join(', '),
    reminder: event.reminders_minutes.length ? String(Math.min(...event.reminders_minutes)) : 'none',
    videoCall: event.conference_url !== null,
    repeat: 'none',
    repeatEnd: 'never',
    repeatCount: '10',
    repeatUntil: '',
  };
}

/** A new event's rule from the Repeat choice, or why it cannot be made. */
function repeatOf(fields: Fields): { rule: string | null; error?: string } {
  if (fields.repeat === 'none') return { rule: null };
  if (fields.repeatEnd === 'count') {
    const count = Number(fields.repeatCount);
    if (!Number.isInteger(count) || count < 1 || count > 730) return { rule: null, error: 'Repeat 1 to 730 times.' };
    return { rule: repeatRule(fields.repeat, fields.date, { kind: 'count', count }) };
  }
  if (fields.repeatEnd === 'until') {
    if (!fields.repeatUntil || fields.repeatUntil < fields.date)
      return { rule: null, error: 'The series ends before it starts.' };
    // A timed series ends at the last moment of that day where it is scheduled (UNTIL in UTC, as RFC 5545 asks).
    const until = fields.allDay
      ? fields.repeatUntil.replaceAll('-', '')
      : DateTime.fromISO(fields.repeatUntil, { zone: fields.timeZone }).endOf('day').toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'");
    return { rule: repeatRule(fields.repeat, fields.date, { kind: 'until', until }) };
  }
  return { rule: repeatRule(fields.repeat, fields.date, { kind: 'never' }) };
}

/**
 * Guests and reminder as the request gives them, only when the form changed them (a guest's name, which
 * the form does not show, stays as it was).
 */
function guestsAndReminders(fields: Fields, initial: Fields): Pick<EventUpdateBody, 'attendees' | 'reminders_minutes'> | string {
  const out: Pick<EventUpdateBody, 'attendees' | 'reminders_minutes'> = {};
  if (fields.guests.trim() !== initial.guests.trim()) {
    const emails = fields.guests
      .split(/[\s,;]+/)
      .map((e) => e.trim())
      .filter(Boolean);
    const wrong = emails.find((e) => !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(e));
    if (wrong) return `${wrong} is not an email address.`;
    out.attendees = emails.map((email) => ({ email }));
  }
  if (fields.reminder !== initial.reminder && fields.reminder !== '')
    out.reminders_minutes = fields.reminder === 'none' ? [] : [Number(fields.reminder)];
  return out;
}

/** The request's fields, or what is wrong with the form. */
function bodyOf(fields: Fields): Omit<EventCreateBody, 'calendar_id'> | string {
  const common = { summary: fields.summary.trim(), location: fields.location, description: fields.description };
  if (fields.allDay) {
    if (fields.endDate < fields.date) return 'The last day is before the first.';
    const after = localDate(addDays(instant(fields.endDate, '00:00'), 1));
    return { ...common, all_day: true, start_date: fields.date, end_date: after };
  }
  if (!isZone(fields.timeZone)) return `${fields.timeZone} is not a time zone (such as Europe/Berlin).`;
  const start = zonedInstant(fields.date, fields.startTime, fields.timeZone);
  const end = zonedInstant(fields.endDate, fields.endTime, fields.timeZone);
  if (!start || !end) return 'Give a date and times.';
  if (end <= start) return 'The event ends before it starts.';
  return { ...common, all_day: false, start: start.toISOString(), end: end.toISOString(), time_zone: fields.timeZone };
}

const SCOPES: Array<{ value: ApplyTo; label: string }> = [
  { value: 'this', label: 'This event' },
  { value: 'following', label: 'This and following events' },
  { value: 'all', label: 'All events' },
];

/** Which events of a recurring series a change reaches, as Google Calendar and Outlook ask. */
export function SeriesScopeChoice({
  verb,
  value,
  onChange,
}: {
  verb: string;
  value: ApplyTo;
  onChange: (value: ApplyTo) => void;
}) {
  return (
    <fieldset className="series-scope">
      <legend>{verb} recurring event</legend>
      {SCOPES.map((scope) => (
        <label key={scope.value} className="inline">
          <input
            type="radio"
            name="series-scope"
            value={scope.value}
            checked={value === scope.value}
            onChange={() => onChange(scope.value)}
          />{' '}
          {scope.label}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * A series keeps its calendar and zone: a change of several of its events sends the times as instants
 * (read in the viewer's zone) without naming a zone, and no calendar.
 */
function seriesBody(body: EventUpdateBody, applyTo: ApplyTo, event: CalendarEvent): EventUpdateBody {
  if (applyTo === 'this') return body;
  const { time_zone: zone, calendar_id: _calendar, ...rest } = body;
  // A zone changed for a series is sent, and refused with the core's reason.
  return zone && zone !== event.time_zone ? { ...rest, time_zone: zone } : rest;
}

/**
 * Creates an event, or changes one (an instance of a series: it alone, it and the following ones, or all): title, all day or times, location,
 * description and calendar, saved through the local API (the index at once, the provider through its queue).
 */
export function EventForm({
  event,
  day,
  span = null,
}: {
  event: CalendarEvent | null;
  day: Date;
  span?: { start: Date; end: Date } | null;
}) {
  const [initial] = useState(() => fieldsOf(event, day, span));
  const [fields, setFields] = useState(initial);
  const [calendars, setCalendars] = useState<CalendarChoice[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [applyTo, setApplyTo] = useState<ApplyTo>('this');
  const idempotencyKey = useRef(crypto.randomUUID());
  const title = useRef<HTMLInputElement>(null);
  useEffect(() => title.current?.focus(), []);
  useEffect(() => {
    void api.listCalendars().then(
      ({ data }) => {
        // An event moves only between calendars of its own account.
        const choices = event ? data.filter((c) => c.account_id === event.account_id) : data;
        setCalendars(choices);
        // New events go to the default calendar (Calendars menu), else the first account's primary one.
        const first = choices.find((c) => c.is_default) ?? choices.find((c) => c.is_primary) ?? choices[0];
        setFields((f) => (f.calendarId ? f : { ...f, calendarId: first?.id ?? '' }));
      },
      (failure: Error) => setError(failure.message),
    );
  }, [event]);
  const set =
    <K extends keyof Fields>(key: K) =>
    (value: Fields[K]) =>
      setFields((f) => ({ ...f, [key]: value }));
  const { edit, saved } = useCalendarStore.getState();

  const save = async (submit: React.FormEvent) => {
    submit.preventDefault();
    const timing = bodyOf(fields);
    if (typeof timing === 'string') return setError(timing);
    const people = guestsAndReminders(fields, initial);
    if (typeof people === 'string') return setError(people);
    const repeat = event ? null : repeatOf(fields);
    if (repeat?.error) return setError(repeat.error);
    const body = {
      ...timing,
      ...people,
      ...(fields.videoCall && !initial.videoCall ? { video_call: true as const } : {}),
      ...(repeat?.rule ? { recurrence: repeat.rule } : {}),
    };
    setBusy(true);
    setError(null);
    try {
      const { data } = event
        ? await api.updateEvent(event.id, seriesBody({ ...body, calendar_id: fields.calendarId }, applyTo, event), applyTo)
        : await api.createEvent({ ...body, calendar_id: fields.calendarId }, idempotencyKey.current);
      await saved(data);
    } catch (failure) {
      setError((failure as Error).message);
      setBusy(false);
    }
  };

  return (
    <form className="event-details event-form" aria-label={event ? 'Edit event' : 'New event'} onSubmit={(e) => void save(e)}>
      <h3>{event ? 'Edit event' : 'New event'}</h3>
      {event?.series_id && <SeriesScopeChoice verb="Change" value={applyTo} onChange={setApplyTo} />}
      <label>
        Title
        <input ref={title} value={fields.summary} onChange={(e) => set('summary')(e.target.value)} maxLength={1024} />
      </label>
      <label className="inline">
        <input type="checkbox" checked={fields.allDay} onChange={(e) => set('allDay')(e.target.checked)} /> All day
      </label>
      <div className="event-form-row">
        <label>
          {fields.allDay ? 'First day' : 'Starts'}
          <input type="date" required value={fields.date} onChange={(e) => set('date')(e.target.value)} />
        </label>
        {!fields.allDay && (
          <input
            type="time"
            required
            value={fields.startTime}
            onChange={(e) => set('startTime')(e.target.value)}
            aria-label="Start time"
          />
        )}
      </div>
      <div className="event-form-row">
        <label>
          {fields.allDay ? 'Last day' : 'Ends'}
          <input type="date" required value={fields.endDate} onChange={(e) => set('endDate')(e.target.value)} />
        </label>
        {!fields.allDay && (
          <input
            type="time"
            required
            value={fields.endTime}
            onChange={(e) => set('endTime')(e.target.value)}
            aria-label="End time"
          />
        )}
      </div>
      {!fields.allDay && (
        <label>
          Time zone
          <input
            list="event-time-zones"
            value={fields.timeZone}
            onChange={(e) => set('timeZone')(e.target.value)}
            spellCheck={false}
            maxLength={64}
          />
          <datalist id="event-time-zones">
            {ZONES.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </label>
      )}
      <label>
        Location
        <input value={fields.location} onChange={(e) => set('location')(e.target.value)} maxLength={1024} />
      </label>
      <label>
        Description
        <textarea rows={4} value={fields.description} onChange={(e) => set('description')(e.target.value)} />
      </label>
      <label>
        Guests
        <input
          value={fields.guests}
          onChange={(e) => set('guests')(e.target.value)}
          placeholder="ann@example.com, bob@example.com"
          aria-describedby="event-guests-note"
        />
      </label>
      <p id="event-guests-note" className="muted form-note">
        Invitations go out from your account’s provider.
      </p>
      {!event && (
        <label>
          Repeat
          <select value={fields.repeat} onChange={(e) => set('repeat')(e.target.value as RepeatKind)}>
            {repeatChoices(fields.date).map((choice) => (
              <option key={choice.kind} value={choice.kind}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
      )}
      {!event && fields.repeat !== 'none' && (
        <div className="event-form-row">
          <label>
            Series ends
            <select value={fields.repeatEnd} onChange={(e) => set('repeatEnd')(e.target.value as Fields['repeatEnd'])}>
              <option value="never">Never</option>
              <option value="count">After a number of times</option>
              <option value="until">On a date</option>
            </select>
          </label>
          {fields.repeatEnd === 'count' && (
            <input
              type="number"
              min={1}
              max={730}
              value={fields.repeatCount}
              onChange={(e) => set('repeatCount')(e.target.value)}
              aria-label="How many times"
            />
          )}
          {fields.repeatEnd === 'until' && (
            <input
              type="date"
              value={fields.repeatUntil}
              onChange={(e) => set('repeatUntil')(e.target.value)}
              aria-label="The series’ last day"
            />
          )}
        </div>
      )}
      {event?.conference_url ? (
        <p className="muted form-note">Video call: {event.conference_url}</p>
      ) : (
        <label className="inline">
          <input type="checkbox" checked={fields.videoCall} onChange={(e) => set('videoCall')(e.target.checked)} /> Add a video
          call (Google Meet or Teams, made by the provider)
        </label>
      )}
      <label>
        Reminder
        <select value={fields.reminder} onChange={(e) => set('reminder')(e.target.value)}>
          {!event && <option value="">Default reminders</option>}
          {REMINDERS.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
          {fields.reminder && !REMINDERS.some((r) => r.value === fields.reminder) && (
            <option value={fields.reminder}>{fields.reminder} minutes before</option>
          )}
        </select>
      </label>
      <label>
        Calendar
        <select value={fields.calendarId} onChange={(e) => set('calendarId')(e.target.value)} required>
          {calendars.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <p role="alert" className="error">
          Could not save the event: {error}
        </p>
      )}
      <div className="event-form-actions">
        <button type="submit" disabled={busy || !fields.calendarId}>
          Save
        </button>
        <button type="button" onClick={() => (event ? useCalendarStore.getState().select(event) : edit(null))}>
          Cancel
        </button>
      </div>
    </form>
  );
}
