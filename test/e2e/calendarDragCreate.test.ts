import { calendar } from '@googleapis/calendar';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CALENDAR, signIn } from '../emulator/google/harness.ts';
import { type RunningEmulator, startEmulator } from '../emulator/index.ts';
import { connectGoogleInto, providerEnvFor } from '../support/emulatorAccounts.ts';
import { useUiSession } from '../support/uiHarness.ts';
import { describeOnEachSurface } from '../support/uiSurface.ts';

const today = new Date();
/** Today at `hours` in this process's zone, which the UI shows. */
const todayAt = (hours: number) => new Date(today.getFullYear(), today.getMonth(), today.getDate(), 0, hours * 60);

describeOnEachSurface('creating an event by dragging on the week grid (Google Calendar emulator)', (surface) => {
  let emulator: RunningEmulator;
  beforeAll(async () => {
    emulator = await startEmulator({
      autoConsent: true,
      seed: { kind: 'synthetic', count: 10 },
      serviceOptions: { google: { quotaEnabled: false } },
    });
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

  /** The emulator's events of today named `summary`. */
  const atGoogle = async (summary: string) => {
    const calendarApi = calendar({ version: 'v3', auth: await signIn(emulator, [CALENDAR]), rootUrl: `${emulator.baseUrl}/` });
    const { data } = await calendarApi.events.list({
      calendarId: 'primary',
      timeMin: todayAt(0).toISOString(),
      timeMax: todayAt(24).toISOString(),
      singleEvents: true,
    });
    return (data.items ?? []).filter((e) => e.summary === summary);
  };

  it('dragging from 10:00 to 11:30 opens the form with those times; saved, the event is at Google', async () => {
    const page = await ui.openPage({ viewport: { width: 1400, height: 900 } });
    await page.getByRole('button', { name: 'Calendar' }).click();
    const week = page.getByRole('region', { name: 'Week' });
    const column = week.locator('.day-column.today');
    await column.waitFor();
    const box = await column.boundingBox();
    const hourY = async (hour: number) =>
      (await week.locator('.week-row.timed .hour-label > div').nth(hour).boundingBox())?.y ?? 0;
    if (!box) throw new Error('no column for today');
    // The column's last pixel: events leave 2 px free on each side, so the drag starts on the grid itself.
    const x = box.x + box.width - 1;
    await page.mouse.move(x, (await hourY(10)) + 2);
    await page.mouse.down();
    await page.mouse.move(x, (await hourY(11)) + 22, { steps: 5 });
    await page.mouse.up();

    const form = page.getByRole('form', { name: 'New event' });
    expect(await form.getByLabel('Start time').inputValue()).toBe('10:00');
    expect(await form.getByLabel('End time').inputValue()).toBe('11:30');
    await form.getByLabel('Title').fill('Dragged review');
    await expect.poll(() => form.getByLabel('Calendar').inputValue(), { timeout: 10_000 }).not.toBe('');
    await form.getByLabel(/Add a video call/).check();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => week.getByRole('button', { name: /Dragged review/ }).count(), { timeout: 10_000 }).toBe(1);

    await expect.poll(async () => (await atGoogle('Dragged review')).length, { timeout: 20_000 }).toBe(1);
    const [remote] = await atGoogle('Dragged review');
    expect(Date.parse(remote?.start?.dateTime ?? '')).toBe(todayAt(10).getTime());
    expect(Date.parse(remote?.end?.dateTime ?? '')).toBe(todayAt(11.5).getTime());
    // Google made the Meet call asked for.
    expect(remote?.hangoutLink).toMatch(/^https:\/\/meet\.google\.com\//);
    await ui.screenshot(page, 'calendar-drag-create.png');
    await ui.closePage(page);
  });
});
