import type { ReadableDb, WritableDb } from '../../db/handles.ts';
import type { EventInput } from '../../db/queries/calendarEvents.ts';
import { deleteCursor, getCursor, setCursor } from '../../db/queries/syncCursors.ts';

export interface CalendarWindow {
  from: number;
  to: number;
  /** The default window (days back and ahead of now), which moves with the clock; a job's explicit bounds do not. */
  sliding?: boolean;
}

const DAY_MS = 24 * 3600 * 1000;

/** The window a calendar's cursor was minted for. */
export function storedWindow(db: ReadableDb, accountId: string, kind: string, calendarId: string): CalendarWindow | null {
  const [from, to, kindOfWindow] = (getCursor(db, accountId, `${kind}.window`, calendarId) ?? '').split('/');
  const window = { from: Number(from), to: Number(to), sliding: kindOfWindow === 'sliding' };
  return Number.isFinite(window.from) && Number.isFinite(window.to) && window.to > window.from ? window : null;
}

/** Written in the transaction that stores the cursor itself. */
export function storeWindow(db: WritableDb, accountId: string, kind: string, calendarId: string, window: CalendarWindow): void {
  setCursor(db, accountId, `${kind}.window`, calendarId, `${window.from}/${window.to}/${window.sliding ? 'sliding' : 'fixed'}`);
}

/**
 * Which window an incremental round answers for, and whether it must list that window afresh.
 * Incremental rounds (and a 410's resync) keep to the window their cursor was minted for: mixing
 * windows would leave events of the old one behind. But the default window moves with the clock,
 * and a cursor never brings in instances that merely came into range (next month's occurrences
 * of a weekly meeting), so once the default has moved on by a day the window is listed again
 * and reconciled.
 */
export function roundWindow(
  stored: CalendarWindow | null,
  requested: CalendarWindow,
): { window: CalendarWindow; relist: boolean } {
  if (!stored) return { window: requested, relist: false };
  if (stored.sliding && requested.sliding && Math.abs(requested.to - stored.to) >= DAY_MS)
    return { window: requested, relist: true };
  return { window: stored, relist: false };
}

export function forgetWindow(db: WritableDb, accountId: string, kind: string, calendarId: string): void {
  deleteCursor(db, accountId, `${kind}.window`, calendarId);
}

/**
 * An instance the index keeps overlaps the window the way timeMin/timeMax and
 * calendarView select (end after its start, start before its end); one moved
 * out of it is as good as gone.
 */
export function overlapsWindow(event: Pick<EventInput, 'startsAt' | 'endsAt'>, window: CalendarWindow): boolean {
  return event.startsAt < window.to && event.endsAt > window.from;
}
