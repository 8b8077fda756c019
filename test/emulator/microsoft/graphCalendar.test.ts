import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../index.ts';
import { signIn } from './testAuth.ts';

let emu: RunningEmulator;
let token: string;
/** Graph answers are JSON of many shapes; tests read them loosely. */
// biome-ignore lint/suspicious/noExplicitAny: test reads arbitrary JSON
type Json = any;
const g = (path: string, init: RequestInit = {}) =>
  fetch(`${emu.baseUrl}/v1.0/me${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers ?? {}) },
  }) as Promise<Omit<Response, 'json'> & { json(): Promise<Json> }>;
const control = (path: string, body: object, method = 'POST') =>
  fetch(`${emu.controlUrl}/microsoft${path}`, { method, body: JSON.stringify(body) });
const WINDOW = 'startDateTime=2026-09-01T00:00:00Z&endDateTime=2027-03-01T00:00:00Z';

beforeAll(async () => {
  emu = await startEmulator({ seed: { kind: 'corpus' }, autoConsent: true });
  token = await signIn(emu.baseUrl);
});
afterAll(() => emu?.stop());

async function drain(url: string) {
  const items: Json[] = [];
  for (;;) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, prefer: 'odata.maxpagesize=100' } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    items.push(...body.value);
    if (body['@odata.nextLink']) url = body['@odata.nextLink'];
    else return { items, deltaLink: body['@odata.deltaLink'] as string };
  }
}

describe('Graph calendar', () => {
  it('lists two calendars and expands recurring series across DST in the series time zone', async () => {
    const cals = (await (await g('/calendars')).json()).value;
    expect(cals).toHaveLength(2);
    const view = await drain(`${emu.baseUrl}/v1.0/me/calendarView/delta?${WINDOW}`);
    expect(view.items.length).toBeGreaterThan(300);
    const standups = view.items.filter((e) => e.subject === 'Team standup');
    // 09:30 New York: 13:30Z under EDT (before 2026-11-01), 14:30Z under EST after.
    expect(standups.find((e) => e.start.dateTime.startsWith('2026-10-30'))?.start.dateTime).toBe('2026-10-30T13:30:00.0000000');
    expect(standups.find((e) => e.start.dateTime.startsWith('2026-11-02'))?.start.dateTime).toBe('2026-11-02T14:30:00.0000000');
    expect(standups[0]).toMatchObject({ type: 'occurrence', onlineMeeting: { joinUrl: expect.stringContaining('https://') } });
    expect(standups[0].attendees[0].status.response).toBe('accepted');
    const berlin = view.items.filter((e) => e.subject === 'Berlin sync');
    expect(berlin).toHaveLength(20);
    expect(berlin[0].start.dateTime).toBe('2026-10-01T14:00:00.0000000');
    expect(berlin[4].start.dateTime).toBe('2026-10-29T15:00:00.0000000');
    const zoned = await (
      await g(`/calendarView?${WINDOW}&$top=1`, { headers: { prefer: 'outlook.timezone="Europe/Berlin"' } })
    ).json();
    expect(zoned.value[0].start.timeZone).toBe('Europe/Berlin');
    expect(zoned['@odata.nextLink']).toBeTruthy();
  });

  it('events CRUD and calendarView/delta rounds with @removed and 410', async () => {
    const first = await drain(
      `${emu.baseUrl}/v1.0/me/calendars/${(await (await g('/calendars')).json()).value[1].id}/calendarView/delta?${WINDOW}`,
    );
    const created = await (
      await g('/events', {
        method: 'POST',
        body: JSON.stringify({
          subject: 'Offsite',
          isAllDay: true,
          start: { dateTime: '2026-12-01T00:00:00', timeZone: 'UTC' },
          end: { dateTime: '2026-12-02T00:00:00', timeZone: 'UTC' },
        }),
      })
    ).json();
    expect(created).toMatchObject({
      subject: 'Offsite',
      isAllDay: true,
      organizer: { emailAddress: { address: 'bob@contoso.test' } },
    });
    const patched = await (
      await g(`/events/${created.id}`, { method: 'PATCH', body: JSON.stringify({ subject: 'Offsite (moved)' }) })
    ).json();
    expect(patched.subject).toBe('Offsite (moved)');
    const badZone = await g('/events', {
      method: 'POST',
      body: JSON.stringify({
        subject: 'x',
        start: { dateTime: '2026-12-01T10:00:00', timeZone: 'Mars/Olympus' },
        end: { dateTime: '2026-12-01T11:00:00', timeZone: 'UTC' },
      }),
    });
    expect(badZone.status).toBe(400);
    const all = await drain(`${emu.baseUrl}/v1.0/me/calendarView/delta?${WINDOW}`);
    const victim = all.items.find((e) => e.type === 'singleInstance' && e.subject.startsWith('Meeting'))!;
    const series = all.items.find((e) => e.subject === 'Berlin sync')!;
    expect((await g(`/events/${victim.id}`, { method: 'DELETE' })).status).toBe(204);
    await control(`/events/${series.seriesMasterId}/exception`, {
      originalStartDate: '2026-10-08',
      event: {
        subject: 'Berlin sync (moved)',
        start: { dateTime: '2026-10-08T18:00:00', timeZone: 'Europe/Berlin' },
        end: { dateTime: '2026-10-08T19:00:00', timeZone: 'Europe/Berlin' },
      },
    });
    const next = await drain(all.deltaLink);
    expect(next.items.find((e) => e.id === victim.id)).toMatchObject({ '@removed': { reason: 'deleted' } });
    expect(next.items.find((e) => e.subject === 'Berlin sync (moved)')).toMatchObject({
      type: 'exception',
      start: { dateTime: '2026-10-08T16:00:00.0000000' },
    });
    expect(next.items.some((e) => e.subject === 'Offsite (moved)')).toBe(false); // changed before this round's token
    expect(first.items.length).toBeGreaterThan(0);
    expect((await g('/events/AAMkunknown')).status).toBe(404);
    await control('/invalidate-delta', {});
    const gone = await fetch(next.deltaLink, { headers: { authorization: `Bearer ${token}` } });
    expect(gone.status).toBe(410);
    expect(((await gone.json()) as Json).error.code).toBe('SyncStateNotFound');
  });

  it('calendarView without a window is 400 ErrorInvalidParameter', async () => {
    const res = await g('/calendarView');
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('ErrorInvalidParameter');
  });
});
