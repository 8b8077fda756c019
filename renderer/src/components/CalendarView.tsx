import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { CalendarEvent, EventRsvpBody } from '../../../shared/api/calendar.ts';
import type { ApplyTo } from '../apiClient.ts';
import { clockFormat, describeWhen, isDeclined, isOneLine, layoutDay } from '../calendarLayout.ts';
import {
  addDays,
  addMonths,
  type CalendarMode,
  type DayRange,
  daysOf,
  useCalendarStore,
  visibleRange,
} from '../calendarStore.ts';
import { eventDescriptionHtml } from '../eventDescription.ts';
import { CalendarList } from './CalendarList.tsx';
import { EventForm, SeriesScopeChoice } from './EventForm.tsx';

const HOUR_PX = 44;
/** The hour the Day and Week views open at, unless an event starts earlier. */
const FIRST_WORKING_HOUR = 7;
/** One line of a month cell: a chip or "+N more" (styles.css gives both this height), and the 1 px gap after it. */
const MONTH_LINE_PX = 19;
/**
 * Below this width of the calendar the Week view shows three days: seven columns beside the 56 px hour axis would
 * be under about 95 px each, too narrow for a title of 12 px text once two events stand side by side.
 */
const NARROW_WEEK_PX = 720;
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });
const timeFormat = clockFormat();
/** The hour axis's labels in the same clock as the events (a January day: no zone changes its clock at an hour). */
const HOUR_LABELS = Array.from({ length: 24 }, (_, h) => timeFormat.format(new Date(2000, 0, 1, h)));
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

function unitOf(mode: CalendarMode, narrow: boolean): string {
  if (mode === 'week' && narrow) return '3 days';
  return MODES.find((m) => m.mode === mode)?.unit ?? 'week';
}

/** Tells the store whether the calendar is too narrow for seven day columns, as its width changes. */
function useNarrowWatch(): React.RefObject<HTMLElement | null> {
  const calendar = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    const element = calendar.current;
    if (!element) return;
    const measure = () => void useCalendarStore.getState().setNarrow(element.clientWidth < NARROW_WEEK_PX);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return calendar;
}

/** Day, week, month and agenda of every synced calendar, in the viewer's time zone, coloured per calendar. */
export function CalendarView() {
  const { mode, anchor, events, status, error, selected, editing, newEventSpan, narrow } = useCalendarStore();
  const { load, select, openDay } = useCalendarStore.getState();
  const calendar = useNarrowWatch();
  useEffect(() => {
    void load();
  }, [load]);
  const range = visibleRange(mode, anchor, narrow);
  const days = daysOf(range);

  return (
    <section className="calendar" aria-label="Calendar" ref={calendar}>
      <CalendarToolbar mode={mode} anchor={anchor} range={range} narrow={narrow} />
      {error && (
        <p role="alert" className="error">
          Could not load events: {error}
        </p>
      )}
      {status === 'idle' && !error && events.length === 0 && (
        <p className="empty">
          {mode === 'week' && narrow ? 'Nothing scheduled these 3 days.' : `Nothing scheduled this ${unitOf(mode, narrow)}.`}
        </p>
      )}
      <div className="calendar-body">
        {mode === 'day' && <TimeGrid label="Day" days={days} events={events} onSelect={select} />}
        {mode === 'week' && <TimeGrid label={narrow ? '3 days' : 'Week'} days={days} events={events} onSelect={select} />}
        {mode === 'month' && (
          <MonthGrid month={anchor} days={days} events={events} onSelect={select} onOpenDay={(day) => void openDay(day)} />
        )}
        {mode === 'agenda' && <Agenda days={days} events={events} onSelect={select} />}
        {selected && <EventDetails event={selected} onClose={() => select(null)} />}
        {editing && (
          <EventForm
            key={editing === 'new' ? `new-${newEventSpan?.start.getTime()}` : editing.id}
            event={editing === 'new' ? null : editing}
            day={anchor}
            span={newEventSpan}
          />
        )}
      </div>
    </section>
  );
}

function CalendarToolbar({
  mode,
  anchor,
  range,
  narrow,
}: {
  mode: CalendarMode;
  anchor: Date;
  range: DayRange;
  narrow: boolean;
}) {
  const { setMode, move, today } = useCalendarStore.getState();
  const unit = unitOf(mode, narrow);
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
      <CalendarList />
      <button type="button" onClick={() => useCalendarStore.getState().edit('new')}>
        New event
      </button>
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
  const scroller = useRef<HTMLElement>(null);
  const now = useNow();
  const { drag, gridHandlers } = useDragToCreate();
  // Open at the working day, or at the first event before it that starts on a day shown (not one still held from
  // the view before, such as the week's events while a day of it loads); again when the days shown or that hour change.
  const firstDay = days[0]?.getTime() ?? 0;
  const lastDay = days.at(-1)?.getTime() ?? 0;
  const afterLastDay = days.length ? addDays(new Date(lastDay), 1).getTime() : 0;
  const earliestHour = Math.min(
    FIRST_WORKING_HOUR,
    ...events
      .filter((e) => !e.all_day && Date.parse(e.start) >= firstDay && Date.parse(e.start) < afterLastDay)
      .map((e) => new Date(e.start).getHours()),
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: the days shown are the reason to scroll, though not read
  useLayoutEffect(() => {
    if (scroller.current) scroller.current.scrollTop = earliestHour * HOUR_PX;
  }, [firstDay, lastDay, earliestHour]);
  return (
    <section className="week" aria-label={label} ref={scroller}>
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
              {HOUR_LABELS[h]}
            </div>
          ))}
        </div>
        {days.map((day) => {
          const dayEnd = addDays(day, 1).getTime();
          const isToday = now >= day.getTime() && now < dayEnd;
          return (
            // Dragging is a pointer shortcut: the keyboard has c and New event.
            <div key={day.toISOString()} className={`day-column${isToday ? ' today' : ''}`} {...gridHandlers(day)}>
              {layoutDay(
                eventsOn(day, events).filter((e) => !e.all_day),
                day.getTime(),
                dayEnd,
              ).map((p) => (
                <EventChip
                  key={p.event.id}
                  event={p.event}
                  onSelect={onSelect}
                  style={{
                    position: 'absolute',
                    top: (p.startMinute / 60) * HOUR_PX,
                    height: ((p.endMinute - p.startMinute) / 60) * HOUR_PX - 2,
                    left: `calc(${(100 * p.column) / p.columns}% + 2px)`,
                    width: `calc(${100 / p.columns}% - 4px)`,
                  }}
                />
              ))}
              {isToday && (
                <div className="now-line" style={{ top: ((now - day.getTime()) / 3_600_000) * HOUR_PX }} aria-hidden="true" />
              )}
              {drag?.day === day.getTime() && (
                <div
                  className="drag-preview"
                  aria-hidden="true"
                  style={{
                    top: (Math.min(drag.from, drag.to) / 60) * HOUR_PX,
                    height: (Math.max(SNAP_MINUTES, Math.abs(drag.to - drag.from)) / 60) * HOUR_PX,
                  }}
                />
              )}
            </div>
          );
        })}
      </div>
    </section>
  );
}

/** Times picked on the grid snap to quarter hours. */
const SNAP_MINUTES = 15;

/**
 * Drag down a day column (or click it) to create an event: the New event form opens with the times dragged over,
 * or an hour from the time clicked.
 */
function useDragToCreate() {
  const [drag, setDrag] = useState<{ day: number; from: number; to: number } | null>(null);
  const minuteAt = (event: React.PointerEvent<HTMLDivElement>) => {
    const minutes = ((event.clientY - event.currentTarget.getBoundingClientRect().top) / HOUR_PX) * 60;
    return Math.max(0, Math.min(24 * 60, Math.round(minutes / SNAP_MINUTES) * SNAP_MINUTES));
  };
  const gridHandlers = (day: Date) => ({
    onPointerDown(event: React.PointerEvent<HTMLDivElement>) {
      if (event.target !== event.currentTarget || event.button !== 0) return;
      event.currentTarget.setPointerCapture(event.pointerId);
      const from = Math.min(24 * 60 - SNAP_MINUTES, minuteAt(event));
      setDrag({ day: day.getTime(), from, to: from });
    },
    onPointerMove(event: React.PointerEvent<HTMLDivElement>) {
      if (drag?.day === day.getTime()) setDrag({ ...drag, to: minuteAt(event) });
    },
    onPointerUp() {
      if (drag?.day !== day.getTime()) return;
      setDrag(null);
      const from = Math.min(drag.from, drag.to);
      const dragged = Math.abs(drag.to - drag.from) >= SNAP_MINUTES;
      const to = dragged ? Math.max(drag.from, drag.to) : Math.min(24 * 60, from + 60);
      const at = (minutes: number) => new Date(day.getFullYear(), day.getMonth(), day.getDate(), 0, minutes);
      useCalendarStore.getState().edit('new', { start: at(from), end: at(to) });
    },
    onPointerCancel: () => setDrag(null),
  });
  return { drag, gridHandlers };
}

/** The current time, updated every minute (for the line that marks it). */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** Where an arrow key moves from a day of the month grid; PageUp/PageDown go a month (as in date pickers). */
function dayAfterKey(day: Date, key: string): Date | null {
  switch (key) {
    case 'ArrowLeft':
      return addDays(day, -1);
    case 'ArrowRight':
      return addDays(day, 1);
    case 'ArrowUp':
      return addDays(day, -7);
    case 'ArrowDown':
      return addDays(day, 7);
    case 'Home':
      return addDays(day, -((day.getDay() + 6) % 7));
    case 'End':
      return addDays(day, 6 - ((day.getDay() + 6) % 7));
    case 'PageUp':
      return addMonths(day, -1);
    case 'PageDown':
      return addMonths(day, 1);
    default:
      return null;
  }
}

/** How many lines (chips, "+N more") fit in a month cell below its number, measured again as the grid's size changes. */
function useMonthCellLines(grid: React.RefObject<HTMLDivElement | null>): number {
  const [lines, setLines] = useState(3);
  useLayoutEffect(() => {
    const element = grid.current;
    if (!element) return;
    const measure = () => {
      const cell = element.querySelector<HTMLElement>('.month-day');
      const number = cell?.querySelector<HTMLElement>('.month-day-number');
      if (!cell || !number) return;
      const style = getComputedStyle(cell);
      const room = cell.clientHeight - Number.parseFloat(style.paddingTop) - Number.parseFloat(style.paddingBottom);
      setLines(Math.max(1, Math.floor((room - number.offsetHeight - 1) / MONTH_LINE_PX)));
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [grid]);
  return lines;
}

/**
 * Whole weeks covering a month; a day's events as one-line chips, as many as the cell holds, the rest behind
 * "+N more" (the Day view).
 * The day numbers are one tab stop: arrow keys move between days (into the next or previous month past the
 * edges), Enter opens the day.
 */
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
  const grid = useRef<HTMLDivElement>(null);
  const inThisMonth = (day: Date) => day.getMonth() === month.getMonth() && day.getFullYear() === month.getFullYear();
  // The day that holds the tab stop: the one last moved to, else today when shown, else the 1st.
  const [current, setCurrent] = useState<string | null>(null);
  const [moved, setMoved] = useState(false);
  const shownKeys = new Set(days.map(dateKey));
  const tabStop =
    current && shownKeys.has(current)
      ? current
      : shownKeys.has(today) && days.some((d) => dateKey(d) === today && inThisMonth(d))
        ? today
        : dateKey(new Date(month.getFullYear(), month.getMonth(), 1));
  useEffect(() => {
    if (!moved) return;
    grid.current?.querySelector<HTMLButtonElement>(`[data-date="${tabStop}"]`)?.focus();
  }, [moved, tabStop]);
  const lines = useMonthCellLines(grid);
  const onKeyDown = (event: React.KeyboardEvent) => {
    const from = (event.target as HTMLElement).dataset.date;
    if (!from) return;
    const [y = 0, m = 1, d = 1] = from.split('-').map(Number);
    const next = dayAfterKey(new Date(y, m - 1, d), event.key);
    if (!next) return;
    event.preventDefault();
    setCurrent(dateKey(next));
    setMoved(true);
    if (!inThisMonth(next)) void useCalendarStore.getState().showDate(next);
  };
  return (
    <section className="month" aria-label="Month">
      <div className="month-weekdays" aria-hidden="true">
        {days.slice(0, 7).map((day) => (
          <div key={dateKey(day)}>{weekdayFormat.format(day)}</div>
        ))}
      </div>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: arrow keys reach it from the day buttons inside */}
      <div className="month-days" ref={grid} onKeyDown={onKeyDown}>
        {days.map((day) => (
          <MonthDay
            key={dateKey(day)}
            day={day}
            inMonth={inThisMonth(day)}
            isToday={dateKey(day) === today}
            tabbable={dateKey(day) === tabStop}
            lines={lines}
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
  tabbable,
  lines,
  events,
  onSelect,
  onOpenDay,
}: {
  day: Date;
  inMonth: boolean;
  isToday: boolean;
  tabbable: boolean;
  /** How many chips (or "+N more") fit under the day's number. */
  lines: number;
  events: CalendarEvent[];
  onSelect: (e: CalendarEvent) => void;
  onOpenDay: (day: Date) => void;
}) {
  const ordered = [...events].sort((a, b) => Number(b.all_day) - Number(a.all_day) || Date.parse(a.start) - Date.parse(b.start));
  // All when they fit; else one line fewer, for "+N more".
  const shown = ordered.length <= lines ? ordered : ordered.slice(0, Math.max(0, lines - 1));
  const hidden = ordered.length - shown.length;
  return (
    <fieldset
      className={`month-day${inMonth ? '' : ' outside-month'}${isToday ? ' today' : ''}`}
      aria-label={longDay.format(day)}
      aria-current={isToday ? 'date' : undefined}
    >
      <button
        type="button"
        className="month-day-number"
        title="Open in the Day view"
        aria-label={`${longDay.format(day)}${events.length ? `, ${events.length} ${events.length === 1 ? 'event' : 'events'}` : ''}`}
        data-date={dateKey(day)}
        tabIndex={tabbable ? 0 : -1}
        onClick={() => onOpenDay(day)}
      >
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
                  <EventChip event={e} onSelect={onSelect} withTime={false} />
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

/**
 * An event as a button in its calendar's colour; `compact` puts the time before the title on one line (month cells),
 * as do events too short for two lines. Declined events are dimmed.
 */
function EventChip({
  event,
  onSelect,
  style,
  compact = false,
  withTime = true,
}: {
  event: CalendarEvent;
  onSelect: (e: CalendarEvent) => void;
  style?: React.CSSProperties;
  compact?: boolean;
  /** The start time in the chip (the agenda gives the times beside it instead). */
  withTime?: boolean;
}) {
  const time = event.all_day || !withTime ? null : <span className="event-time">{timeFormat.format(new Date(event.start))}</span>;
  const oneLine = compact || (style !== undefined && isOneLine(event));
  const classes = [
    'event-chip',
    compact ? 'compact' : oneLine ? 'one-line' : '',
    event.status === 'tentative' ? 'tentative' : '',
    isDeclined(event) ? 'declined' : '',
  ];
  return (
    <button
      type="button"
      className={classes.filter(Boolean).join(' ')}
      style={{ ...style, borderLeftColor: event.calendar_color ?? 'var(--accent)' }}
      onClick={() => onSelect(event)}
      title={`${event.summary} (${event.calendar_name})`}
    >
      {oneLine && time}
      <span className="event-title">{event.summary || '(no title)'}</span>
      {!oneLine && time}
    </button>
  );
}

function EventDetails({ event, onClose }: { event: CalendarEvent; onClose: () => void }) {
  const when = describeWhen(event);
  const closeButton = useRef<HTMLButtonElement>(null);
  // Opening an event moves focus into its details, so a keyboard user is where the new content is.
  // biome-ignore lint/correctness/useExhaustiveDependencies: each newly shown event takes the focus
  useEffect(() => closeButton.current?.focus(), [event.id]);
  // The organiser is named on their own line unless the attendee list already marks them.
  const organizer =
    event.organizer && !event.attendees.some((a) => a.email.toLowerCase() === event.organizer?.email.toLowerCase())
      ? event.organizer
      : null;
  return (
    <aside className="event-details" aria-label="Event details">
      <button type="button" className="close" aria-label="Close details" onClick={onClose} ref={closeButton}>
        ×
      </button>
      <h3>{event.summary || '(no title)'}</h3>
      <p className="event-when">{when.local}</p>
      {when.scheduled && <p className="muted">Scheduled as {when.scheduled}</p>}
      {event.location && <p>Where: {event.location}</p>}
      {event.conference_url && (
        <p>
          <a href={event.conference_url} target="_blank" rel="noopener noreferrer">
            Join the video call
          </a>
        </p>
      )}
      <p className="muted event-calendar">
        <span className="calendar-dot" style={{ background: event.calendar_color ?? 'var(--accent)' }} aria-hidden="true" />
        {event.calendar_name}
      </p>
      {organizer && <p className="muted">Organised by {organizer.name || organizer.email}</p>}
      {event.attendees.length > 0 && (
        <ul className="attendees" aria-label="Attendees">
          {event.attendees.map((a) => (
            <li key={a.email}>
              {a.name || a.email}
              {a.organizer ? ' (organiser)' : ''}
              {a.optional ? ' (optional)' : ''}{' '}
              <span className={`response ${a.response}`}>{a.response === 'needsAction' ? 'no reply' : a.response}</span>
            </li>
          ))}
        </ul>
      )}
      {/* Keyed by event: a failure shown belongs to the event it was about. */}
      <RsvpButtons key={event.id} event={event} />
      <EventActions key={`actions-${event.id}`} event={event} />
      {event.description && (
        <div
          className="description"
          // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitised by DOMPurify in eventDescriptionHtml
          dangerouslySetInnerHTML={{ __html: eventDescriptionHtml(event.description) }}
        />
      )}
    </aside>
  );
}

/** Edit and Delete (asked first: the provider tells the guests) for an event's details. */
function EventActions({ event }: { event: CalendarEvent }) {
  const [confirming, setConfirming] = useState(false);
  const [applyTo, setApplyTo] = useState<ApplyTo>('this');
  const [error, setError] = useState<string | null>(null);
  const remove = async () => {
    try {
      await useCalendarStore.getState().remove(event, applyTo);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  const what = `“${event.summary || '(no title)'}”`;
  return (
    <div className="event-details-actions">
      {confirming ? (
        <div className="confirm">
          {event.series_id && <SeriesScopeChoice verb="Delete" value={applyTo} onChange={setApplyTo} />}
          <p>Delete {what}? Its guests are told.</p>
          <button type="button" className="danger" onClick={() => void remove()}>
            Delete
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep
          </button>
        </div>
      ) : (
        <>
          <button type="button" onClick={() => useCalendarStore.getState().edit(event)}>
            Edit
          </button>
          <button type="button" onClick={() => setConfirming(true)}>
            Delete
          </button>
        </>
      )}
      {error && (
        <p role="alert" className="error">
          Could not delete the event: {error}
        </p>
      )}
    </div>
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
      <fieldset className="rsvp" aria-label="Going?">
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
