import type { CalendarEvent } from '../../shared/api/calendar.ts';

/** A timed event placed in a day column: minutes from the day's midnight, and its share of the column's width. */
export interface PlacedEvent {
  event: CalendarEvent;
  startMinute: number;
  endMinute: number;
  /** 0-based column within its group of overlapping events. */
  column: number;
  /** How many columns that group needs. */
  columns: number;
}

/** The shortest an event is drawn, so a 5-minute meeting still has a readable line (its time and title). */
const MIN_MINUTES = 24;
/** Events shorter than this have no room for the title above the time: both go on one line. */
const ONE_LINE_BELOW_MINUTES = 45;

/** Whether a timed event is drawn with its time and title on one line (too short for two). */
export function isOneLine(event: CalendarEvent): boolean {
  return !event.all_day && Date.parse(event.end) - Date.parse(event.start) < ONE_LINE_BELOW_MINUTES * 60_000;
}

/** Whether the user declined the event (their own attendee answered No). */
export function isDeclined(event: CalendarEvent): boolean {
  return event.attendees.some((a) => a.self && a.response === 'declined');
}

/**
 * The locale's clock ("09:00" in en-GB, "9:00 AM" in en-US: its own hourCycle), one format for the hour axis,
 * the events and their details alike.
 */
export function clockFormat(locale?: string, timeZone?: string): Intl.DateTimeFormat {
  const { hourCycle } = new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions();
  const twentyFourHours = hourCycle === 'h23' || hourCycle === 'h24';
  return new Intl.DateTimeFormat(locale, { timeZone, hour: twentyFourHours ? '2-digit' : 'numeric', minute: '2-digit' });
}

/**
 * Lays out one day's timed events the way desktop calendars do: events that overlap
 * (directly or through a chain of others) form a group; each takes the first column
 * free at its start, and every event of the group is as wide as the group's column count.
 * `dayStart`/`dayEnd` are the local midnights around the day, so events crossing them are clipped.
 */
export function layoutDay(events: CalendarEvent[], dayStart: number, dayEnd: number): PlacedEvent[] {
  const spans = events
    .map((event) => {
      const start = Math.max(Date.parse(event.start), dayStart);
      const end = Math.min(Date.parse(event.end), dayEnd);
      const startMinute = (start - dayStart) / 60_000;
      const endMinute = Math.min((dayEnd - dayStart) / 60_000, Math.max((end - dayStart) / 60_000, startMinute + MIN_MINUTES));
      return { event, startMinute, endMinute };
    })
    .sort((a, b) => a.startMinute - b.startMinute || b.endMinute - a.endMinute);

  const placed: PlacedEvent[] = [];
  let group: PlacedEvent[] = [];
  let columnEnds: number[] = [];
  let groupEnd = -1;
  const closeGroup = () => {
    for (const p of group) p.columns = columnEnds.length;
    group = [];
    columnEnds = [];
  };
  for (const span of spans) {
    if (span.startMinute >= groupEnd) closeGroup();
    let column = columnEnds.findIndex((end) => end <= span.startMinute);
    if (column < 0) column = columnEnds.push(span.endMinute) - 1;
    else columnEnds[column] = span.endMinute;
    const p: PlacedEvent = { ...span, column, columns: 1 };
    group.push(p);
    placed.push(p);
    groupEnd = Math.max(groupEnd, span.endMinute);
  }
  closeGroup();
  return placed;
}

/** The viewer's own time zone (the system's). */
export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Minutes a zone is ahead of UTC at an instant. */
function offsetMinutes(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((asUtc - Math.floor(instant.getTime() / 60_000) * 60_000) / 60_000);
}

function isKnownZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** "YYYY-MM-DD" as a local date (never parsed as UTC midnight, which is the previous day west of Greenwich). */
function localDate(isoDate: string): Date {
  const [y = 0, m = 1, d = 1] = isoDate.split('-').map(Number);
  return new Date(y, m - 1, d);
}

export interface EventWhen {
  /** When, in the viewer's time zone: "Monday 23 November 2026, 10:00 – 11:00". */
  local: string;
  /** The same times in the zone the event was scheduled in, when that zone's clock differs from the viewer's. */
  scheduled: string | null;
}

/**
 * The event's time as a person reads it. All-day events name their first and last
 * day (the API's end date is the day after, as in iCalendar); a timed event that
 * ends on another day names both days.
 */
export function describeWhen(event: CalendarEvent, locale?: string, viewerZone = viewerTimeZone()): EventWhen {
  const day = new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  if (event.all_day && event.start_date) {
    const first = localDate(event.start_date);
    const last = localDate(event.end_date ?? event.start_date);
    last.setDate(last.getDate() - 1);
    const local = last <= first ? `${day.format(first)} (all day)` : `${day.formatRange(first, last)} (all day)`;
    return { local, scheduled: null };
  }
  const start = new Date(event.start);
  const end = new Date(event.end);
  const local = formatSpan(start, end, viewerZone, locale);
  const zone = event.time_zone;
  const differs =
    zone !== null &&
    isKnownZone(zone) &&
    (offsetMinutes(start, zone) !== offsetMinutes(start, viewerZone) ||
      offsetMinutes(end, zone) !== offsetMinutes(end, viewerZone));
  if (!differs || !zone) return { local: local.text, scheduled: null };
  // The other zone's date is named only where it is not the viewer's.
  const there = formatSpan(start, end, zone, locale);
  const sameDates = there.dates === local.dates;
  return { local: local.text, scheduled: `${sameDates ? there.times : there.text} in ${zone}` };
}

function formatSpan(start: Date, end: Date, timeZone: string, locale?: string) {
  const day = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const time = clockFormat(locale, timeZone);
  const startDay = day.format(start);
  const endDay = day.format(new Date(end.getTime() - 1));
  const times = `${time.format(start)} – ${time.format(end)}`;
  return startDay === endDay
    ? { dates: startDay, times, text: `${startDay}, ${times}` }
    : {
        dates: `${startDay}–${endDay}`,
        times,
        text: `${startDay}, ${time.format(start)} – ${day.format(end)}, ${time.format(end)}`,
      };
}
