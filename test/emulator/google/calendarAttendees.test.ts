import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../index.ts';
import { CALENDAR, calendarFor, control, signIn, start } from './harness.ts';

const USER = 'alice@gmail.test';

describe('Google Calendar: answering an invitation through events.patch of the attendees', () => {
  let emu: RunningEmulator;
  let cal: ReturnType<typeof calendarFor>;
  beforeAll(async () => {
    emu = await start({ seed: { kind: 'empty' } });
    cal = calendarFor(emu, await signIn(emu, [CALENDAR]));
  });
  afterAll(() => emu.stop());

  const invitation = async (extra: object = {}) =>
    (
      await control(emu, 'POST', `/google/users/${USER}/calendars/primary/events`, {
        summary: 'Design review',
        start: { dateTime: '2026-10-14T15:00:00Z', timeZone: 'UTC' },
        end: { dateTime: '2026-10-14T16:00:00Z', timeZone: 'UTC' },
        organizer: { email: 'bob@example.com', displayName: 'Bob' },
        attendees: [
          { email: 'bob@example.com', organizer: true, responseStatus: 'accepted' },
          { email: USER, self: true, responseStatus: 'needsAction', comment: 'kept as it was' },
          { email: 'carol@example.com', responseStatus: 'tentative', optional: true },
        ],
        ...extra,
      })
    ).id as string;

  it('patch replaces the attendees array, keeps it, and bumps the event for the next incremental list', async () => {
    const id = await invitation();
    const first = await cal.events.list({ calendarId: 'primary', singleEvents: true });
    const { data: event } = await cal.events.get({ calendarId: 'primary', eventId: id });
    const attendees = (event.attendees ?? []).map((a) => (a.self ? { ...a, responseStatus: 'declined' } : a));
    const { data: patched } = await cal.events.patch({
      calendarId: 'primary',
      eventId: id,
      sendUpdates: 'all',
      requestBody: { attendees },
    });
    expect(patched.attendees).toEqual(attendees);
    const { data: again } = await cal.events.get({ calendarId: 'primary', eventId: id });
    expect(again.attendees?.map((a) => [a.email, a.responseStatus, a.comment ?? null])).toEqual([
      ['bob@example.com', 'accepted', null],
      [USER, 'declined', 'kept as it was'],
      ['carol@example.com', 'tentative', null],
    ]);
    expect(again.summary).toBe('Design review'); // fields not sent stay as they were
    const next = await cal.events.list({ calendarId: 'primary', singleEvents: true, syncToken: first.data.nextSyncToken ?? '' });
    expect(next.data.items?.map((e) => [e.id, e.attendees?.find((a) => a.self)?.responseStatus])).toEqual([[id, 'declined']]);
  });

  it("an instance of a series is patched alone, under the instance's id", async () => {
    const series = await invitation({ recurrence: ['RRULE:FREQ=WEEKLY;COUNT=3'] });
    const instances = async () =>
      (
        await cal.events.list({
          calendarId: 'primary',
          singleEvents: true,
          timeMin: '2026-10-01T00:00:00Z',
          timeMax: '2026-12-01T00:00:00Z',
        })
      ).data.items?.filter((e) => e.recurringEventId === series) ?? [];
    const second = (await instances())[1];
    expect(second?.id).toMatch(new RegExp(`^${series}_`));
    const attendees = (second?.attendees ?? []).map((a) => (a.self ? { ...a, responseStatus: 'accepted' } : a));
    await cal.events.patch({ calendarId: 'primary', eventId: second?.id ?? '', sendUpdates: 'all', requestBody: { attendees } });
    expect((await instances()).map((e) => e.attendees?.find((a) => a.self)?.responseStatus)).toEqual([
      'needsAction',
      'accepted',
      'needsAction',
    ]);
  });
});
