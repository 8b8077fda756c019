/**
 * The two calendar providers as the calendar-edit integration tests drive them through their emulators:
 * how to connect an engine, what the provider holds (in common terms), and what another client does there.
 */
import { DateTime } from 'luxon';
import { type Engine, openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import type { RunningEmulator } from '../emulator/index.ts';
import { openBrowser as formPostBrowser } from '../emulator/microsoft/testAuth.ts';
import { remoteGraphInstancesRaw, type TimeWindow } from './calendarSnapshots.ts';
import { autoConsentBrowser, type emulatorControl, googleConfigFor, microsoftConfigFor } from './emulatorAccounts.ts';

export const DAY_MS = 86_400_000;

/** One event as the provider has it, in common terms. */
export interface RemoteEvent {
  id: string;
  summary: string;
  location: string;
  startMs: number;
  endMs: number;
  allDay: boolean;
  /** The zone the event was written in (Google's start.timeZone, Graph's originalStartTimeZone). */
  zone: string;
  attendees: string[];
}

/** The zone's next day of a DST change after `from` (its midnight has the old offset, the next midnight the new). */
export function nextOffsetChange(zone: string, from: number): DateTime {
  let day = DateTime.fromMillis(from, { zone }).startOf('day');
  for (let i = 0; i < 400; i++) {
    const next = day.plus({ days: 1 });
    if (next.offset !== day.offset) return day;
    day = next;
  }
  throw new Error(`${zone} has no offset change within 400 days`);
}

export interface CalendarProvider {
  name: string;
  user: string;
  /** The emulator's endpoint names of an update and a create. */
  patchEndpoint: string;
  createEndpoint: string;
  open(emulator: RunningEmulator, dataDir: string): Promise<{ engine: Engine; accountId: string }>;
  remote(control: ReturnType<typeof emulatorControl>, window: TimeWindow): Promise<RemoteEvent[]>;
  /** Another client makes a one-hour event at the provider; its id. */
  createThere(control: ReturnType<typeof emulatorControl>, summary: string, at: number): Promise<string>;
  /** Another client renames the event at the provider. */
  renameThere(control: ReturnType<typeof emulatorControl>, eventId: string, summary: string): Promise<unknown>;
}

export const google: CalendarProvider = {
  name: 'Google Calendar',
  user: 'alice@gmail.test',
  patchEndpoint: 'calendar.events.patch',
  createEndpoint: 'calendar.events.insert',
  createThere: async (control, summary, at) =>
    (
      await control(`/google/users/${google.user}/calendars/primary/events`, {
        method: 'POST',
        body: {
          summary,
          start: { dateTime: new Date(at).toISOString(), timeZone: 'UTC' },
          end: { dateTime: new Date(at + 3_600_000).toISOString(), timeZone: 'UTC' },
        },
      })
    ).id as string,
  renameThere: (control, eventId, summary) =>
    control(`/google/users/${google.user}/calendars/primary/events/${eventId}`, { method: 'PATCH', body: { summary } }),
  async open(emulator, dataDir) {
    const engine = openEngine({
      log: silentLog,
      dataDir,
      providers: { google: googleConfigFor(emulator.baseUrl), microsoft: null },
      gmailQuota: { unitsPerSecond: 1_000_000 },
    });
    const account = await engine.providers.forConnect('google').connect({ openBrowser: autoConsentBrowser });
    return { engine, accountId: account.id };
  },
  async remote(control, window) {
    const q = `timeMin=${new Date(window.from).toISOString()}&timeMax=${new Date(window.to).toISOString()}`;
    const answer = (await control(`/google/users/${google.user}/calendar-instances?${q}`)) as unknown as {
      calendars: Array<{
        id: string;
        instances: Array<{
          id: string;
          status: string;
          summary?: string;
          location?: string;
          start: { date?: string; timeZone?: string };
          startMs: number;
          endMs: number;
          attendees?: Array<{ email: string }>;
        }>;
      }>;
    };
    return answer.calendars.flatMap((c) =>
      c.instances
        .filter((e) => e.status !== 'cancelled')
        .map((e) => ({
          id: e.id,
          summary: e.summary ?? '',
          location: e.location ?? '',
          startMs: e.startMs,
          endMs: e.endMs,
          allDay: e.start.date !== undefined,
          zone: e.start.timeZone ?? '',
          attendees: (e.attendees ?? []).map((a) => a.email.toLowerCase()),
        })),
    );
  },
};

export const outlook: CalendarProvider = {
  name: 'Outlook (Graph)',
  user: 'bob@contoso.test',
  patchEndpoint: 'graph.events.update',
  createEndpoint: 'graph.events.create',
  createThere: async (control, summary, at) =>
    (
      await control('/microsoft/events', {
        method: 'POST',
        body: {
          user: outlook.user,
          event: {
            subject: summary,
            start: { dateTime: new Date(at).toISOString().slice(0, 19), timeZone: 'UTC' },
            end: { dateTime: new Date(at + 3_600_000).toISOString().slice(0, 19), timeZone: 'UTC' },
          },
        },
      })
    ).id as string,
  renameThere: (control, eventId, summary) =>
    control(`/microsoft/events/${eventId}`, { method: 'PATCH', body: { user: outlook.user, event: { subject: summary } } }),
  async open(emulator, dataDir) {
    const engine = openEngine({
      log: silentLog,
      dataDir,
      providers: { google: null, microsoft: microsoftConfigFor(emulator.baseUrl) },
    });
    const account = await engine.providers.forConnect('microsoft').connect({ openBrowser: formPostBrowser });
    return { engine, accountId: account.id };
  },
  async remote(control, window) {
    return (await remoteGraphInstancesRaw(control, outlook.user, window)).map((e) => ({
      id: e.id,
      summary: e.subject,
      location: e.location.displayName ?? '',
      startMs: e.startMs,
      endMs: e.endMs,
      allDay: e.isAllDay,
      zone: e.originalStartTimeZone,
      attendees: e.attendees.map((a) => a.emailAddress.address.toLowerCase()),
    }));
  },
};
