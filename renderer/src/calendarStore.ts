import { create } from 'zustand';
import type { CalendarEvent } from '../../shared/api/calendar.ts';
import { api } from './apiClient.ts';

export type CalendarMode = 'week' | 'agenda';

interface CalendarState {
  mode: CalendarMode;
  /** Monday 00:00 (local) of the week shown; the agenda starts at the same day. */
  weekStart: Date;
  events: CalendarEvent[];
  status: 'idle' | 'loading' | 'error';
  error: string | null;
  selected: CalendarEvent | null;
  setMode(mode: CalendarMode): void;
  moveWeeks(delta: number): Promise<void>;
  today(): Promise<void>;
  load(): Promise<void>;
  select(event: CalendarEvent | null): void;
}

export function startOfWeek(date: Date): Date {
  const start = new Date(date.getFullYear(), date.getMonth(), date.getDate());
  start.setDate(start.getDate() - ((start.getDay() + 6) % 7));
  return start;
}

export function addDays(date: Date, days: number): Date {
  const next = new Date(date);
  next.setDate(next.getDate() + days); // calendar days, so DST changes keep midnight at midnight
  return next;
}

export const useCalendarStore = create<CalendarState>((set, get) => ({
  mode: 'week',
  weekStart: startOfWeek(new Date()),
  events: [],
  status: 'idle',
  error: null,
  selected: null,

  setMode(mode) {
    set({ mode });
  },
  async moveWeeks(delta) {
    set({ weekStart: addDays(get().weekStart, 7 * delta), selected: null });
    await get().load();
  },
  async today() {
    set({ weekStart: startOfWeek(new Date()), selected: null });
    await get().load();
  },
  async load() {
    const from = get().weekStart;
    set({ status: 'loading', error: null });
    try {
      const { data } = await api.listEvents(from, addDays(from, 7));
      set({ events: data, status: 'idle' });
    } catch (error) {
      set({ status: 'error', error: (error as Error).message });
    }
  },
  select(event) {
    set({ selected: event });
  },
}));
