import type { Locator, Page } from 'playwright';
import { expect, it } from 'vitest';
import { indexPath } from '../../main/core/paths.ts';
import { openIndex } from '../../main/db/openIndex.ts';
import type { EventInput } from '../../main/db/queries/calendarEvents.ts';
import { writeEvents } from '../../main/db/queries/calendarEvents.ts';
import { eventInput, seedCalendar } from '../support/calendarFixtures.ts';
import { useUiSession } from '../support/uiHarness.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

const today = new Date();
const addDays = (date: Date, days: number) => new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
/** `hours` (fractions allowed) after local midnight of `day`, in this process's zone (the browser's). */
const at = (hours: number, day = today) => new Date(day.getFullYear(), day.getMonth(), day.getDate(), 0, hours * 60).getTime();
const tomorrow = addDays(today, 1);
// A day of this month away from today's week, with more events than any cell holds.
const busyDay = new Date(today.getFullYear(), today.getMonth(), today.getDate() >= 10 ? 2 : 24);
const BUSY_EVENTS = 14;
const me = { email: 'cal@example.test', name: 'Me', optional: false, organizer: false, self: true };
const organizer = { email: 'ann@example.test', name: 'Ann', response: 'accepted', optional: false, organizer: true, self: false };
const PLAN_URL = 'https://docs.example.test/plan?q=1';

function seed(dataDir: string) {
  const db = openIndex(indexPath(dataDir));
  const { calendarId } = seedCalendar(db, 'Work');
  const events: EventInput[] = [
    eventInput({ remoteId: 'standup', startsAt: at(9), endsAt: at(9.25), summary: 'Standup (Berlin)' }),
    eventInput({
      remoteId: 'planning',
      startsAt: at(10),
      endsAt: at(11),
      summary: 'Planning',
      organizer: { email: organizer.email, name: organizer.name },
      attendees: [organizer, { ...me, response: 'needsAction' }],
      description: `Agenda:\n1. Budget\n2. Hiring\nNotes: ${PLAN_URL}\n<img src="https://tracker.example.test/p.gif" onerror="alert(1)">`,
    }),
    eventInput({
      remoteId: 'retro',
      startsAt: at(13),
      endsAt: at(13.5),
      summary: 'Retro',
      // Google keeps descriptions written in its editor as HTML.
      description:
        '<b>Bring</b> your notes<br>See <a href="https://wiki.example.test/retro">the wiki</a> or <a href="javascript:alert(1)">this</a>',
    }),
    eventInput({
      remoteId: 'vendor',
      startsAt: at(15),
      endsAt: at(16),
      summary: 'Vendor call',
      organizer: { email: organizer.email, name: organizer.name },
      attendees: [organizer, { ...me, response: 'declined' }],
    }),
    eventInput({ remoteId: 'flight', startsAt: at(5.5, tomorrow), endsAt: at(6.5, tomorrow), summary: 'Early flight' }),
    ...Array.from({ length: BUSY_EVENTS }, (_, n) =>
      eventInput({
        remoteId: `busy-${n}`,
        startsAt: at(8 + n * 0.5, busyDay),
        endsAt: at(8.5 + n * 0.5, busyDay),
        summary: `Slot ${n + 1}`,
      }),
    ),
  ];
  writeEvents(db, calendarId, events);
  db.close();
}

const chip = (view: Locator, name: RegExp) => view.getByRole('button', { name });
const boxOf = async (locator: Locator) => {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not shown');
  return box;
};
/** How an event's title is drawn: its colour and whether it is struck through. */
const titleLook = (event: Locator) =>
  event.locator('.event-title').evaluate((title) => {
    const style = (globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }).getComputedStyle(title);
    return { color: style.color, struck: (style.textDecorationLine ?? '').includes('line-through') };
  });
const scrollOf = (view: Locator) =>
  view.evaluate((grid) => {
    const { scrollTop, scrollHeight, clientHeight } = grid as unknown as Record<
      'scrollTop' | 'scrollHeight' | 'clientHeight',
      number
    >;
    return { scrollTop, max: scrollHeight - clientHeight };
  });

async function openCalendar(page: Page, mode: 'Day' | 'Week' | 'Month' | 'Agenda') {
  await page.getByRole('button', { name: 'Calendar' }).click();
  await page.getByRole('region', { name: 'Calendar' }).getByRole('button', { name: mode, exact: true }).click();
}

/** The title and time of a timed event's chip: both shown, on one line, inside the chip. */
async function expectTitleOnOneLine(event: Locator, title: string) {
  const box = await boxOf(event);
  const titleBox = await boxOf(event.locator('.event-title'));
  const timeBox = await boxOf(event.locator('.event-time'));
  expect(await event.locator('.event-title').textContent()).toBe(title);
  expect(titleBox.width).toBeGreaterThan(20);
  expect(titleBox.height).toBeGreaterThan(10);
  expect(titleBox.y).toBeGreaterThanOrEqual(box.y - 0.5);
  expect(Math.abs(titleBox.y - timeBox.y)).toBeLessThan(3);
  expect(titleBox.y + titleBox.height).toBeLessThanOrEqual(box.y + box.height + 1);
}

describeOnEachSurface('the calendar, readable at any length (en-GB)', (surface) => {
  const ui = useUiSession(surface, seed, () => ({}), { locale: 'en-GB' });

  it("a 15-minute event shows its title beside its time in the day and week views, on the axis's 24-hour clock", async () => {
    const page = await ui.openPage({ viewport: { width: 1400, height: 900 } });
    await openCalendar(page, 'Week');
    const week = page.getByRole('region', { name: 'Week' });
    await expect.poll(() => chip(week, /Standup/).count(), { timeout: 10_000 }).toBe(1);
    await expectTitleOnOneLine(chip(week, /Standup/), 'Standup (Berlin)');
    await expectTitleOnOneLine(chip(week, /Retro/), 'Retro');
    expect(
      await chip(week, /Standup/)
        .locator('.event-time')
        .textContent(),
    ).toBe('09:00');
    expect(await week.locator('.week-row.timed .hour-label > div').nth(9).textContent()).toBe('09:00');

    await openCalendar(page, 'Day');
    const day = page.getByRole('region', { name: 'Day', exact: true });
    await expect.poll(() => chip(day, /Standup/).count(), { timeout: 10_000 }).toBe(1);
    await expectTitleOnOneLine(chip(day, /Standup/), 'Standup (Berlin)');
    // An hour-long event keeps its title above its time.
    const planning = chip(day, /Planning/);
    expect((await boxOf(planning.locator('.event-time'))).y).toBeGreaterThan(
      (await boxOf(planning.locator('.event-title'))).y + 5,
    );
    await ui.screenshot(page, 'calendar-short-events.png');
    await ui.closePage(page);
  });

  it('the day and week views open at 07:00, or at the first event starting before it', async () => {
    const page = await ui.openPage({ viewport: { width: 1400, height: 900 } });
    await openCalendar(page, 'Day');
    const day = page.getByRole('region', { name: 'Day', exact: true });
    await expect.poll(() => chip(day, /Standup/).count(), { timeout: 10_000 }).toBe(1);
    const hour = (h: number, max: number) => Math.min(h * 44, max);
    const first = await scrollOf(day);
    expect(first.scrollTop).toBe(hour(7, first.max));
    await page.getByRole('button', { name: 'Next day' }).click();
    await expect.poll(() => chip(day, /Early flight/).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(async () => (await scrollOf(day)).scrollTop).toBe(hour(5, first.max));
    await page.getByRole('button', { name: 'Previous day' }).click();
    await expect.poll(() => chip(day, /Standup/).count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(async () => (await scrollOf(day)).scrollTop).toBe(hour(7, first.max));

    await openCalendar(page, 'Week');
    const week = page.getByRole('region', { name: 'Week' });
    await expect.poll(() => chip(week, /Standup/).count(), { timeout: 10_000 }).toBe(1);
    // Tomorrow's 05:30 flight is in this week unless today is Sunday.
    const sameWeek = today.getDay() !== 0;
    await expect.poll(async () => (await scrollOf(week)).scrollTop).toBe(hour(sameWeek ? 5 : 7, first.max));
    await ui.closePage(page);
  });

  it('month cells show as many events as fit, and "+N more" for the rest', async () => {
    const counts: number[] = [];
    for (const viewport of [
      { width: 1920, height: 1080 },
      { width: 1400, height: 700 },
    ]) {
      const page = await ui.openPage({ viewport });
      await openCalendar(page, 'Month');
      const month = page.getByRole('region', { name: 'Month' });
      const longDay = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long' });
      const cell = month.getByRole('group', { name: longDay.format(busyDay), exact: true });
      await expect.poll(() => chip(cell, /Slot/).count(), { timeout: 10_000 }).toBeGreaterThan(0);
      const shown = await chip(cell, /Slot/).count();
      const more = await cell.locator('.month-more').textContent();
      expect(shown + Number(more?.match(/\+(\d+) more/)?.[1])).toBe(BUSY_EVENTS);
      // Everything shown is whole inside the cell, "+N more" included.
      const cellBox = await boxOf(cell);
      for (const inside of [...(await chip(cell, /Slot/).all()), cell.locator('.month-more')]) {
        const box = await boxOf(inside);
        expect(box.y + box.height).toBeLessThanOrEqual(cellBox.y + cellBox.height + 0.5);
      }
      counts.push(shown);
      if (viewport.width === 1920) await ui.screenshot(page, 'calendar-month-1920.png');
      await ui.closePage(page);
    }
    expect(counts[0]).toBeGreaterThan(3);
    expect(counts[0]).toBeGreaterThan(counts[1] ?? 0);
  });

  it('a narrow window shows three days instead of seven, and steps three days at a time', async () => {
    const page = await ui.openPage({ viewport: { width: 600, height: 800 } });
    // The sidebar is a drawer at this width: the keys go to the calendar (its Week view first).
    await page.getByRole('button', { name: 'Compose' }).waitFor();
    await page.keyboard.press('g');
    await page.keyboard.press('c');
    const days = page.getByRole('region', { name: '3 days' });
    await expect.poll(() => chip(days, /Standup/).count(), { timeout: 10_000 }).toBe(1);
    expect(await days.locator('.day-column').count()).toBe(3);
    await expectTitleOnOneLine(chip(days, /Standup/), 'Standup (Berlin)');
    expect(await chip(days, /Early flight/).count()).toBe(1);
    await page.getByRole('button', { name: 'Next 3 days' }).click();
    await expect.poll(() => chip(days, /Standup/).count(), { timeout: 10_000 }).toBe(0);
    await page.getByRole('button', { name: 'Previous 3 days' }).click();
    await expect.poll(() => chip(days, /Standup/).count(), { timeout: 10_000 }).toBe(1);
    await ui.screenshot(page, 'calendar-narrow.png');
    // Wide again: the whole week.
    await page.setViewportSize({ width: 1400, height: 900 });
    await expect
      .poll(() => page.getByRole('region', { name: 'Week' }).locator('.day-column').count(), { timeout: 10_000 })
      .toBe(7);
    await ui.closePage(page);
  });

  it("details: styled Yes/Maybe/No, the description's lines and links (sanitised, opened outside), declined events dimmed", async () => {
    const page = await ui.openPage({ viewport: { width: 1400, height: 900 } });
    await page.context().route('https://docs.example.test/**', (route) => route.fulfill({ body: 'the plan' }));
    await openCalendar(page, 'Day');
    const day = page.getByRole('region', { name: 'Day', exact: true });
    await expect.poll(() => chip(day, /Planning/).count(), { timeout: 10_000 }).toBe(1);
    await chip(day, /Planning/).click();
    const details = page.getByRole('complementary', { name: 'Event details' });
    const going = details.getByRole('group', { name: 'Going?' });
    // The RSVP buttons look like the toolbar's buttons.
    const look = (button: Locator) =>
      button.evaluate((b) => {
        const s = (globalThis as unknown as { getComputedStyle(e: unknown): Record<string, string> }).getComputedStyle(b);
        return { radius: s.borderRadius, border: s.borderTopWidth, padding: s.paddingLeft, cursor: s.cursor };
      });
    expect(await look(going.getByRole('button', { name: 'Yes' }))).toEqual(
      await look(page.getByRole('button', { name: 'Today', exact: true })),
    );
    const description = details.locator('.description');
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is the text as drawn, its line breaks included
    expect(await description.innerText()).toMatch(/^Agenda:\n1\. Budget\n2\. Hiring\nNotes: /);
    expect(await description.locator('img').count()).toBe(0);
    const link = description.getByRole('link', { name: PLAN_URL });
    expect(await link.getAttribute('href')).toBe(PLAN_URL);
    const opened = await ui.external(page, () => link.click());
    expect(opened.url()).toBe(PLAN_URL);
    await opened.close();

    await details.getByRole('button', { name: 'Close details' }).click();
    await chip(day, /Retro/).click();
    // biome-ignore lint/performance/useDomNodeTextContent: innerText is the text as drawn, its line breaks included
    expect(await description.innerText()).toMatch(/^Bring your notes\nSee the wiki or this$/);
    expect(await description.getByRole('link', { name: 'the wiki' }).getAttribute('href')).toBe(
      'https://wiki.example.test/retro',
    );
    expect(await description.getByRole('link').count()).toBe(1);

    // Declined: dimmed (muted and struck through) in every view, the others not.
    const normal = await titleLook(chip(day, /Retro/));
    expect(normal.struck).toBe(false);
    for (const mode of ['Day', 'Week', 'Month', 'Agenda'] as const) {
      await openCalendar(page, mode);
      const body = page.locator('.calendar-body');
      const vendor = chip(body, /Vendor call/);
      await expect.poll(() => vendor.count(), { timeout: 10_000 }).toBe(1);
      const declined = await titleLook(vendor);
      expect(declined.struck).toBe(true);
      expect(declined.color).not.toBe(normal.color);
      expect((await titleLook(chip(body, /Planning/))).struck).toBe(false);
    }
    await ui.screenshot(page, 'calendar-declined.png');
    await ui.closePage(page);
  });
});

describeOnEachSurface('the calendar, readable at any length (en-US)', (surface) => {
  const ui = useUiSession(surface, seed, () => ({}), { locale: 'en-US' });

  it("one clock throughout, the locale's: the axis, the events and their details all in 12-hour time", async () => {
    const page = await ui.openPage({ viewport: { width: 1400, height: 900 } });
    await openCalendar(page, 'Day');
    const day = page.getByRole('region', { name: 'Day', exact: true });
    await expect.poll(() => chip(day, /Standup/).count(), { timeout: 10_000 }).toBe(1);
    const time = await chip(day, /Standup/)
      .locator('.event-time')
      .textContent();
    expect(time).toMatch(/^9:00\sAM$/);
    expect(await day.locator('.week-row.timed .hour-label > div').nth(9).textContent()).toBe(time);
    expect(await day.locator('.week-row.timed .hour-label > div').nth(15).textContent()).toMatch(/^3:00\sPM$/);
    await chip(day, /Standup/).click();
    expect(await page.getByRole('complementary', { name: 'Event details' }).locator('.event-when').textContent()).toMatch(
      /9:00\sAM\s–\s9:15\sAM/,
    );
    await ui.closePage(page);
  });
});
