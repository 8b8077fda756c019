import { describe, expect, it } from 'vitest';
import { openIndex } from '../../../main/db/openIndex.ts';
import { overlapsWindow, roundWindow, storedWindow, storeWindow } from '../../../main/providers/gcal/syncWindow.ts';
import { seedCalendar } from '../../support/calendarFixtures.ts';
import { makeTempDir } from '../../support/tempDir.ts';

const DAY = 86_400_000;
const window = { from: 100 * DAY, to: 370 * DAY };

describe('calendar sync windows', () => {
  it('keeps an instance that overlaps the window, as timeMin/timeMax and calendarView select', () => {
    expect(overlapsWindow({ startsAt: window.from - 3600_000, endsAt: window.from + 1 }, window)).toBe(true);
    expect(overlapsWindow({ startsAt: window.from - 3600_000, endsAt: window.from }, window)).toBe(false); // ends as it opens
    expect(overlapsWindow({ startsAt: window.to - 1, endsAt: window.to + DAY }, window)).toBe(true);
    expect(overlapsWindow({ startsAt: window.to, endsAt: window.to + DAY }, window)).toBe(false); // starts as it closes
  });

  it('keeps an incremental round to the stored window until the default window has moved a day', () => {
    const stored = { ...window, sliding: true };
    const later = (ms: number) => ({ from: window.from + ms, to: window.to + ms, sliding: true });
    expect(roundWindow(null, later(5 * DAY))).toEqual({ window: later(5 * DAY), relist: false });
    expect(roundWindow(stored, later(3600_000))).toEqual({ window: stored, relist: false });
    expect(roundWindow(stored, later(DAY))).toEqual({ window: later(DAY), relist: true });
    // Bounds a job gave explicitly stay put, and so do cursors minted for them.
    expect(roundWindow({ ...window, sliding: false }, later(30 * DAY))).toEqual({
      window: { ...window, sliding: false },
      relist: false,
    });
    expect(roundWindow(stored, { ...later(30 * DAY), sliding: false })).toEqual({ window: stored, relist: false });
  });

  it('stores the window next to the cursor, and reads back nothing for a cursor stored without one', () => {
    const dir = makeTempDir();
    const db = openIndex(`${dir.path}/index.sqlite`);
    try {
      const accountId = seedCalendar(db).account.id;
      expect(storedWindow(db, accountId, 'gcal.syncToken', 'primary')).toBeNull();
      storeWindow(db, accountId, 'gcal.syncToken', 'primary', { ...window, sliding: true });
      storeWindow(db, accountId, 'gcal.syncToken', 'work', window);
      expect(storedWindow(db, accountId, 'gcal.syncToken', 'primary')).toEqual({ ...window, sliding: true });
      expect(storedWindow(db, accountId, 'gcal.syncToken', 'work')).toEqual({ ...window, sliding: false });
    } finally {
      db.close();
      dir.remove();
    }
  });
});
