import type { IndexDb } from '../../db/openIndex.ts';
import type { EventInput } from '../../db/queries/calendarEvents.ts';
import { deleteCursor, getCursor, setCursor } from '../../db/queries/syncCursors.ts';

export interface CalendarWindow {
  from: number;
  to: number;
}

/**
 * The window a calendar's cursor was minted for. Incremental rounds (and a
 * 410's resync) keep to it: a later job's default window slides with the
 * clock, and mixing the two would leave events of the old window behind.
 */
export function storedWindow(db: IndexDb, accountId: string, kind: string, calendarId: string): CalendarWindow | null {
  const [from, to] = (getCursor(db, accountId, `${kind}.window`, calendarId) ?? '').split('/').map(Number);
  return from !== undefined && to !== undefined && Number.isFinite(from) && Number.isFinite(to) && to > from
    ? { from, to }
    : null;
}

/** Written in the transaction that stores the cursor itself. */
export function storeWindow(db: IndexDb, accountId: string, kind: string, calendarId: string, window: CalendarWindow): void {
  setCursor(db, accountId, `${kind}.window`, calendarId, `${window.from}/${window.to}`);
}

export function forgetWindow(db: IndexDb, accountId: string, kind: string, calendarId: string): void {
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
