/**
 * Outpost's Google Calendar sync with the RRULE kinds real calendars hold (monthly last Friday, the last day
 * of the month, BYSETPOS, yearly BYMONTH with an ordinal BYDAY) across DST changes, then after a series is
 * cut short, an instance is updated (PUT) and a series moves to another calendar: the index equals the
 * emulator's expansion every time. Every date derives from the emulator's clock (its year, Y).
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../main/core/engine.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { runs, utcHours } from '../support/calendarDates.ts';
import { indexedInstances, remoteGoogleInstances, runCalendarSync } from '../support/calendarSnapshots.ts';
import { emulatorControl, openGoogleEngine } from '../support/emulatorAccounts.ts';
import { makeTempDir } from '../support/tempDir.ts';

const USER = 'alice@gmail.test';
const WORK = 'work.alice@group.calendar.google.com';
const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';

/** The last Friday of a month in a zone, counted back from its last day. */
const lastFriday = (year: number, month: number, zone: string) => {
  let d = DateTime.fromObject({ year, month, day: 1 }, { zone }).endOf('month').startOf('day');
  while (d.weekday !== 5) d = d.minus({ days: 1 });
  return d;
};
const iso = (d: DateTime) => d.toISO({ suppressMilliseconds: true }) as string;

describe('Google Calendar sync with monthly BYDAY ordinals, BYMONTHDAY=-1, BYSETPOS and yearly BYMONTH', () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let engine: Engine;
  let accountId: string;
  let Y: number;
  let WINDOW: { from: number; to: number };
  const control = (path: string, init?: { method?: string; body?: unknown }) => emulatorControl(emulator)(path, init);
  const events = (calendarId: string) => `/google/users/${USER}/calendars/${encodeURIComponent(calendarId)}/events`;
  const remote = () => remoteGoogleInstances(control, USER, WINDOW);
  const indexed = () => indexedInstances(engine.db, accountId);
  const sync = (mode: 'full' | 'incremental') => runCalendarSync(engine, accountId, mode, WINDOW);
  const series = (calendarId: string, id: string, summary: string, start: DateTime, minutes: number, rule: string) =>
    control(events(calendarId), {
      method: 'POST',
      body: {
        id,
        summary,
        start: { dateTime: iso(start), timeZone: start.zoneName },
        end: { dateTime: iso(start.plus({ minutes })), timeZone: start.zoneName },
        recurrence: [`RRULE:${rule}`],
      },
    });
  const startsOf = (seriesId: string) =>
    indexed()
      .filter((e) => e.seriesId === seriesId)
      .map((e) => e.startsAt)
      .sort((a, b) => a - b);

  beforeAll(async () => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: 20 },
      serviceOptions: { google: { quotaEnabled: false } },
    });
    ({ engine, accountId } = await openGoogleEngine(dir.path, emulator));
    Y = DateTime.fromMillis(Number((await control('/clock')).now), { zone: 'utc' }).year;
    WINDOW = { from: Date.UTC(Y, 0, 1), to: Date.UTC(Y + 1, 0, 1) };
    await series(
      WORK,
      'lastfriday01',
      'Month-end review',
      lastFriday(Y, 1, BERLIN).set({ hour: 15 }),
      60,
      'FREQ=MONTHLY;BYDAY=-1FR',
    );
    const jan31 = DateTime.fromObject({ year: Y, month: 1, day: 31, hour: 18 }, { zone: NEW_YORK });
    await series(USER, 'lastday00001', 'Rent due', jan31, 30, 'FREQ=MONTHLY;BYMONTHDAY=-1');
    const jan1 = DateTime.fromObject({ year: Y, month: 1, day: 1, hour: 17 }, { zone: BERLIN });
    await series(WORK, 'lastweekday1', 'Timesheets', jan1, 15, 'FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1');
    const firstSunday = DateTime.fromObject({ year: Y, month: 1, day: 1, hour: 10 }, { zone: NEW_YORK });
    await series(USER, 'clocksunday1', 'Check the clocks', firstSunday, 30, 'FREQ=YEARLY;BYMONTH=3,11;BYDAY=2SU,1SU');
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await emulator?.stop();
    dir.remove();
  });

  it('a full sync stores every instance as the emulator expands it, wall-clock times kept across DST', async () => {
    expect(await sync('full')).toMatchObject({ status: 'succeeded' });
    const expected = await remote();
    expect(indexed()).toEqual(expected);

    // Last Fridays at 15:00 Berlin: 14:00 UTC in winter, 13:00 in summer time, 14:00 again.
    const fridays = Array.from({ length: 12 }, (_, m) =>
      lastFriday(Y, m + 1, BERLIN)
        .set({ hour: 15 })
        .toMillis(),
    );
    expect(startsOf('lastfriday01')).toEqual(fridays);
    expect(runs(utcHours(fridays))).toEqual([14, 13, 14]);
    // The last day of every month at 18:00 New York (23:00 UTC, 22:00 in summer time).
    const lastDays = Array.from({ length: 12 }, (_, m) =>
      DateTime.fromObject({ year: Y, month: m + 1, day: 1, hour: 18 }, { zone: NEW_YORK })
        .endOf('month')
        .set({
          hour: 18,
          minute: 0,
          second: 0,
          millisecond: 0,
        }),
    );
    expect(startsOf('lastday00001')).toEqual(lastDays.map((d) => d.toMillis()));
    expect(runs(utcHours(startsOf('lastday00001')))).toEqual([23, 22, 23]);
    // The last weekday of each month: never a Saturday or Sunday, always the month's last such day.
    for (const start of startsOf('lastweekday1')) {
      const d = DateTime.fromMillis(start, { zone: BERLIN });
      expect(d.weekday).toBeLessThanOrEqual(5);
      expect(d.hour).toBe(17);
      const rest = Array.from({ length: d.daysInMonth! - d.day }, (_, k) => d.plus({ days: k + 1 }).weekday);
      expect(rest.every((w) => w >= 6)).toBe(true);
    }
    expect(startsOf('lastweekday1')).toHaveLength(12);
    // Yearly in March and November on the first and second Sunday: four Sundays, each at 10:00 New York.
    const sundays = startsOf('clocksunday1').map((t) => DateTime.fromMillis(t, { zone: NEW_YORK }));
    expect(sundays.map((d) => [d.month, d.weekday, Math.ceil(d.day / 7), d.hour])).toEqual([
      [3, 7, 1, 10],
      [3, 7, 2, 10],
      [11, 7, 1, 10],
      [11, 7, 2, 10],
    ]);
  });

  it('converges after a series is cut short, an instance is replaced (PUT) and a series moves calendars', async () => {
    // Cut the last-Friday series to six: July to December's instances are gone.
    await control(`${events(WORK)}/lastfriday01`, {
      method: 'PATCH',
      body: { recurrence: ['RRULE:FREQ=MONTHLY;BYDAY=-1FR;COUNT=6'] },
    });
    // Replace one Rent instance whole through events.update, and move the Timesheets series to the primary calendar.
    const { access_token: token } = (await control('/google/tokens', {
      method: 'POST',
      body: { email: USER, scopes: ['https://www.googleapis.com/auth/calendar'] },
    })) as { access_token: string };
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${emulator.baseUrl}/calendar/v3/calendars/${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const february = indexed().find(
      (e) => e.seriesId === 'lastday00001' && DateTime.fromMillis(e.startsAt, { zone: NEW_YORK }).month === 2,
    );
    const noon = DateTime.fromMillis(february?.startsAt ?? 0, { zone: NEW_YORK }).set({ hour: 12 });
    const put = await api('PUT', `${encodeURIComponent(USER)}/events/${february?.id}`, {
      summary: 'Rent due (paid early)',
      start: { dateTime: iso(noon), timeZone: NEW_YORK },
      end: { dateTime: iso(noon.plus({ minutes: 30 })), timeZone: NEW_YORK },
    });
    expect(put.status).toBe(200);
    const moved = await api(
      'POST',
      `${encodeURIComponent(WORK)}/events/lastweekday1/move?destination=${encodeURIComponent(USER)}`,
    );
    expect(moved.status).toBe(200);

    expect(await sync('incremental')).toMatchObject({ status: 'succeeded' });
    expect(indexed()).toEqual(await remote());
    expect(startsOf('lastfriday01')).toHaveLength(6);
    expect(indexed().find((e) => e.id === february?.id)).toMatchObject({
      startsAt: noon.toMillis(),
      originalStartAt: february?.startsAt,
      summary: 'Rent due (paid early)',
    });
    const timesheets = indexed().filter((e) => e.seriesId === 'lastweekday1');
    expect(new Set(timesheets.map((e) => e.calendar))).toEqual(new Set([USER]));
    expect(timesheets).toHaveLength(12);
  });

  it("rides out Calendar's rate answers and stops on its usage limits (403 quotaExceeded) without asking again", async () => {
    const refusal = async () =>
      ((await control('/google/quota', { method: 'POST', body: {} })) as { calendar: { remaining: number } | null }).calendar;
    // Two refusals of each rate answer, then Google answers again: the sync retries and converges.
    for (const [status, reason] of [
      [403, 'userRateLimitExceeded'],
      [403, 'rateLimitExceeded'],
      [429, 'rateLimitExceeded'],
    ] as const) {
      await control(events(USER), {
        method: 'POST',
        body: {
          id: `after${reason.slice(0, 4).toLowerCase()}${status}`,
          summary: `After ${status} ${reason}`,
          start: { dateTime: new Date(WINDOW.from + 40 * 86_400_000).toISOString() },
          end: { dateTime: new Date(WINDOW.from + 40 * 86_400_000 + 3_600_000).toISOString() },
        },
      });
      await control('/google/quota', { method: 'POST', body: { calendar: { status, reason, times: 2 } } });
      expect(await sync('incremental')).toMatchObject({ status: 'succeeded' });
      expect(await refusal()).toBeNull(); // both refusals were answered
      expect(indexed()).toEqual(await remote());
    }
    // Usage limits: the job fails at once as quota_exceeded, after one request (no retry).
    await control('/google/quota', { method: 'POST', body: { calendar: { status: 403, reason: 'quotaExceeded', times: 5 } } });
    const stopped = await sync('incremental');
    expect(stopped).toMatchObject({ status: 'failed', error: { code: 'quota_exceeded' } });
    expect(JSON.stringify(stopped?.error)).toMatch(/usage limits/);
    expect((await refusal())?.remaining).toBe(4);
    await control('/google/quota', { method: 'POST', body: { calendar: null } });
    expect(await sync('incremental')).toMatchObject({ status: 'succeeded' });
    expect(indexed()).toEqual(await remote());
  });
});
