import { expect, it } from 'vitest';
import { indexPath } from '../../main/core/paths.ts';
import { openIndex } from '../../main/db/openIndex.ts';
import { upsertCalendar, writeEvents } from '../../main/db/queries/calendarEvents.ts';
import { eventInput, seedCalendar } from '../support/calendarFixtures.ts';
import { useUiSession } from '../support/uiHarness.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

const today = new Date();
const dayOfThisMonth = (day: number) => new Date(today.getFullYear(), today.getMonth(), day);
const addDays = (date: Date, days: number) => new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
const mondayOf = (date: Date) => addDays(date, -((date.getDay() + 6) % 7));
const isoDate = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
// A day of this month with more events than a month cell shows, kept out of today's week and of the
// agenda's next seven days (the first test ends on an empty one): the 1st, or the 24th early in the month.
const busyDay = dayOfThisMonth(today.getDate() >= 10 ? 1 : 24);
/** `hours` (fractions allowed) after local midnight of `day`. */
const at = (hours: number, day = today) => new Date(day.getFullYear(), day.getMonth(), day.getDate(), 0, hours * 60).getTime();
/** The one browser global read here (the Node project has no DOM types). */
type BrowserWindow = { getComputedStyle(element: unknown): { color: string } };
// The UI runs in en-GB (see useUiSession below), so the tests can name days as the calendar does.
const longDay = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long' });
const fullDate = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const monthName = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric' });

describeOnEachSurface('the calendar views', (surface) => {
  const ui = useUiSession(
    surface,
    (dataDir) => {
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
      const date = isoDate(today);
      const nextDate = isoDate(addDays(today, 1));
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
      writeEvents(db, home, [
        eventInput({ remoteId: 'dentist', startsAt: at(14), endsAt: at(15), summary: 'Dentist' }),
        // Overlaps the design review: the two must stand side by side, not one over the other.
        eventInput({ remoteId: 'standup', startsAt: at(10.5), endsAt: at(11.5), summary: 'Standup' }),
      ]);
      // The busy day: nine interviews (more than a cell holds) and the first day of a three-day conference.
      writeEvents(
        db,
        calendarId,
        [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) =>
          eventInput({
            remoteId: `interview-${n}`,
            startsAt: at(8 + n, busyDay),
            endsAt: at(9 + n, busyDay),
            summary: `Interview ${n}`,
          }),
        ),
      );
      writeEvents(db, home, [
        eventInput({
          remoteId: 'conference',
          startsAt: at(0, busyDay),
          endsAt: at(0, addDays(busyDay, 3)),
          isAllDay: true,
          startDate: isoDate(busyDay),
          endDate: isoDate(addDays(busyDay, 3)),
          summary: 'Conference',
        }),
      ]);
      db.close();
    },
    () => ({}),
    // The calendar shows dates in en-GB, so the tests can name days as it does.
    { locale: 'en-GB' },
  );

  it("shows this week with timed and all-day events, and an event's details", async () => {
    const page = await ui.openPage({ viewport: { width: 1400, height: 900 } });
    await page.getByRole('button', { name: 'Calendar' }).click();
    const week = page.getByRole('region', { name: 'Week' });
    await expect.poll(() => week.getByRole('button', { name: /Design review/ }).count(), { timeout: 10_000 }).toBe(1);
    expect(await week.getByRole('button', { name: /Dentist/ }).count()).toBe(1);
    expect(await week.getByRole('button', { name: /Team offsite/ }).count()).toBe(1);
    // The 10:00 event sits above the 14:00 one in the same day column.
    const review = await week.getByRole('button', { name: /Design review/ }).boundingBox();
    const dentist = await week.getByRole('button', { name: /Dentist/ }).boundingBox();
    expect(review && dentist && review.y < dentist.y).toBe(true);
    // Overlapping events share the column side by side, each half as wide, neither covering the other.
    const standup = await week.getByRole('button', { name: /Standup/ }).boundingBox();
    expect(review && standup && review.x + review.width <= standup.x + 1).toBe(true);
    expect(review && standup && Math.abs(review.width - standup.width) < 2 && standup.y > review.y).toBe(true);
    expect(review && dentist && review.width < dentist.width / 1.8).toBe(true);
    // The grid opens at 07:00 rather than midnight (nothing starts earlier today), or as near as it scrolls.
    const scroll = await week.evaluate((grid) => {
      const { scrollTop, scrollHeight, clientHeight } = grid as unknown as {
        [k in 'scrollTop' | 'scrollHeight' | 'clientHeight']: number;
      };
      return { scrollTop, max: scrollHeight - clientHeight };
    });
    expect(scroll.scrollTop).toBe(Math.min(7 * 44, scroll.max));
    expect(scroll.scrollTop).toBeGreaterThan(6 * 44);

    await week.getByRole('button', { name: /Design review/ }).click();
    const details = page.getByRole('complementary', { name: 'Event details' });
    expect(await details.textContent()).toMatch(/Room 4/);
    expect(await details.getByRole('link', { name: 'Join the video call' }).getAttribute('href')).toBe(
      'https://meet.example.test/review',
    );
    expect(await details.getByRole('list', { name: 'Attendees' }).textContent()).toMatch(
      /Ann \(organiser\) accepted.*Bob declined/,
    );
    expect(await details.locator('.event-when').textContent()).toMatch(
      new RegExp(`${fullDate.format(today).replace(/^(\w+),?/, '$1,?')}, 10:00 – 11:00`.replace(/ /g, '\\s')),
    );
    // Scheduled in Berlin: its clock is named too, unless this machine keeps Berlin's time.
    const berlinOffset = (zone: string) => new Date(at(10)).toLocaleString('en-GB', { timeZone: zone, hour: '2-digit' });
    if (berlinOffset('Europe/Berlin') !== berlinOffset(Intl.DateTimeFormat().resolvedOptions().timeZone))
      expect(await details.textContent()).toMatch(/Scheduled as .*\d\d:\d\d in Europe\/Berlin/);
    await ui.screenshot(page, 'calendar-week.png');

    await page.getByRole('button', { name: 'Agenda' }).click();
    const agendaText = await page.locator('.agenda').textContent();
    expect(agendaText).toMatch(/All day.*Team offsite/);
    expect(agendaText?.indexOf('Design review')).toBeLessThan(agendaText?.indexOf('Dentist') ?? 0);
    // Each row says its times once, beside the event (not again inside it).
    const reviewRow = page.locator('.agenda li').filter({ hasText: 'Design review' });
    expect((await reviewRow.textContent())?.match(/10:00/g)).toHaveLength(1);
    await ui.screenshot(page, 'calendar-agenda.png');

    await page.getByRole('button', { name: 'Next week' }).click();
    await expect.poll(() => page.getByText('Nothing scheduled this week.').count(), { timeout: 10_000 }).toBe(1);
    await ui.closePage(page);
  });

  it('shows one day: timed events at their hours under the all-day event, and steps a day at a time', async () => {
    const page = await ui.openPage({ viewport: { width: 1400, height: 900 } });
    await page.getByRole('button', { name: 'Calendar' }).click();
    const calendar = page.getByRole('region', { name: 'Calendar' });
    await calendar.getByRole('button', { name: 'Day', exact: true }).click();
    expect(await calendar.getByRole('button', { name: 'Day', exact: true }).getAttribute('aria-pressed')).toBe('true');
    const day = page.getByRole('region', { name: 'Day', exact: true });
    await expect.poll(() => day.getByRole('button', { name: /Design review/ }).count(), { timeout: 10_000 }).toBe(1);
    expect(await calendar.getByRole('heading', { level: 2 }).textContent()).toBe(fullDate.format(today));
    expect(await day.locator('.day-column').count()).toBe(1);

    // Each timed event starts level with its hour's line; the all-day event sits above the grid.
    const hourLine = (hour: number) => day.locator('.week-row.timed .hour-label > div').nth(hour).boundingBox();
    const review = await day.getByRole('button', { name: /Design review/ }).boundingBox();
    const dentist = await day.getByRole('button', { name: /Dentist/ }).boundingBox();
    const offsite = await day.getByRole('button', { name: /Team offsite/ }).boundingBox();
    const ten = await hourLine(10);
    const two = await hourLine(14);
    expect(Math.abs((review?.y ?? 0) - (ten?.y ?? -99))).toBeLessThan(3);
    expect(Math.abs((dentist?.y ?? 0) - (two?.y ?? -99))).toBeLessThan(3);
    expect(offsite && review && offsite.y < review.y).toBe(true);
    await ui.screenshot(page, 'calendar-day.png');

    await calendar.getByRole('button', { name: 'Next day' }).click();
    await expect.poll(() => page.getByText('Nothing scheduled this day.').count(), { timeout: 10_000 }).toBe(1);
    expect(await calendar.getByRole('heading', { level: 2 }).textContent()).toBe(fullDate.format(addDays(today, 1)));
    await calendar.getByRole('button', { name: 'Previous day' }).click();
    await calendar.getByRole('button', { name: 'Previous day' }).click();
    await expect
      .poll(() => calendar.getByRole('heading', { level: 2 }).textContent(), { timeout: 10_000 })
      .toBe(fullDate.format(addDays(today, -1)));
    await calendar.getByRole('button', { name: 'Next day' }).click();
    await expect.poll(() => day.getByRole('button', { name: /Dentist/ }).count(), { timeout: 10_000 }).toBe(1);
    await ui.closePage(page);
  });

  it('shows the month in whole weeks: events per day, as many as fit, "+N more", and a day number opens that day', async () => {
    const page = await ui.openPage({ viewport: { width: 1400, height: 900 } });
    await page.getByRole('button', { name: 'Calendar' }).click();
    const calendar = page.getByRole('region', { name: 'Calendar' });
    await calendar.getByRole('button', { name: 'Month', exact: true }).click();
    const month = page.getByRole('region', { name: 'Month' });
    const cell = (day: Date) => month.getByRole('group', { name: longDay.format(day), exact: true });
    const dayNumber = (day: Date) => cell(day).getByRole('button', { name: longDay.format(day) });
    const todays = cell(today);
    await expect.poll(() => todays.getByRole('button', { name: /Design review/ }).count(), { timeout: 10_000 }).toBe(1);
    // Four events today, as many as the cell holds: the all-day one first, then by time.
    expect(await todays.locator('.event-title').allTextContents()).toEqual([
      'Team offsite',
      'Design review',
      'Standup',
      'Dentist',
    ]);
    expect(await todays.locator('.month-more').count()).toBe(0);
    expect(await todays.getAttribute('aria-current')).toBe('date');
    expect(await calendar.getByRole('heading', { level: 2 }).textContent()).toBe(monthName.format(today));

    // Whole Monday–Sunday weeks: days of the neighbouring months fill the first and last week, muted.
    const first = dayOfThisMonth(1);
    const last = new Date(today.getFullYear(), today.getMonth() + 1, 0);
    const gridStart = mondayOf(first);
    const gridEnd = addDays(mondayOf(last), 7);
    const weeks = Math.round((gridEnd.getTime() - gridStart.getTime()) / (7 * 24 * 3_600_000));
    expect(await month.getByRole('group').count()).toBe(7 * weeks);
    const neighbour = gridStart < first ? gridStart : addDays(gridEnd, -1);
    if (neighbour.getMonth() !== today.getMonth()) {
      expect(await cell(neighbour).getAttribute('class')).toMatch(/outside-month/);
      const colour = (day: Date) =>
        dayNumber(day).evaluate((button) => (globalThis as unknown as BrowserWindow).getComputedStyle(button).color);
      expect(await colour(neighbour)).not.toBe(await colour(busyDay));
    }
    expect(await cell(busyDay).getAttribute('class')).not.toMatch(/outside-month/);

    // The busy day shows the chips its cell holds and the others behind "+N more"; the conference is on each of its days.
    const busy = cell(busyDay);
    const shown = await busy.getByRole('button', { name: /Conference|Interview/ }).count();
    expect(shown).toBeGreaterThan(3);
    const more = busy.getByRole('button', { name: `+${10 - shown} more` });
    expect(await more.count()).toBe(1);
    for (const day of [addDays(busyDay, 1), addDays(busyDay, 2)])
      expect(
        await cell(day)
          .getByRole('button', { name: /Conference/ })
          .count(),
      ).toBe(1);
    expect(
      await cell(addDays(busyDay, 3))
        .getByRole('button', { name: /Conference/ })
        .count(),
    ).toBe(0);
    await ui.screenshot(page, 'calendar-month.png');

    await more.click();
    const day = page.getByRole('region', { name: 'Day', exact: true });
    await expect.poll(() => day.getByRole('button', { name: /Interview/ }).count(), { timeout: 10_000 }).toBe(9);
    expect(await calendar.getByRole('heading', { level: 2 }).textContent()).toBe(fullDate.format(busyDay));

    await calendar.getByRole('button', { name: 'Month', exact: true }).click();
    const nextDay = addDays(busyDay, 1);
    await dayNumber(nextDay).click();
    await expect
      .poll(() => calendar.getByRole('heading', { level: 2 }).textContent(), { timeout: 10_000 })
      .toBe(fullDate.format(nextDay));
    expect(await calendar.getByRole('button', { name: 'Day', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => day.getByRole('button', { name: /Conference/ }).count(), { timeout: 10_000 }).toBe(1);
    expect(await day.getByRole('button', { name: /Interview/ }).count()).toBe(0);

    // Two months on, since next month's first week can hold the last days of this one.
    await calendar.getByRole('button', { name: 'Month', exact: true }).click();
    await calendar.getByRole('button', { name: 'Next month' }).click();
    await expect
      .poll(() => calendar.getByRole('heading', { level: 2 }).textContent(), { timeout: 10_000 })
      .toBe(monthName.format(new Date(today.getFullYear(), today.getMonth() + 1, 1)));
    await calendar.getByRole('button', { name: 'Next month' }).click();
    await expect.poll(() => page.getByText('Nothing scheduled this month.').count(), { timeout: 10_000 }).toBe(1);
    expect(await calendar.getByRole('heading', { level: 2 }).textContent()).toBe(
      monthName.format(new Date(today.getFullYear(), today.getMonth() + 2, 1)),
    );
    await ui.closePage(page);
  });

  it('works from the keyboard: g c, the view keys, t / j / k, arrow keys through the month, Enter, Esc', async () => {
    const page = await ui.openPage({ viewport: { width: 1400, height: 900 } });
    const calendar = page.getByRole('region', { name: 'Calendar' });
    const heading = () => calendar.getByRole('heading', { level: 2 }).textContent();
    const pressed = (name: string) => calendar.getByRole('button', { name, exact: true }).getAttribute('aria-pressed');
    /** The date (YYYY-MM-DD) of the focused day number of the month grid. */
    const focusedDay = () =>
      page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { dataset: { date?: string } } } }).document.activeElement
            .dataset.date,
      );
    await page.getByRole('button', { name: 'Compose' }).waitFor();

    await page.keyboard.press('g');
    await page.keyboard.press('c');
    await expect.poll(() => pressed('Week'), { timeout: 10_000 }).toBe('true');
    const thisWeek = await heading();

    await page.keyboard.press('j');
    await expect.poll(heading, { timeout: 10_000 }).not.toBe(thisWeek);
    await page.keyboard.press('k');
    await expect.poll(heading, { timeout: 10_000 }).toBe(thisWeek);

    await page.keyboard.press('m');
    await expect.poll(() => pressed('Month'), { timeout: 10_000 }).toBe('true');
    expect(await heading()).toBe(monthName.format(today));
    // One tab stop for the days: today's number. Arrow keys move between days, a week up and down.
    const month = page.getByRole('region', { name: 'Month' });
    const stop = month.locator('.month-day-number[tabindex="0"]');
    expect(await stop.count()).toBe(1);
    expect(await stop.getAttribute('data-date')).toBe(isoDate(today));
    await stop.focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(focusedDay).toBe(isoDate(addDays(today, 1)));
    await page.keyboard.press('ArrowDown');
    await expect.poll(focusedDay).toBe(isoDate(addDays(today, 8)));
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowLeft');
    await expect.poll(focusedDay).toBe(isoDate(today));
    // PageDown: the same day next month (or its last day), with the month shown changing under it.
    await page.keyboard.press('PageDown');
    const nextMonthDay = new Date(
      today.getFullYear(),
      today.getMonth() + 1,
      Math.min(today.getDate(), new Date(today.getFullYear(), today.getMonth() + 2, 0).getDate()),
    );
    await expect.poll(heading, { timeout: 10_000 }).toBe(monthName.format(nextMonthDay));
    await expect.poll(focusedDay, { timeout: 10_000 }).toBe(isoDate(nextMonthDay));
    await page.keyboard.press('Enter');
    await expect.poll(() => pressed('Day'), { timeout: 10_000 }).toBe('true');
    expect(await heading()).toBe(fullDate.format(nextMonthDay));

    await page.keyboard.press('t');
    await expect.poll(heading, { timeout: 10_000 }).toBe(fullDate.format(today));
    await page.keyboard.press('a');
    await expect.poll(() => pressed('Agenda'), { timeout: 10_000 }).toBe('true');
    await page.keyboard.press('w');
    await expect.poll(() => pressed('Week'), { timeout: 10_000 }).toBe('true');

    // An event's details take the focus; Esc closes them.
    const week = page.getByRole('region', { name: 'Week' });
    await expect.poll(() => week.getByRole('button', { name: /Design review/ }).count(), { timeout: 10_000 }).toBe(1);
    await week.getByRole('button', { name: /Design review/ }).focus();
    await page.keyboard.press('Enter');
    const details = page.getByRole('complementary', { name: 'Event details' });
    await expect.poll(() => details.count(), { timeout: 10_000 }).toBe(1);
    await expect
      .poll(() =>
        details
          .getByRole('button', { name: 'Close details' })
          .evaluate((b) => b === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement),
      )
      .toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => details.count(), { timeout: 10_000 }).toBe(0);

    // The help lists the calendar's keys apart from the mail's.
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(await help.getByRole('table', { name: 'Calendar' }).textContent()).toMatch(/Day \/ week \/ month \/ agenda/);
    await page.keyboard.press('Escape');
    await ui.closePage(page);
  });
});
