import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index.ts';
import { CALENDAR, calendarFor, control, failure, signIn, start } from './harness.ts';

describe('Google Calendar v3', () => {
  let emu: RunningEmulator;
  let cal: ReturnType<typeof calendarFor>;
  beforeAll(async () => {
    emu = await start({ seed: { kind: 'empty' } });
    cal = calendarFor(emu, await signIn(emu, [CALENDAR]));
  });
  afterAll(() => emu.stop());

  it('calendarList lists the primary and secondary calendars with zones', async () => {
    const { data } = await cal.calendarList.list();
    expect(data.items?.map((c) => c.id)).toContain('alice@gmail.test');
    expect(data.items?.find((c) => c.primary)?.timeZone).toBe('America/New_York');
    expect(data.items?.length).toBe(4);
  });

  it('events.list pages and expands recurring series across DST in wall-clock time', async () => {
    const year = new Date().getFullYear();
    let pageToken: string | undefined;
    let count = 0;
    let syncToken: string | undefined;
    do {
      const { data } = await cal.events.list({ calendarId: 'primary', maxResults: 50, pageToken });
      count += data.items?.length ?? 0;
      pageToken = data.nextPageToken ?? undefined;
      syncToken = data.nextSyncToken ?? undefined;
      if (pageToken) expect(data.nextSyncToken).toBeUndefined();
    } while (pageToken);
    expect(count).toBeGreaterThan(100);
    expect(syncToken).toBeTruthy();

    const { data } = await cal.events.list({
      calendarId: 'primary',
      singleEvents: true,
      orderBy: 'startTime',
      timeMin: `${year}-02-01T00:00:00Z`,
      timeMax: `${year}-05-01T00:00:00Z`,
      q: undefined,
    });
    const series = (data.items ?? []).filter((e) => e.summary === 'Weekly sync (New York)');
    expect(series.length).toBeGreaterThan(8);
    const localHours = series
      .filter((e) => !e.originalStartTime || e.start?.dateTime === e.originalStartTime.dateTime)
      .map((e) => e.start?.dateTime?.slice(11, 16));
    expect(new Set(localHours)).toEqual(new Set(['09:00']));
    const offsets = new Set(series.map((e) => e.start?.dateTime?.slice(19)));
    expect(offsets).toEqual(new Set(['-05:00', '-04:00']));
    expect(series.some((e) => e.start?.dateTime?.slice(11, 16) === '11:00' && e.recurringEventId)).toBe(true);
    expect(series.every((e) => e.recurringEventId && e.id?.startsWith(`${e.recurringEventId}_`))).toBe(true);
    const starts = (data.items ?? []).map((e) => Date.parse(e.start?.dateTime ?? `${e.start?.date}T00:00:00`));
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
  });

  it('insert/get/patch/delete, with syncToken returning only changes and 410 when expired', async () => {
    const first = await cal.events.list({ calendarId: 'primary', maxResults: 2500 });
    const token = first.data.nextSyncToken ?? '';
    const created = await cal.events.insert({
      calendarId: 'primary',
      requestBody: {
        summary: 'Review',
        start: { dateTime: '2030-01-10T10:00:00-05:00', timeZone: 'America/New_York' },
        end: { dateTime: '2030-01-10T11:00:00-05:00', timeZone: 'America/New_York' },
        attendees: [{ email: 'bob@example.com' }],
      },
    });
    expect(created.data.attendees?.[0]?.responseStatus).toBe('needsAction');
    const allDay = await cal.events.insert({
      calendarId: 'primary',
      requestBody: { summary: 'Off', start: { date: '2030-02-01' }, end: { date: '2030-02-02' } },
    });
    expect(allDay.data.start).toEqual({ date: '2030-02-01' });
    await cal.events.patch({ calendarId: 'primary', eventId: created.data.id ?? '', requestBody: { summary: 'Review (moved)' } });
    expect((await cal.events.get({ calendarId: 'primary', eventId: created.data.id ?? '' })).data.summary).toBe('Review (moved)');
    await cal.events.delete({ calendarId: 'primary', eventId: allDay.data.id ?? '' });
    const changes = await cal.events.list({ calendarId: 'primary', syncToken: token });
    expect(changes.data.items?.map((e) => [e.id, e.status])).toEqual([
      [created.data.id, 'confirmed'],
      [allDay.data.id, 'cancelled'],
    ]);
    const next = changes.data.nextSyncToken ?? '';
    expect((await cal.events.list({ calendarId: 'primary', syncToken: next })).data.items).toEqual([]);
    expect(
      (await failure(cal.events.list({ calendarId: 'primary', syncToken: next, timeMin: '2030-01-01T00:00:00Z' }))).status,
    ).toBe(400);
    await control(emu, 'POST', '/google/users/alice@gmail.test/calendars/primary/sync/expire');
    const gone = await failure(cal.events.list({ calendarId: 'primary', syncToken: next }));
    expect(gone.status).toBe(410);
    expect(gone.error.errors[0].reason).toBe('fullSyncRequired');
    expect((await failure(cal.events.list({ calendarId: 'primary', syncToken: 'garbage' }))).status).toBe(410);
  });

  it('control can cancel a recurring instance; sync sees the exception', async () => {
    const year = new Date().getFullYear();
    const { data } = await cal.events.list({
      calendarId: 'primary',
      singleEvents: true,
      timeMin: `${year}-06-01T00:00:00Z`,
      timeMax: `${year}-07-15T00:00:00Z`,
    });
    const token = (await cal.events.list({ calendarId: 'primary', maxResults: 2500 })).data.nextSyncToken ?? '';
    const birthday = (data.items ?? []).find((e) => e.summary === 'Birthday');
    expect(birthday?.start?.date).toBe(`${year}-06-15`);
    await control(emu, 'DELETE', `/google/users/alice@gmail.test/calendars/primary/events/${birthday?.id}`);
    const changes = await cal.events.list({ calendarId: 'primary', syncToken: token });
    expect(changes.data.items?.[0]).toMatchObject({
      id: birthday?.id,
      status: 'cancelled',
      recurringEventId: birthday?.recurringEventId,
    });
    const after = await cal.events.list({
      calendarId: 'primary',
      singleEvents: true,
      timeMin: `${year}-06-01T00:00:00Z`,
      timeMax: `${year}-07-15T00:00:00Z`,
    });
    expect(after.data.items?.some((e) => e.summary === 'Birthday')).toBe(false);
  });

  it('bad input: unknown calendar/event 404, orderBy startTime without singleEvents 400, end before start 400', async () => {
    expect((await failure(cal.events.list({ calendarId: 'nope@example.com' }))).status).toBe(404);
    expect((await failure(cal.events.get({ calendarId: 'primary', eventId: 'nope' }))).status).toBe(404);
    expect((await failure(cal.events.list({ calendarId: 'primary', orderBy: 'startTime' }))).status).toBe(400);
    const bad = await failure(
      cal.events.insert({
        calendarId: 'primary',
        requestBody: { start: { dateTime: '2030-01-10T10:00:00Z' }, end: { dateTime: '2030-01-10T09:00:00Z' } },
      }),
    );
    expect(bad.status).toBe(400);
  });
});
