import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../main/api/auth/apiKeys.ts';
import { type Core, startCore } from '../../main/core/startCore.ts';
import { publicId } from '../../shared/ids.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { remoteGoogleInstances } from '../support/calendarSnapshots.ts';
import { autoConsentBrowser, emulatorControl, googleConfigFor } from '../support/emulatorAccounts.ts';
import { makeTempDir } from '../support/tempDir.ts';

const DAY_MS = 86_400_000;
const USER = 'alice@gmail.test';

interface Answer {
  status: number;
  headers: Headers;
  body: { data?: Record<string, unknown>; code?: string; message?: string; request_id?: string; field?: string } | null;
}

describe('POST/PATCH/DELETE /v1/calendar/events against Google Calendar (emulator)', () => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let core: Core;
  let accountId: string;
  let writeKey: string;
  let readKey: string;
  let calendarId: string;
  let now: number;

  const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}, key = writeKey) => {
    const response = await fetch(`${core.baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${key}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null } as Answer;
  };
  /** Waits for the calendar sync each edit queued (it pushes the edit first). */
  const pushed = async () => {
    core.runner.wake();
    await core.runner.idle();
  };
  const remote = async () =>
    remoteGoogleInstances(emulatorControl(emulator), USER, { from: now - DAY_MS, to: now + 30 * DAY_MS });

  beforeAll(async () => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: 5 },
      serviceOptions: { google: { quotaEnabled: false } },
    });
    core = await startCore({
      dataDir: dir.path,
      port: 0,
      version: 'test',
      rendererDir: null,
      schedule: false,
      providers: { google: googleConfigFor(emulator.baseUrl), microsoft: null },
      gmailQuota: { unitsPerSecond: 1_000_000 },
    });
    accountId = (await core.providers.forConnect('google').connect({ openBrowser: autoConsentBrowser })).id;
    writeKey = createApiKey(core.db, 'edits', ['read:calendar', 'write:calendar']).key;
    readKey = createApiKey(core.db, 'reads', ['read:calendar']).key;
    core.jobs.enqueue({ kind: 'calendar_sync', mode: 'incremental', accountIds: [accountId], params: {} });
    await pushed();
    now = (await emulatorControl(emulator)('/clock')).now as number;
    const row = core.db.prepare('SELECT id FROM calendars WHERE account_id = ? AND is_primary = 1').get(accountId) as {
      id: number;
    };
    calendarId = publicId('cal', row.id);
  }, 60_000);

  afterAll(async () => {
    await core?.close();
    await emulator?.stop();
    dir.remove();
  });

  it('creates, changes and deletes an event: answered from the index at once, at the provider after the push', async () => {
    const start = new Date(now + 2 * DAY_MS).toISOString();
    const created = await api('POST', '/v1/calendar/events', {
      calendar_id: calendarId,
      summary: 'Budget review',
      start,
      time_zone: 'America/New_York',
      attendees: [{ email: 'carol@example.com', name: 'Carol' }],
    });
    expect(created.status).toBe(201);
    expect(created.body?.data).toMatchObject({
      summary: 'Budget review',
      start: new Date(Date.parse(start)).toISOString(),
      end: new Date(Date.parse(start) + 3_600_000).toISOString(),
      time_zone: 'America/New_York',
      calendar_id: calendarId,
    });
    const id = created.body?.data?.id as string;
    await pushed();
    const [there] = (await remote()).filter((e) => e.summary === 'Budget review');
    expect(there).toMatchObject({
      startsAt: Date.parse(start),
      attendees: [{ email: 'carol@example.com', response: 'needsAction' }],
    });

    const changed = await api('PATCH', `/v1/calendar/events/${id}`, { summary: 'Budget review (moved)', location: 'Room 2' });
    expect(changed.status).toBe(200);
    expect(changed.body?.data).toMatchObject({ id, summary: 'Budget review (moved)', location: 'Room 2' });
    await pushed();
    expect((await remote()).filter((e) => e.summary === 'Budget review (moved)')).toMatchObject([{ location: 'Room 2' }]);

    expect((await api('DELETE', `/v1/calendar/events/${id}`)).status).toBe(204);
    expect((await api('GET', `/v1/calendar/events/${id}`)).status).toBe(404);
    await pushed();
    expect((await remote()).filter((e) => e.summary.startsWith('Budget review'))).toEqual([]);
  });

  it('changes and deletes "this and following" or "all" events of a series with apply_to', async () => {
    const start = new Date(now + 3 * DAY_MS).toISOString();
    const created = await api('POST', '/v1/calendar/events', {
      calendar_id: calendarId,
      summary: 'Daily check',
      start,
      time_zone: 'Europe/Berlin',
      recurrence: 'FREQ=DAILY;COUNT=4',
    });
    expect(created.status).toBe(201);
    await pushed();
    const instances = (summary: string) =>
      (
        core.db
          .prepare('SELECT id FROM events WHERE summary = ? AND series_remote_id IS NOT NULL ORDER BY starts_at')
          .all(summary) as Array<{ id: number }>
      ).map((r) => publicId('evt', r.id));
    const [first, second] = instances('Daily check');
    expect(instances('Daily check')).toHaveLength(4);

    const refused = await api('PATCH', `/v1/calendar/events/${second}?apply_to=some`, { summary: 'x' });
    expect(refused).toMatchObject({ status: 400, body: { code: 'validation_error' } });
    const thisOnly = await api('PATCH', `/v1/calendar/events/${second}`, { recurrence: 'FREQ=WEEKLY' });
    expect(thisOnly).toMatchObject({ status: 400, body: { code: 'validation_error', field: 'recurrence' } });

    const split = await api('PATCH', `/v1/calendar/events/${second}?apply_to=following`, { summary: 'Daily check (new room)' });
    expect(split).toMatchObject({ status: 200, body: { data: { id: second, summary: 'Daily check (new room)' } } });
    expect(instances('Daily check')).toEqual([first]);
    await pushed();
    const named = async (summary: string) => (await remote()).filter((e) => e.summary === summary);
    expect(await named('Daily check')).toHaveLength(1);
    expect(await named('Daily check (new room)')).toHaveLength(3);

    expect((await api('DELETE', `/v1/calendar/events/${first}?apply_to=all`)).status).toBe(204);
    expect(instances('Daily check')).toEqual([]);
    await pushed();
    expect(await named('Daily check')).toEqual([]);
    expect(await named('Daily check (new room)')).toHaveLength(3);
  });

  it("sets an event's reminders (popups at the provider), and takes them away", async () => {
    const start = new Date(now + 4 * DAY_MS).toISOString();
    const created = await api('POST', '/v1/calendar/events', {
      calendar_id: calendarId,
      summary: 'Dentist',
      start,
      reminders_minutes: [30, 10, 10],
    });
    expect(created.body?.data).toMatchObject({ reminders_minutes: [10, 30] });
    await pushed();
    const remoteReminders = async () => {
      const q = `timeMin=${new Date(now).toISOString()}&timeMax=${new Date(now + 30 * DAY_MS).toISOString()}`;
      const answer = (await emulatorControl(emulator)(`/google/users/${USER}/calendar-instances?${q}`)) as unknown as {
        calendars: Array<{ instances: Array<{ summary?: string; reminders?: unknown }> }>;
      };
      return answer.calendars.flatMap((c) => c.instances).find((e) => e.summary === 'Dentist')?.reminders;
    };
    expect(await remoteReminders()).toEqual({
      useDefault: false,
      overrides: [
        { method: 'popup', minutes: 10 },
        { method: 'popup', minutes: 30 },
      ],
    });
    const id = created.body?.data?.id as string;
    expect((await api('PATCH', `/v1/calendar/events/${id}`, { reminders_minutes: [] })).body?.data).toMatchObject({
      reminders_minutes: [],
    });
    await pushed();
    expect(await remoteReminders()).toEqual({ useDefault: false, overrides: [] });
    expect((await api('PATCH', `/v1/calendar/events/${id}`, { reminders_minutes: [-5] })).status).toBe(400);
  });

  it('honours Idempotency-Key: a retried create answers the first event and makes no second one', async () => {
    const body = {
      calendar_id: calendarId,
      summary: 'Retried',
      all_day: true,
      start_date: new Date(now + 3 * DAY_MS).toISOString().slice(0, 10),
    };
    const first = await api('POST', '/v1/calendar/events', body, { 'idempotency-key': 'create-retried-1' });
    const again = await api('POST', '/v1/calendar/events', body, { 'idempotency-key': 'create-retried-1' });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body?.data?.id).toBe(first.body?.data?.id);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    await pushed();
    expect((await remote()).filter((e) => e.summary === 'Retried')).toHaveLength(1);
  });

  it('refuses bad requests with a JSON error naming the field, and keys without write:calendar', async () => {
    const start = new Date(now + DAY_MS).toISOString();
    const cases: Array<[unknown, number, string, string | undefined]> = [
      [{ calendar_id: calendarId, start, end: start }, 400, 'validation_error', 'end'],
      [{ calendar_id: calendarId, start, time_zone: 'Mars/Olympus' }, 400, 'validation_error', 'time_zone'],
      [{ calendar_id: calendarId, start: 'tomorrow' }, 400, 'validation_error', 'start'],
      [{ calendar_id: calendarId, all_day: true, start_date: '2031-02-30' }, 400, 'validation_error', 'start_date'],
      [{ calendar_id: calendarId, start, attendees: [{ email: 'nobody' }] }, 400, 'validation_error', 'attendees[0].email'],
      [{ calendar_id: 'cal_999999', start }, 404, 'not_found', undefined],
      [{ calendar_id: calendarId, start, colour: 'red' }, 400, 'validation_error', undefined],
      [{ calendar_id: calendarId, start, recurrence: 'FREQ=HOURLY' }, 400, 'validation_error', 'recurrence'],
    ];
    for (const [body, status, code, field] of cases) {
      const answer = await api('POST', '/v1/calendar/events', body);
      expect(answer.status, JSON.stringify(body)).toBe(status);
      expect(answer.body).toMatchObject({ code, message: expect.any(String), request_id: expect.any(String) });
      if (field) expect(answer.body?.field ?? (answer.body as { details?: { field?: string } })?.details?.field).toBe(field);
    }
    expect((await api('POST', '/v1/calendar/events', { calendar_id: calendarId, start }, {}, readKey)).status).toBe(403);
    expect((await api('PATCH', '/v1/calendar/events/evt_999999', { summary: 'x' })).status).toBe(404);
    expect((await api('DELETE', '/v1/calendar/events/nonsense')).status).toBe(404);
  });
});
