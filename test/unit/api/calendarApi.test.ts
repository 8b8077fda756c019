import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiServer } from '../../../main/api/server.ts';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { writeEvents } from '../../../main/db/queries/calendarEvents.ts';
import { eventInput, seedCalendar } from '../../support/calendarFixtures.ts';
import { makeTempDir } from '../../support/tempDir.ts';
import { buildTestApi, TEST_HOST } from '../../support/testApi.ts';

const H = 3600 * 1000;
const t0 = Date.UTC(2026, 2, 2);

describe('the calendar read API', () => {
  let db: IndexDb;
  let app: ApiServer;
  let token: string;
  let calendarId: number;
  const dir = makeTempDir();

  beforeAll(async () => {
    db = openIndex(':memory:');
    ({ calendarId } = seedCalendar(db));
    writeEvents(db, calendarId, [
      eventInput({
        remoteId: 'standup_20260302',
        seriesRemoteId: 'standup',
        startsAt: t0 + 9 * H,
        endsAt: t0 + 9.25 * H,
        summary: 'Standup',
        conferenceUrl: 'https://meet.example.test/abc',
        attendees: [
          { email: 'ann@example.test', name: 'Ann', response: 'accepted', optional: false, organizer: true, self: false },
        ],
      }),
      eventInput({
        remoteId: 'holiday',
        startsAt: t0 - H,
        endsAt: t0 + 23 * H,
        isAllDay: true,
        startDate: '2026-03-02',
        endDate: '2026-03-03',
        summary: 'Holiday',
      }),
    ]);
    ({ app, token } = await buildTestApi(db, dir.path));
  });
  afterAll(async () => {
    await app.close();
    db.close();
    dir.remove();
  });

  const get = (url: string) => app.inject({ method: 'GET', url, headers: { host: TEST_HOST, authorization: `Bearer ${token}` } });

  it('lists calendars and the events of a range with attendees and conference links', async () => {
    expect((await get('/v1/calendar/calendars')).json().data).toEqual([
      expect.objectContaining({ id: `cal_${calendarId}`, name: 'Work', is_primary: true }),
    ]);
    const from = new Date(t0).toISOString();
    const to = new Date(t0 + 24 * H).toISOString();
    const { data } = (await get(`/v1/calendar/events?from=${from}&to=${to}`)).json();
    expect(data.map((e: { summary: string }) => e.summary)).toEqual(['Holiday', 'Standup']);
    expect(data[0]).toMatchObject({ all_day: true, start_date: '2026-03-02', end_date: '2026-03-03' });
    expect(data[1]).toMatchObject({
      series_id: 'standup',
      conference_url: 'https://meet.example.test/abc',
      attendees: [{ email: 'ann@example.test', response: 'accepted' }],
    });
    const one = await get(`/v1/calendar/events/${data[1].id}`);
    expect(one.json().data.summary).toBe('Standup');
  });

  it('keeps what the person chose about a calendar: hidden, a colour of their own, the one default', async () => {
    const patch = (id: string, payload: unknown) =>
      app.inject({
        method: 'PATCH',
        url: `/v1/calendar/calendars/${id}`,
        headers: { host: TEST_HOST, authorization: `Bearer ${token}` },
        payload: payload as Record<string, unknown>,
      });
    const other = `cal_${seedCalendar(db, 'Home').calendarId}`;
    const work = `cal_${calendarId}`;
    expect((await patch(work, { hidden: true, color: '#AA3300' })).json().data).toMatchObject({
      id: work,
      hidden: true,
      color: '#aa3300',
      provider_color: '#4285f4',
      is_default: false,
    });
    // The events show the colour chosen.
    const from = new Date(t0).toISOString();
    const to = new Date(t0 + 24 * H).toISOString();
    const { data } = (await get(`/v1/calendar/events?from=${from}&to=${to}`)).json();
    expect(data.map((e: { calendar_color: string }) => e.calendar_color)).toEqual(['#aa3300', '#aa3300']);
    // One default at a time.
    expect((await patch(work, { is_default: true })).json().data.is_default).toBe(true);
    expect((await patch(other, { is_default: true })).json().data.is_default).toBe(true);
    const listed = (await get('/v1/calendar/calendars')).json().data as Array<{
      id: string;
      is_default: boolean;
      hidden: boolean;
    }>;
    expect(listed.filter((c) => c.is_default).map((c) => c.id)).toEqual([other]);
    // Back to the provider's colour, shown again.
    expect((await patch(work, { hidden: false, color: null })).json().data).toMatchObject({ hidden: false, color: '#4285f4' });
    expect((await patch(work, { color: 'red' })).statusCode).toBe(400);
    expect((await patch(work, { colour: '#000000' })).statusCode).toBe(400);
    expect((await patch('cal_99999', { hidden: true })).statusCode).toBe(404);
  });

  it.each([
    ['/v1/calendar/events?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', 400, 'to'],
    ['/v1/calendar/events?from=2026-01-01T00:00:00Z&to=2027-06-01T00:00:00Z', 400, 'to'],
    ['/v1/calendar/events?from=yesterday', 400, 'from'],
    ['/v1/calendar/events?calendar_id=42', 400, 'calendar_id'],
    ['/v1/calendar/events/evt_999', 404, undefined],
  ])('rejects %s', async (url, status, field) => {
    const response = await get(url);
    expect(response.statusCode).toBe(status);
    if (field) expect(response.json()).toMatchObject({ code: 'validation_error', field });
  });
});
