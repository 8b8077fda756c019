/**
 * "This and following" and "all events" edits and deletes of a recurring series, and a change of its rule,
 * made in Outpost: the index changes at once, and after the push the provider holds exactly the instances its
 * own client would leave (Google: the series ends with COUNT/UNTIL and a new series starts; Graph: the series
 * master's range ends and a new series starts), which the index then mirrors.
 */
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, deleteEvent, editEvent } from '../../main/calendar/eventEdits.ts';
import type { Engine } from '../../main/core/engine.ts';
import { countQueuedEventEdits } from '../../main/db/queries/eventEdits.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { DAY_MS, google, outlook } from '../support/calendarProviders.ts';
import { runCalendarSync, type TimeWindow } from '../support/calendarSnapshots.ts';
import { emulatorControl } from '../support/emulatorAccounts.ts';
import { makeTempDir } from '../support/tempDir.ts';

const ZONE = 'Europe/Berlin';
const HOUR = 3_600_000;

interface Indexed {
  id: number;
  remote_id: string;
  summary: string;
  location: string;
  starts_at: number;
  ends_at: number;
}

describe.each([google, outlook])('a recurring series edited in Outpost: this and following, all ($name)', (provider) => {
  const dir = makeTempDir();
  let emulator: RunningEmulator;
  let engine: Engine;
  let accountId: string;
  let control: ReturnType<typeof emulatorControl>;
  let window: TimeWindow;
  /** The series' six weekly starts as first created (09:00 Berlin, wall-clock). */
  let slots: number[] = [];

  const sync = async () => (await runCalendarSync(engine, accountId, 'incremental', window))?.status;
  const indexed = (summary: string) =>
    engine.db
      .prepare(
        `SELECT e.id, e.remote_id, e.summary, e.location, e.starts_at, e.ends_at FROM events e JOIN calendars c ON c.id = e.calendar_id
          WHERE c.account_id = ? AND e.summary = ? AND e.status != 'cancelled' ORDER BY e.starts_at`,
      )
      .all(accountId, summary) as Indexed[];
  const remote = async (summary: string) =>
    (await provider.remote(control, window)).filter((e) => e.summary === summary).sort((a, b) => a.startMs - b.startMs);
  /** The index holds exactly the provider's instances of that title: the same ids, times and places. */
  const expectIndexMirrors = async (summary: string) => {
    const there = await remote(summary);
    expect(
      indexed(summary).map((r) => ({ id: r.remote_id, startMs: r.starts_at, endMs: r.ends_at, location: r.location })),
    ).toEqual(there.map((e) => ({ id: e.id, startMs: e.startMs, endMs: e.endMs, location: e.location })));
    return there;
  };

  beforeAll(async () => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: 3 },
      serviceOptions: { google: { quotaEnabled: false } },
    });
    control = emulatorControl(emulator);
    ({ engine, accountId } = await provider.open(emulator, dir.path));
    const now = (await control('/clock')).now as number;
    window = { from: now - DAY_MS, to: now + 400 * DAY_MS };
    expect((await runCalendarSync(engine, accountId, 'full', window))?.status).toBe('succeeded');
    const first = DateTime.fromMillis(now, { zone: ZONE })
      .plus({ days: 2 })
      .set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
    slots = Array.from({ length: 6 }, (_, i) => first.plus({ weeks: i }).toMillis());
    const calendarId = (
      engine.db.prepare('SELECT id FROM calendars WHERE account_id = ? ORDER BY is_primary DESC, id LIMIT 1').get(accountId) as {
        id: number;
      }
    ).id;
    createEvent(engine.db, {
      calendarId,
      summary: 'Weekly sync',
      startsAt: first.toMillis(),
      endsAt: first.plus({ minutes: 30 }).toMillis(),
      timeZone: ZONE,
      recurrence: 'FREQ=WEEKLY;COUNT=6',
    });
    expect(await sync()).toBe('succeeded');
    expect((await expectIndexMirrors('Weekly sync')).map((e) => e.startMs)).toEqual(slots);
  }, 90_000);

  afterAll(async () => {
    await engine?.close();
    await emulator?.stop();
    dir.remove();
  });

  it('"all events": a new title and an hour later for every instance, in the index at once and at the provider', async () => {
    const third = indexed('Weekly sync')[2] as Indexed;
    editEvent(engine.db, third.id, { summary: 'Team sync', startsAt: third.starts_at + HOUR }, 'all');
    // At once: every instance renamed and an hour later, still 30 minutes long.
    expect(indexed('Weekly sync')).toEqual([]);
    expect(indexed('Team sync').map((r) => [r.starts_at, r.ends_at])).toEqual(
      slots.map((s) => [s + HOUR, s + HOUR + 30 * 60_000]),
    );

    expect(await sync()).toBe('succeeded');
    expect(countQueuedEventEdits(engine.db, accountId)).toBe(0);
    expect(await remote('Weekly sync')).toEqual([]);
    expect((await expectIndexMirrors('Team sync')).map((e) => e.startMs)).toEqual(slots.map((s) => s + HOUR));
  }, 60_000);

  it('"this and following": the fourth and later instances become their own series, the first three stay', async () => {
    const fourth = indexed('Team sync')[3] as Indexed;
    editEvent(engine.db, fourth.id, { summary: 'Later sync', location: 'Room 2' }, 'following');
    expect(indexed('Team sync').map((r) => r.starts_at)).toEqual(slots.slice(0, 3).map((s) => s + HOUR));
    expect(indexed('Later sync').map((r) => [r.starts_at, r.location])).toEqual(slots.slice(3).map((s) => [s + HOUR, 'Room 2']));

    expect(await sync()).toBe('succeeded');
    expect(countQueuedEventEdits(engine.db, accountId)).toBe(0);
    expect((await expectIndexMirrors('Team sync')).map((e) => e.startMs)).toEqual(slots.slice(0, 3).map((s) => s + HOUR));
    const later = await expectIndexMirrors('Later sync');
    expect(later.map((e) => [e.startMs, e.location])).toEqual(slots.slice(3).map((s) => [s + HOUR, 'Room 2']));
  }, 60_000);

  it('"this and following" delete: the instance and those after it are gone, the earlier one stays', async () => {
    const [firstLater, secondLater] = indexed('Later sync');
    deleteEvent(engine.db, secondLater?.id as number, 'following');
    expect(indexed('Later sync').map((r) => r.id)).toEqual([firstLater?.id]);

    expect(await sync()).toBe('succeeded');
    expect((await expectIndexMirrors('Later sync')).map((e) => e.startMs)).toEqual([(slots[3] as number) + HOUR]);
  }, 60_000);

  it('a new rule for "all events": the series repeats daily three times from its first day', async () => {
    const second = indexed('Team sync')[1] as Indexed;
    editEvent(engine.db, second.id, { recurrence: 'FREQ=DAILY;COUNT=3' }, 'all');
    expect(await sync()).toBe('succeeded');
    const first = DateTime.fromMillis((slots[0] as number) + HOUR, { zone: ZONE });
    expect((await expectIndexMirrors('Team sync')).map((e) => e.startMs)).toEqual(
      [0, 1, 2].map((d) => first.plus({ days: d }).toMillis()),
    );
  }, 60_000);

  it('"all events" delete: the whole series is gone, at once and at the provider', async () => {
    const last = indexed('Team sync').at(-1) as Indexed;
    deleteEvent(engine.db, last.id, 'all');
    expect(indexed('Team sync')).toEqual([]);
    expect(await sync()).toBe('succeeded');
    expect(await remote('Team sync')).toEqual([]);
    expect(indexed('Team sync')).toEqual([]);
    // The split-off series was its own: it stays.
    expect(await expectIndexMirrors('Later sync')).toHaveLength(1);
  }, 60_000);

  it('an "all events" edit of a series left with one instance', async () => {
    const later = indexed('Later sync')[0] as Indexed;
    editEvent(engine.db, later.id, { location: 'Room 3' }, 'all');
    expect(await sync()).toBe('succeeded');
    expect((await expectIndexMirrors('Later sync')).map((e) => e.location)).toEqual(['Room 3']);
  }, 60_000);
});
