import { expect, it } from 'vitest';
import { indexPath } from '../../main/core/paths.ts';
import { openIndex } from '../../main/db/openIndex.ts';
import { writeEvents } from '../../main/db/queries/calendarEvents.ts';
import type { CalendarEvent } from '../../shared/api/calendar.ts';
import { eventInput, seedCalendar } from '../support/calendarFixtures.ts';
import { useUiSession } from '../support/uiHarness.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

const today = new Date();
const addDays = (date: Date, days: number) => new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
const isoDate = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
/** Today at `hours` in this process's zone (the browser's). */
const at = (hours: number) => new Date(today.getFullYear(), today.getMonth(), today.getDate(), 0, hours * 60);

describeOnEachSurface('creating, editing and deleting an event from the calendar', (surface) => {
  const ui = useUiSession(
    surface,
    (dataDir) => {
      const db = openIndex(indexPath(dataDir));
      seedCalendar(db, 'Work');
      db.close();
    },
    () => ({}),
    { locale: 'en-GB' },
  );
  /** The events the API has today. */
  const todays = async () => {
    const query = new URLSearchParams({ from: at(0).toISOString(), to: at(24).toISOString() });
    const response = await ui.api(`/v1/calendar/events?${query}`);
    return ((await response.json()) as { data: CalendarEvent[] }).data;
  };

  it('New event saves it through the API at the times typed; Edit changes it; Delete, asked first, removes it', async () => {
    const page = await ui.openPage({ viewport: { width: 1400, height: 900 } });
    await page.getByRole('button', { name: 'Calendar' }).click();
    const week = page.getByRole('region', { name: 'Week' });
    await page.getByRole('button', { name: 'New event' }).click();
    const form = page.getByRole('form', { name: 'New event' });
    await form.getByLabel('Title').fill('Lunch with Ann');
    await form.getByLabel('Starts').fill(isoDate(today));
    await form.getByLabel('Start time').fill('12:00');
    await form.getByLabel('Ends').fill(isoDate(today));
    await form.getByLabel('End time').fill('12:30');
    await form.getByLabel('Location').fill('Canteen');
    await form.getByLabel('Guests').fill('bob@example.com, not-an-address');
    await form.getByLabel('Reminder').selectOption({ label: '15 minutes before' });
    await expect.poll(() => form.getByLabel('Calendar').inputValue(), { timeout: 10_000 }).not.toBe('');
    await form.getByRole('button', { name: 'Save' }).click();
    expect(await form.getByRole('alert').textContent()).toMatch(/not-an-address is not an email address/);
    await form.getByLabel('Guests').fill('bob@example.com, carol@example.com');
    // The end before the start is refused in the form.
    await form.getByLabel('End time').fill('11:00');
    await form.getByRole('button', { name: 'Save' }).click();
    expect(await form.getByRole('alert').textContent()).toMatch(/ends before it starts/);
    await form.getByLabel('End time').fill('12:30');
    await ui.screenshot(page, 'calendar-new-event.png');
    await form.getByRole('button', { name: 'Save' }).click();

    const chip = week.getByRole('button', { name: /Lunch with Ann/ });
    await expect.poll(() => chip.count(), { timeout: 10_000 }).toBe(1);
    const details = page.getByRole('complementary', { name: 'Event details' });
    expect(await details.getByRole('heading', { name: 'Lunch with Ann' }).count()).toBe(1);
    const [created] = await todays();
    expect(created).toMatchObject({ summary: 'Lunch with Ann', location: 'Canteen', all_day: false, reminders_minutes: [15] });
    expect(created?.attendees.map((a) => a.email)).toEqual(['bob@example.com', 'carol@example.com']);
    expect([Date.parse(created?.start ?? ''), Date.parse(created?.end ?? '')]).toEqual([at(12).getTime(), at(12.5).getTime()]);

    await details.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit event' });
    expect(await edit.getByLabel('Start time').inputValue()).toBe('12:00');
    await edit.getByLabel('Title').fill('Lunch with Bob');
    await edit.getByLabel('End time').fill('13:15');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => week.getByRole('button', { name: /Lunch with Bob/ }).count(), { timeout: 10_000 }).toBe(1);
    const [edited] = await todays();
    expect(edited?.id).toBe(created?.id);
    expect(Date.parse(edited?.end ?? '')).toBe(at(13.25).getTime());

    await details.getByRole('button', { name: 'Delete' }).click();
    await details.getByRole('button', { name: 'Keep' }).click();
    expect(await todays()).toHaveLength(1);
    await details.getByRole('button', { name: 'Delete' }).click();
    expect(await details.textContent()).toMatch(/Delete “Lunch with Bob”\? Its guests are told\./);
    await details.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => week.getByRole('button', { name: /Lunch with Bob/ }).count(), { timeout: 10_000 }).toBe(0);
    expect(await todays()).toHaveLength(0);
    await ui.closePage(page);
  });

  it('a time zone of its own: the times typed are that zone’s, kept as the event’s zone and shown in it when edited', async () => {
    const page = await ui.openPage({ viewport: { width: 1400, height: 900 } });
    await page.getByRole('button', { name: 'Calendar' }).click();
    await page.getByRole('button', { name: 'New event' }).click();
    const form = page.getByRole('form', { name: 'New event' });
    await form.getByLabel('Title').fill('Call with New York');
    await form.getByLabel('Starts').fill(isoDate(today));
    await form.getByLabel('Start time').fill('09:00');
    await form.getByLabel('Ends').fill(isoDate(today));
    await form.getByLabel('End time').fill('09:30');
    await form.getByLabel('Time zone').fill('Mars/Olympus');
    await expect.poll(() => form.getByLabel('Calendar').inputValue(), { timeout: 10_000 }).not.toBe('');
    await form.getByRole('button', { name: 'Save' }).click();
    expect(await form.getByRole('alert').textContent()).toMatch(/Mars\/Olympus is not a time zone/);
    await form.getByLabel('Time zone').fill('America/New_York');
    await form.getByRole('button', { name: 'Save' }).click();
    const query = new URLSearchParams({ from: at(-48).toISOString(), to: at(72).toISOString() });
    const named = async () =>
      ((await (await ui.api(`/v1/calendar/events?${query}`)).json()) as { data: CalendarEvent[] }).data.filter(
        (e) => e.summary === 'Call with New York',
      );
    await expect.poll(async () => (await named()).length, { timeout: 10_000 }).toBe(1);
    const [call] = await named();
    // 09:00 in New York on that date, whatever this machine's zone.
    const nine = new Date(`${isoDate(today)}T09:00:00`).getTime();
    const newYorkOffset = (ms: number) =>
      new Date(new Date(ms).toLocaleString('en-US', { timeZone: 'America/New_York' })).getTime() -
      new Date(new Date(ms).toLocaleString('en-US', { timeZone: 'UTC' })).getTime();
    const expected = Date.parse(`${isoDate(today)}T09:00:00Z`) - newYorkOffset(nine);
    expect(call).toMatchObject({ time_zone: 'America/New_York' });
    expect(Date.parse(call?.start ?? '')).toBe(expected);
    await page.getByRole('complementary', { name: 'Event details' }).getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit event' });
    expect(await edit.getByLabel('Start time').inputValue()).toBe('09:00');
    expect(await edit.getByLabel('Time zone').inputValue()).toBe('America/New_York');
    await ui.closePage(page);
  });

  it('Repeat makes a series: every weekday, five times, all five in the calendar at once', async () => {
    const page = await ui.openPage({ viewport: { width: 1400, height: 900 } });
    await page.getByRole('button', { name: 'Calendar' }).click();
    await page.getByRole('button', { name: 'New event' }).click();
    const form = page.getByRole('form', { name: 'New event' });
    await form.getByLabel('Title').fill('Morning check');
    await form.getByLabel('Starts').fill(isoDate(today));
    await form.getByLabel('Start time').fill('08:00');
    await form.getByLabel('Ends').fill(isoDate(today));
    await form.getByLabel('End time').fill('08:15');
    await form.getByLabel('Repeat').selectOption({ label: 'Every weekday (Monday to Friday)' });
    await form.getByLabel('Series ends').selectOption({ label: 'After a number of times' });
    await form.getByLabel('How many times').fill('5');
    await expect.poll(() => form.getByLabel('Calendar').inputValue(), { timeout: 10_000 }).not.toBe('');
    await ui.screenshot(page, 'calendar-repeat.png');
    await form.getByRole('button', { name: 'Save' }).click();
    const query = new URLSearchParams({ from: at(0).toISOString(), to: at(24 * 10).toISOString() });
    const series = async () =>
      ((await (await ui.api(`/v1/calendar/events?${query}`)).json()) as { data: CalendarEvent[] }).data.filter(
        (e) => e.summary === 'Morning check',
      );
    await expect.poll(async () => (await series()).length, { timeout: 10_000 }).toBe(5);
    const instances = await series();
    expect(new Set(instances.map((e) => e.series_id)).size).toBe(1);
    for (const e of instances) {
      const start = new Date(e.start);
      expect([1, 2, 3, 4, 5]).toContain(start.getDay());
      expect([start.getHours(), start.getMinutes()]).toEqual([8, 0]);
    }
    await ui.closePage(page);
  });

  it('an all-day event takes its first and last day', async () => {
    const page = await ui.openPage({ viewport: { width: 1400, height: 900 } });
    await page.getByRole('button', { name: 'Calendar' }).click();
    // In the calendar c makes an event, not a message.
    await page.getByRole('region', { name: 'Week' }).waitFor();
    await page.keyboard.press('c');
    const form = page.getByRole('form', { name: 'New event' });
    await expect
      .poll(
        () =>
          form
            .getByLabel('Title')
            .evaluate(
              (input) => input === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
            ),
        { timeout: 10_000 },
      )
      .toBe(true);
    expect(await page.getByRole('dialog').count()).toBe(0);
    await form.getByLabel('Title').fill('Offsite');
    await form.getByLabel('All day').check();
    await form.getByLabel('First day').fill(isoDate(today));
    await form.getByLabel('Last day').fill(isoDate(addDays(today, 1)));
    await expect.poll(() => form.getByLabel('Calendar').inputValue(), { timeout: 10_000 }).not.toBe('');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(
        () =>
          page
            .getByRole('region', { name: 'Week' })
            .getByRole('button', { name: /Offsite/ })
            .count(),
        { timeout: 10_000 },
      )
      .toBeGreaterThan(0);
    const [offsite] = await todays();
    expect(offsite).toMatchObject({ all_day: true, start_date: isoDate(today), end_date: isoDate(addDays(today, 2)) });
    await ui.closePage(page);
  });
});

describeOnEachSurface('changing and deleting a recurring event from the calendar', (surface) => {
  /** A daily standup from today for four days, 15:00 to 15:30 in this process's zone: instances of one series. */
  const starts = [0, 1, 2, 3].map((d) => new Date(today.getFullYear(), today.getMonth(), today.getDate() + d, 15).getTime());
  const ui = useUiSession(
    surface,
    (dataDir) => {
      const db = openIndex(indexPath(dataDir));
      const { calendarId } = seedCalendar(db, 'Work');
      writeEvents(
        db,
        calendarId,
        starts.map((start, i) =>
          eventInput({
            remoteId: `standup_${i}`,
            seriesRemoteId: 'standup',
            originalStartAt: start,
            startsAt: start,
            endsAt: start + 30 * 60_000,
            summary: 'Standup',
            timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
          }),
        ),
      );
      db.close();
    },
    () => ({}),
    { locale: 'en-GB' },
  );
  const series = async () => {
    const query = new URLSearchParams({
      from: at(0).toISOString(),
      to: new Date((starts[3] as number) + 86_400_000).toISOString(),
    });
    const response = await ui.api(`/v1/calendar/events?${query}`);
    return ((await response.json()) as { data: CalendarEvent[] }).data.filter((e) => e.series_id !== null);
  };

  it('Edit asks which events change: "All events" renames every instance; Delete "This and following" removes the rest', async () => {
    const page = await ui.openPage({ viewport: { width: 1400, height: 900 } });
    await page.getByRole('button', { name: 'Calendar' }).click();
    const week = page.getByRole('region', { name: 'Week' });
    await week
      .getByRole('button', { name: /Standup/ })
      .first()
      .click();
    const details = page.getByRole('complementary', { name: 'Event details' });
    await details.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit event' });
    const scope = edit.getByRole('group', { name: 'Change recurring event' });
    expect(await scope.getByLabel('This event').isChecked()).toBe(true);
    await scope.getByLabel('All events').check();
    await edit.getByLabel('Title').fill('Team standup');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(async () => (await series()).map((e) => e.summary), { timeout: 10_000 })
      .toEqual(Array(4).fill('Team standup'));

    await week
      .getByRole('button', { name: /Team standup/ })
      .first()
      .click();
    await details.getByRole('button', { name: 'Delete' }).click();
    const deleteScope = details.getByRole('group', { name: 'Delete recurring event' });
    await deleteScope.getByLabel('This and following events').check();
    await ui.screenshot(page, 'calendar-delete-series.png');
    await details.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(async () => (await series()).length, { timeout: 10_000 }).toBe(0);
    await ui.closePage(page);
  });
});
