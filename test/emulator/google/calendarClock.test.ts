import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index.ts';
import { CALENDAR, calendarFor, control, signIn, start } from './harness.ts';

const YEAR_MS = 365 * 86_400_000;

/**
 * Endless series are expanded up to a horizon counted from the emulator's clock, never this
 * computer's: a test that moves the clock years ahead still finds, lists and edits instances.
 */
describe('Calendar recurrence on a moved emulator clock', () => {
  let emu: RunningEmulator;
  let calendar: ReturnType<typeof calendarFor>;
  let seriesId = '';
  let firstStart = 0;
  beforeAll(async () => {
    emu = await start({ seed: { kind: 'empty' } });
    await control(emu, 'POST', '/clock', { advanceMs: 12 * YEAR_MS });
    calendar = calendarFor(emu, await signIn(emu, [CALENDAR]));
    const now = Number((await control(emu, 'GET', '/clock')).now);
    firstStart = Math.ceil(now / 86_400_000) * 86_400_000 + 9 * 3600_000; // 09:00 UTC tomorrow by the emulator
    const inserted = await calendar.events.insert({
      calendarId: 'primary',
      requestBody: {
        summary: 'weekly, forever',
        start: { dateTime: new Date(firstStart).toISOString(), timeZone: 'UTC' },
        end: { dateTime: new Date(firstStart + 3600_000).toISOString(), timeZone: 'UTC' },
        recurrence: ['RRULE:FREQ=WEEKLY'],
      },
    });
    seriesId = inserted.data.id ?? '';
  });
  afterAll(async () => emu?.stop());

  const instanceId = (startMs: number) =>
    `${seriesId}_${new Date(startMs)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '')}`;

  it('an instance id in the emulator’s future is found and can be patched into an exception', async () => {
    const second = instanceId(firstStart + 7 * 86_400_000);
    expect((await calendar.events.get({ calendarId: 'primary', eventId: second })).data.recurringEventId).toBe(seriesId);
    const patched = await calendar.events.patch({ calendarId: 'primary', eventId: second, requestBody: { summary: 'moved on' } });
    expect(patched.data).toMatchObject({ id: second, summary: 'moved on', recurringEventId: seriesId });
  });

  it('singleEvents without timeMax lists instances from the emulator’s now onwards', async () => {
    const listed = await calendar.events.list({ calendarId: 'primary', singleEvents: true, maxResults: 2500 });
    const starts = (listed.data.items ?? [])
      .filter((e) => e.recurringEventId === seriesId) // the seeded calendars' own events aside
      .map((e) => Date.parse(e.start?.dateTime ?? ''));
    expect(starts.length).toBeGreaterThan(50); // about two years of weeks past the emulator's now
    expect(Math.min(...starts)).toBe(firstStart);
  });
});
