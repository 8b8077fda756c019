/**
 * Issue 22: the calendar list — each calendar shown or hidden in the views, its colour, and the default
 * calendar new events go to, kept through the API.
 */
import { expect, it } from 'vitest';
import { indexPath } from '../../main/core/paths.ts';
import { openIndex } from '../../main/db/openIndex.ts';
import { writeEvents } from '../../main/db/queries/calendarEvents.ts';
import type { Calendar } from '../../shared/api/calendar.ts';
import { eventInput, seedCalendar } from '../support/calendarFixtures.ts';
import { useUiSession } from '../support/uiHarness.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

const today = new Date();
/** Today at `hours` in this process's zone (the browser's). */
const at = (hours: number) => new Date(today.getFullYear(), today.getMonth(), today.getDate(), 0, hours * 60).getTime();

describeOnEachSurface('the calendar list', (surface) => {
  const ui = useUiSession(
    surface,
    (dataDir) => {
      const db = openIndex(indexPath(dataDir));
      const work = seedCalendar(db, 'Work').calendarId;
      const home = seedCalendar(db, 'Home').calendarId;
      writeEvents(db, work, [eventInput({ remoteId: 'review', startsAt: at(10), endsAt: at(11), summary: 'Design review' })]);
      writeEvents(db, home, [eventInput({ remoteId: 'dentist', startsAt: at(14), endsAt: at(15), summary: 'Dentist' })]);
      db.close();
    },
    () => ({}),
    { locale: 'en-GB' },
  );
  const calendars = async () => ((await (await ui.api('/v1/calendar/calendars')).json()) as { data: Calendar[] }).data;

  it('hides a calendar from the views, colours one, and makes one the default for new events', async () => {
    const page = await ui.openPage({ viewport: { width: 1400, height: 900 } });
    await page.getByRole('button', { name: 'Calendar' }).click();
    const week = page.getByRole('region', { name: 'Week' });
    await expect.poll(() => week.getByRole('button', { name: /Dentist/ }).count(), { timeout: 10_000 }).toBe(1);

    await page.getByText('Calendars', { exact: true }).click();
    const list = page.getByRole('list', { name: 'Calendars' });
    await list.getByLabel('Show Home').uncheck();
    await expect.poll(() => week.getByRole('button', { name: /Dentist/ }).count(), { timeout: 10_000 }).toBe(0);
    expect(await week.getByRole('button', { name: /Design review/ }).count()).toBe(1);
    await list.getByLabel('Colour of Work').fill('#aa3300');
    await list.getByLabel('New events go to Home').check();
    await ui.screenshot(page, 'calendar-list.png');
    await expect
      .poll(async () => (await calendars()).map((c) => [c.name, c.hidden, c.color, c.is_default]).sort())
      .toEqual([
        ['Home', true, '#4285f4', true],
        ['Work', false, '#aa3300', false],
      ]);

    // A reload keeps it all; New event picks the default calendar.
    await page.reload();
    await page.getByRole('button', { name: 'Calendar' }).click();
    await expect.poll(() => week.getByRole('button', { name: /Design review/ }).count(), { timeout: 10_000 }).toBe(1);
    expect(await week.getByRole('button', { name: /Dentist/ }).count()).toBe(0);
    await page.getByRole('button', { name: 'New event' }).click();
    const form = page.getByRole('form', { name: 'New event' });
    const home = (await calendars()).find((c) => c.name === 'Home')?.id;
    await expect.poll(() => form.getByLabel('Calendar').inputValue(), { timeout: 10_000 }).toBe(home);
    await ui.closePage(page);
  });
});
