import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import type { JobMode } from '../../shared/events.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { DAY_MS, lastSundayOfOctober, londonTuesdaysAcrossClockChange, runs, utcHours } from '../support/calendarDates.ts';
import {
  type CalendarInstance,
  indexedInstances,
  remoteGoogleInstances,
  runCalendarSync,
  type TimeWindow,
} from '../support/calendarSnapshots.ts';
import { autoConsentBrowser, emulatorControl, googleConfigFor } from '../support/emulatorAccounts.ts';
import { makeTempDir } from '../support/tempDir.ts';

const USER = 'alice@gmail.test';
const WORK = 'work.alice@group.calendar.google.com';
/** A wall-clock time in a zone. */
const local = (zone: string, year: number, month: number, day: number, hour = 0, minute = 0) =>
  DateTime.fromObject({ year, month, day, hour, minute }, { zone });
const iso = (d: DateTime) => d.toISO({ suppressMilliseconds: true }) as string;

describe('Google Calendar sync against the emulator (googleapis, real loopback flow)', () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let engine: Engine;
  let accountId: string;
  // Every date below derives from the emulator's clock, never from a year written here: the
  // emulator seeds its series in its current year (Y), and the full sync's window is that year.
  let Y: number;
  let now: number;
  let WINDOW: { from: number; to: number };

  const control = (path: string, init?: { method?: string; body?: unknown }) => emulatorControl(emulator)(path, init);
  const events = (calendarId: string) => `/google/users/${USER}/calendars/${encodeURIComponent(calendarId)}/events`;

  /** The emulator's calendars expanded over a window as events.list(singleEvents) answers, in the index's terms. */
  const remote = (window: TimeWindow = WINDOW): Promise<CalendarInstance[]> => remoteGoogleInstances(control, USER, window);
  const indexed = (): CalendarInstance[] => indexedInstances(engine.db, accountId);
  /** 'full' syncs WINDOW; 'full-default' is a full sync with the default (sliding) window. */
  const sync = (mode: JobMode | 'full-default' = 'incremental') => runCalendarSync(engine, accountId, mode, WINDOW);

  /** The window the primary calendar's sync token was minted for, as stored. */
  const windowOf = () => {
    const [from, to, kind] = (
      engine.db
        .prepare("SELECT cursor FROM sync_cursors WHERE account_id = ? AND kind = 'gcal.syncToken.window' AND scope = ?")
        .pluck()
        .get(accountId, USER) as string
    ).split('/');
    return { from: Number(from), to: Number(to), kind };
  };

  const seriesOf = (summary: string) => indexed().filter((e) => e.summary === summary && e.seriesId !== null);

  beforeAll(async () => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: 20 },
      serviceOptions: { google: { quotaEnabled: false } },
    });
    engine = openEngine({
      log: silentLog,
      dataDir: dir.path,
      providers: { google: googleConfigFor(emulator.baseUrl), microsoft: null },
      gmailQuota: { unitsPerSecond: 1_000_000 },
    });
    const account = await engine.providers.forConnect('google').connect({
      openBrowser: autoConsentBrowser,
    });
    accountId = account.id;
    now = Number((await control('/clock')).now);
    // The year the seed used: its New York series starts on 20 February of it (read from the seed
    // itself, so a run that starts just before New Year still agrees with it).
    const seeded = await remote({ from: now - 400 * DAY_MS, to: now + 400 * DAY_MS });
    const nyStarts = seeded.filter((e) => e.summary === 'Weekly sync (New York)').map((e) => e.startsAt);
    Y = DateTime.fromMillis(Math.min(...nyStarts), { zone: 'America/New_York' }).year;
    WINDOW = { from: Date.UTC(Y, 0, 1), to: Date.UTC(Y + 1, 0, 1) };
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await emulator?.stop();
    dir.remove();
  });

  it('full-syncs every calendar over the window: the index equals the emulator expanded over it, nothing outside', async () => {
    // Events just outside the window on both sides (whatever the date, the seeded ones may all lie inside it).
    await control(events(USER), {
      method: 'POST',
      body: {
        id: 'beforewindow1',
        summary: 'Ends as the window opens',
        start: { dateTime: new Date(WINDOW.from - 3_600_000).toISOString() },
        end: { dateTime: new Date(WINDOW.from).toISOString() },
      },
    });
    await control(events(WORK), {
      method: 'POST',
      body: {
        id: 'afterwindow01',
        summary: 'Starts as the window closes',
        start: { dateTime: new Date(WINDOW.to).toISOString() },
        end: { dateTime: new Date(WINDOW.to + 3_600_000).toISOString() },
      },
    });
    const job = await sync('full');
    expect(job).toMatchObject({ status: 'succeeded' });
    const expected = await remote();
    expect(new Set(expected.map((e) => e.calendar)).size).toBe(3); // the holidays calendar is empty
    expect(engine.db.prepare('SELECT count(*) FROM calendars WHERE account_id = ?').pluck().get(accountId)).toBe(4);
    expect(indexed()).toEqual(expected);
    // The window is a real bound: the emulator holds events on both sides of it, the index only inside.
    const everything = await remote({ from: Date.UTC(Y - 10, 0, 1), to: Date.UTC(Y + 10, 0, 1) });
    const outside = everything.filter((e) => e.endsAt <= WINDOW.from || e.startsAt >= WINDOW.to);
    expect(outside.some((e) => e.endsAt <= WINDOW.from)).toBe(true);
    expect(outside.filter((e) => e.startsAt >= WINDOW.to).length).toBeGreaterThan(8); // the yearly birthday too
    const ids = new Set(indexed().map((e) => e.id));
    expect(outside.filter((e) => ids.has(e.id))).toEqual([]);
    for (const e of indexed()) expect(e.endsAt > WINDOW.from && e.startsAt < WINDOW.to).toBe(true);
  });

  it('puts a weekly 09:00 New York series on the right days and instants across the March DST change', () => {
    const instances = seriesOf('Weekly sync (New York)').sort((a, b) => a.originalStartAt! - b.originalStartAt!);
    // Seeded: weekly from 20 February of Y, COUNT=20; the third moved two hours later, the sixth cancelled.
    const first = local('America/New_York', Y, 2, 20, 9);
    const expected = Array.from({ length: 20 }, (_, k) => first.plus({ weeks: k }))
      .filter((_, k) => k !== 5)
      .map((d, i) => (i === 2 ? d.plus({ hours: 2 }) : d).toMillis());
    expect(instances.map((e) => e.startsAt)).toEqual(expected);
    for (const e of instances) {
      const at = DateTime.fromMillis(e.startsAt, { zone: 'America/New_York' });
      expect(at.weekday).toBe(first.weekday);
      expect(at.hour).toBe(e.id === instances[2]?.id ? 11 : 9);
    }
    // Either side of the March change: 09:00 EST is 14:00 UTC (February), 09:00 EDT is 13:00 UTC (from March on).
    const unmoved = instances.filter((e) => e.id !== instances[2]?.id);
    expect(runs(unmoved.map((e) => new Date(e.startsAt).getUTCHours()))).toEqual([14, 13]);
    expect(new Date(unmoved[0]?.startsAt as number).getUTCMonth()).toBe(1);
    expect(instances[2]?.originalStartAt).toBe(first.plus({ weeks: 2 }).toMillis());
    expect(instances.some((e) => e.originalStartAt === first.plus({ weeks: 5 }).toMillis())).toBe(false);
  });

  it('puts a Mon/Wed/Fri 10:00 Berlin series on the right days and instants across the October DST change', () => {
    const instances = seriesOf('Standup (Berlin)').sort((a, b) => a.startsAt - b.startsAt);
    // 1 October to 15 December of Y: Mon/Wed/Fri only (1 October itself only if it is one of them).
    let day = local('Europe/Berlin', Y, 10, 1, 10);
    const expected: number[] = [];
    while (day.toMillis() < Date.UTC(Y, 11, 15)) {
      if ([1, 3, 5].includes(day.weekday)) expected.push(day.toMillis());
      day = day.plus({ days: 1 });
    }
    expect(instances.map((e) => e.startsAt)).toEqual(expected);
    // 10:00 CEST is 08:00 UTC until the last Sunday of October, 10:00 CET 09:00 UTC after it.
    const change = lastSundayOfOctober(Y).toMillis();
    expect(runs(instances.map((e) => new Date(e.startsAt).getUTCHours()))).toEqual([8, 9]);
    for (const e of instances) expect(new Date(e.startsAt).getUTCHours()).toBe(e.startsAt < change ? 8 : 9);
  });

  it('converges after creates, edits, deletes, moved and cancelled instances, series changes and cancellations', async () => {
    const before = await remote();
    const ny = seriesOf('Weekly sync (New York)')[0]?.seriesId as string;
    const single = before.filter((e) => e.calendar === USER && e.seriesId === null && !e.allDay);
    const [edited, deleted, movedOut] = single;
    const work = before.filter((e) => e.calendar === WORK && e.seriesId === null);
    /** The k-th occurrence of the seeded New York series and its instance id. */
    const nyAt = (k: number) => local('America/New_York', Y, 2, 20, 9).plus({ weeks: k });
    const nyInstance = (k: number) => `${ny}_${nyAt(k).toUTC().toFormat("yyyyMMdd'T'HHmmss'Z'")}`;
    const nyMoved = nyAt(7).minus({ days: 1 }).set({ hour: 16 });
    // A daily Berlin series of 10 from five days before Europe's clocks go back.
    const checkIn = lastSundayOfOctober(Y).minus({ days: 5 }).set({ hour: 8, minute: 30 });

    // Creates: a timed event, an all-day event, and a daily series in Berlin that crosses 25 October.
    await control(events(USER), {
      method: 'POST',
      body: {
        id: 'newsingle001',
        summary: 'Dentist',
        start: { dateTime: `${Y}-11-20T15:00:00-05:00`, timeZone: 'America/New_York' },
        end: { dateTime: `${Y}-11-20T16:00:00-05:00`, timeZone: 'America/New_York' },
      },
    });
    await control(events(USER), {
      method: 'POST',
      body: { id: 'newallday001', summary: 'Conference', start: { date: `${Y}-12-01` }, end: { date: `${Y}-12-03` } },
    });
    await control(events(WORK), {
      method: 'POST',
      body: {
        id: 'newseries001',
        summary: 'Daily check-in',
        start: { dateTime: iso(checkIn), timeZone: 'Europe/Berlin' },
        end: { dateTime: iso(checkIn.plus({ minutes: 15 })), timeZone: 'Europe/Berlin' },
        recurrence: ['RRULE:FREQ=DAILY;COUNT=10'],
      },
    });
    // Edits: retitle and move a single event; move one out of the window.
    await control(`${events(USER)}/${edited?.id}`, {
      method: 'PATCH',
      body: {
        summary: 'Moved and renamed',
        start: { dateTime: `${Y}-09-15T07:00:00Z` },
        end: { dateTime: `${Y}-09-15T07:45:00Z` },
      },
    });
    await control(`${events(USER)}/${movedOut?.id}`, {
      method: 'PATCH',
      body: { start: { dateTime: `${Y + 1}-03-01T10:00:00Z` }, end: { dateTime: `${Y + 1}-03-01T11:00:00Z` } },
    });
    // Deletes: a single event, and the seeded Berlin standup series as a whole.
    await control(`${events(USER)}/${deleted?.id}`, { method: 'DELETE' });
    const standup = seriesOf('Standup (Berlin)')[0]?.seriesId as string;
    await control(`${events(WORK)}/${standup}`, { method: 'DELETE' });
    // Recurrence exceptions of the New York series: one instance moved, one cancelled.
    await control(`${events(USER)}/${nyInstance(7)}`, {
      method: 'PATCH',
      body: {
        summary: 'Weekly sync (moved)',
        start: { dateTime: iso(nyMoved), timeZone: 'America/New_York' },
        end: { dateTime: iso(nyMoved.plus({ minutes: 30 })), timeZone: 'America/New_York' },
      },
    });
    await control(`${events(USER)}/${nyInstance(10)}`, { method: 'DELETE' });
    // Status, location and attendees' responses change on an event another calendar holds.
    await control(`${events(WORK)}/${work[1]?.id}`, {
      method: 'PATCH',
      body: {
        status: 'tentative',
        location: 'Raum 2.07',
        attendees: [
          { email: USER, responseStatus: 'tentative', self: true },
          { email: 'Dieter@Example.com', responseStatus: 'declined' },
        ],
      },
    });
    // A cancellation in another calendar.
    await control(`${events(WORK)}/${work[0]?.id}`, { method: 'DELETE' });

    const job = await sync();
    expect(job).toMatchObject({ status: 'succeeded' });
    const after = await remote();
    expect(indexed()).toEqual(after);

    // The changes really are in there.
    const ids = new Set(after.map((e) => e.id));
    expect(ids.has('newsingle001') && ids.has('newallday001')).toBe(true);
    expect([deleted?.id, movedOut?.id, work[0]?.id, nyInstance(10)].some((id) => ids.has(id as string))).toBe(false);
    expect(after.filter((e) => e.seriesId === standup)).toEqual([]);
    const daily = after.filter((e) => e.seriesId === 'newseries001').map((e) => e.startsAt);
    expect(daily).toEqual(Array.from({ length: 10 }, (_, k) => checkIn.plus({ days: k }).toMillis()));
    expect(runs(utcHours(daily))).toEqual([6, 7]); // 08:30 CEST, then 08:30 CET
    expect(after.find((e) => e.id === nyInstance(7))).toMatchObject({
      startsAt: nyMoved.toMillis(),
      originalStartAt: nyAt(7).toMillis(),
      summary: 'Weekly sync (moved)',
    });
    expect(after.find((e) => e.id === 'newallday001')).toMatchObject({ allDay: true });
    expect(after.find((e) => e.id === work[1]?.id)).toMatchObject({
      status: 'tentative',
      location: 'Raum 2.07',
      attendees: [
        { email: USER, response: 'tentative' },
        { email: 'dieter@example.com', response: 'declined' },
      ],
    });
  });

  it('replaces every instance of a series moved to another time (the old instance ids come back cancelled)', async () => {
    const oldIds = indexed()
      .filter((e) => e.seriesId === 'newseries001')
      .map((e) => e.id);
    expect(oldIds).toHaveLength(10);
    const nine = lastSundayOfOctober(Y).minus({ days: 5 }).set({ hour: 9 });
    await control(`${events(WORK)}/newseries001`, {
      method: 'PATCH',
      body: {
        start: { dateTime: iso(nine), timeZone: 'Europe/Berlin' },
        end: { dateTime: iso(nine.plus({ minutes: 15 })), timeZone: 'Europe/Berlin' },
        recurrence: ['RRULE:FREQ=DAILY;COUNT=8'],
      },
    });
    expect(await sync()).toMatchObject({ status: 'succeeded' });
    const after = await remote();
    expect(indexed()).toEqual(after);
    const daily = after.filter((e) => e.seriesId === 'newseries001');
    expect(daily.map((e) => e.startsAt)).toEqual(Array.from({ length: 8 }, (_, k) => nine.plus({ days: k }).toMillis()));
    expect(utcHours(daily.map((e) => e.startsAt))).toEqual([7, 7, 7, 7, 7, 8, 8, 8]); // the sixth is the first in CET
    expect(daily.filter((e) => oldIds.includes(e.id))).toEqual([]);
  });

  it('a series moved to another time takes its modified instances with it (they come back cancelled too)', async () => {
    // Found by the calendar property test (seed 424242): the moved occurrence stayed in the index for good.
    const [, second] = indexed()
      .filter((e) => e.seriesId === 'newseries001')
      .sort((a, b) => a.startsAt - b.startsAt);
    await control(`${events(WORK)}/${second?.id}`, {
      method: 'PATCH',
      body: {
        summary: 'Check-in (later)',
        start: { dateTime: new Date((second?.startsAt as number) + 3_600_000).toISOString() },
        end: { dateTime: new Date((second?.endsAt as number) + 3_600_000).toISOString() },
      },
    });
    expect(await sync()).toMatchObject({ status: 'succeeded' });
    expect(indexed().find((e) => e.id === second?.id)).toMatchObject({ summary: 'Check-in (later)' });

    const ten = lastSundayOfOctober(Y).minus({ days: 5 }).set({ hour: 10 });
    await control(`${events(WORK)}/newseries001`, {
      method: 'PATCH',
      body: {
        start: { dateTime: iso(ten), timeZone: 'Europe/Berlin' },
        end: { dateTime: iso(ten.plus({ minutes: 15 })), timeZone: 'Europe/Berlin' },
      },
    });
    expect(await sync()).toMatchObject({ status: 'succeeded' });
    const after = await remote();
    expect(indexed()).toEqual(after);
    expect(after.filter((e) => e.seriesId === 'newseries001').map((e) => e.startsAt)).toEqual(
      Array.from({ length: 8 }, (_, k) => ten.plus({ days: k }).toMillis()),
    );
    expect(indexed().some((e) => e.id === second?.id)).toBe(false);
  });

  it('converges through a full resync that reconciles when the sync tokens expire (410)', async () => {
    const [victim] = (await remote()).filter((e) => e.calendar === USER && e.seriesId === null);
    await control(`${events(USER)}/${victim?.id}`, { method: 'DELETE' });
    await control(events(USER), {
      method: 'POST',
      body: {
        id: 'after410001',
        summary: 'After the token expired',
        start: { dateTime: `${Y}-12-10T12:00:00Z` },
        end: { dateTime: `${Y}-12-10T13:00:00Z` },
      },
    });
    const calendars = (await remote()).map((e) => e.calendar);
    for (const c of new Set(calendars))
      await control(`/google/users/${USER}/calendars/${encodeURIComponent(c)}/sync/expire`, { method: 'POST', body: {} });

    const job = await sync();
    expect(job).toMatchObject({ status: 'succeeded' });
    expect(job?.counts.eventsDeleted).toBeGreaterThanOrEqual(1);
    expect(indexed()).toEqual(await remote());
    expect(indexed().some((e) => e.id === victim?.id)).toBe(false);

    // And the tokens the resync minted work: a further change arrives incrementally.
    await control(`${events(USER)}/after410001`, { method: 'PATCH', body: { summary: 'Renamed after 410' } });
    expect(await sync()).toMatchObject({ status: 'succeeded' });
    expect(indexed()).toEqual(await remote());
    expect(indexed().find((e) => e.id === 'after410001')?.summary).toBe('Renamed after 410');
  });

  it('moves the default window on with the clock: once it has moved a day, the new window is listed and reconciled', async () => {
    expect(await sync('full-default')).toMatchObject({ status: 'succeeded' });
    const first = windowOf();
    expect(first.kind).toBe('sliding');
    expect(first.to - first.from).toBe(270 * DAY_MS);
    // Around the clock's today, whatever the date: 90 days back, 180 ahead.
    expect(first.from).toBeGreaterThanOrEqual(now - 90 * DAY_MS);
    expect(first.to).toBeLessThanOrEqual(Date.now() + 180 * DAY_MS);
    expect(indexed()).toEqual(await remote(first));

    // As if that sync had run three days ago: its window ends three days short of today's default.
    const aged = { from: first.from - 3 * DAY_MS, to: first.to - 3 * DAY_MS };
    engine.db
      .prepare("UPDATE sync_cursors SET cursor = ? WHERE account_id = ? AND kind = 'gcal.syncToken.window'")
      .run(`${aged.from}/${aged.to}/sliding`, accountId);
    // An event only today's window reaches.
    const lateStart = first.to - DAY_MS;
    await control(events(USER), {
      method: 'POST',
      body: {
        id: 'justinrange01',
        summary: 'Just in range',
        start: { dateTime: new Date(lateStart).toISOString() },
        end: { dateTime: new Date(lateStart + 3_600_000).toISOString() },
      },
    });

    expect(await sync()).toMatchObject({ status: 'succeeded' });
    const moved = windowOf();
    expect(moved.to).toBeGreaterThanOrEqual(first.to);
    expect(indexed()).toEqual(await remote(moved));
    expect(indexed().some((e) => e.id === 'justinrange01')).toBe(true);
  });

  it('follows calendarList: a new calendar is synced in full, a removed one leaves with its events', async () => {
    const club = 'bookclub@group.calendar.google.com';
    await control(`/google/users/${USER}/calendars`, {
      method: 'POST',
      body: { id: club, summary: 'Book club', timeZone: 'Europe/London' },
    });
    // Six Tuesdays at 19:00 in London across a change of its clocks (to BST in March, back in October):
    // the one nearest today that keeps all six inside the sliding window (today -90 to +180 days).
    const clubStart = londonTuesdaysAcrossClockChange(now);
    await control(events(club), {
      method: 'POST',
      body: {
        id: 'bookseries01',
        summary: 'Book club',
        start: { dateTime: iso(clubStart), timeZone: 'Europe/London' },
        end: { dateTime: iso(clubStart.plus({ hours: 2 })), timeZone: 'Europe/London' },
        recurrence: ['RRULE:FREQ=WEEKLY;COUNT=6'],
      },
    });
    const family = `family.${USER.split('@')[0]}@group.calendar.google.com`;
    expect(indexed().some((e) => e.calendar === family)).toBe(true);
    await control(`/google/users/${USER}/calendars/${encodeURIComponent(family)}`, { method: 'DELETE' });

    expect(await sync()).toMatchObject({ status: 'succeeded' });
    expect(indexed()).toEqual(await remote(windowOf()));
    expect(indexed().some((e) => e.calendar === family)).toBe(false);
    const names = engine.db.prepare('SELECT name FROM calendars WHERE account_id = ? ORDER BY name').pluck().all(accountId);
    expect(names).toContain('Book club');
    expect(names).not.toContain('Family');
    const club19 = indexed()
      .filter((e) => e.seriesId === 'bookseries01')
      .map((e) => e.startsAt)
      .sort((a, b) => a - b);
    expect(club19).toEqual(Array.from({ length: 6 }, (_, k) => clubStart.plus({ weeks: k }).toMillis()));
    // 19:00 GMT is 19:00 UTC, 19:00 BST 18:00 UTC: four before the change, two after.
    const [before, after] = clubStart.offset === 0 ? [19, 18] : [18, 19];
    expect(utcHours(club19)).toEqual([before, before, before, before, after, after]);
  });

  it('rides out 429 with Retry-After and 5xx answers and still converges', async () => {
    await control(`${events(USER)}/justinrange01`, { method: 'PATCH', body: { summary: 'Through the storm' } });
    await control('/faults', {
      method: 'POST',
      body: {
        seed: 11,
        faults: [
          { endpoint: 'calendar.events.list', kind: 'rateLimit', count: 2, retryAfter: 1 },
          { endpoint: 'calendar.events.list', kind: 'status', status: 503, count: 2 },
          { endpoint: 'calendar.calendarList.list', kind: 'status', status: 500, count: 1 },
        ],
      },
    });
    const job = await sync();
    expect(job).toMatchObject({ status: 'succeeded' });
    expect(((await control('/faults')) as { faults: unknown[] }).faults).toEqual([]);
    expect(indexed()).toEqual(await remote(windowOf()));
    expect(indexed().some((e) => e.summary === 'Through the storm')).toBe(true);
  }, 60_000);
});
