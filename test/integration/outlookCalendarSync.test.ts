import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, openEngine } from '../../main/core/engine.ts';
import { silentLog } from '../../main/core/log.ts';
import type { JobMode } from '../../shared/events.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { openBrowser as formPostBrowser } from '../emulator/microsoft/testAuth.ts';
import { londonTuesdaysAcrossClockChange, utcHours } from '../support/calendarDates.ts';
import {
  indexedInstances,
  indexedInstancesWithZones,
  remoteGraphInstances,
  remoteGraphInstancesRaw,
  runCalendarSync,
  type TimeWindow,
} from '../support/calendarSnapshots.ts';
import { emulatorControl, microsoftConfigFor } from '../support/emulatorAccounts.ts';
import { makeTempDir } from '../support/tempDir.ts';

const USER = 'bob@contoso.test';
// The emulator seeds Outlook's events at fixed dates, September 2026 to March 2027 (the "Piano lesson"
// series never ends), so this fixed window cuts through them on purpose whatever today is. The tests
// of the default (sliding) window work from the emulator's clock instead.
const WINDOW = { from: Date.UTC(2026, 8, 1), to: Date.UTC(2027, 0, 1) };

/** A wall-clock time as Graph writes it (the zone goes beside it). */
const graphLocal = (d: DateTime) => d.toFormat("yyyy-MM-dd'T'HH:mm:ss'.0000000'");

describe('Outlook calendar sync against the emulator (msal-node loopback flow, calendarView/delta)', () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let engine: Engine;
  let accountId: string;

  const control = (path: string, init?: { method?: string; body?: unknown }) => emulatorControl(emulator)(path, init);
  /** Creates an event as another Outlook client would (in the default calendar unless one is named). */
  const createEvent = (event: Record<string, unknown>, calendarId?: string) =>
    control('/microsoft/events', { method: 'POST', body: { user: USER, calendarId, event } });

  /** What calendarView answers over a window for each calendar, in the index's terms (times as UTC instants). */
  const remoteRaw = (window: TimeWindow = WINDOW) => remoteGraphInstancesRaw(control, USER, window);
  const remote = (window: TimeWindow = WINDOW) => remoteGraphInstances(control, USER, window);
  const indexedWithZones = () => indexedInstancesWithZones(engine.db, accountId);
  const indexed = () => indexedInstances(engine.db, accountId);
  /** 'full' syncs WINDOW; 'full-default' is a full sync with the default (sliding) window. */
  const sync = (mode: JobMode | 'full-default' = 'incremental') => runCalendarSync(engine, accountId, mode, WINDOW);

  /** The window the first calendar's deltaLink was started with, as stored. */
  const storedWindow = () => {
    const [from, to] = (
      engine.db
        .prepare("SELECT cursor FROM sync_cursors WHERE account_id = ? AND kind = 'graph.calendarView.window' ORDER BY scope")
        .pluck()
        .get(accountId) as string
    ).split('/');
    return { from: Number(from), to: Number(to) };
  };

  const series = (subject: string) => indexedWithZones().filter((e) => e.summary === subject && e.seriesId !== null);

  beforeAll(async () => {
    emulator = await startEmulator({ autoConsent: true, seed: { kind: 'synthetic', count: 20 } });
    const config = microsoftConfigFor(emulator.baseUrl);
    engine = openEngine({ log: silentLog, dataDir: dir.path, providers: { google: null, microsoft: config } });
    const account = await engine.providers.forConnect('microsoft').connect({ openBrowser: formPostBrowser });
    accountId = account.id;
    expect(account.email).toBe(USER);
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await emulator?.stop();
    dir.remove();
  });

  it('full-syncs both calendars over the window: the index equals calendarView over it, nothing outside', async () => {
    const job = await sync('full');
    expect(job).toMatchObject({ status: 'succeeded' });
    const expected = await remote();
    expect(new Set(expected.map((e) => e.calendar)).size).toBe(2);
    expect(indexed()).toEqual(expected);
    const everything = await remote({ from: Date.UTC(2025, 0, 1), to: Date.UTC(2028, 0, 1) });
    const outside = everything.filter((e) => e.endsAt <= WINDOW.from || e.startsAt >= WINDOW.to);
    expect(outside.length).toBeGreaterThan(10);
    const ids = new Set(indexed().map((e) => e.id));
    expect(outside.filter((e) => ids.has(e.id))).toEqual([]);
    for (const e of indexed()) expect(e.endsAt > WINDOW.from && e.startsAt < WINDOW.to).toBe(true);
  });

  it('maps the Windows zone "Eastern Standard Time" and keeps 09:30 New York on Mon/Wed/Fri across 1 November', () => {
    const standups = series('Team standup').sort((a, b) => a.startsAt - b.startsAt);
    let day = DateTime.fromObject({ year: 2026, month: 9, day: 1, hour: 9, minute: 30 }, { zone: 'America/New_York' });
    const expected: number[] = [];
    while (day.toMillis() < WINDOW.to) {
      if ([1, 3, 5].includes(day.weekday)) expected.push(day.toMillis());
      day = day.plus({ days: 1 });
    }
    expect(standups.map((e) => e.startsAt)).toEqual(expected);
    expect(new Set(standups.map((e) => e.timeZone))).toEqual(new Set(['America/New_York']));
    const utc = standups.map((e) => new Date(e.startsAt).toISOString());
    expect(utc).toContain('2026-10-30T13:30:00.000Z'); // EDT, UTC-4
    expect(utc).toContain('2026-11-02T14:30:00.000Z'); // EST, UTC-5
  });

  it('keeps Thursday 16:00 Berlin across 25 October (14:00 UTC before, 15:00 UTC after)', () => {
    const berlin = series('Berlin sync').sort((a, b) => a.startsAt - b.startsAt);
    // 20 Thursdays from 1 October 2026; those up to 31 December are in the window.
    const expected = Array.from({ length: 20 }, (_, k) =>
      DateTime.fromObject({ year: 2026, month: 10, day: 1, hour: 16 }, { zone: 'Europe/Berlin' }).plus({ weeks: k }),
    )
      .map((d) => d.toMillis())
      .filter((t) => t < WINDOW.to);
    expect(berlin.map((e) => e.startsAt)).toEqual(expected);
    for (const e of berlin) expect(DateTime.fromMillis(e.startsAt, { zone: 'Europe/Berlin' }).weekday).toBe(4);
    const utc = berlin.map((e) => new Date(e.startsAt).toISOString());
    expect(utc).toContain('2026-10-22T14:00:00.000Z');
    expect(utc).toContain('2026-10-29T15:00:00.000Z');
    expect(berlin[0]?.timeZone).toBe('Europe/Berlin');
  });

  it('converges after creates, edits, deletes, moved and cancelled occurrences, cancellations and a deleted series', async () => {
    const raw = await remoteRaw();
    const masterOf = (subject: string) => raw.find((e) => e.subject === subject && e.seriesMasterId)?.seriesMasterId as string;
    const standup = masterOf('Team standup');
    const berlin = masterOf('Berlin sync');
    const piano = masterOf('Piano lesson');
    const singles = raw.filter((e) => e.type === 'singleInstance' && !e.isAllDay);
    const [edited, deleted, cancelled, movedOut, tentative] = singles;
    const family = raw.find((e) => e.subject === 'Piano lesson')?.calendar as string;

    await createEvent({
      subject: 'Quarterly review',
      start: { dateTime: '2026-11-12T15:00:00.0000000', timeZone: 'W. Europe Standard Time' },
      end: { dateTime: '2026-11-12T16:00:00.0000000', timeZone: 'W. Europe Standard Time' },
    });
    await createEvent(
      {
        subject: 'Holiday',
        isAllDay: true,
        start: { dateTime: '2026-12-24T00:00:00.0000000', timeZone: 'UTC' },
        end: { dateTime: '2026-12-27T00:00:00.0000000', timeZone: 'UTC' },
      },
      family,
    );
    await control(`/microsoft/events/${edited?.id}`, {
      method: 'PATCH',
      body: {
        user: USER,
        event: {
          subject: 'Renamed and moved',
          start: { dateTime: '2026-10-05T08:00:00.0000000', timeZone: 'Pacific Standard Time' },
          end: { dateTime: '2026-10-05T09:00:00.0000000', timeZone: 'Pacific Standard Time' },
        },
      },
    });
    await control(`/microsoft/events/${movedOut?.id}`, {
      method: 'PATCH',
      body: {
        user: USER,
        event: {
          start: { dateTime: '2027-02-10T08:00:00.0000000', timeZone: 'UTC' },
          end: { dateTime: '2027-02-10T09:00:00.0000000', timeZone: 'UTC' },
        },
      },
    });
    await control(`/microsoft/events/${deleted?.id}?user=${USER}`, { method: 'DELETE' });
    await control(`/microsoft/events/${cancelled?.id}/cancel`, { method: 'POST', body: { user: USER } });
    await control(`/microsoft/events/${tentative?.id}`, {
      method: 'PATCH',
      body: {
        user: USER,
        event: {
          showAs: 'tentative',
          location: { displayName: 'Building 92' },
          attendees: [
            { type: 'required', status: { response: 'tentativelyAccepted' }, emailAddress: { address: 'Alice@Contoso.test' } },
            { type: 'optional', status: { response: 'declined' }, emailAddress: { address: 'carol@fabrikam.test' } },
          ],
        },
      },
    });
    // Exceptions of the standup series: one occurrence moved to the afternoon, one cancelled.
    await control(`/microsoft/events/${standup}/exception`, {
      method: 'POST',
      body: {
        user: USER,
        originalStartDate: '2026-11-04',
        event: {
          subject: 'Team standup (afternoon)',
          start: { dateTime: '2026-11-04T15:00:00.0000000', timeZone: 'Eastern Standard Time' },
          end: { dateTime: '2026-11-04T15:15:00.0000000', timeZone: 'Eastern Standard Time' },
        },
      },
    });
    await control(`/microsoft/events/${standup}/exception`, {
      method: 'POST',
      body: { user: USER, originalStartDate: '2026-11-06', cancel: true },
    });
    // The Berlin series moves to Fridays 09:00: every Thursday occurrence goes, Friday ones come.
    await control(`/microsoft/events/${berlin}`, {
      method: 'PATCH',
      body: {
        user: USER,
        event: {
          start: { dateTime: '2026-10-02T09:00:00.0000000', timeZone: 'Europe/Berlin' },
          end: { dateTime: '2026-10-02T10:00:00.0000000', timeZone: 'Europe/Berlin' },
          recurrence: {
            pattern: { type: 'weekly', interval: 1, daysOfWeek: ['friday'] },
            range: { type: 'numbered', startDate: '2026-10-02', numberOfOccurrences: 10 },
          },
        },
      },
    });
    // The piano lessons stop altogether.
    await control(`/microsoft/events/${piano}?user=${USER}`, { method: 'DELETE' });

    const job = await sync();
    expect(job).toMatchObject({ status: 'succeeded' });
    const after = await remote();
    expect(indexed()).toEqual(after);

    const ids = new Set(after.map((e) => e.id));
    for (const gone of [deleted?.id, cancelled?.id, movedOut?.id]) expect(ids.has(gone as string)).toBe(false);
    expect(after.filter((e) => e.seriesId === piano)).toEqual([]);
    expect(after.some((e) => e.summary === 'Quarterly review' && e.startsAt === Date.parse('2026-11-12T14:00:00Z'))).toBe(true);
    expect(after.find((e) => e.summary === 'Holiday')).toMatchObject({ allDay: true });
    expect(after.find((e) => e.id === tentative?.id)).toMatchObject({
      status: 'tentative',
      location: 'Building 92',
      attendees: [
        { email: 'alice@contoso.test', response: 'tentative' },
        { email: 'carol@fabrikam.test', response: 'declined' },
      ],
    });
    const moved = after.find((e) => e.summary === 'Team standup (afternoon)');
    expect(moved).toMatchObject({
      id: `${standup}_20261104`,
      seriesId: standup,
      startsAt: Date.parse('2026-11-04T20:00:00Z'),
      originalStartAt: Date.parse('2026-11-04T14:30:00Z'),
    });
    expect(ids.has(`${standup}_20261106`)).toBe(false);
    const fridays = series('Berlin sync').map((e) => new Date(e.startsAt).toISOString());
    expect(fridays).toHaveLength(10);
    expect(fridays).toContain('2026-10-23T07:00:00.000Z'); // 09:00 CEST
    expect(fridays).toContain('2026-10-30T08:00:00.000Z'); // 09:00 CET
  });

  it('converges through a reconciling resync when the delta tokens expire (410)', async () => {
    const [victim] = (await remoteRaw()).filter((e) => e.type === 'singleInstance');
    await control(`/microsoft/events/${victim?.id}?user=${USER}`, { method: 'DELETE' });
    await control('/microsoft/invalidate-delta', { method: 'POST', body: { user: USER } });
    await createEvent({
      subject: 'After the resync',
      start: { dateTime: '2026-12-01T10:00:00.0000000', timeZone: 'Tokyo Standard Time' },
      end: { dateTime: '2026-12-01T11:00:00.0000000', timeZone: 'Tokyo Standard Time' },
    });
    const job = await sync();
    expect(job).toMatchObject({ status: 'succeeded' });
    expect(job?.counts.eventsDeleted).toBeGreaterThanOrEqual(1);
    expect(indexed()).toEqual(await remote());
    expect(indexed().some((e) => e.id === victim?.id)).toBe(false);
    expect(indexedWithZones().find((e) => e.summary === 'After the resync')).toMatchObject({
      startsAt: Date.parse('2026-12-01T01:00:00Z'),
      timeZone: 'Asia/Tokyo',
    });

    // The deltaLinks the resync stored carry on: a later change arrives incrementally.
    const [next] = (await remoteRaw()).filter((e) => e.type === 'singleInstance');
    await control(`/microsoft/events/${next?.id}`, { method: 'PATCH', body: { user: USER, event: { subject: 'Late rename' } } });
    expect(await sync()).toMatchObject({ status: 'succeeded' });
    expect(indexed()).toEqual(await remote());
    expect(indexed().find((e) => e.id === next?.id)?.summary).toBe('Late rename');
  });

  it('moves the default window on with the clock: once it has moved a day, the new window is listed and reconciled', async () => {
    expect(await sync('full-default')).toMatchObject({ status: 'succeeded' });
    const windows = () =>
      (
        engine.db
          .prepare("SELECT cursor FROM sync_cursors WHERE account_id = ? AND kind = 'graph.calendarView.window'")
          .pluck()
          .all(accountId) as string[]
      ).map((cursor) => {
        const [from, to, kind] = cursor.split('/');
        return { from: Number(from), to: Number(to), kind };
      });
    const [first] = windows();
    expect(windows()).toHaveLength(2);
    expect(first?.kind).toBe('sliding');
    expect(indexed()).toEqual(await remote(first));

    // As if that sync had run three days ago, then an event lands where only today's window reaches.
    const day = 86_400_000;
    engine.db
      .prepare("UPDATE sync_cursors SET cursor = ? WHERE account_id = ? AND kind = 'graph.calendarView.window'")
      .run(`${(first?.from ?? 0) - 3 * day}/${(first?.to ?? 0) - 3 * day}/sliding`, accountId);
    const wallClock = (t: number) => new Date(t).toISOString().slice(0, 19);
    const late = (first?.to ?? 0) - day;
    await createEvent({
      subject: 'Just in range',
      start: { dateTime: wallClock(late), timeZone: 'UTC' },
      end: { dateTime: wallClock(late + 3_600_000), timeZone: 'UTC' },
    });

    expect(await sync()).toMatchObject({ status: 'succeeded' });
    const [now] = windows();
    expect(now?.to).toBeGreaterThanOrEqual(first?.to ?? 0);
    expect(indexed()).toEqual(await remote(now));
    expect(indexed().some((e) => e.summary === 'Just in range')).toBe(true);
  });

  it('follows /me/calendars: a new calendar is synced in full, a deleted one leaves with its events', async () => {
    const { id: club } = (await control('/microsoft/calendars', {
      method: 'POST',
      body: { user: USER, name: 'Book club' },
    })) as { id: string };
    // Six Tuesdays 19:00 London time ("GMT Standard Time") across a change of London's clocks, inside
    // the sliding window around the emulator's today.
    const clubStart = londonTuesdaysAcrossClockChange(Number((await control('/clock')).now));

    await createEvent(
      {
        subject: 'Book club',
        start: { dateTime: graphLocal(clubStart), timeZone: 'GMT Standard Time' },
        end: { dateTime: graphLocal(clubStart.plus({ hours: 2 })), timeZone: 'GMT Standard Time' },
        recurrence: {
          pattern: { type: 'weekly', interval: 1, daysOfWeek: ['tuesday'] },
          range: { type: 'numbered', startDate: clubStart.toISODate(), numberOfOccurrences: 6 },
        },
      },
      club,
    );
    // The family calendar, holding an event inside today's window, indexed before it goes.
    const family = engine.db
      .prepare("SELECT remote_id FROM calendars WHERE account_id = ? AND name = 'Family'")
      .pluck()
      .get(accountId) as string;
    expect(family).toBeTruthy();
    const soon = clubStart.plus({ weeks: 1 }).set({ hour: 8 });
    await createEvent(
      {
        subject: 'School play',
        start: { dateTime: graphLocal(soon), timeZone: 'GMT Standard Time' },
        end: { dateTime: graphLocal(soon.plus({ hours: 1 })), timeZone: 'GMT Standard Time' },
      },
      family,
    );
    expect(await sync()).toMatchObject({ status: 'succeeded' });
    expect(indexed().some((e) => e.calendar === family && e.summary === 'School play')).toBe(true);
    await control(`/microsoft/calendars/${encodeURIComponent(family)}?user=${USER}`, { method: 'DELETE' });

    expect(await sync()).toMatchObject({ status: 'succeeded' });
    expect(indexed()).toEqual(await remote(storedWindow()));
    expect(indexed().some((e) => e.calendar === family)).toBe(false);
    const book = indexedWithZones()
      .filter((e) => e.summary === 'Book club')
      .sort((a, b) => a.startsAt - b.startsAt);
    expect(new Set(book.map((e) => e.timeZone))).toEqual(new Set(['Europe/London']));
    expect(book.map((e) => e.startsAt)).toEqual(Array.from({ length: 6 }, (_, k) => clubStart.plus({ weeks: k }).toMillis()));
    // 19:00 GMT is 19:00 UTC, 19:00 BST 18:00 UTC: four before the change, two after.
    const [before, after] = clubStart.offset === 0 ? [19, 18] : [18, 19];
    expect(utcHours(book.map((e) => e.startsAt))).toEqual([before, before, before, before, after, after]);
  });

  it('rides out 429 with Retry-After and 5xx answers and still converges', async () => {
    // A single event inside the window the sync now follows (the sliding one around today).
    const [single] = (await remoteRaw(storedWindow())).filter((e) => e.type === 'singleInstance');
    expect(single).toBeDefined();
    await control(`/microsoft/events/${single?.id}`, {
      method: 'PATCH',
      body: { user: USER, event: { subject: 'Through the storm' } },
    });
    await control('/faults', {
      method: 'POST',
      body: {
        seed: 11,
        faults: [
          { endpoint: 'graph.calendarView.delta', kind: 'rateLimit', count: 2, retryAfter: 1 },
          { endpoint: 'graph.calendarView.delta', kind: 'status', status: 503, count: 2 },
          { endpoint: 'graph.calendars.list', kind: 'status', status: 504, count: 1 },
        ],
      },
    });
    const job = await sync();
    expect(job).toMatchObject({ status: 'succeeded' });
    expect(((await control('/faults')) as { faults: unknown[] }).faults).toEqual([]);
    expect(indexed()).toEqual(await remote(storedWindow()));
    expect(indexed().some((e) => e.summary === 'Through the storm')).toBe(true);
  }, 60_000);
});
