/**
 * Contract: Calendar v3 events.update, events.instances and events.move through @googleapis/calendar, their
 * error answers, sync-token rounds after them, and Calendar's rate and usage-limit answers from the quota control.
 * Dates derive from the emulator's clock (the series run next year), never from a year written here.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index.ts';
import { type AnyJson, CALENDAR, calendarFor, control, failure, signIn, start } from './harness.ts';

const WORK = 'work.alice@group.calendar.google.com';
const HOLIDAYS = 'en.usa#holiday@group.v.calendar.google.com';
const BERLIN = 'Europe/Berlin';

/** The last Friday of a month, counted back from its last day (independent of the emulator's rule code). */
const lastFriday = (year: number, month: number) => {
  let d = DateTime.fromObject({ year, month, day: 1 }, { zone: BERLIN }).endOf('month').startOf('day');
  while (d.weekday !== 5) d = d.minus({ days: 1 });
  return d;
};

describe('Google Calendar v3: events.update, instances, move', () => {
  let emu: RunningEmulator;
  let cal: ReturnType<typeof calendarFor>;
  let token: string;
  let year: number;
  beforeAll(async () => {
    emu = await start({ seed: { kind: 'empty' } });
    const auth = await signIn(emu, [CALENDAR]);
    token = auth.credentials.access_token ?? '';
    cal = calendarFor(emu, auth);
    year = DateTime.fromMillis(Number((await control(emu, 'GET', '/clock')).now), { zone: 'utc' }).year + 1;
  });
  afterAll(() => emu.stop());

  const syncToken = async (calendarId: string) => {
    let pageToken: string | undefined;
    for (;;) {
      const { data } = await cal.events.list({ calendarId, maxResults: 2500, pageToken });
      if (data.nextSyncToken) return data.nextSyncToken;
      pageToken = data.nextPageToken ?? undefined;
    }
  };
  const changes = async (calendarId: string, token: string) =>
    ((await cal.events.list({ calendarId, syncToken: token, singleEvents: true })).data.items ?? []).map((e) => ({
      id: e.id,
      status: e.status,
    }));
  const at = (month: number, day: number, hour: number, zone = BERLIN) =>
    DateTime.fromObject({ year, month, day, hour }, { zone }).toISO({ suppressMilliseconds: true }) as string;
  /** A monthly "last Friday, 15:00 Berlin" series of six, January to June of next year (crossing March's change). */
  const lastFridays = async (summary: string) =>
    (
      await cal.events.insert({
        calendarId: 'primary',
        requestBody: {
          summary,
          start: { dateTime: lastFriday(year, 1).set({ hour: 15 }).toISO() ?? '', timeZone: BERLIN },
          end: { dateTime: lastFriday(year, 1).set({ hour: 16 }).toISO() ?? '', timeZone: BERLIN },
          recurrence: ['RRULE:FREQ=MONTHLY;BYDAY=-1FR;COUNT=6'],
        },
      })
    ).data;

  describe('events.update (PUT)', () => {
    it('replaces the event whole: fields not sent are cleared, sequence goes up, a sync round reports it', async () => {
      const { data: made } = await cal.events.insert({
        calendarId: 'primary',
        requestBody: {
          summary: 'Planning',
          description: 'Agenda in the doc',
          location: 'Room 4',
          attendees: [{ email: 'bob@example.com' }],
          start: { dateTime: at(2, 3, 10), timeZone: BERLIN },
          end: { dateTime: at(2, 3, 11), timeZone: BERLIN },
        },
      });
      const before = await syncToken('primary');
      const { data: put } = await cal.events.update({
        calendarId: 'primary',
        eventId: made.id ?? '',
        sendUpdates: 'all',
        conferenceDataVersion: 1,
        requestBody: {
          summary: 'Planning (moved)',
          start: { dateTime: at(2, 4, 9), timeZone: BERLIN },
          end: { dateTime: at(2, 4, 10), timeZone: BERLIN },
        },
      });
      expect(put).toMatchObject({ id: made.id, summary: 'Planning (moved)', sequence: (made.sequence ?? 0) + 1 });
      expect(put.start?.dateTime).toBe(at(2, 4, 9));
      for (const cleared of ['description', 'location', 'attendees'] as const) expect(put[cleared]).toBeUndefined();
      expect(put.created).toBe(made.created);
      expect(put.iCalUID).toBe(made.iCalUID);
      const { data: got } = await cal.events.get({ calendarId: 'primary', eventId: made.id ?? '' });
      expect(got).toEqual(put);
      expect(await changes('primary', before)).toEqual([{ id: made.id, status: 'confirmed' }]);
    });

    it('refuses bad input and leaves the event as it was', async () => {
      const { data: made } = await cal.events.insert({
        calendarId: 'primary',
        requestBody: { summary: 'Keep', start: { date: `${year}-03-01` }, end: { date: `${year}-03-02` } },
      });
      const eventId = made.id ?? '';
      const noEnd = await failure(
        cal.events.update({ calendarId: 'primary', eventId, requestBody: { summary: 'x', start: { date: `${year}-03-01` } } }),
      );
      expect(noEnd.status).toBe(400);
      expect(noEnd.error.errors[0]).toMatchObject({ reason: 'required', message: 'Missing end time.' });
      const noStart = await failure(
        cal.events.update({ calendarId: 'primary', eventId, requestBody: { summary: 'x', end: { date: `${year}-03-02` } } }),
      );
      expect(noStart.error.errors[0]).toMatchObject({ reason: 'required', message: 'Missing start time.' });
      const backwards = await failure(
        cal.events.update({
          calendarId: 'primary',
          eventId,
          requestBody: { start: { dateTime: at(3, 1, 10) }, end: { dateTime: at(3, 1, 9) } },
        }),
      );
      expect(backwards.error.errors[0].reason).toBe('timeRangeEmpty');
      const badRule = await failure(
        cal.events.update({
          calendarId: 'primary',
          eventId,
          requestBody: { start: made.start, end: made.end, recurrence: ['RRULE:FREQ=SECONDLY'] },
        }),
      );
      expect(badRule.status).toBe(400);
      expect(badRule.error.errors[0]).toMatchObject({ reason: 'invalid', message: 'Invalid recurrence rule.' });
      const oldSequence = await failure(
        cal.events.update({
          calendarId: 'primary',
          eventId,
          requestBody: { start: made.start, end: made.end, sequence: -1 },
        }),
      );
      expect(oldSequence.status).toBe(400);
      expect((await cal.events.get({ calendarId: 'primary', eventId })).data).toEqual(made);
      expect(
        (await failure(cal.events.update({ calendarId: 'primary', eventId: 'nosuchevent', requestBody: made }))).status,
      ).toBe(404);
      const readOnly = await failure(cal.events.update({ calendarId: HOLIDAYS, eventId, requestBody: made }));
      expect(readOnly.status).toBe(403);
      expect(readOnly.error.errors[0].reason).toBe('requiredAccessLevel');
    });

    it('updating an instance id makes an exception; the series and its other instances stay', async () => {
      const series = await lastFridays('Review (update)');
      const { data: listed } = await cal.events.instances({ calendarId: 'primary', eventId: series.id ?? '' });
      const third = listed.items?.[2];
      const before = await syncToken('primary');
      const { data: put } = await cal.events.update({
        calendarId: 'primary',
        eventId: third?.id ?? '',
        requestBody: {
          summary: 'Review (longer)',
          start: third?.start,
          end: { dateTime: lastFriday(year, 3).set({ hour: 17 }).toISO() ?? '', timeZone: BERLIN },
        },
      });
      expect(put).toMatchObject({
        id: third?.id,
        recurringEventId: series.id,
        originalStartTime: third?.originalStartTime,
        summary: 'Review (longer)',
      });
      expect(put.recurrence).toBeUndefined();
      const { data: after } = await cal.events.instances({ calendarId: 'primary', eventId: series.id ?? '' });
      expect(after.items?.map((e) => e.summary)).toEqual([
        'Review (update)',
        'Review (update)',
        'Review (longer)',
        'Review (update)',
        'Review (update)',
        'Review (update)',
      ]);
      expect(await changes('primary', before)).toEqual([{ id: third?.id, status: 'confirmed' }]);
      expect((await cal.events.get({ calendarId: 'primary', eventId: series.id ?? '' })).data.summary).toBe('Review (update)');
    });
    it('updating a series to a shorter rule reports the instances it drops as cancelled in the next sync round', async () => {
      const series = await lastFridays('Retro');
      const { data: listed } = await cal.events.instances({ calendarId: 'primary', eventId: series.id ?? '' });
      const before = await syncToken('primary');
      await cal.events.update({
        calendarId: 'primary',
        eventId: series.id ?? '',
        requestBody: {
          summary: 'Retro',
          start: series.start,
          end: series.end,
          recurrence: ['RRULE:FREQ=MONTHLY;BYDAY=-1FR;COUNT=3'],
        },
      });
      const round = await changes('primary', before);
      const ids = (listed.items ?? []).map((e) => e.id);
      expect(round.filter((e) => e.status === 'confirmed').map((e) => e.id)).toEqual(ids.slice(0, 3));
      expect(round.filter((e) => e.status === 'cancelled').map((e) => e.id)).toEqual(ids.slice(3));
    });
  });

  describe('conferenceData (Google Meet)', () => {
    it('a createRequest with conferenceDataVersion=1 makes a Meet conference at once; without it the body’s conferenceData is ignored', async () => {
      const times = { start: { dateTime: at(3, 2, 10), timeZone: BERLIN }, end: { dateTime: at(3, 2, 11), timeZone: BERLIN } };
      const createRequest = { requestId: 'req-1', conferenceSolutionKey: { type: 'hangoutsMeet' } };
      const { data: made } = await cal.events.insert({
        calendarId: 'primary',
        conferenceDataVersion: 1,
        requestBody: { summary: 'With Meet', ...times, conferenceData: { createRequest } },
      });
      expect(made.hangoutLink).toMatch(/^https:\/\/meet\.google\.com\/[a-z]{3}-[a-z]{4}-[a-z]{3}$/);
      expect(made.conferenceData).toMatchObject({
        createRequest: { requestId: 'req-1', status: { statusCode: 'success' } },
        conferenceSolution: { key: { type: 'hangoutsMeet' } },
        entryPoints: [{ entryPointType: 'video', uri: made.hangoutLink }],
      });
      const { data: ignored } = await cal.events.insert({
        calendarId: 'primary',
        requestBody: { summary: 'Without version', ...times, conferenceData: { createRequest } },
      });
      expect(ignored.conferenceData).toBeUndefined();
      expect(ignored.hangoutLink).toBeUndefined();
      // A Meet added to an existing event by patch; another solution type is refused.
      const { data: patched } = await cal.events.patch({
        calendarId: 'primary',
        eventId: ignored.id ?? '',
        conferenceDataVersion: 1,
        requestBody: { conferenceData: { createRequest: { ...createRequest, requestId: 'req-2' } } },
      });
      expect(patched.hangoutLink).toMatch(/^https:\/\/meet\.google\.com\//);
      const refused = await failure(
        cal.events.insert({
          calendarId: 'primary',
          conferenceDataVersion: 1,
          requestBody: {
            ...times,
            conferenceData: { createRequest: { requestId: 'r', conferenceSolutionKey: { type: 'eventNamedHangout' } } },
          },
        }),
      );
      expect(refused.status).toBe(400);
    });
  });

  describe('events.instances', () => {
    it("expands a monthly last-Friday series at 15:00 Berlin across March's change, with the reference's parameters", async () => {
      const series = await lastFridays('Month end');
      const eventId = series.id ?? '';
      const { data } = await cal.events.instances({ calendarId: 'primary', eventId });
      expect(data.kind).toBe('calendar#events');
      expect(data.nextSyncToken).toBeUndefined();
      const expected = [1, 2, 3, 4, 5, 6].map((m) => lastFriday(year, m).set({ hour: 15 }));
      expect(data.items?.map((e) => Date.parse(e.start?.dateTime ?? ''))).toEqual(expected.map((d) => d.toMillis()));
      expect(new Set(data.items?.map((e) => e.start?.dateTime?.slice(11, 16)))).toEqual(new Set(['15:00']));
      expect(new Set(data.items?.map((e) => e.start?.dateTime?.slice(19)))).toEqual(new Set(['+01:00', '+02:00']));
      for (const e of data.items ?? []) {
        expect(e).toMatchObject({ recurringEventId: eventId, originalStartTime: e.start });
        expect(e.id).toBe(
          `${eventId}_${DateTime.fromISO(e.start?.dateTime ?? '')
            .toUTC()
            .toFormat("yyyyMMdd'T'HHmmss'Z'")}`,
        );
      }

      // timeMin/timeMax: instances overlapping the window (Feb to April).
      const windowed = await cal.events.instances({
        calendarId: 'primary',
        eventId,
        timeMin: lastFriday(year, 2).toISO() ?? '',
        timeMax: lastFriday(year, 4).set({ hour: 15, minute: 30 }).toISO() ?? '',
      });
      expect(windowed.data.items?.map((e) => e.id)).toEqual(data.items?.slice(1, 4).map((e) => e.id));

      // maxResults and pageToken.
      const paged: string[] = [];
      let pageToken: string | undefined;
      do {
        const page = await cal.events.instances({ calendarId: 'primary', eventId, maxResults: 4, pageToken });
        expect(page.data.items?.length).toBeLessThanOrEqual(4);
        paged.push(...(page.data.items ?? []).map((e) => e.id ?? ''));
        pageToken = page.data.nextPageToken ?? undefined;
      } while (pageToken);
      expect(paged).toEqual(data.items?.map((e) => e.id));

      // originalStart picks one instance.
      const fourth = data.items?.[3];
      const one = await cal.events.instances({ calendarId: 'primary', eventId, originalStart: fourth?.start?.dateTime ?? '' });
      expect(one.data.items?.map((e) => e.id)).toEqual([fourth?.id]);
      expect((await failure(cal.events.instances({ calendarId: 'primary', eventId, originalStart: 'soon' }))).status).toBe(400);

      // timeZone: the same instants shown in New York's offsets, the answer's timeZone says so.
      const ny = await cal.events.instances({ calendarId: 'primary', eventId, timeZone: 'America/New_York' });
      expect(ny.data.timeZone).toBe('America/New_York');
      expect(ny.data.items?.map((e) => Date.parse(e.start?.dateTime ?? ''))).toEqual(expected.map((d) => d.toMillis()));
      expect(ny.data.items?.[0]?.start?.dateTime).toBe(
        expected[0]?.setZone('America/New_York').toISO({ suppressMilliseconds: true }),
      );

      // showDeleted: a cancelled instance shows only when asked.
      await cal.events.delete({ calendarId: 'primary', eventId: fourth?.id ?? '' });
      const live = await cal.events.instances({ calendarId: 'primary', eventId });
      expect(live.data.items?.map((e) => e.id)).not.toContain(fourth?.id);
      const all = await cal.events.instances({ calendarId: 'primary', eventId, showDeleted: true });
      expect(all.data.items?.find((e) => e.id === fourth?.id)?.status).toBe('cancelled');
    });

    it('a BYMONTHDAY=-1 series lands on the last day of each month, 28 or 29 February included', async () => {
      const { data: series } = await cal.events.insert({
        calendarId: 'primary',
        requestBody: {
          summary: 'Last day',
          start: { dateTime: at(1, 31, 18), timeZone: BERLIN },
          end: { dateTime: at(1, 31, 19), timeZone: BERLIN },
          recurrence: ['RRULE:FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=4'],
        },
      });
      const { data } = await cal.events.instances({ calendarId: 'primary', eventId: series.id ?? '' });
      const lastDays = [1, 2, 3, 4].map((m) => DateTime.fromObject({ year, month: m }, { zone: BERLIN }).daysInMonth);
      expect(data.items?.map((e) => Number(e.start?.dateTime?.slice(8, 10)))).toEqual(lastDays);
      expect(new Set(data.items?.map((e) => e.start?.dateTime?.slice(11, 16)))).toEqual(new Set(['18:00']));
    });

    it('answers 404 for a single event and an unknown id, 400 for an empty range', async () => {
      const { data: single } = await cal.events.insert({
        calendarId: 'primary',
        requestBody: { summary: 'Once', start: { date: `${year}-05-01` }, end: { date: `${year}-05-02` } },
      });
      expect((await failure(cal.events.instances({ calendarId: 'primary', eventId: single.id ?? '' }))).status).toBe(404);
      expect((await failure(cal.events.instances({ calendarId: 'primary', eventId: 'nosuchevent' }))).status).toBe(404);
      const series = await lastFridays('Range');
      const empty = await failure(
        cal.events.instances({
          calendarId: 'primary',
          eventId: series.id ?? '',
          timeMin: `${year}-03-01T00:00:00Z`,
          timeMax: `${year}-02-01T00:00:00Z`,
        }),
      );
      expect(empty.status).toBe(400);
      expect(empty.error.errors[0].reason).toBe('timeRangeEmpty');
    });
  });

  describe('events.move', () => {
    it('moves an event: it leaves the source (its sync round says cancelled) and appears in the destination', async () => {
      const { data: made } = await cal.events.insert({
        calendarId: 'primary',
        requestBody: {
          summary: 'Offsite',
          start: { dateTime: at(6, 10, 9), timeZone: BERLIN },
          end: { dateTime: at(6, 10, 17), timeZone: BERLIN },
        },
      });
      const [fromToken, toToken] = [await syncToken('primary'), await syncToken(WORK)];
      const { data: moved } = await cal.events.move({
        calendarId: 'primary',
        eventId: made.id ?? '',
        destination: WORK,
        sendUpdates: 'none',
      });
      expect(moved).toMatchObject({ id: made.id, summary: 'Offsite', organizer: { email: WORK } });
      expect(await changes('primary', fromToken)).toEqual([{ id: made.id, status: 'cancelled' }]);
      expect(await changes(WORK, toToken)).toEqual([{ id: made.id, status: 'confirmed' }]);
      expect((await cal.events.get({ calendarId: WORK, eventId: made.id ?? '' })).data.summary).toBe('Offsite');
      const { data: primary } = await cal.events.list({ calendarId: 'primary', maxResults: 2500 });
      expect(primary.items?.map((e) => e.id)).not.toContain(made.id);
    });

    it('moves a series with its exceptions; an instance cannot move (400 cannotChangeOrganizerOfInstance)', async () => {
      const series = await lastFridays('Board');
      const eventId = series.id ?? '';
      const { data: listed } = await cal.events.instances({ calendarId: 'primary', eventId });
      const second = listed.items?.[1]?.id ?? '';
      await cal.events.patch({ calendarId: 'primary', eventId: second, requestBody: { summary: 'Board (extended)' } });
      const third = listed.items?.[2]?.id ?? '';
      const refused = await failure(cal.events.move({ calendarId: 'primary', eventId: third, destination: WORK }));
      expect(refused.status).toBe(400);
      expect(refused.error.errors[0]).toMatchObject({
        reason: 'cannotChangeOrganizerOfInstance',
        message: 'Cannot change the organizer of an instance.',
      });
      expect(
        (await failure(cal.events.move({ calendarId: 'primary', eventId: second, destination: WORK }))).error.errors[0].reason,
      ).toBe('cannotChangeOrganizerOfInstance');
      const fromToken = await syncToken('primary');
      await cal.events.move({ calendarId: 'primary', eventId, destination: WORK });
      const { data: there } = await cal.events.instances({ calendarId: WORK, eventId });
      expect(there.items?.map((e) => e.summary)).toEqual(['Board', 'Board (extended)', 'Board', 'Board', 'Board', 'Board']);
      expect((await failure(cal.events.instances({ calendarId: 'primary', eventId }))).status).toBe(404);
      const gone = await changes('primary', fromToken);
      expect(gone).toContainEqual({ id: eventId, status: 'cancelled' });
      expect(gone).toContainEqual({ id: second, status: 'cancelled' });
    });

    it('answers 400 without a destination, 404 for unknown events and calendars, 403 for a read-only one', async () => {
      const { data: made } = await cal.events.insert({
        calendarId: 'primary',
        requestBody: { summary: 'Stay', start: { date: `${year}-07-01` }, end: { date: `${year}-07-02` } },
      });
      const eventId = made.id ?? '';
      // The client library refuses to send a call without its required destination, so this one goes by hand.
      const res = await fetch(`${emu.baseUrl}/calendar/v3/calendars/primary/events/${eventId}/move`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(res.status).toBe(400);
      expect(((await res.json()) as AnyJson).error.errors[0]).toMatchObject({ reason: 'required' });
      expect((await failure(cal.events.move({ calendarId: 'primary', eventId: 'nosuchevent', destination: WORK }))).status).toBe(
        404,
      );
      expect(
        (await failure(cal.events.move({ calendarId: 'primary', eventId, destination: 'nobody@group.calendar.google.com' })))
          .status,
      ).toBe(404);
      const readOnly = await failure(cal.events.move({ calendarId: 'primary', eventId, destination: HOLIDAYS }));
      expect(readOnly.status).toBe(403);
      expect(readOnly.error.errors[0].reason).toBe('requiredAccessLevel');
      expect((await cal.events.get({ calendarId: 'primary', eventId })).data.status).toBe('confirmed');
    });
  });

  describe("Calendar's rate and usage-limit answers (Handle API errors page), from the quota control", () => {
    const call = () =>
      fetch(`${emu.baseUrl}/calendar/v3/calendars/primary/events?maxResults=1`, {
        headers: { authorization: `Bearer ${token}` },
      });
    it.each([
      [403, 'userRateLimitExceeded', 'User Rate Limit Exceeded'],
      [403, 'rateLimitExceeded', 'Rate Limit Exceeded'],
      [429, 'rateLimitExceeded', 'Rate Limit Exceeded'],
      [403, 'quotaExceeded', 'Calendar usage limits exceeded.'],
    ] as const)('%i %s answers the next calls asked for, then lifts', async (status, reason, message) => {
      const set = await control(emu, 'POST', '/google/quota', { calendar: { status, reason, times: 2 } });
      expect(set.calendar).toEqual({ status, reason, remaining: 2 });
      for (let i = 0; i < 2; i++) {
        const res = await call();
        expect(res.status).toBe(status);
        expect(((await res.json()) as AnyJson).error).toMatchObject({
          code: status,
          message,
          errors: [{ domain: 'usageLimits', reason, message }],
        });
      }
      expect((await call()).status).toBe(200);
    });

    it('holds until lifted with null; refuses a combination Google does not answer', async () => {
      await control(emu, 'POST', '/google/quota', { calendar: { status: 403, reason: 'quotaExceeded' } });
      expect((await call()).status).toBe(403);
      expect((await call()).status).toBe(403);
      expect((await control(emu, 'POST', '/google/quota', { calendar: null })).calendar).toBeNull();
      expect((await call()).status).toBe(200);
      const bad = await fetch(`${emu.controlUrl}/google/quota`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ calendar: { status: 429, reason: 'quotaExceeded' } }),
      });
      expect(bad.status).toBe(400);
    });
  });
});
