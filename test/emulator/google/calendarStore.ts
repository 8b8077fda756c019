/**
 * Google Calendar state per user: calendars, events (with change sequence
 * numbers for sync tokens), and recurrence expansion in the event's zone
 * (wall-clock preserved across DST, as Google does).
 */
import { DateTime } from 'luxon';
import { seededRandom } from '../kit/faults.ts';
import { expandRule, parseRule } from './calendarRecurrence.ts';

export interface EventTime {
  date?: string;
  dateTime?: string;
  timeZone?: string;
}

export interface CalendarEvent {
  id: string;
  status: 'confirmed' | 'tentative' | 'cancelled';
  summary?: string;
  description?: string;
  location?: string;
  start: EventTime;
  end: EventTime;
  recurrence?: string[];
  recurringEventId?: string;
  originalStartTime?: EventTime;
  attendees?: Array<{
    email: string;
    responseStatus: string;
    displayName?: string;
    organizer?: boolean;
    self?: boolean;
    optional?: boolean;
  }>;
  organizer?: { email: string; displayName?: string; self?: boolean };
  creator?: { email: string };
  hangoutLink?: string;
  conferenceData?: Record<string, unknown>;
  reminders?: { useDefault: boolean; overrides?: Array<{ method: string; minutes: number }> };
  created: string;
  updated: string;
  iCalUID: string;
  sequence: number;
  /** Internal: change number for sync tokens (not serialized). */
  seq: number;
  [extra: string]: unknown;
}

export interface Calendar {
  id: string;
  summary: string;
  timeZone: string;
  primary?: boolean;
  accessRole: 'owner' | 'reader' | 'writer';
  backgroundColor: string;
  events: Map<string, CalendarEvent>;
  /** Sync tokens minted before this change number answer 410. */
  minValidSeq: number;
}

export class CalendarAccount {
  readonly email: string;
  calendars = new Map<string, Calendar>();
  seq = 1;
  constructor(email: string) {
    this.email = email;
  }
  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }
}

export function startMillis(t: EventTime, fallbackZone: string): number {
  if (t.dateTime) return DateTime.fromISO(t.dateTime, { zone: t.timeZone ?? fallbackZone }).toMillis();
  return DateTime.fromISO(t.date ?? '1970-01-01', { zone: fallbackZone }).toMillis();
}

/** The instance-id suffix Google uses: 20240310T150000Z, or 20240310 for all-day. */
export function instanceSuffix(start: EventTime, zone: string): string {
  if (start.date) return start.date.replace(/-/g, '');
  return DateTime.fromISO(start.dateTime as string, { zone: start.timeZone ?? zone })
    .toUTC()
    .toFormat("yyyyMMdd'T'HHmmss'Z'");
}

/**
 * Occurrence starts of a series (RRULE as calendarRecurrence.ts supports it, then EXDATE), in the event's zone,
 * up to untilMs. A rule that cannot be expanded throws RuleError (insert/update/patch refuse it first).
 */
export function occurrences(ev: CalendarEvent, zone: string, untilMs: number): DateTime[] {
  const z = ev.start.timeZone ?? zone;
  const first = ev.start.dateTime
    ? DateTime.fromISO(ev.start.dateTime, { zone: z })
    : DateTime.fromISO(ev.start.date as string, { zone: z });
  const rule = (ev.recurrence ?? []).find((r) => r.startsWith('RRULE:'));
  if (!rule) return [first];
  const exdates = new Set(
    (ev.recurrence ?? [])
      .filter((r) => r.startsWith('EXDATE'))
      .flatMap((r) => r.slice(r.indexOf(':') + 1).split(','))
      .map((v) =>
        v.length === 8
          ? v
          : DateTime.fromISO(v, { zone: /Z$/.test(v) ? 'utc' : z })
              .toMillis()
              .toString(),
      ),
  );
  return expandRule(parseRule(rule), first, !ev.start.dateTime, untilMs).filter(
    (c) => !exdates.has(ev.start.date ? c.toFormat('yyyyMMdd') : c.toMillis().toString()),
  );
}

/** A few hundred events over four calendars, including DST-crossing weekly series in two zones. */
export function seedCalendars(email: string, now: number): CalendarAccount {
  const account = new CalendarAccount(email);
  const r = seededRandom(99);
  const defs: Array<[string, string, string]> = [
    [email, email.split('@')[0] as string, 'America/New_York'],
    [`work.${email.split('@')[0]}@group.calendar.google.com`, 'Work', 'Europe/Berlin'],
    [`family.${email.split('@')[0]}@group.calendar.google.com`, 'Family', 'America/New_York'],
    ['en.usa#holiday@group.v.calendar.google.com', 'Holidays in United States', 'America/New_York'],
  ];
  for (const [id, summary, timeZone] of defs) {
    account.calendars.set(id, {
      id,
      summary,
      timeZone,
      primary: id === email || undefined,
      accessRole: id.includes('holiday') ? 'reader' : 'owner',
      backgroundColor: ['#9fe1e7', '#f83a22', '#7bd148', '#16a765'][account.calendars.size] as string,
      events: new Map(),
      minValidSeq: 0,
    });
  }
  const base = DateTime.fromMillis(now, { zone: 'utc' }).startOf('day').minus({ days: 120 });
  const calIds = [...account.calendars.keys()];
  const created = DateTime.fromMillis(now).minus({ days: 200 }).toUTC().toISO() as string;
  const make = (calId: string, ev: Partial<CalendarEvent> & Pick<CalendarEvent, 'start' | 'end'>) => {
    const id = `${Math.floor(r() * 2 ** 52)
      .toString(32)
      .padStart(11, 'a')}${account.seq.toString(32)}`.replace(/[^a-v0-9]/g, 'a');
    const full: CalendarEvent = {
      id,
      status: 'confirmed',
      created,
      updated: created,
      iCalUID: `${id}@google.com`,
      sequence: 0,
      seq: account.nextSeq(),
      organizer: { email: calId, self: calId === email },
      creator: { email },
      reminders: { useDefault: true },
      ...ev,
    };
    account.calendars.get(calId)?.events.set(id, full);
    return full;
  };
  for (let i = 0; i < 320; i++) {
    const calId = calIds[i % 3] as string;
    const zone = account.calendars.get(calId)?.timeZone as string;
    const day = base.plus({ days: Math.floor(r() * 240) }).setZone(zone, { keepLocalTime: true });
    if (i % 10 === 0) {
      const d = day.toISODate() as string;
      make(calId, {
        summary: `All-day ${i}`,
        start: { date: d },
        end: { date: day.plus({ days: 1 + (i % 3) }).toISODate() as string },
      });
      continue;
    }
    const start = day.set({ hour: 8 + Math.floor(r() * 10), minute: r() < 0.5 ? 0 : 30 });
    const attendees =
      i % 3 === 0
        ? [
            { email, responseStatus: 'accepted', self: true },
            {
              email: `colleague${i % 7}@example.com`,
              responseStatus: ['needsAction', 'accepted', 'declined', 'tentative'][i % 4] as string,
            },
          ]
        : undefined;
    const meet = i % 4 === 0 ? `https://meet.google.com/emu-${i.toString(36)}-abc` : undefined;
    make(calId, {
      summary: `Meeting ${i}`,
      location: i % 5 === 0 ? 'Room 4' : undefined,
      start: { dateTime: start.toISO({ suppressMilliseconds: true }) as string, timeZone: zone },
      end: {
        dateTime: start.plus({ minutes: 30 + 30 * (i % 3) }).toISO({ suppressMilliseconds: true }) as string,
        timeZone: zone,
      },
      attendees,
      hangoutLink: meet,
      conferenceData: meet
        ? {
            conferenceId: `emu-${i}`,
            conferenceSolution: { key: { type: 'hangoutsMeet' }, name: 'Google Meet' },
            entryPoints: [{ entryPointType: 'video', uri: meet, label: meet.slice(8) }],
          }
        : undefined,
      reminders: i % 6 === 0 ? { useDefault: false, overrides: [{ method: 'popup', minutes: 10 }] } : { useDefault: true },
    });
  }
  // Weekly series crossing the March and October/November DST changes in New York and Berlin.
  const year = DateTime.fromMillis(now).year;
  const ny = make(email, {
    summary: 'Weekly sync (New York)',
    start: {
      dateTime: DateTime.fromISO(`${year}-02-20T09:00`, { zone: 'America/New_York' }).toISO({
        suppressMilliseconds: true,
      }) as string,
      timeZone: 'America/New_York',
    },
    end: {
      dateTime: DateTime.fromISO(`${year}-02-20T09:30`, { zone: 'America/New_York' }).toISO({
        suppressMilliseconds: true,
      }) as string,
      timeZone: 'America/New_York',
    },
    recurrence: ['RRULE:FREQ=WEEKLY;COUNT=20'],
  });
  make(calIds[1] as string, {
    summary: 'Standup (Berlin)',
    start: {
      dateTime: DateTime.fromISO(`${year}-10-01T10:00`, { zone: 'Europe/Berlin' }).toISO({
        suppressMilliseconds: true,
      }) as string,
      timeZone: 'Europe/Berlin',
    },
    end: {
      dateTime: DateTime.fromISO(`${year}-10-01T10:15`, { zone: 'Europe/Berlin' }).toISO({
        suppressMilliseconds: true,
      }) as string,
      timeZone: 'Europe/Berlin',
    },
    recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR;UNTIL=' + `${year}1215T000000Z`],
  });
  make(email, {
    summary: 'Birthday',
    start: { date: `${year}-06-15` },
    end: { date: `${year}-06-16` },
    recurrence: ['RRULE:FREQ=YEARLY'],
  });
  // One modified and one cancelled instance of the New York series.
  const occ = occurrences(ny, 'America/New_York', Number.POSITIVE_INFINITY);
  for (const [k, status] of [
    [2, 'confirmed'],
    [5, 'cancelled'],
  ] as const) {
    const o = occ[k] as DateTime;
    const originalStartTime = { dateTime: o.toISO({ suppressMilliseconds: true }) as string, timeZone: 'America/New_York' };
    const moved = status === 'confirmed' ? o.plus({ hours: 2 }) : o;
    const id = `${ny.id}_${instanceSuffix(originalStartTime, 'America/New_York')}`;
    account.calendars.get(email)?.events.set(id, {
      ...ny,
      id,
      status,
      recurrence: undefined,
      recurringEventId: ny.id,
      originalStartTime,
      start: { dateTime: moved.toISO({ suppressMilliseconds: true }) as string, timeZone: 'America/New_York' },
      end: {
        dateTime: moved.plus({ minutes: 30 }).toISO({ suppressMilliseconds: true }) as string,
        timeZone: 'America/New_York',
      },
      seq: account.nextSeq(),
    });
  }
  return account;
}
