import { useEffect } from 'react';
import type { CalendarEvent } from '../../../shared/api/calendar.ts';
import { addDays, useCalendarStore } from '../calendarStore.ts';

const HOUR_PX = 44;
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const longDay = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });

/** Week grid and agenda of every synced calendar, in the viewer's time zone, coloured per calendar. */
export function CalendarView() {
  const { mode, weekStart, events, status, error, selected } = useCalendarStore();
  const { setMode, moveWeeks, today, load, select } = useCalendarStore.getState();
  useEffect(() => {
    void load();
  }, [load]);
  const days = Array.from({ length: 7 }, (_, i) => addDays(weekStart, i));

  return (
    <section className="calendar" aria-label="Calendar">
      <header className="calendar-toolbar">
        <button type="button" onClick={() => void today()}>
          Today
        </button>
        <button type="button" aria-label="Previous week" onClick={() => void moveWeeks(-1)}>
          ‹
        </button>
        <button type="button" aria-label="Next week" onClick={() => void moveWeeks(1)}>
          ›
        </button>
        <h2>
          {dayFormat.format(days[0] as Date)} – {dayFormat.format(days[6] as Date)}
        </h2>
        <fieldset className="calendar-modes">
          <legend className="sr-only">View</legend>
          {(['week', 'agenda'] as const).map((m) => (
            <button key={m} type="button" aria-pressed={mode === m} onClick={() => setMode(m)}>
              {m === 'week' ? 'Week' : 'Agenda'}
            </button>
          ))}
        </fieldset>
      </header>
      {error && (
        <p role="alert" className="error">
          Could not load events: {error}
        </p>
      )}
      {status === 'idle' && !error && events.length === 0 && <p className="empty">Nothing scheduled this week.</p>}
      <div className="calendar-body">
        {mode === 'week' ? (
          <WeekGrid days={days} events={events} onSelect={select} />
        ) : (
          <Agenda days={days} events={events} onSelect={select} />
        )}
        {selected && <EventDetails event={selected} onClose={() => select(null)} />}
      </div>
    </section>
  );
}

function eventsOn(day: Date, events: CalendarEvent[]): CalendarEvent[] {
  const next = addDays(day, 1);
  const date = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
  return events.filter((e) =>
    e.all_day && e.start_date && e.end_date
      ? e.start_date <= date && date < e.end_date
      : Date.parse(e.start) < next.getTime() && Date.parse(e.end) > day.getTime(),
  );
}

function WeekGrid({ days, events, onSelect }: { days: Date[]; events: CalendarEvent[]; onSelect: (e: CalendarEvent) => void }) {
  return (
    <section className="week" aria-label="Week">
      <div className="week-row all-day">
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
      <div className="week-row timed" style={{ height: 24 * HOUR_PX }}>
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

function EventChip({
  event,
  onSelect,
  style,
}: {
  event: CalendarEvent;
  onSelect: (e: CalendarEvent) => void;
  style?: React.CSSProperties;
}) {
  return (
    <button
      type="button"
      className={`event-chip${event.status === 'tentative' ? ' tentative' : ''}`}
      style={{ ...style, borderLeftColor: event.calendar_color ?? 'var(--accent)' }}
      onClick={() => onSelect(event)}
      title={`${event.summary} (${event.calendar_name})`}
    >
      <span className="event-title">{event.summary || '(no title)'}</span>
      {!event.all_day && <span className="event-time">{timeFormat.format(new Date(event.start))}</span>}
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
      {event.description && <p className="description">{event.description}</p>}
    </aside>
  );
}
