import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexPath } from '../../main/core/paths.ts';
import { openIndex } from '../../main/db/openIndex.ts';
import { upsertCalendar, writeEvents } from '../../main/db/queries/calendarEvents.ts';
import { eventInput, seedCalendar } from '../support/calendarFixtures.ts';
import { chromiumMissingReason } from '../support/chromium.ts';
import { SCREENSHOTS, useUiHarness } from '../support/uiHarness.ts';

describe.skipIf(chromiumMissingReason !== null)(
  `the calendar views (real Chromium)${chromiumMissingReason ? ` — skipped: ${chromiumMissingReason}` : ''}`,
  () => {
    const ui = useUiHarness((dataDir) => {
      const db = openIndex(indexPath(dataDir));
      const { account, calendarId } = seedCalendar(db, 'Work');
      const home = upsertCalendar(db, account.id, {
        remoteId: 'home',
        name: 'Home',
        color: '#e67c73',
        timeZone: 'UTC',
        isPrimary: false,
      });
      // Today at 10:00 and 14:00 local to the browser (TZ of this process), and an all-day event.
      const today = new Date();
      const at = (hours: number) => new Date(today.getFullYear(), today.getMonth(), today.getDate(), hours).getTime();
      const date = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
      const tomorrow = new Date(today.getFullYear(), today.getMonth(), today.getDate() + 1);
      const nextDate = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
      writeEvents(db, calendarId, [
        eventInput({
          remoteId: 'review',
          startsAt: at(10),
          endsAt: at(11),
          summary: 'Design review',
          location: 'Room 4',
          conferenceUrl: 'https://meet.example.test/review',
          attendees: [
            { email: 'ann@example.test', name: 'Ann', response: 'accepted', optional: false, organizer: true, self: false },
            { email: 'bob@example.test', name: 'Bob', response: 'declined', optional: false, organizer: false, self: false },
          ],
        }),
        eventInput({
          remoteId: 'offsite',
          startsAt: at(0),
          endsAt: at(24),
          isAllDay: true,
          startDate: date,
          endDate: nextDate,
          summary: 'Team offsite',
        }),
      ]);
      writeEvents(db, home, [eventInput({ remoteId: 'dentist', startsAt: at(14), endsAt: at(15), summary: 'Dentist' })]);
      db.close();
    });

    it("shows this week with timed and all-day events, and an event's details", async () => {
      const page = await ui.browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(ui.serve.uiUrl);
      await page.getByRole('button', { name: 'Calendar' }).click();
      const week = page.getByRole('region', { name: 'Week' });
      await expect.poll(() => week.getByRole('button', { name: /Design review/ }).count(), { timeout: 10_000 }).toBe(1);
      expect(await week.getByRole('button', { name: /Dentist/ }).count()).toBe(1);
      expect(await week.getByRole('button', { name: /Team offsite/ }).count()).toBe(1);
      // The 10:00 event sits above the 14:00 one in the same day column.
      const review = await week.getByRole('button', { name: /Design review/ }).boundingBox();
      const dentist = await week.getByRole('button', { name: /Dentist/ }).boundingBox();
      expect(review && dentist && review.y < dentist.y).toBe(true);

      await week.getByRole('button', { name: /Design review/ }).click();
      const details = page.getByRole('complementary', { name: 'Event details' });
      expect(await details.textContent()).toMatch(/Room 4/);
      expect(await details.getByRole('link', { name: 'Join the video call' }).getAttribute('href')).toBe(
        'https://meet.example.test/review',
      );
      expect(await details.getByRole('list', { name: 'Attendees' }).textContent()).toMatch(/Ann.*accepted.*Bob.*declined/);
      await page.screenshot({ path: join(SCREENSHOTS, 'calendar-week.png') });

      await page.getByRole('button', { name: 'Agenda' }).click();
      const agendaText = await page.locator('.agenda').textContent();
      expect(agendaText).toMatch(/All day.*Team offsite/);
      expect(agendaText?.indexOf('Design review')).toBeLessThan(agendaText?.indexOf('Dentist') ?? 0);
      await page.screenshot({ path: join(SCREENSHOTS, 'calendar-agenda.png') });

      await page.getByRole('button', { name: 'Next week' }).click();
      await expect.poll(() => page.getByText('Nothing scheduled this week.').count(), { timeout: 10_000 }).toBe(1);
      await page.close();
    });
  },
);
