/**
 * Issue 22: an event's reminder shows when it falls due, with the page's clock moved (Playwright's fake
 * clock; the events are placed relative to it, so the test means the same on any date).
 */
import type { Page } from 'playwright';
import { expect, it } from 'vitest';
import { indexPath } from '../../main/core/paths.ts';
import { openIndex } from '../../main/db/openIndex.ts';
import { writeEvents } from '../../main/db/queries/calendarEvents.ts';
import { eventInput, seedCalendar } from '../support/calendarFixtures.ts';
import { useUiSession } from '../support/uiHarness.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

const MINUTE = 60_000;
/** The page's clock starts here: the next whole minute. */
const T = Math.ceil(Date.now() / MINUTE) * MINUTE + MINUTE;
const me = { email: 'cal@example.test', name: 'Me', optional: false, organizer: false, self: true };

/** Records the notifications the page shows (Chromium's own are not observable here). */
const RECORD_NOTIFICATIONS = `(() => {
  localStorage.setItem('outpost.browserNotifications', 'on');
  const Real = window.Notification;
  const shown = [];
  window.__notifications = shown;
  class Recording extends Real {
    constructor(title, options) {
      super(title, options);
      shown.push({ title, body: options && options.body });
    }
  }
  Object.defineProperty(Recording, 'permission', { get: () => Real.permission });
  Recording.requestPermission = (...args) => Real.requestPermission(...args);
  window.Notification = Recording;
})()`;

describeOnEachSurface('event reminders', (surface) => {
  const ui = useUiSession(
    surface,
    (dataDir) => {
      const db = openIndex(indexPath(dataDir));
      const { calendarId } = seedCalendar(db, 'Work');
      writeEvents(db, calendarId, [
        eventInput({
          remoteId: 'standup',
          startsAt: T + 20 * MINUTE,
          endsAt: T + 35 * MINUTE,
          summary: 'Standup',
          location: 'Room 2',
          reminders: [10],
        }),
        // Declined: no reminder. No reminders set: none either.
        eventInput({
          remoteId: 'talk',
          startsAt: T + 20 * MINUTE,
          endsAt: T + 80 * MINUTE,
          summary: 'Declined talk',
          reminders: [10],
          attendees: [{ ...me, response: 'declined' }],
        }),
        eventInput({
          remoteId: 'quiet',
          startsAt: T + 15 * MINUTE,
          endsAt: T + 30 * MINUTE,
          summary: 'Quiet block',
          reminders: [],
        }),
      ]);
      db.close();
    },
    () => ({}),
    { locale: 'en-GB' },
  );
  const notifications = (page: Page) => page.evaluate<Array<{ title: string; body: string }>>('window.__notifications ?? []');

  it('shows "Standup" ten minutes before it (in the app and as a notification), once, and Open shows its details', async () => {
    const page = await ui.openPage({
      viewport: { width: 1400, height: 900 },
      prepare: async (context) => {
        await context.grantPermissions(['notifications'], { origin: ui.session.baseUrl });
        await context.addInitScript(RECORD_NOTIFICATIONS);
        await context.clock.install({ time: T });
      },
    });
    await page.getByRole('button', { name: 'Calendar' }).waitFor();
    const reminders = page.getByRole('region', { name: 'Reminders' });
    // The upcoming events were read (over the real network, however loaded the machine) before the clock moves.
    await expect
      .poll(() => page.locator('[data-reminders-armed]').getAttribute('data-reminders-armed'), { timeout: 20_000 })
      .toBe('1');

    await page.clock.fastForward('08:00');
    expect(await reminders.getByRole('alert').count()).toBe(0);
    expect(await notifications(page)).toEqual([]);

    await page.clock.fastForward('02:30');
    const alert = reminders.getByRole('alert');
    await expect.poll(() => alert.count(), { timeout: 10_000 }).toBe(1);
    expect(await alert.textContent()).toMatch(/Standup.*in (9|10) minutes, at \d\d:\d\d · Room 2/);
    await expect
      .poll(() => notifications(page))
      .toMatchObject([{ title: 'Standup', body: expect.stringMatching(/in (9|10) minutes/) }]);
    await ui.screenshot(page, 'calendar-reminder.png');

    // Later refreshes do not show it again.
    await page.clock.fastForward('05:00');
    await page.clock.fastForward('01:00');
    expect(await notifications(page)).toHaveLength(1);

    await alert.getByRole('button', { name: 'Open' }).click();
    const details = page.getByRole('complementary', { name: 'Event details' });
    await expect.poll(() => details.getByRole('heading', { name: 'Standup' }).count(), { timeout: 10_000 }).toBe(1);
    expect(await reminders.count()).toBe(0);
    await ui.closePage(page);
  });
});
