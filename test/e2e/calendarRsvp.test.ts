import { calendar } from '@googleapis/calendar';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CALENDAR, signIn } from '../emulator/google/harness.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { connectGoogleInto, emulatorControl, providerEnvFor } from '../support/emulatorAccounts.ts';
import { useUiSession } from '../support/uiHarness.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

const USER = 'alice@gmail.test';
const today = new Date();
/** Today at `hour` in this process's zone, which the UI shows (before the seeded meetings, which start at 08:00). */
const todayAt = (hour: number) => new Date(today.getFullYear(), today.getMonth(), today.getDate(), hour);

describeOnEachSurface('answering an invitation from the calendar (Google Calendar emulator)', (surface) => {
  let emulator: RunningEmulator;
  let invitationId = '';

  /** Alice's own attendee as Google now has it. */
  const remoteAnswer = async () => {
    const calendarApi = calendar({
      version: 'v3',
      auth: await signIn(emulator, [CALENDAR]),
      rootUrl: `${emulator.baseUrl}/`,
    });
    const { data } = await calendarApi.events.get({ calendarId: 'primary', eventId: invitationId });
    return data.attendees?.find((a) => a.email === USER)?.responseStatus;
  };

  beforeAll(async () => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: 10 },
      serviceOptions: { google: { quotaEnabled: false } },
    });
    // Bob invites Alice; she has not answered yet.
    invitationId = (
      (await emulatorControl(emulator)(`/google/users/${USER}/calendars/primary/events`, {
        method: 'POST',
        body: {
          summary: 'Quarterly planning',
          start: { dateTime: todayAt(6).toISOString(), timeZone: 'UTC' },
          end: { dateTime: todayAt(7).toISOString(), timeZone: 'UTC' },
          organizer: { email: 'bob@example.com', displayName: 'Bob' },
          attendees: [
            { email: 'bob@example.com', displayName: 'Bob', organizer: true, responseStatus: 'accepted' },
            { email: USER, displayName: 'Alice', self: true, responseStatus: 'needsAction' },
          ],
        },
      })) as { id: string }
    ).id;
  }, 60_000);
  afterAll(async () => {
    await emulator?.stop();
  });

  const ui = useUiSession(
    surface,
    async (dataDir) => {
      expect(await connectGoogleInto(dataDir, emulator, 'calendar_sync')).toMatchObject({ status: 'succeeded' });
    },
    () => ({ ...providerEnvFor(emulator.baseUrl), OUTPOST_GMAIL_QUOTA_UNITS_PER_SECOND: '1000000' }),
    { locale: 'en-GB' },
  );

  const openInvitation = async () => {
    const page = await ui.openPage({ viewport: { width: 1400, height: 900 } });
    await page.getByRole('button', { name: 'Calendar' }).click();
    await page.getByRole('button', { name: 'Day', exact: true }).click();
    const day = page.getByRole('region', { name: 'Day' });
    const chip = day.getByRole('button', { name: /Quarterly planning/ });
    await expect.poll(() => chip.count(), { timeout: 15_000 }).toBe(1);
    await chip.click();
    const details = page.getByRole('complementary', { name: 'Event details' });
    return { page, details, going: details.getByRole('group', { name: 'Going?' }) };
  };

  it('No declines the invitation at Google, and the panel and the day show the answer at once', async () => {
    const { page, details, going } = await openInvitation();
    for (const answer of ['Yes', 'Maybe', 'No'])
      expect(await going.getByRole('button', { name: answer }).getAttribute('aria-pressed')).toBe('false');
    await going.getByRole('button', { name: 'No' }).click();
    await expect
      .poll(() => going.getByRole('button', { name: 'No' }).getAttribute('aria-pressed'), { timeout: 10_000 })
      .toBe('true');
    expect(await going.getByRole('button', { name: 'Yes' }).getAttribute('aria-pressed')).toBe('false');
    expect(await details.getByRole('list', { name: 'Attendees' }).textContent()).toMatch(/Alice.*declined/);
    await expect.poll(remoteAnswer, { timeout: 10_000 }).toBe('declined');
    // The event list holds the answer too: closed and opened again, the panel still says No.
    await details.getByRole('button', { name: 'Close details' }).click();
    await page
      .getByRole('region', { name: 'Day' })
      .getByRole('button', { name: /Quarterly planning/ })
      .click();
    expect(await going.getByRole('button', { name: 'No' }).getAttribute('aria-pressed')).toBe('true');
    await ui.screenshot(page, 'calendar-rsvp.png');
    await ui.closePage(page);
  });

  it('a refused answer is an alert in the panel, and the previous answer stays', async () => {
    await emulatorControl(emulator)('/faults', {
      method: 'POST',
      body: { seed: 1, faults: [{ endpoint: 'calendar.events.patch', kind: 'status', status: 400, count: 1 }] },
    });
    const { page, details, going } = await openInvitation();
    await going.getByRole('button', { name: 'Yes' }).click();
    await expect.poll(() => details.getByRole('alert').textContent(), { timeout: 10_000 }).toMatch(/Could not send your answer/);
    expect(await going.getByRole('button', { name: 'No' }).getAttribute('aria-pressed')).toBe('true');
    expect(await going.getByRole('button', { name: 'Yes' }).getAttribute('aria-pressed')).toBe('false');
    expect(await remoteAnswer()).toBe('declined');
    await ui.closePage(page);
  });
});
