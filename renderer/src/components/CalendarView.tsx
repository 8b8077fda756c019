import { useEffect, useState } from 'react';
import type { CalendarEvent, EventRsvpBody } from '../../../shared/api/calendar.ts';
import { addDays, type CalendarMode, type DayRange, daysOf, useCalendarStore, visibleRange } from '../calendarStore.ts';

const HOUR_PX = 44;
/** Chips a month cell shows before the rest go behind "+N more". */
const MONTH_CELL_CHIPS = 3;
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const longDay = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
const fullDate = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });
const weekdayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short' });

const MODES: { mode: CalendarMode; label: string; unit: string }[] = [
  { mode: 'day', label: 'Day', unit: 'day' },
  { mode: 'week', label: 'Week', unit: 'week' },
  { mode: 'month', label: 'Month', unit: 'month' },
  // The agenda lists seven days from its first and steps by a week.
  { mode: 'agenda', label: 'Agenda', unit: 'week' },
];

function unitOf(mode: CalendarMode): string {
  return MODES.find((m) => m.mode === mode)?.unit ?? 'week';
}

/** Day, week, month and agenda of every synced calendar, in the viewer's time zone, coloured per calendar. */
export function CalendarView() {
  const { mode, anchor, events, status, error, selected } = useCalendarStore();
  const { load, select, openDay } = useCalendarStore.getState();
  useEffect(() => {
    void load();
  }, [load]);
  const range = visibleRange(mode, anchor);
  const days = daysOf(range);

  return (
    <section className="calendar" aria-label="Calendar">
      <CalendarToolbar mode={mode} anchor={anchor} range={range} />
      {error && (
        <p role="alert" className="error">
          Could not load events: {error}
        </p>
      )}
      {status === 'idle' && !error && events.length === 0 && <p className="empty">Nothing scheduled this {unitOf(mode)}.</p>}
      <div className="calendar-body">
        {mode === 'day' && <TimeGrid label="Day" days={days} events={events} onSelect={select} />}
        {mode === 'week' && <TimeGrid label="Week" days={days} events={events} onSelect={select} />}
        {mode === 'month' && (
          <MonthGrid month={anchor} days={days} events={events} onSelect={select} onOpenDay={(day) => void openDay(day)} />
        )}
        {mode === 'agenda' && <Agenda days={days} events={events} onSelect={select} />}
        {selected && <EventDetails event={selected} onClose={() => select(null)} />}
      </div>
    </section>
  );
}

function CalendarToolbar({ mode, anchor, range }: { mode: CalendarMode; anchor: Date; range: DayRange }) {
  const { setMode, move, today } = useCalendarStore.getState();
  const unit = unitOf(mode);
  return (
    <header className="calendar-toolbar">
      <button type="button" onClick={() => void today()}>
        Today
      </button>
      <button type="button" aria-label={`Previous ${unit}`} onClick={() => void move(-1)}>
        ‹
      </button>
      <button type="button" aria-label={`Next ${unit}`} onClick={() => void move(1)}>
        ›
      </button>
      <h2>{rangeHeading(mode, anchor, range)}</h2>
      <fieldset className="calendar-modes">
        <legend className="sr-only">View</legend>
        {MODES.map((m) => (
          <button key={m.mode} type="button" aria-pressed={mode === m.mode} onClick={() => void setMode(m.mode)}>
            {m.label}
          </button>
        ))}
      </fieldset>
    </header>
  );
}

function rangeHeading(mode: CalendarMode, anchor: Date, { from, to }: DayRange): string {
  if (mode === 'day') return fullDate.format(anchor);
  if (mode === 'month') return monthFormat.format(anchor);
  return `${dayFormat.format(from)} – ${dayFormat.format(addDays(to, -1))}`;
}

function dateKey(day: Date): string {
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
}

/** Events on a local day: all-day ones by their dates, timed ones by overlap, so a multi-day event is on each of its days. */
function eventsOn(day: Date, events: CalendarEvent[]): CalendarEvent[] {
  const next = addDays(day, 1);
  const date = dateKey(day);
  return events.filter((e) =>
    e.all_day && e.start_date && e.end_date
      ? e.start_date <= date && date < e.end_date
      : Date.parse(e.start) < next.getTime() && Date.parse(e.end) > day.getTime(),
  );
}

/** The hour grid of the Day and Week views: one column per day, all-day events in a row on top. */
function TimeGrid({
  label,
  days,
  events,
  onSelect,
}: {
  label: string;
  days: Date[];
  events: CalendarEvent[];
  onSelect: (e: CalendarEvent) => void;
}) {
  const columns = { gridTemplateColumns: `56px repeat(${days.length}, minmax(0, 1fr))` };
  return (
    <section className="week" aria-label={label}>
      <div className="week-row all-day" style={columns}>
        <div className="hour-label" />
        {days.map((day) => (
          <div key={day.toISOString()} className="all-day-cell">
            <div className="day-heading">{dayFormat.format(day)}</div>
            {eventsOn(day, events)
              .filter((e) => e.all_day)
              .map((e) => (
                <EventChip key={e.id} event={e} onSelect={onSelect} />
              ))}
          </div>
        ))}
      </div>
      <div className="week-row timed" style={{ ...columns, height: 24 * HOUR_PX }}>
        <div className="hour-label">
          {Array.from({ length: 24 }, (_, h) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the hour is the identity
            <div key={h} style={{ height: HOUR_PX }}>
              {String(h).padStart(2, '0')}:00
            </div>
          ))}
        </div>
        {days.map((day) => (
          <div key={day.toISOString()} className="day-column">
            {eventsOn(day, events)
              .filter((e) => !e.all_day)
              .map((e) => {
                const start = Math.max(Date.parse(e.start), day.getTime());
                const end = Math.min(Date.parse(e.end), addDays(day, 1).getTime());
                const top = ((start - day.getTime()) / 3_600_000) * HOUR_PX;
                const height = Math.max(18, ((end - start) / 3_600_000) * HOUR_PX - 2);
                return (
                  <EventChip
                    key={e.id}
                    event={e}
                    onSelect={onSelect}
                    style={{ top, height, position: 'absolute', left: 2, right: 2 }}
                  />
                );
              })}
          </div>
        ))}
      </div>
    </section>
  );
}

/** Whole weeks covering a month; a day's events as one-line chips, the rest behind "+N more" (the Day view). */
function MonthGrid({
  month,
  days,
  events,
  onSelect,
  onOpenDay,
}: {
  month: Date;
  days: Date[];
  events: CalendarEvent[];
  onSelect: (e: CalendarEvent) => void;
  onOpenDay: (day: Date) => void;
}) {
  const today = dateKey(new Date());
  return (
    <section className="month" aria-label="Month">
      <div className="month-weekdays" aria-hidden="true">
        {days.slice(0, 7).map((day) => (
          <div key={dateKey(day)}>{weekdayFormat.format(day)}</div>
        ))}
      </div>
      <div className="month-days">
        {days.map((day) => (
          <MonthDay
            key={dateKey(day)}
            day={day}
            inMonth={day.getMonth() === month.getMonth()}
            isToday={dateKey(day) === today}
            events={eventsOn(day, events)}
            onSelect={onSelect}
            onOpenDay={onOpenDay}
          />
        ))}
      </div>
    </section>
  );
}

function MonthDay({
  day,
  inMonth,
  isToday,
  events,
  onSelect,
  onOpenDay,
}: {
  day: Date;
  inMonth: boolean;
  isToday: boolean;
  events: CalendarEvent[];
  onSelect: (e: CalendarEvent) => void;
  onOpenDay: (day: Date) => void;
}) {
  const ordered = [...events].sort((a, b) => Number(b.all_day) - Number(a.all_day) || Date.parse(a.start) - Date.parse(b.start));
  const shown = ordered.slice(0, MONTH_CELL_CHIPS);
  const hidden = ordered.length - shown.length;
  return (
    <fieldset
      className={`month-day${inMonth ? '' : ' outside-month'}${isToday ? ' today' : ''}`}
      aria-label={longDay.format(day)}
      aria-current={isToday ? 'date' : undefined}
    >
      <button type="button" className="month-day-number" title="Open in the Day view" onClick={() => onOpenDay(day)}>
        {day.getDate()}
      </button>
      {shown.map((e) => (
        <EventChip key={e.id} event={e} onSelect={onSelect} compact />
      ))}
      {hidden > 0 && (
        <button type="button" className="month-more" onClick={() => onOpenDay(day)}>
          +{hidden} more
        </button>
      )}
    </fieldset>
  );
}

function Agenda({ days, events, onSelect }: { days: Date[]; events: CalendarEvent[]; onSelect: (e: CalendarEvent) => void }) {
  return (
    <div className="agenda">
      {days.map((day) => {
        const todays = eventsOn(day, events);
        if (todays.length === 0) return null;
        return (
          <section key={day.toISOString()} aria-label={longDay.format(day)}>
            <h3>{longDay.format(day)}</h3>
            <ul>
              {todays.map((e) => (
                <li key={e.id}>
                  <span className="agenda-time">
                    {e.all_day ? 'All day' : `${timeFormat.format(new Date(e.start))} – ${timeFormat.format(new Date(e.end))}`}
                  </span>
                  <EventChip event={e} onSelect={onSelect} />
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

/** An event as a button in its calendar's colour; `compact` puts the time before the title on one line (month cells). */
function EventChip({
  event,
  onSelect,
  style,
  compact = false,
}: {
  event: CalendarEvent;
  onSelect: (e: CalendarEvent) => void;
  style?: React.CSSProperties;
  compact?: boolean;
}) {
  const time = event.all_day ? null : <span className="event-time">{timeFormat.format(new Date(event.start))}</span>;
  return (
    <button
      type="button"
      className={`event-chip${compact ? ' compact' : ''}${event.status === 'tentative' ? ' tentative' : ''}`}
      style={{ ...style, borderLeftColor: event.calendar_color ?? 'var(--accent)' }}
      onClick={() => onSelect(event)}
      title={`${event.summary} (${event.calendar_name})`}
    >
      {compact && time}
      <span className="event-title">{event.summary || '(no title)'}</span>
      {!compact && time}
    </button>
  );
}

function EventDetails({ event, onClose }: { event: CalendarEvent; onClose: () => void }) {
  const when = event.all_day
    ? `${event.start_date} – ${event.end_date} (all day)`
    : `${new Date(event.start).toLocaleString()} – ${timeFormat.format(new Date(event.end))}`;
  return (
    <aside className="event-details" aria-label="Event details">
      <button type="button" className="close" aria-label="Close details" onClick={onClose}>
        ×
      </button>
      <h3>{event.summary || '(no title)'}</h3>
      <p>{when}</p>
      {event.time_zone && <p className="muted">Scheduled in {event.time_zone}</p>}
      {event.location && <p>Where: {event.location}</p>}
      {event.conference_url && (
        <p>
          <a href={event.conference_url} target="_blank" rel="noopener noreferrer">
            Join the video call
          </a>
        </p>
      )}
      <p className="muted">{event.calendar_name}</p>
      {event.attendees.length > 0 && (
        <ul className="attendees" aria-label="Attendees">
          {event.attendees.map((a) => (
            <li key={a.email}>
              {a.name || a.email}{' '}
              <span className={`response ${a.response}`}>{a.response === 'needsAction' ? 'no reply' : a.response}</span>
            </li>
          ))}
        </ul>
      )}
      {/* Keyed by event: a failure shown belongs to the event it was about. */}
      <RsvpButtons key={event.id} event={event} />
      {event.description && <p className="description">{event.description}</p>}
    </aside>
  );
}

const ANSWERS: { response: EventRsvpBody['response']; label: string }[] = [
  { response: 'accepted', label: 'Yes' },
  { response: 'tentative', label: 'Maybe' },
  { response: 'declined', label: 'No' },
];

/** "Going? Yes / Maybe / No" for an invitation: shown only to a guest, never to the organizer (who does not answer). */
function RsvpButtons({ event }: { event: CalendarEvent }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const me = event.attendees.find((a) => a.self);
  if (!me || me.organizer || event.organizer?.email === me.email) return null;
  const answer = async (response: EventRsvpBody['response']) => {
    setBusy(true);
    setError(null);
    try {
      await useCalendarStore.getState().respond(event, response);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <fieldset className="calendar-modes rsvp" aria-label="Going?">
        <legend>Going?</legend>
        {ANSWERS.map((a) => (
          <button
            key={a.response}
            type="button"
            aria-pressed={me.response === a.response}
            disabled={busy}
            onClick={() => void answer(a.response)}
          >
            {a.label}
          </button>
        ))}
      </fieldset>
      {error && (
        <p role="alert" className="error">
          Could not send your answer: {error}
        </p>
      )}
    </>
  );
}
