import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IndexDb, openIndex } from '../../../main/db/openIndex.ts';
import { deleteEvents, listEventsInRange, writeEvents } from '../../../main/db/queries/calendarEvents.ts';
import { eventInput, seedCalendar } from '../../support/calendarFixtures.ts';

const H = 3600 * 1000;
const D = 24 * H;
const t0 = Date.UTC(2026, 2, 1);

describe('calendar events in the index', () => {
  let db: IndexDb;
  beforeEach(() => {
    db = openIndex(':memory:');
  });
  afterEach(() => db.close());

  it('returns exactly the events overlapping the range, in start order, without cancelled ones', () => {
    const { calendarId } = seedCalendar(db);
    writeEvents(db, calendarId, [
      eventInput({ remoteId: 'before', startsAt: t0 - 2 * H, endsAt: t0 - H }),
      eventInput({ remoteId: 'straddles-start', startsAt: t0 - H, endsAt: t0 + H }),
      eventInput({ remoteId: 'inside', startsAt: t0 + 5 * H, endsAt: t0 + 6 * H }),
      eventInput({ remoteId: 'cancelled', startsAt: t0 + 2 * H, endsAt: t0 + 3 * H, status: 'cancelled' }),
      eventInput({ remoteId: 'ends-at-start', startsAt: t0 - H, endsAt: t0 }),
      eventInput({ remoteId: 'starts-at-end', startsAt: t0 + D, endsAt: t0 + D + H }),
      eventInput({ remoteId: 'conference-week', startsAt: t0 - 3 * D, endsAt: t0 + 3 * D }),
      eventInput({ remoteId: 'sabbatical', startsAt: t0 - 40 * D, endsAt: t0 + 40 * D }),
    ]);
    const ids = listEventsInRange(db, { from: t0, to: t0 + D }).map((e) => e.remote_id);
    expect(ids).toEqual(['sabbatical', 'conference-week', 'straddles-start', 'inside']);
  });

  it('filters by calendar, updates in place and deletes', () => {
    const work = seedCalendar(db, 'Work');
    const home = seedCalendar(db, 'Home');
    writeEvents(db, work.calendarId, [eventInput({ remoteId: 'w', startsAt: t0, endsAt: t0 + H })]);
    writeEvents(db, home.calendarId, [eventInput({ remoteId: 'h', startsAt: t0, endsAt: t0 + H })]);
    expect(listEventsInRange(db, { from: t0, to: t0 + D, calendarIds: [home.calendarId] }).map((e) => e.remote_id)).toEqual([
      'h',
    ]);
    writeEvents(db, work.calendarId, [eventInput({ remoteId: 'w', startsAt: t0 + 2 * H, endsAt: t0 + 3 * H, summary: 'Moved' })]);
    expect(listEventsInRange(db, { from: t0, to: t0 + D, calendarIds: [work.calendarId] })[0]).toMatchObject({
      summary: 'Moved',
      starts_at: t0 + 2 * H,
    });
    expect(deleteEvents(db, work.calendarId, ['w', 'missing'])).toBe(1);
    expect(listEventsInRange(db, { from: t0, to: t0 + D })).toHaveLength(1);
  });
});
