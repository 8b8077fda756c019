import { create } from 'zustand';
import type { Calendar, CalendarEvent, CalendarUpdateBody, EventRsvpBody } from '../../shared/api/calendar.ts';
import { type ApplyTo, api } from './apiClient.ts';

export type CalendarMode = 'day' | 'week' | 'month' | 'agenda';

/** Local days [from, to): `to` is the midnight after the last day shown. */
export interface DayRange {
  from: Date;
  to: Date;
}

interface CalendarState {
  mode: CalendarMode;
  /** Local midnight of the day the view is built around (the day shown, or a day of the week or month shown). */
  anchor: Date;
  /** The events of the range shown, those of hidden calendars left out. */
  events: CalendarEvent[];
  /** Every calendar, with what the person chose about it (shown or hidden, colour, default). */
  calendars: Calendar[];
  status: 'idle' | 'loading' | 'error';
  error: string | null;
  selected: CalendarEvent | null;
  /** The event whose form is open ('new' for one being created), in place of the details. */
  editing: CalendarEvent | 'new' | null;
  /** The times a new event was given on the grid (dragged or clicked), else null. */
  newEventSpan: { start: Date; end: Date } | null;
  /** The calendar is too narrow for seven day columns: the Week view shows three days from the anchor and steps by three. */
  narrow: boolean;
  /** Counts loads: quick clicks on Next start loads that can answer out of order; only the latest one may fill the view. */
  latestLoad: number;
  setMode(mode: CalendarMode): Promise<void>;
  setNarrow(narrow: boolean): Promise<void>;
  /** One step of the mode back or forth: a day, a week or a month (the agenda steps by a week). */
  move(delta: number): Promise<void>;
  today(): Promise<void>;
  /** The Day view of `day`, as from a day in the month grid. */
  openDay(day: Date): Promise<void>;
  /** The same view around another day (the month grid's arrow keys crossing into the next month). */
  showDate(day: Date): Promise<void>;
  load(): Promise<void>;
  loadCalendars(): Promise<void>;
  /** Shows or hides a calendar, colours it, or makes it the default: kept through the API, the view follows. */
  chooseForCalendar(id: string, choice: CalendarUpdateBody): Promise<void>;
  select(event: CalendarEvent | null): void;
  edit(target: CalendarEvent | 'new' | null, span?: { start: Date; end: Date }): void;
  /** After the form saved `event`: the view loads again and shows its details. */
  saved(event: CalendarEvent): Promise<void>;
  /** Deletes an event (an instance of a series alone): gone from the view at once, then loaded again. */
  remove(event: CalendarEvent, applyTo?: ApplyTo): Promise<void>;
  /**
   * Answers an invitation: the answer shows at once (the event in the list and in the details),
   * then the event as the API returns it; on failure the previous answer comes back and the error is thrown.
   */
  respond(event: CalendarEvent, response: EventRsvpBody['response']): Promise<void>;
}

/** The event with the user's own attendee answering `response`. */
function withOwnAnswer(event: CalendarEvent, response: string): CalendarEvent {
  return { ...event, attendees: event.attendees.map((a) => (a.self ? { ...a, response } : a)) };
}

export function startOfDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

export function startOfWeek(date: Date): Date {
  const start = startOfDay(date);
  start.setDate(start.getDate() - ((start.getDay() + 6) % 7));
  return start;
}

export function addDays(date: Date, days: number): Date {
  const next = new Date(date);
  next.setDate(next.getDate() + days); // calendar days, so DST changes keep midnight at midnight
  return next;
}

/** The same day of another month, or that month's last day when it is shorter (31 Jan + 1 month is 28 or 29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const lastDay = new Date(date.getFullYear(), date.getMonth() + months + 1, 0).getDate();
  return new Date(date.getFullYear(), date.getMonth() + months, Math.min(date.getDate(), lastDay));
}

/** Days the Week view shows when the calendar is narrow. */
export const NARROW_WEEK_DAYS = 3;

/**
 * The days a mode shows around `anchor`; the month takes whole Monday–Sunday weeks, so neighbouring months' days
 * fill it. A narrow Week view shows three days from the anchor.
 */
export function visibleRange(mode: CalendarMode, anchor: Date, narrow = false): DayRange {
  if (mode === 'week' && narrow) {
    const from = startOfDay(anchor);
    return { from, to: addDays(from, NARROW_WEEK_DAYS) };
  }
  switch (mode) {
    case 'day': {
      const from = startOfDay(anchor);
      return { from, to: addDays(from, 1) };
    }
    case 'week': {
      const from = startOfWeek(anchor);
      return { from, to: addDays(from, 7) };
    }
    case 'month': {
      const lastOfMonth = new Date(anchor.getFullYear(), anchor.getMonth() + 1, 0);
      return {
        from: startOfWeek(new Date(anchor.getFullYear(), anchor.getMonth(), 1)),
        to: addDays(startOfWeek(lastOfMonth), 7),
      };
    }
    case 'agenda': {
      const from = startOfDay(anchor);
      return { from, to: addDays(from, 7) };
    }
  }
}

export function daysOf({ from, to }: DayRange): Date[] {
  const days: Date[] = [];
  for (let day = from; day < to; day = addDays(day, 1)) days.push(day);
  return days;
}

function step(mode: CalendarMode, anchor: Date, delta: number, narrow: boolean): Date {
  if (mode === 'month') return addMonths(anchor, delta);
  if (mode === 'week' && narrow) return addDays(anchor, NARROW_WEEK_DAYS * delta);
  return addDays(anchor, mode === 'day' ? delta : 7 * delta);
}

export const useCalendarStore = create<CalendarState>((set, get) => ({
  mode: 'week',
  anchor: startOfDay(new Date()),
  events: [],
  calendars: [],
  status: 'idle',
  error: null,
  selected: null,
  editing: null,
  newEventSpan: null,
  narrow: false,
  latestLoad: 0,

  async setMode(mode) {
    set({ mode });
    await get().load();
  },
  async setNarrow(narrow) {
    if (narrow === get().narrow) return;
    set({ narrow });
    if (get().mode === 'week') await get().load();
  },
  async move(delta) {
    const { mode, anchor, narrow } = get();
    set({ anchor: step(mode, anchor, delta, narrow), selected: null });
    await get().load();
  },
  async today() {
    set({ anchor: startOfDay(new Date()), selected: null });
    await get().load();
  },
  async openDay(day) {
    set({ mode: 'day', anchor: startOfDay(day), selected: null });
    await get().load();
  },
  async showDate(day) {
    set({ anchor: startOfDay(day), selected: null });
    await get().load();
  },
  async load() {
    const { from, to } = visibleRange(get().mode, get().anchor, get().narrow);
    const ticket = get().latestLoad + 1;
    set({ latestLoad: ticket, status: 'loading', error: null });
    try {
      const [{ data }] = await Promise.all([api.listEvents(from, to), get().calendars.length ? null : get().loadCalendars()]);
      const hidden = new Set(
        get()
          .calendars.filter((c) => c.hidden)
          .map((c) => c.id),
      );
      if (ticket === get().latestLoad) set({ events: data.filter((e) => !hidden.has(e.calendar_id)), status: 'idle' });
    } catch (error) {
      if (ticket === get().latestLoad) set({ status: 'error', error: (error as Error).message });
    }
  },
  async loadCalendars() {
    set({ calendars: (await api.listCalendars()).data });
  },
  async chooseForCalendar(id, choice) {
    // Shown at once (a ticked box stays ticked), then as the API keeps it; on failure the list is read again.
    const before = get().calendars;
    set({
      calendars: before.map((c) =>
        c.id === id
          ? {
              ...c,
              ...(choice.hidden !== undefined ? { hidden: choice.hidden } : {}),
              ...(choice.color !== undefined ? { color: choice.color ?? c.provider_color } : {}),
              ...(choice.is_default !== undefined ? { is_default: choice.is_default } : {}),
            }
          : choice.is_default
            ? { ...c, is_default: false }
            : c,
      ),
    });
    if (choice.hidden) set((state) => ({ events: state.events.filter((e) => e.calendar_id !== id) }));
    try {
      await api.updateCalendar(id, choice);
    } finally {
      await get().loadCalendars();
      await get().load();
    }
  },
  select(event) {
    set({ selected: event, editing: null });
  },
  edit(target, span) {
    set({ editing: target, newEventSpan: span ?? null, selected: null });
  },
  async saved(event) {
    set({ editing: null, selected: event });
    await get().load();
    const fresh = get().events.find((e) => e.id === event.id);
    if (fresh && get().selected?.id === event.id) set({ selected: fresh });
  },
  async remove(event, applyTo = 'this') {
    await api.deleteEvent(event.id, applyTo);
    set((state) => ({
      events: state.events.filter((e) => e.id !== event.id),
      selected: state.selected?.id === event.id ? null : state.selected,
    }));
    await get().load();
  },
  async respond(event, response) {
    const replace = (next: CalendarEvent) =>
      set((state) => ({
        events: state.events.map((e) => (e.id === next.id ? next : e)),
        selected: state.selected?.id === next.id ? next : state.selected,
      }));
    const before = get().events.find((e) => e.id === event.id) ?? event;
    replace(withOwnAnswer(before, response));
    try {
      replace((await api.respondToEvent(event.id, response)).data);
    } catch (error) {
      replace(before);
      throw error;
    }
  },
}));
