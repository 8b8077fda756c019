import { beforeAll, describe, expect, it } from 'vitest';
import { graphEmulatorForFile, type Json } from './graphHarness.ts';

const h = graphEmulatorForFile();
const { g, control } = h;
const OCTOBER = 'startDateTime=2026-10-01T00:00:00Z&endDateTime=2026-11-01T00:00:00Z';
let master: string;
let familyCalendar: string;

beforeAll(async () => {
  // Every Wednesday 15:00 New York from 2026-10-07, ten times; the 14th moved to 17:00, the 21st cancelled.
  ({ id: master } = await control('/events', {
    event: {
      subject: 'Weekly review',
      start: { dateTime: '2026-10-07T15:00:00', timeZone: 'Eastern Standard Time' },
      end: { dateTime: '2026-10-07T16:00:00', timeZone: 'Eastern Standard Time' },
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: ['wednesday'] },
        range: { type: 'numbered', startDate: '2026-10-07', numberOfOccurrences: 10 },
      },
    },
  }));
  await control(`/events/${master}/exception`, {
    originalStartDate: '2026-10-14',
    event: {
      subject: 'Weekly review (moved)',
      start: { dateTime: '2026-10-14T17:00:00', timeZone: 'Eastern Standard Time' },
      end: { dateTime: '2026-10-14T18:00:00', timeZone: 'Eastern Standard Time' },
    },
  });
  await control(`/events/${master}/exception`, { originalStartDate: '2026-10-21', cancel: true });
  familyCalendar = (await (await g('/calendars')).json()).value.find((c: Json) => c.name === 'Family').id;
});

describe('Graph event instances (GET /events/{id}/instances)', () => {
  it("answers the series' occurrences and exceptions in the window, cancelled ones left out", async () => {
    const res = await g(`/events/${master}/instances?${OCTOBER}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body['@odata.nextLink']).toBeUndefined();
    expect(body.value.map((e: Json) => [e.type, e.start.dateTime, e.subject, e.seriesMasterId])).toEqual([
      ['occurrence', '2026-10-07T19:00:00.0000000', 'Weekly review', master],
      ['exception', '2026-10-14T21:00:00.0000000', 'Weekly review (moved)', master],
      ['occurrence', '2026-10-28T19:00:00.0000000', 'Weekly review', master],
    ]);
    expect(body.value[1].originalStart).toBe('2026-10-14T19:00:00Z');
    expect(body.value.every((e: Json) => e.recurrence === null)).toBe(true);
  });

  it('keeps wall-clock time across DST and answers in the Prefer: outlook.timezone zone', async () => {
    const res = await g(`/events/${master}/instances?startDateTime=2026-10-25T00:00:00Z&endDateTime=2026-11-08T00:00:00Z`, {
      headers: { prefer: 'outlook.timezone="Eastern Standard Time"' },
    });
    const value = (await res.json()).value;
    expect(value.map((e: Json) => e.start)).toEqual([
      { dateTime: '2026-10-28T15:00:00.0000000', timeZone: 'Eastern Standard Time' },
      { dateTime: '2026-11-04T15:00:00.0000000', timeZone: 'Eastern Standard Time' },
    ]);
  });

  it('pages with $top and $skip (nextLink) and narrows with $select', async () => {
    const all = `startDateTime=2026-10-01T00:00:00Z&endDateTime=2027-01-01T00:00:00Z`;
    const first = await (await g(`/events/${master}/instances?${all}&$top=4&$select=subject,start`)).json();
    expect(first.value).toHaveLength(4);
    expect(Object.keys(first.value[0]).sort()).toEqual(['@odata.etag', 'id', 'start', 'subject']);
    const next = new URL(first['@odata.nextLink']);
    expect(next.searchParams.get('$skip')).toBe('4');
    expect(next.searchParams.get('$select')).toBe('subject,start');
    const pages = [first.value.length];
    const ids = first.value.map((e: Json) => e.id);
    for (let link = first['@odata.nextLink']; link; ) {
      const page: Json = await (await fetch(link, { headers: { authorization: `Bearer ${h.token}` } })).json();
      pages.push(page.value.length);
      ids.push(...page.value.map((e: Json) => e.id));
      link = page['@odata.nextLink'];
    }
    expect(pages).toEqual([4, 4, 1]);
    expect(new Set(ids).size).toBe(9); // ten occurrences, one cancelled
  });

  it('is reached through calendars/{id}/events/{id}/instances and calendar/events/{id}/instances too', async () => {
    const own = (await (await g('/calendars')).json()).value.find((c: Json) => c.isDefaultCalendar).id;
    for (const path of [`/calendars/${own}/events/${master}/instances`, `/calendar/events/${master}/instances`]) {
      const res = await g(`${path}?${OCTOBER}`);
      expect(res.status).toBe(200);
      expect((await res.json()).value).toHaveLength(3);
    }
    const elsewhere = await g(`/calendars/${familyCalendar}/events/${master}/instances?${OCTOBER}`);
    expect(elsewhere.status).toBe(404);
    expect((await elsewhere.json()).error.code).toBe('ErrorItemNotFound');
  });

  it('a single event answers itself when it lies in the window, nothing otherwise', async () => {
    const { id } = await control('/events', {
      event: {
        subject: 'One-off',
        start: { dateTime: '2026-10-09T10:00:00', timeZone: 'UTC' },
        end: { dateTime: '2026-10-09T11:00:00', timeZone: 'UTC' },
      },
    });
    const inside = (await (await g(`/events/${id}/instances?${OCTOBER}`)).json()).value;
    expect(inside.map((e: Json) => [e.id, e.type])).toEqual([[id, 'singleInstance']]);
    const outside = await g(`/events/${id}/instances?startDateTime=2026-12-01T00:00:00Z&endDateTime=2026-12-31T00:00:00Z`);
    expect((await outside.json()).value).toEqual([]);
  });

  it('without startDateTime or endDateTime: 400 ErrorInvalidParameter, as calendarView', async () => {
    for (const q of ['', '?startDateTime=2026-10-01T00:00:00Z', '?endDateTime=2026-10-01T00:00:00Z']) {
      const res = await g(`/events/${master}/instances${q}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({
        code: 'ErrorInvalidParameter',
        message: 'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
      });
    }
  });

  it('an unparsable date is 400 ErrorInvalidParameter naming it; an unknown event is 404 ErrorItemNotFound', async () => {
    const bad = await g(`/events/${master}/instances?startDateTime=yesterday&endDateTime=2026-11-01T00:00:00Z`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatchObject({
      code: 'ErrorInvalidParameter',
      message: "The value 'yesterday' of parameter 'StartDateTime' is invalid.",
    });
    const unknown = await g(`/events/AAMkAGI2unknownEventId00000=/instances?${OCTOBER}`);
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe('ErrorItemNotFound');
  });
});
