import { beforeAll, describe, expect, it } from 'vitest';
import { graphEmulatorForFile, type Json } from './graphHarness.ts';

const h = graphEmulatorForFile();
const { g, control } = h;
const DAY_MS = 86_400_000;
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
let master: string;
let firstDay = 0;
let window = '';

/**
 * Graph edits one instance of a series through the instance's own id (events/{id} PATCH and
 * DELETE): the occurrence becomes an exception under the same id, or leaves the series, and the
 * other instances stay as they were. Dates follow the emulator's clock.
 */
beforeAll(async () => {
  const now = Number(((await (await fetch(`${h.emu.controlUrl}/clock`)).json()) as { now: number }).now);
  firstDay = Math.ceil(now / DAY_MS) * DAY_MS + 7 * DAY_MS;
  window = `startDateTime=${day(firstDay)}T00:00:00Z&endDateTime=${day(firstDay + 6 * DAY_MS)}T00:00:00Z`;
  ({ id: master } = await control('/events', {
    event: {
      subject: 'Daily check-in',
      start: { dateTime: `${day(firstDay)}T08:00:00`, timeZone: 'UTC' },
      end: { dateTime: `${day(firstDay)}T08:15:00`, timeZone: 'UTC' },
      recurrence: {
        pattern: { type: 'daily', interval: 1 },
        range: { type: 'numbered', startDate: day(firstDay), numberOfOccurrences: 5 },
      },
    },
  }));
});

const instancesNow = async () =>
  ((await (await g(`/events/${master}/instances?${window}`)).json()).value as Json[]).map((e) => [e.id, e.type, e.subject]);

describe('Graph: one instance of a series edited or deleted by its own id', () => {
  it('PATCH of an occurrence id makes an exception under that id; the others stay occurrences', async () => {
    const before = await instancesNow();
    expect(before).toHaveLength(5);
    const [, second] = before;
    const res = await g(`/events/${second?.[0]}`, {
      method: 'PATCH',
      body: JSON.stringify({
        subject: 'Check-in (late)',
        start: { dateTime: `${day(firstDay + DAY_MS)}T09:00:00`, timeZone: 'UTC' },
        end: { dateTime: `${day(firstDay + DAY_MS)}T09:15:00`, timeZone: 'UTC' },
      }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ id: second?.[0], type: 'exception', seriesMasterId: master });
    const after = await instancesNow();
    expect(after.map(([, type]) => type)).toEqual(['occurrence', 'exception', 'occurrence', 'occurrence', 'occurrence']);
    expect(after[1]).toEqual([second?.[0], 'exception', 'Check-in (late)']);
    // GET by an instance's id answers it as its series places it.
    expect(await (await g(`/events/${second?.[0]}`)).json()).toMatchObject({
      type: 'exception',
      seriesMasterId: master,
      originalStart: `${day(firstDay + DAY_MS)}T08:00:00Z`,
    });
    expect(await (await g(`/events/${after[2]?.[0]}`)).json()).toMatchObject({ type: 'occurrence', seriesMasterId: master });
  });

  it('DELETE of an occurrence id and of an exception id takes just that instance out; GET then answers 404', async () => {
    const [, exception, third] = await instancesNow();
    expect((await g(`/events/${third?.[0]}`, { method: 'DELETE' })).status).toBe(204);
    expect((await g(`/events/${exception?.[0]}`, { method: 'DELETE' })).status).toBe(204);
    const left = await instancesNow();
    expect(left.map(([id]) => id)).not.toContain(third?.[0]);
    expect(left.map(([id]) => id)).not.toContain(exception?.[0]);
    expect(left).toHaveLength(3);
    expect((await g(`/events/${master}`)).status).toBe(200);
    expect((await g(`/events/${exception?.[0]}`)).status).toBe(404);
  });

  it('an id that names no event or instance is 404 ErrorItemNotFound', async () => {
    const res = await g(`/events/${master}_19990101`, { method: 'PATCH', body: JSON.stringify({ subject: 'x' }) });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('ErrorItemNotFound');
  });
});

describe('Graph: a create retried with the same transactionId', () => {
  it('answers the event the first create made, and the calendar holds one', async () => {
    const body = JSON.stringify({
      subject: 'Made once',
      transactionId: 'outpost-retry-test-1',
      start: { dateTime: `${day(firstDay)}T12:00:00`, timeZone: 'UTC' },
      end: { dateTime: `${day(firstDay)}T12:30:00`, timeZone: 'UTC' },
    });
    const first = await g('/events', { method: 'POST', body });
    const again = await g('/events', { method: 'POST', body });
    expect([first.status, again.status]).toEqual([201, 201]);
    const [a, b] = [await first.json(), await again.json()];
    expect(b.id).toBe(a.id);
    const view = (await (await g(`/calendarView?${window}&$top=100`)).json()).value as Json[];
    expect(view.filter((e) => e.subject === 'Made once')).toHaveLength(1);
    // Without one, each POST is a new event.
    const plain = JSON.stringify({ ...JSON.parse(body), transactionId: undefined, subject: 'Made twice' });
    await g('/events', { method: 'POST', body: plain });
    await g('/events', { method: 'POST', body: plain });
    const after = (await (await g(`/calendarView?${window}&$top=100`)).json()).value as Json[];
    expect(after.filter((e) => e.subject === 'Made twice')).toHaveLength(2);
  });
});

describe('Graph: a series edited through its series master (all events, and ending it: this and following)', () => {
  it('PATCH of the master renames and moves every occurrence; a shorter range ends the series; DELETE takes it whole', async () => {
    const { id } = await control('/events', {
      event: {
        subject: 'Weekly sync',
        start: { dateTime: `${day(firstDay)}T10:00:00`, timeZone: 'UTC' },
        end: { dateTime: `${day(firstDay)}T10:30:00`, timeZone: 'UTC' },
        recurrence: {
          pattern: { type: 'daily', interval: 1 },
          range: { type: 'numbered', startDate: day(firstDay), numberOfOccurrences: 5 },
        },
      },
    });
    const occurrences = async () =>
      ((await (await g(`/events/${id}/instances?${window}`)).json()).value as Json[]).map((e) => [
        e.subject,
        (e.start as { dateTime: string }).dateTime.slice(11, 16),
      ]);
    const patched = await g(`/events/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({
        subject: 'Team sync',
        start: { dateTime: `${day(firstDay)}T11:00:00`, timeZone: 'UTC' },
        end: { dateTime: `${day(firstDay)}T11:30:00`, timeZone: 'UTC' },
      }),
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ id, type: 'seriesMaster', subject: 'Team sync' });
    expect(await occurrences()).toEqual(Array(5).fill(['Team sync', '11:00']));

    // "This and following" from the fourth: the master's range ends after three (numbered) ...
    const ended = await g(`/events/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({
        recurrence: {
          pattern: { type: 'daily', interval: 1 },
          range: { type: 'numbered', startDate: day(firstDay), numberOfOccurrences: 3 },
        },
      }),
    });
    expect(ended.status).toBe(200);
    expect(await occurrences()).toHaveLength(3);
    // ... or on a date (endDate, inclusive).
    await g(`/events/${id}`, {
      method: 'PATCH',
      body: JSON.stringify({
        recurrence: {
          pattern: { type: 'daily', interval: 1 },
          range: { type: 'endDate', startDate: day(firstDay), endDate: day(firstDay + DAY_MS) },
        },
      }),
    });
    expect(await occurrences()).toHaveLength(2);
    expect((await g(`/events/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await g(`/events/${id}/instances?${window}`)).status).toBe(404);
  });
});
