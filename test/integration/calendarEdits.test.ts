import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, deleteEvent, editEvent } from '../../main/calendar/eventEdits.ts';
import type { Engine } from '../../main/core/engine.ts';
import { type AccountRow, getAccount } from '../../main/db/queries/accounts.ts';
import { countQueuedEventEdits } from '../../main/db/queries/eventEdits.ts';
import type { CoreEvent } from '../../shared/events.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { DAY_MS, google, nextOffsetChange, outlook } from '../support/calendarProviders.ts';
import { runCalendarSync, type TimeWindow } from '../support/calendarSnapshots.ts';
import { emulatorControl } from '../support/emulatorAccounts.ts';
import { makeTempDir } from '../support/tempDir.ts';

describe.each([google, outlook])('events created, edited and deleted in Outpost reach $name (emulator)', (provider) => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let engine: Engine;
  let accountId: string;
  let control: ReturnType<typeof emulatorControl>;
  let now: number;
  let window: TimeWindow;
  /** The event ids (index rows) the tests share. */
  const made = { berlinBefore: 0, berlinAfter: 0, newYorkAfter: 0, allDay: 0 };

  const sync = (mode: 'full' | 'incremental' = 'incremental') => runCalendarSync(engine, accountId, mode, window);
  const remote = async () => provider.remote(control, window);
  const remoteNamed = async (summary: string) => (await remote()).filter((e) => e.summary === summary);
  const row = (id: number) =>
    engine.db.prepare('SELECT remote_id, summary, location, starts_at, ends_at, start_date FROM events WHERE id = ?').get(id) as
      | { remote_id: string; summary: string; location: string; starts_at: number; ends_at: number; start_date: string | null }
      | undefined;
  const primaryCalendar = () =>
    (
      engine.db.prepare('SELECT id FROM calendars WHERE account_id = ? ORDER BY is_primary DESC, id LIMIT 1').get(accountId) as {
        id: number;
      }
    ).id;

  beforeAll(async () => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: 5 },
      serviceOptions: { google: { quotaEnabled: false } },
    });
    control = emulatorControl(emulator);
    ({ engine, accountId } = await provider.open(emulator, dir.path));
    now = (await control('/clock')).now as number;
    window = { from: now - DAY_MS, to: now + 400 * DAY_MS };
    const job = await sync('full');
    expect(job?.status).toBe('succeeded');
  }, 60_000);

  afterAll(async () => {
    await engine?.close();
    await emulator?.stop();
    dir.remove();
  });

  it('a single event in two time zones either side of their DST change, and an all-day event, exist at the provider at the right instants', async () => {
    const calendarId = primaryCalendar();
    const cases: Array<{ key: keyof typeof made; zone: string; at: DateTime }> = [];
    for (const zone of ['Europe/Berlin', 'America/New_York']) {
      const change = nextOffsetChange(zone, now);
      cases.push({
        key: zone === 'Europe/Berlin' ? 'berlinBefore' : 'newYorkAfter',
        zone,
        at: change.minus({ days: 1 }).set({ hour: 9 }),
      });
      if (zone === 'Europe/Berlin') cases.push({ key: 'berlinAfter', zone, at: change.plus({ days: 1 }).set({ hour: 9 }) });
    }
    // The two Berlin events are at 09:00 local either side of the change: an hour apart in UTC terms.
    const [before, after] = cases.filter((c) => c.zone === 'Europe/Berlin').map((c) => c.at.toUTC().hour);
    expect(before).not.toBe(after);
    for (const c of cases) {
      const event = createEvent(engine.db, {
        calendarId,
        summary: `Standup ${c.key}`,
        startsAt: c.at.toMillis(),
        endsAt: c.at.plus({ minutes: 45 }).toMillis(),
        timeZone: c.zone,
        attendees: [{ email: 'Carol@Example.com', name: 'Carol' }],
      });
      made[c.key] = event.id;
      // In the index at once, before any push.
      expect(row(event.id)?.starts_at).toBe(c.at.toMillis());
    }
    const allDayDate = nextOffsetChange('Europe/Berlin', now).toISODate() as string;
    made.allDay = createEvent(engine.db, {
      calendarId,
      summary: 'Offsite',
      allDay: true,
      startDate: allDayDate,
      timeZone: 'Europe/Berlin',
    }).id;
    expect(countQueuedEventEdits(engine.db, accountId)).toBe(4);

    expect((await sync())?.status).toBe('succeeded');
    expect(countQueuedEventEdits(engine.db, accountId)).toBe(0);
    for (const c of cases) {
      const [there, ...more] = await remoteNamed(`Standup ${c.key}`);
      expect(more).toEqual([]);
      expect(there).toMatchObject({
        startMs: c.at.toMillis(),
        endMs: c.at.plus({ minutes: 45 }).toMillis(),
        allDay: false,
        zone: c.zone,
        attendees: ['carol@example.com'],
      });
      // The index names the event by the provider's id, at the same instant.
      expect(row(made[c.key])).toMatchObject({ remote_id: there?.id, starts_at: c.at.toMillis() });
    }
    const [offsite] = await remoteNamed('Offsite');
    expect(offsite).toMatchObject({ allDay: true });
    expect(DateTime.fromMillis(offsite?.startMs as number, { zone: 'Europe/Berlin' }).toISODate()).toBe(allDayDate);
    expect(row(made.allDay)).toMatchObject({ remote_id: offsite?.id, start_date: allDayDate });
  }, 60_000);

  it('an edit and a delete apply to the index at once and converge with the provider at the next sync', async () => {
    const moved = DateTime.fromMillis(row(made.berlinAfter)?.starts_at as number, { zone: 'Europe/Berlin' }).plus({ hours: 2 });
    editEvent(engine.db, made.berlinAfter, { summary: 'Planning', location: 'Room 4', startsAt: moved.toMillis() });
    deleteEvent(engine.db, made.allDay);
    expect(row(made.berlinAfter)).toMatchObject({ summary: 'Planning', location: 'Room 4', starts_at: moved.toMillis() });
    expect(row(made.allDay)).toBeUndefined();

    expect((await sync())?.status).toBe('succeeded');
    const [planning] = await remoteNamed('Planning');
    expect(planning).toMatchObject({
      location: 'Room 4',
      startMs: moved.toMillis(),
      endMs: moved.plus({ minutes: 45 }).toMillis(),
      zone: 'Europe/Berlin',
    });
    expect(await remoteNamed('Offsite')).toEqual([]);
    expect(row(made.berlinAfter)).toMatchObject({ summary: 'Planning', starts_at: moved.toMillis() });
    expect(row(made.allDay)).toBeUndefined();
  }, 60_000);

  it('a video call asked for is made by the provider (Google Meet, Teams), its link in the index after the push', async () => {
    const at = now + 4 * DAY_MS;
    const event = createEvent(engine.db, {
      calendarId: primaryCalendar(),
      summary: 'Video check-in',
      startsAt: at,
      endsAt: at + 1_800_000,
      videoCall: true,
    });
    expect((await sync())?.status).toBe('succeeded');
    const url = (
      engine.db.prepare('SELECT conference_url FROM events WHERE id = ?').get(event.id) as { conference_url: string | null }
    ).conference_url;
    expect(url).toMatch(/^https:\/\/(meet\.google\.com|teams\.microsoft\.com)\//);
  }, 60_000);

  it('a create whose answer was lost is retried without making a second event', async () => {
    // The provider acts on the create, then the connection drops. Google: the retry finds the id Outpost
    // chose taken (409); Graph: the retry carries the same transactionId and is answered the event made.
    await control('/faults', {
      method: 'POST',
      body: { fault: { endpoint: provider.createEndpoint, kind: 'reset', count: 1 } },
    });
    const at = now + 3 * DAY_MS;
    const event = createEvent(engine.db, {
      calendarId: primaryCalendar(),
      summary: 'Once only',
      startsAt: at,
      endsAt: at + 3_600_000,
    });
    expect((await sync())?.status).toBe('succeeded');
    const there = await remoteNamed('Once only');
    expect(there).toHaveLength(1);
    expect(row(event.id)?.remote_id).toBe(there[0]?.id);
  }, 60_000);

  it('an edit made while the provider fails stays queued and is applied once when the provider is back', async () => {
    await control('/faults', {
      method: 'POST',
      body: { fault: { endpoint: provider.patchEndpoint, kind: 'status', status: 503, retryAfter: 0 } },
    });
    editEvent(engine.db, made.newYorkAfter, { summary: 'Written offline' });
    expect((await sync())?.status).toBe('failed');
    expect(countQueuedEventEdits(engine.db, accountId)).toBe(1);
    expect(row(made.newYorkAfter)?.summary).toBe('Written offline');
    expect(await remoteNamed('Written offline')).toEqual([]);

    await control('/faults', { method: 'DELETE' });
    await control('/counters', { method: 'DELETE' });
    expect((await sync())?.status).toBe('succeeded');
    expect((await sync())?.status).toBe('succeeded');
    const { requests } = (await control('/counters')) as unknown as { requests: Record<string, number> };
    expect(requests[provider.patchEndpoint]).toBe(1);
    expect(await remoteNamed('Written offline')).toHaveLength(1);
    expect(countQueuedEventEdits(engine.db, accountId)).toBe(0);
    expect(row(made.newYorkAfter)?.summary).toBe('Written offline');
  }, 60_000);

  it('a change made at the provider meanwhile is not overwritten silently: the later one wins and the person is told', async () => {
    const told: CoreEvent[] = [];
    const stop = engine.events.subscribe((event) => {
      if (event.type === 'calendar.edit_conflict') told.push(event);
    });
    try {
      const id = made.berlinBefore;
      const remoteId = row(id)?.remote_id as string;
      // The provider's change first, then the edit here: the edit is the later one and replaces it (Google's
      // `updated`, Graph's `lastModifiedDateTime` say when the provider's change was made).
      await provider.renameThere(control, remoteId, 'Theirs, earlier');
      editEvent(engine.db, id, { summary: 'Mine, later' });
      expect((await sync())?.status).toBe('succeeded');
      expect((await remote()).find((e) => e.id === remoteId)?.summary).toBe('Mine, later');
      expect(row(id)?.summary).toBe('Mine, later');
      expect(told).toMatchObject([
        { type: 'calendar.edit_conflict', provider_event_id: remoteId, edit: 'update', kept: 'local' },
      ]);

      // The edit here first, then the provider's change (a minute later by the provider's clock): the provider's is kept.
      editEvent(engine.db, id, { summary: 'Mine, earlier' });
      await control('/clock', { method: 'POST', body: { advanceMs: 60_000 } });
      await provider.renameThere(control, remoteId, 'Theirs, later');
      expect((await sync())?.status).toBe('succeeded');
      expect((await remote()).find((e) => e.id === remoteId)?.summary).toBe('Theirs, later');
      expect(row(id)?.summary).toBe('Theirs, later');
      expect(told.at(-1)).toMatchObject({ provider_event_id: remoteId, edit: 'update', kept: 'provider' });
      expect(told).toHaveLength(2);
    } finally {
      stop();
    }
  }, 60_000);

  it('an event made elsewhere keeps the version its sync saw, so an edit that meets a later change there is caught too', async () => {
    const told: CoreEvent[] = [];
    const stop = engine.events.subscribe((event) => {
      if (event.type === 'calendar.edit_conflict') told.push(event);
    });
    try {
      const clock = (await control('/clock')).now as number;
      const remoteId = await provider.createThere(control, 'Made elsewhere', clock + 5 * DAY_MS);
      expect((await sync())?.status).toBe('succeeded');
      const { id } = engine.db.prepare('SELECT id FROM events WHERE remote_id = ?').get(remoteId) as { id: number };
      editEvent(engine.db, id, { summary: 'Renamed here' });
      await control('/clock', { method: 'POST', body: { advanceMs: 60_000 } });
      await provider.renameThere(control, remoteId, 'Renamed there, later');
      expect((await sync())?.status).toBe('succeeded');
      expect((await remote()).find((e) => e.id === remoteId)?.summary).toBe('Renamed there, later');
      expect(row(id)?.summary).toBe('Renamed there, later');
      expect(told).toMatchObject([{ provider_event_id: remoteId, edit: 'update', kept: 'provider' }]);
    } finally {
      stop();
    }
  }, 60_000);

  it('a weekly series created here keeps its wall-clock time across the DST change at the provider', async () => {
    const zone = 'Europe/Berlin';
    const clock = (await control('/clock')).now as number;
    const first = DateTime.fromMillis(clock, { zone }).plus({ days: 1 }).set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
    const change = nextOffsetChange(zone, first.toMillis());
    const count = Math.ceil(change.diff(first, 'weeks').weeks) + 2;
    const expected = Array.from({ length: count }, (_, i) => first.plus({ weeks: i }).toMillis());
    const series = createEvent(engine.db, {
      calendarId: primaryCalendar(),
      summary: 'Weekly sync',
      startsAt: first.toMillis(),
      endsAt: first.plus({ minutes: 30 }).toMillis(),
      timeZone: zone,
      recurrence: `FREQ=WEEKLY;COUNT=${count}`,
    });
    // Before it is pushed, the index shows every instance the provider will make (at 09:00 Berlin either side of the change).
    const shown = () =>
      engine.db
        .prepare("SELECT starts_at FROM events WHERE summary = 'Weekly sync' ORDER BY starts_at")
        .pluck()
        .all() as number[];
    expect(row(series.id)?.starts_at).toBe(first.toMillis());
    expect(shown()).toEqual(expected);
    expect((await sync())?.status).toBe('succeeded');
    const there = (await remoteNamed('Weekly sync')).sort((a, b) => a.startMs - b.startMs);
    expect(there.map((e) => e.startMs)).toEqual(expected);
    // Either side of the change the same 09:00 is a different UTC hour.
    expect(new Set(there.map((e) => new Date(e.startMs).getUTCHours())).size).toBe(2);
    const indexed = engine.db
      .prepare("SELECT starts_at FROM events WHERE summary = 'Weekly sync' ORDER BY starts_at")
      .pluck()
      .all() as number[];
    expect(indexed).toEqual(expected);
  }, 60_000);

  it('"this event": one instance deleted and another renamed alone', async () => {
    const instances = engine.db
      .prepare("SELECT id, remote_id FROM events WHERE summary = 'Weekly sync' ORDER BY starts_at")
      .all() as Array<{ id: number; remote_id: string }>;
    const [, second, third] = instances;
    deleteEvent(engine.db, second?.id as number);
    editEvent(engine.db, third?.id as number, { summary: 'Weekly sync (moved room)', location: 'Room 9' });
    expect((await sync())?.status).toBe('succeeded');
    const there = await remote();
    expect(there.filter((e) => e.summary === 'Weekly sync')).toHaveLength(instances.length - 2);
    expect(there.find((e) => e.id === second?.remote_id)).toBeUndefined();
    expect(there.find((e) => e.id === third?.remote_id)).toMatchObject({
      summary: 'Weekly sync (moved room)',
      location: 'Room 9',
    });
    expect(row(third?.id as number)).toMatchObject({ summary: 'Weekly sync (moved room)' });
  }, 60_000);

  it('a sync that was already running when edits were made neither undoes them nor drops an event not yet pushed', async () => {
    const at = ((await control('/clock')).now as number) + 6 * DAY_MS;
    const fresh = createEvent(engine.db, { calendarId: primaryCalendar(), summary: 'Not pushed yet', startsAt: at });
    editEvent(engine.db, made.newYorkAfter, { summary: 'Edited during a sync' });
    // A full listing that began before these edits (it does not push): what it did not see, it would remove.
    const accountRow = getAccount(engine.db, accountId) as AccountRow;
    await engine.providers
      .of(accountRow)
      .session(accountRow)
      .syncCalendars(
        { full: true, window: { ...window, sliding: false } },
        { signal: new AbortController().signal, reportProgress() {} },
      );
    expect(row(fresh.id)?.summary).toBe('Not pushed yet');
    expect(row(made.newYorkAfter)?.summary).toBe('Edited during a sync');

    expect((await sync())?.status).toBe('succeeded');
    expect(await remoteNamed('Not pushed yet')).toHaveLength(1);
    expect(await remoteNamed('Edited during a sync')).toHaveLength(1);
    expect(row(made.newYorkAfter)?.summary).toBe('Edited during a sync');
  }, 60_000);

  it('an edit the provider refuses for good is dropped and the person told; the same sync shows the provider’s copy again', async () => {
    const told: CoreEvent[] = [];
    const stop = engine.events.subscribe((event) => {
      if (event.type === 'calendar.edit_failed') told.push(event);
    });
    try {
      const before = row(made.newYorkAfter)?.summary;
      const remoteId = row(made.newYorkAfter)?.remote_id;
      await control('/faults', {
        method: 'POST',
        body: { fault: { endpoint: provider.patchEndpoint, kind: 'status', status: 400, count: 1 } },
      });
      editEvent(engine.db, made.newYorkAfter, { summary: 'Refused' });
      expect((await sync())?.status).toBe('succeeded');
      expect(countQueuedEventEdits(engine.db, accountId)).toBe(0);
      expect(told).toMatchObject([
        { type: 'calendar.edit_failed', provider_event_id: remoteId, edit: 'update', reason: { provider_status: 400 } },
      ]);
      expect(await remoteNamed('Refused')).toEqual([]);
      // The refusal made that sync list the calendars in full: the provider's copy is back already.
      expect(row(made.newYorkAfter)?.summary).toBe(before);
    } finally {
      stop();
      await control('/faults', { method: 'DELETE' });
    }
  }, 60_000);
});
