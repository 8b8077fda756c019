import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexPath } from '../../main/core/paths.ts';
import { openIndex } from '../../main/db/openIndex.ts';
import { writeEvents } from '../../main/db/queries/calendarEvents.ts';
import { eventInput, seedCalendar } from '../support/calendarFixtures.ts';
import { runCli } from '../support/serveProcess.ts';
import { makeTempDir } from '../support/tempDir.ts';

// A weekly 09:00 New York meeting across the US DST change (8 March 2026):
// 14:00 UTC before it, 13:00 UTC after. Expanded instances as Google returns them.
const nyInstances = [Date.UTC(2026, 2, 5, 14), Date.UTC(2026, 2, 12, 13)];

describe('outpost agenda', () => {
  const dir = makeTempDir();
  const dataDir = join(dir.path, 'data');
  beforeAll(() => {
    const db = openIndex(indexPath(dataDir));
    const { calendarId } = seedCalendar(db);
    writeEvents(db, calendarId, [
      ...nyInstances.map((start, i) =>
        eventInput({
          remoteId: `weekly_${i}`,
          seriesRemoteId: 'weekly',
          startsAt: start,
          endsAt: start + 3600_000,
          summary: 'Planning',
          location: 'Room 4',
          timeZone: 'America/New_York',
        }),
      ),
      eventInput({
        remoteId: 'holiday',
        startsAt: Date.UTC(2026, 2, 6, 5),
        endsAt: Date.UTC(2026, 2, 7, 5),
        isAllDay: true,
        startDate: '2026-03-06',
        endDate: '2026-03-07',
        summary: 'Team holiday',
      }),
    ]);
    db.close();
  });
  afterAll(() => dir.remove());

  it('shows recurring instances at the same local time on both sides of DST, grouped by local day', async () => {
    const now = Date.UTC(2026, 2, 5, 12);
    const { code, stdout } = await runCli(['agenda', '--days', '10', '--data-dir', dataDir], {
      TZ: 'America/New_York',
      OUTPOST_NOW: String(now),
    });
    expect(code).toBe(0);
    expect(stdout).toContain('Thursday 5 March\n  09:00–10:00  Planning  @ Room 4  [Work]');
    expect(stdout).toContain('Thursday 12 March\n  09:00–10:00  Planning  @ Room 4  [Work]');
    expect(stdout).toContain('Friday 6 March\n  all day      Team holiday  [Work]');
  });

  it('shows the same instances in Berlin time, where the change has not happened yet', async () => {
    const { stdout } = await runCli(['agenda', '--days', '10', '--data-dir', dataDir], {
      TZ: 'Europe/Berlin',
      OUTPOST_NOW: String(Date.UTC(2026, 2, 5, 12)),
    });
    expect(stdout).toContain('Thursday 5 March\n  15:00–16:00  Planning');
    expect(stdout).toContain('Thursday 12 March\n  14:00–15:00  Planning');
  });

  it('says so when nothing is scheduled, and rejects bad --days', async () => {
    expect(
      (await runCli(['agenda', '--days', '2', '--data-dir', dataDir], { OUTPOST_NOW: String(Date.UTC(2030, 0, 1)) })).stdout,
    ).toMatch(/nothing on your calendars/);
    const bad = await runCli(['agenda', '--days', '0', '--data-dir', dataDir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--days must be/);
  });
});
