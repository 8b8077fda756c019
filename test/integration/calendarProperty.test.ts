import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RsvpRefusedError } from '../../main/calendar/respondToEvent.ts';
import type { Engine } from '../../main/core/engine.ts';
import type { RsvpAnswer } from '../../main/providers/accountProvider.ts';
import { CALENDAR, calendarFor, signIn } from '../emulator/google/harness.ts';
import type { RunningEmulator } from '../emulator/index.ts';
import { seededRandom } from '../emulator/kit/faults.ts';
import {
  type CalendarInstance,
  indexedInstances,
  remoteGoogleInstances,
  remoteGraphInstances,
  runCalendarSync,
  storedCalendarWindows,
  type TimeWindow,
} from '../support/calendarSnapshots.ts';
import { emulatorControl } from '../support/emulatorAccounts.ts';
import { openBothProviders, pick, propertyRun, propertyTimeout, type Rng } from '../support/propertyRuns.ts';
import { makeTempDir } from '../support/tempDir.ts';

const GOOGLE_USER = 'alice@gmail.test';
const OUTLOOK_USER = 'bob@contoso.test';
// OUTPOST_PROPERTY_ROUNDS=1000 is the nightly size (README, Developing).
const { seed: SEED, rounds: ROUNDS } = propertyRun(50);
const DAY_MS = 24 * 3600 * 1000;

type Control = ReturnType<typeof emulatorControl>;
/** Another Google Calendar client (googleapis): events.move and events.update, which the control routes do not offer. */
type CalendarApi = ReturnType<typeof calendarFor>;

/** Zones events are scheduled in: the IANA name (Google) and Windows' name for it (Graph). */
const ZONES = [
  ['UTC', 'UTC'],
  ['America/New_York', 'Eastern Standard Time'],
  ['Europe/Berlin', 'W. Europe Standard Time'],
  ['Europe/London', 'GMT Standard Time'],
  ['Asia/Tokyo', 'Tokyo Standard Time'],
] as const;
const ANSWERS: readonly RsvpAnswer[] = ['accepted', 'declined', 'tentative'];

/** What the test created, so it can move an event or a series by its own wall-clock time later. */
interface Created {
  start: DateTime;
  minutes: number;
  recurrence?: unknown;
}

/**
 * What a round's changes act on: the account's calendars, and the instances the sync windows
 * hold (as the last comparison found them), kept current as the round deletes things.
 */
interface RoundState {
  now: number;
  calendars: string[];
  instances: CalendarInstance[];
  created: Map<string, Created>;
}

/** An event, a series (with its instances) or a calendar is gone from what the round acts on. */
function forget(state: RoundState, id: string): void {
  state.instances = state.instances.filter((e) => e.id !== id && e.seriesId !== id && e.calendar !== id);
  state.calendars = state.calendars.filter((c) => c !== id);
}

/**
 * A random start relative to the emulator's clock (never a year written in): mostly inside the
 * default window (90 days back, 180 ahead), sometimes across or beyond its edges.
 */
function randomStart(rng: Rng, now: number, zone: string): DateTime {
  const day = Math.floor(rng() * 300) - 110;
  return DateTime.fromMillis(now + day * DAY_MS, { zone }).set({
    hour: Math.floor(rng() * 24),
    minute: [0, 15, 30, 45][Math.floor(rng() * 4)] ?? 0,
    second: 0,
    millisecond: 0,
  });
}

/** The index's events of the account that the user is invited to (a guest, not the organizer). */
function invitations(engine: Engine, accountId: string, email: string): number[] {
  const rows = engine.db
    .prepare(
      `SELECT e.id, e.attendees_json AS attendees, e.organizer_json AS organizer
         FROM events e JOIN calendars c ON c.id = e.calendar_id WHERE c.account_id = ? ORDER BY e.id`,
    )
    .all(accountId) as Array<{ id: number; attendees: string; organizer: string | null }>;
  return rows
    .filter((r) => {
      const guests = JSON.parse(r.attendees) as Array<{ email: string; self?: boolean; organizer?: boolean }>;
      const organizer = r.organizer ? (JSON.parse(r.organizer) as { email?: string }).email?.toLowerCase() : undefined;
      const self = guests.find((g) => g.self || g.email === email);
      return self !== undefined && !self.organizer && organizer !== email;
    })
    .map((r) => r.id);
}

/** The user answers a random invitation in Outpost (the provider first, then the index), before the round's other changes. */
async function answerInvitation(engine: Engine, accountId: string, email: string, rng: Rng): Promise<string> {
  const event = pick(rng, invitations(engine, accountId, email));
  const answer = pick(rng, ANSWERS) as RsvpAnswer;
  if (event === undefined) return 'outpost: no invitation';
  try {
    await engine.respondToEvent(event, answer);
    return `outpost answers evt_${event} ${answer}`;
  } catch (error) {
    if (error instanceof RsvpRefusedError) return `outpost answer evt_${event} refused`;
    throw error;
  }
}

/**
 * The remote expansion each calendar's own stored window covers (a calendar that appeared
 * mid-run minted its window later): one expansion over all the windows, each calendar's
 * instances kept where they overlap its window as timeMin/timeMax and calendarView select.
 */
async function remoteOverStoredWindows(
  windows: Map<string, TimeWindow>,
  expand: (window: TimeWindow) => Promise<CalendarInstance[]>,
): Promise<CalendarInstance[]> {
  const all = [...windows.values()];
  const fallback = all[0] as TimeWindow;
  const union = { from: Math.min(...all.map((w) => w.from)), to: Math.max(...all.map((w) => w.to)) };
  return (await expand(union)).filter((e) => {
    const w = windows.get(e.calendar) ?? fallback;
    return e.startsAt < w.to && e.endsAt > w.from;
  });
}

/**
 * Random rounds of what other clients do to an account's calendars (events, all-day events,
 * series, moved and cancelled occurrences, edits, deletes, calendars added and removed), with
 * the user answering invitations in Outpost; each round is followed by an incremental calendar
 * sync, after which the index must equal the provider's expansion of every calendar over the
 * window its sync covers. A failure names the seed and round (rerun with OUTPOST_PROPERTY_SEED).
 */
describe(`random calendar changes + incremental calendar syncs converge every round (seed ${SEED})`, () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let engine: Engine;
  let googleAccount: string;
  let outlookAccount: string;
  let control: Control;
  let calendarApi: CalendarApi;
  let now: number;

  beforeAll(async () => {
    ({ emulator, engine, googleAccount, outlookAccount } = await openBothProviders(dir.path, 20));
    control = emulatorControl(emulator);
    calendarApi = calendarFor(emulator, await signIn(emulator, [CALENDAR]));
    now = Number((await control('/clock')).now);
    for (const account of [googleAccount, outlookAccount]) {
      const job = await runCalendarSync(engine, account, 'full-default');
      expect(job, JSON.stringify(job?.error)).toMatchObject({ status: 'succeeded' });
    }
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await emulator?.stop();
    dir.remove();
  });

  /** The account's calendars, as the emulator's expansion route lists them over a moment. */
  const calendarIds = async (path: string) =>
    ((await control(path)) as unknown as { calendars: Array<{ id: string }> }).calendars.map((c) => c.id);

  /** Runs the rounds: `mutate` makes one change another client makes; the index must equal `remote` after each sync. */
  const rounds = async (
    accountId: string,
    email: string,
    rng: Rng,
    mutate: (serial: number, state: RoundState) => Promise<string>,
    remote: () => Promise<CalendarInstance[]>,
    listCalendars: () => Promise<string[]>,
  ) => {
    let serial = 0;
    const state: RoundState = { now, calendars: [], instances: await remote(), created: new Map() };
    for (let round = 1; round <= ROUNDS; round++) {
      const ops: string[] = [];
      if (rng() < 0.3) ops.push(await answerInvitation(engine, accountId, email, rng));
      state.calendars = await listCalendars();
      for (let n = 1 + Math.floor(rng() * 4); n > 0; n--) ops.push(await mutate(++serial, state));
      const job = await runCalendarSync(engine, accountId);
      const context = `seed ${SEED}, round ${round}: ${ops.join('; ')}`;
      expect(job?.error ?? null, context).toBeNull();
      state.instances = await remote();
      expect(indexedInstances(engine.db, accountId), context).toEqual(state.instances);
    }
  };

  it(
    `Google Calendar, ${ROUNDS} rounds: events, all-day events, series and their instances, edits, events.move and events.update, deletes, calendars, RSVPs`,
    async () => {
      const rng = seededRandom(SEED + 2);
      const remote = async () =>
        remoteOverStoredWindows(storedCalendarWindows(engine.db, googleAccount, 'gcal.syncToken.window'), (w) =>
          remoteGoogleInstances(control, GOOGLE_USER, w),
        );
      await rounds(
        googleAccount,
        GOOGLE_USER,
        rng,
        (serial, state) => mutateGoogle(control, calendarApi, rng, serial, state),
        remote,
        () =>
          calendarIds(
            `/google/users/${GOOGLE_USER}/calendar-instances?timeMin=${new Date(now).toISOString()}&timeMax=${new Date(now + 1).toISOString()}`,
          ),
      );
    },
    propertyTimeout(ROUNDS, 2_000),
  );

  it(
    `Outlook, ${ROUNDS} rounds: events, all-day events, series, exceptions, cancellations, edits, deletes, calendars, RSVPs`,
    async () => {
      const rng = seededRandom(SEED + 3);
      const remote = async () =>
        remoteOverStoredWindows(storedCalendarWindows(engine.db, outlookAccount, 'graph.calendarView.window'), (w) =>
          remoteGraphInstances(control, OUTLOOK_USER, w),
        );
      await rounds(
        outlookAccount,
        OUTLOOK_USER,
        rng,
        (serial, state) => mutateOutlook(control, rng, serial, state),
        remote,
        () =>
          calendarIds(
            `/microsoft/calendar/instances?user=${OUTLOOK_USER}&startDateTime=${new Date(now).toISOString()}&endDateTime=${new Date(now + 1).toISOString()}`,
          ),
      );
    },
    propertyTimeout(ROUNDS, 2_000),
  );
});

/** The seeded holidays calendar is read-only through the API (Google answers 403 requiredAccessLevel); the control routes write it as Google itself would. */
const writable = (calendarId: string) => !calendarId.includes('#holiday');
const iso = (d: DateTime) => d.toISO({ suppressMilliseconds: true }) as string;

async function mutateGoogle(
  control: Control,
  calendarApi: CalendarApi,
  rng: Rng,
  serial: number,
  state: RoundState,
): Promise<string> {
  const { now, created } = state;
  const user = `/google/users/${GOOGLE_USER}`;
  const listed = state.calendars;
  const calendar = pick(rng, listed) ?? GOOGLE_USER;
  const events = (c: string) => `${user}/calendars/${encodeURIComponent(c)}/events`;
  const instance = pick(rng, state.instances);
  const [zone] = pick(rng, ZONES) ?? ZONES[0];
  const invited =
    rng() < 0.3
      ? {
          organizer: { email: 'org@example.com' },
          attendees: [
            { email: 'org@example.com', organizer: true, responseStatus: 'accepted' },
            { email: GOOGLE_USER, self: true, responseStatus: 'needsAction' },
            { email: 'guest@example.com', responseStatus: pick(rng, ANSWERS) },
          ],
        }
      : {};
  const roll = rng();
  if (!instance || roll < 0.2) {
    const start = randomStart(rng, now, zone);
    const minutes = 15 * (1 + Math.floor(rng() * 8));
    const { id } = (await control(events(calendar), {
      method: 'POST',
      body: {
        summary: `Event ${serial}`,
        start: { dateTime: iso(start), timeZone: zone },
        end: { dateTime: iso(start.plus({ minutes })), timeZone: zone },
        ...invited,
      },
    })) as { id: string };
    created.set(id, { start, minutes });
    return `create ${id} in ${calendar} at ${iso(start)}`;
  }
  if (roll < 0.3) {
    const start = randomStart(rng, now, 'UTC').startOf('day');
    const days = 1 + Math.floor(rng() * 3);
    const { id } = (await control(events(calendar), {
      method: 'POST',
      body: {
        summary: `All day ${serial}`,
        start: { date: start.toISODate() },
        end: { date: start.plus({ days }).toISODate() },
      },
    })) as { id: string };
    return `create all-day ${id} in ${calendar} on ${start.toISODate()} for ${days} days`;
  }
  if (roll < 0.42) {
    const start = randomStart(rng, now, zone);
    const minutes = 30 * (1 + Math.floor(rng() * 3));
    const count = 2 + Math.floor(rng() * 12);
    const until = start
      .plus({ days: 10 + Math.floor(rng() * 60) })
      .toUTC()
      .toFormat("yyyyMMdd'T'HHmmss'Z'");
    const rule = pick(rng, [
      `RRULE:FREQ=DAILY;COUNT=${count}`,
      `RRULE:FREQ=WEEKLY;COUNT=${count}`,
      `RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR;COUNT=${count}`,
      `RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=${until}`,
      `RRULE:FREQ=DAILY;INTERVAL=3;UNTIL=${until}`,
      `RRULE:FREQ=MONTHLY;COUNT=${Math.min(count, 6)}`,
    ]) as string;
    const { id } = (await control(events(calendar), {
      method: 'POST',
      body: {
        summary: `Series ${serial}`,
        start: { dateTime: iso(start), timeZone: zone },
        end: { dateTime: iso(start.plus({ minutes })), timeZone: zone },
        recurrence: [rule],
        ...invited,
      },
    })) as { id: string };
    created.set(id, { start, minutes, recurrence: [rule] });
    return `create series ${id} in ${calendar} at ${iso(start)} ${rule}`;
  }
  const occurrence = pick(
    rng,
    state.instances.filter((e) => e.seriesId !== null),
  );
  if (roll < 0.57 && occurrence?.seriesId) {
    // An instance id makes an exception of the occurrence: moved and renamed, or cancelled.
    if (rng() < 0.4) {
      await control(`${events(occurrence.calendar)}/${occurrence.id}`, { method: 'DELETE' });
      forget(state, occurrence.id);
      return `cancel instance ${occurrence.id}`;
    }
    const shift = (Math.floor(rng() * 49) - 24) * 3_600_000;
    await control(`${events(occurrence.calendar)}/${occurrence.id}`, {
      method: 'PATCH',
      body: {
        summary: `Moved ${serial}`,
        start: { dateTime: new Date(occurrence.startsAt + shift).toISOString() },
        end: { dateTime: new Date(occurrence.endsAt + shift).toISOString() },
      },
    });
    return `move instance ${occurrence.id} by ${shift / 3_600_000} h`;
  }
  if (roll < 0.75) {
    const id = instance.seriesId ?? instance.id;
    const mine = created.get(id);
    const patch: Record<string, unknown> = {};
    if (rng() < 0.5) patch.summary = `Edited ${serial}`;
    if (rng() < 0.3) patch.location = `Room ${serial}`;
    if (rng() < 0.2) patch.status = pick(rng, ['tentative', 'confirmed']);
    if (mine && rng() < 0.5) {
      const start = mine.start.plus({ hours: Math.floor(rng() * 49) - 24 });
      patch.start = { dateTime: iso(start), timeZone: mine.start.zoneName };
      patch.end = { dateTime: iso(start.plus({ minutes: mine.minutes })), timeZone: mine.start.zoneName };
      created.set(id, { ...mine, start });
    }
    await control(`${events(instance.calendar)}/${id}`, { method: 'PATCH', body: patch });
    return `patch ${id} ${JSON.stringify(patch)}`;
  }
  if (roll < 0.8) {
    // events.move: the event (a whole series with its exceptions) into another calendar the user can write.
    const id = instance.seriesId ?? instance.id;
    const destination = pick(
      rng,
      listed.filter((c) => c !== instance.calendar && writable(c)),
    );
    if (!destination || !writable(instance.calendar)) return `events.move ${id}: no calendar to move it between`;
    await calendarApi.events.move({ calendarId: instance.calendar, eventId: id, destination });
    forget(state, id);
    return `events.move ${id} from ${instance.calendar} to ${destination}`;
  }
  if (roll < 0.85) {
    // events.update: a full replace of an event the test made (fields not sent are cleared).
    const own = state.instances.filter((e) => created.has(e.seriesId ?? e.id) && writable(e.calendar));
    const target = pick(rng, own);
    if (!target) return "events.update: none of the test's own events is left";
    const id = target.seriesId ?? target.id;
    const mine = created.get(id) as Created;
    const start = mine.start.plus({ minutes: 15 * (Math.floor(rng() * 9) - 4) });
    await calendarApi.events.update({
      calendarId: target.calendar,
      eventId: id,
      requestBody: {
        summary: `Replaced ${serial}`,
        start: { dateTime: iso(start), timeZone: mine.start.zoneName ?? 'UTC' },
        end: { dateTime: iso(start.plus({ minutes: mine.minutes })), timeZone: mine.start.zoneName ?? 'UTC' },
        ...(mine.recurrence ? { recurrence: mine.recurrence as string[] } : {}),
      },
    });
    created.set(id, { ...mine, start });
    return `events.update ${id} at ${iso(start)}`;
  }
  if (roll < 0.92) {
    const id = instance.seriesId ?? instance.id;
    await control(`${events(instance.calendar)}/${id}`, { method: 'DELETE' });
    forget(state, id);
    return `delete ${id}`;
  }
  if (roll < 0.96 || listed.length < 3) {
    const id = `property${serial}@group.calendar.google.com`;
    const [tz] = pick(rng, ZONES) ?? ZONES[0];
    await control(`${user}/calendars`, { method: 'POST', body: { id, summary: `Calendar ${serial}`, timeZone: tz } });
    state.calendars.push(id);
    return `create calendar ${id}`;
  }
  const removable = listed.filter((c) => c !== GOOGLE_USER);
  const gone = pick(rng, removable) as string;
  await control(`${user}/calendars/${encodeURIComponent(gone)}`, { method: 'DELETE' });
  forget(state, gone);
  return `delete calendar ${gone}`;
}

/** A wall-clock time as Graph writes it (the zone goes beside it). */
const graphLocal = (d: DateTime) => d.toFormat("yyyy-MM-dd'T'HH:mm:ss'.0000000'");

async function mutateOutlook(control: Control, rng: Rng, serial: number, state: RoundState): Promise<string> {
  const { now, created } = state;
  const user = OUTLOOK_USER;
  const calendars = state.calendars;
  const calendar = pick(rng, calendars);
  const instance = pick(rng, state.instances);
  const [zone, windowsZone] = pick(rng, ZONES) ?? ZONES[0];
  const graphZone = rng() < 0.5 ? windowsZone : zone;
  const invited =
    rng() < 0.3
      ? {
          organizer: { emailAddress: { address: 'alice@contoso.test' } },
          attendees: [
            { type: 'required', status: { response: 'none' }, emailAddress: { address: user } },
            { type: 'required', status: { response: 'accepted' }, emailAddress: { address: 'carol@fabrikam.test' } },
          ],
        }
      : {};
  const when = (start: DateTime, minutes: number) => ({
    start: { dateTime: graphLocal(start), timeZone: graphZone },
    end: { dateTime: graphLocal(start.plus({ minutes })), timeZone: graphZone },
  });
  const roll = rng();
  if (!instance || roll < 0.2) {
    const start = randomStart(rng, now, zone);
    const minutes = 15 * (1 + Math.floor(rng() * 8));
    const { id } = (await control('/microsoft/events', {
      method: 'POST',
      body: { user, calendarId: calendar, event: { subject: `Event ${serial}`, ...when(start, minutes), ...invited } },
    })) as { id: string };
    created.set(id, { start, minutes });
    return `create ${id} at ${graphLocal(start)} ${graphZone}`;
  }
  if (roll < 0.3) {
    const start = randomStart(rng, now, 'UTC').startOf('day');
    const days = 1 + Math.floor(rng() * 3);
    const { id } = (await control('/microsoft/events', {
      method: 'POST',
      body: {
        user,
        calendarId: calendar,
        event: {
          subject: `All day ${serial}`,
          isAllDay: true,
          start: { dateTime: graphLocal(start), timeZone: 'UTC' },
          end: { dateTime: graphLocal(start.plus({ days })), timeZone: 'UTC' },
        },
      },
    })) as { id: string };
    return `create all-day ${id} on ${start.toISODate()} for ${days} days`;
  }
  if (roll < 0.42) {
    const start = randomStart(rng, now, zone);
    const minutes = 30 * (1 + Math.floor(rng() * 3));
    const count = 2 + Math.floor(rng() * 12);
    const startDate = start.toISODate() as string;
    const endDate = start.plus({ days: 10 + Math.floor(rng() * 60) }).toISODate() as string;
    const recurrence = pick(rng, [
      { pattern: { type: 'daily', interval: 1 }, range: { type: 'numbered', startDate, numberOfOccurrences: count } },
      { pattern: { type: 'daily', interval: 3 }, range: { type: 'endDate', startDate, endDate } },
      {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: [start.setLocale('en').weekdayLong?.toLowerCase()] },
        range: { type: 'numbered', startDate, numberOfOccurrences: count },
      },
      {
        pattern: { type: 'weekly', interval: 2, daysOfWeek: ['monday', 'thursday'] },
        range: { type: 'endDate', startDate, endDate },
      },
      {
        pattern: { type: 'absoluteMonthly', interval: 1, dayOfMonth: start.day },
        range: { type: 'numbered', startDate, numberOfOccurrences: Math.min(count, 6) },
      },
    ]);
    const { id } = (await control('/microsoft/events', {
      method: 'POST',
      body: {
        user,
        calendarId: calendar,
        event: { subject: `Series ${serial}`, ...when(start, minutes), recurrence, ...invited },
      },
    })) as { id: string };
    created.set(id, { start, minutes, recurrence });
    return `create series ${id} at ${graphLocal(start)} ${graphZone} ${JSON.stringify(recurrence)}`;
  }
  const occurrence = pick(
    rng,
    state.instances.filter((e) => e.seriesId !== null),
  );
  if (roll < 0.57 && occurrence?.seriesId) {
    // An occurrence's id carries its original date: moved and renamed, or cancelled, as an exception.
    const date = occurrence.id.slice(occurrence.seriesId.length + 1).replace(/^(\d{4})(\d{2})(\d{2})$/, '$1-$2-$3');
    if (rng() < 0.4) {
      await control(`/microsoft/events/${occurrence.seriesId}/exception`, {
        method: 'POST',
        body: { user, originalStartDate: date, cancel: true },
      });
      forget(state, occurrence.id);
      return `cancel occurrence ${date} of ${occurrence.seriesId}`;
    }
    const shift = (Math.floor(rng() * 49) - 24) * 3_600_000;
    const start = DateTime.fromMillis(occurrence.startsAt + shift, { zone: 'UTC' });
    await control(`/microsoft/events/${occurrence.seriesId}/exception`, {
      method: 'POST',
      body: {
        user,
        originalStartDate: date,
        event: {
          subject: `Moved ${serial}`,
          start: { dateTime: graphLocal(start), timeZone: 'UTC' },
          end: { dateTime: graphLocal(start.plus({ milliseconds: occurrence.endsAt - occurrence.startsAt })), timeZone: 'UTC' },
        },
      },
    });
    return `move occurrence ${date} of ${occurrence.seriesId} by ${shift / 3_600_000} h`;
  }
  if (roll < 0.75) {
    const id = instance.seriesId ?? instance.id;
    const mine = created.get(id);
    const patch: Record<string, unknown> = {};
    if (rng() < 0.5) patch.subject = `Edited ${serial}`;
    if (rng() < 0.3) patch.location = { displayName: `Room ${serial}` };
    if (rng() < 0.2) patch.showAs = pick(rng, ['tentative', 'busy']);
    if (mine && !mine.recurrence && rng() < 0.5) {
      const start = mine.start.plus({ hours: Math.floor(rng() * 49) - 24 });
      Object.assign(patch, {
        start: { dateTime: graphLocal(start), timeZone: mine.start.zoneName },
        end: { dateTime: graphLocal(start.plus({ minutes: mine.minutes })), timeZone: mine.start.zoneName },
      });
      created.set(id, { ...mine, start });
    }
    await control(`/microsoft/events/${id}`, { method: 'PATCH', body: { user, event: patch } });
    return `patch ${id} ${JSON.stringify(patch)}`;
  }
  if (roll < 0.82) {
    const id = instance.seriesId ?? instance.id;
    await control(`/microsoft/events/${id}/cancel`, { method: 'POST', body: { user } });
    forget(state, id);
    return `cancel ${id}`;
  }
  if (roll < 0.9) {
    const id = instance.seriesId ?? instance.id;
    await control(`/microsoft/events/${id}?user=${user}`, { method: 'DELETE' });
    forget(state, id);
    return `delete ${id}`;
  }
  if (roll < 0.95 || calendars.length < 3) {
    const { id } = (await control('/microsoft/calendars', { method: 'POST', body: { user, name: `Calendar ${serial}` } })) as {
      id: string;
    };
    state.calendars.push(id);
    return `create calendar ${id}`;
  }
  const removable = calendars.slice(1);
  const gone = pick(rng, removable) as string;
  await control(`/microsoft/calendars/${gone}?user=${user}`, { method: 'DELETE' });
  forget(state, gone);
  return `delete calendar ${gone}`;
}
