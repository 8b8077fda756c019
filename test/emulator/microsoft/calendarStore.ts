import { randomUUID } from 'node:crypto';
import { graphId } from './ids.ts';

export interface StoredEvent {
  id: string;
  calendarId: string;
  /** Graph event JSON as stored (subject, start, end, isAllDay, recurrence, attendees, organizer, location, ...). */
  data: Record<string, unknown>;
  seq: number;
  cancelled: boolean;
  /** The mailbox whose calendar holds it: its organizer unless data.organizer names someone else. */
  owner: string;
  /** createdDateTime and lastModifiedDateTime, by the emulator's clock. */
  createdMs: number;
  modifiedMs: number;
}

export interface Calendar {
  id: string;
  name: string;
  color: string;
  isDefaultCalendar: boolean;
}

/** A user's calendars and events; every change bumps seq (calendarView/delta reads it). */
export class Calendars {
  readonly upn: string;
  calendars = new Map<string, Calendar>();
  events = new Map<string, StoredEvent>();
  /** Deleted events and vanished occurrences, per calendar, for calendarView/delta's "@removed". */
  tombstones: Array<{ id: string; calendarId: string; seq: number }> = [];
  seq = 1;
  minValidSeq = 0;
  /** The emulator's clock (events' createdDateTime and lastModifiedDateTime). */
  readonly now: () => number;

  constructor(upn: string, now: () => number) {
    this.upn = upn;
    this.now = now;
    this.addCalendar('Calendar', 'auto', true);
  }

  addCalendar(name: string, color: string, isDefault = false): Calendar {
    const c: Calendar = { id: graphId('cal', `${this.upn}/${name}`), name, color, isDefaultCalendar: isDefault };
    this.calendars.set(c.id, c);
    return c;
  }

  get defaultCalendar(): Calendar {
    return [...this.calendars.values()].find((c) => c.isDefaultCalendar)!;
  }

  upsert(calendarId: string, data: Record<string, unknown>, id?: string): StoredEvent {
    const ev: StoredEvent = {
      id: id ?? graphId('evt', `${this.upn}/${randomUUID()}`),
      calendarId,
      data,
      seq: this.seq++,
      cancelled: false,
      owner: this.upn,
      createdMs: this.now(),
      modifiedMs: this.now(),
    };
    this.events.set(ev.id, ev);
    return ev;
  }

  touch(ev: StoredEvent): void {
    ev.seq = this.seq++;
    ev.modifiedMs = this.now();
  }

  remove(ev: StoredEvent): void {
    this.events.delete(ev.id);
    this.tombstones.push({ id: ev.id, calendarId: ev.calendarId, seq: this.seq++ });
  }
}
