import { describe, expect, it } from 'vitest';
import { gcalEventInput, localMidnight } from '../../../main/providers/gcal/gcalEvents.ts';
import { graphEventInput } from '../../../main/providers/graph/graphCalendarSync.ts';

describe('Google Calendar events in the index model', () => {
  it('maps a recurring instance with attendees, a Meet link and reminders', () => {
    const input = gcalEventInput(
      {
        id: 'abc_20260305T140000Z',
        recurringEventId: 'abc',
        originalStartTime: { dateTime: '2026-03-05T09:00:00-05:00', timeZone: 'America/New_York' },
        status: 'confirmed',
        summary: 'Planning',
        location: 'Room 4',
        start: { dateTime: '2026-03-05T09:00:00-05:00', timeZone: 'America/New_York' },
        end: { dateTime: '2026-03-05T10:00:00-05:00', timeZone: 'America/New_York' },
        organizer: { email: 'Ann@Example.test', displayName: 'Ann' },
        attendees: [
          { email: 'bob@example.test', responseStatus: 'declined' },
          { email: 'me@example.test', responseStatus: 'accepted', self: true, optional: true },
        ],
        conferenceData: { entryPoints: [{ entryPointType: 'video', uri: 'https://meet.google.com/abc-defg-hij' }] },
        reminders: { useDefault: false, overrides: [{ method: 'popup', minutes: 10 }] },
        htmlLink: 'https://calendar.google.com/event?eid=x',
        updated: '2026-03-01T12:00:00Z',
      },
      'Europe/Berlin',
    );
    expect(input).toMatchObject({
      remoteId: 'abc_20260305T140000Z',
      seriesRemoteId: 'abc',
      originalStartAt: Date.UTC(2026, 2, 5, 14),
      startsAt: Date.UTC(2026, 2, 5, 14),
      endsAt: Date.UTC(2026, 2, 5, 15),
      isAllDay: false,
      timeZone: 'America/New_York',
      organizer: { email: 'Ann@Example.test', name: 'Ann' },
      conferenceUrl: 'https://meet.google.com/abc-defg-hij',
      reminders: [10],
    });
    expect(input?.attendees).toEqual([
      { email: 'bob@example.test', name: '', response: 'declined', optional: false, organizer: false, self: false },
      { email: 'me@example.test', name: '', response: 'accepted', optional: true, organizer: false, self: true },
    ]);
  });

  it("takes the calendar's default reminders when the event uses them, its own popups otherwise", () => {
    const at = { start: { dateTime: '2031-03-05T09:00:00Z' }, end: { dateTime: '2031-03-05T10:00:00Z' } };
    expect(gcalEventInput({ id: 'a', ...at, reminders: { useDefault: true } }, 'UTC', [10, 30])?.reminders).toEqual([10, 30]);
    expect(gcalEventInput({ id: 'b', ...at }, 'UTC', [10])?.reminders).toEqual([10]);
    const own = {
      useDefault: false,
      overrides: [
        { method: 'email', minutes: 1440 },
        { method: 'popup', minutes: 5 },
      ],
    };
    expect(gcalEventInput({ id: 'c', ...at, reminders: own }, 'UTC', [10])?.reminders).toEqual([5]);
    expect(gcalEventInput({ id: 'd', ...at, reminders: { useDefault: false } }, 'UTC', [10])?.reminders).toEqual([]);
  });

  it('places all-day events at local midnight of the calendar zone, across DST', () => {
    const input = gcalEventInput({ id: 'x', start: { date: '2026-03-29' }, end: { date: '2026-03-30' } }, 'Europe/Berlin');
    expect(input).toMatchObject({ isAllDay: true, startDate: '2026-03-29', endDate: '2026-03-30' });
    expect(input?.startsAt).toBe(Date.UTC(2026, 2, 28, 23)); // CET midnight
    expect(input?.endsAt).toBe(Date.UTC(2026, 2, 29, 22)); // CEST midnight: that day had 23 hours
  });

  it('keeps cancelled instances as cancelled and drops events without an id or times', () => {
    expect(
      gcalEventInput(
        { id: 'c', status: 'cancelled', start: { dateTime: '2026-01-01T00:00:00Z' }, end: { dateTime: '2026-01-01T01:00:00Z' } },
        null,
      )?.status,
    ).toBe('cancelled');
    expect(gcalEventInput({ start: { dateTime: '2026-01-01T00:00:00Z' } }, null)).toBeNull();
    expect(gcalEventInput({ id: 'n' }, null)).toBeNull();
    expect(localMidnight('not-a-date', 'Europe/Berlin')).toBeNaN();
  });
});

describe('Outlook events in the index model', () => {
  it('reads UTC times without offsets, occurrences, responses and the Teams link', () => {
    const input = graphEventInput({
      id: 'AAMkOcc',
      type: 'occurrence',
      seriesMasterId: 'AAMkMaster',
      subject: 'Standup',
      start: { dateTime: '2026-03-05T14:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2026-03-05T14:15:00.0000000', timeZone: 'UTC' },
      originalStartTimeZone: 'Pacific Standard Time',
      showAs: 'tentative',
      attendees: [
        {
          type: 'optional',
          status: { response: 'tentativelyAccepted' },
          emailAddress: { name: 'Ann', address: 'ANN@contoso.test' },
        },
      ],
      onlineMeeting: { joinUrl: 'https://teams.example.test/join/1' },
      isReminderOn: true,
      reminderMinutesBeforeStart: 15,
    });
    expect(input).toMatchObject({
      seriesRemoteId: 'AAMkMaster',
      startsAt: Date.UTC(2026, 2, 5, 14),
      endsAt: Date.UTC(2026, 2, 5, 14, 15),
      status: 'tentative',
      conferenceUrl: 'https://teams.example.test/join/1',
      reminders: [15],
      timeZone: 'America/Los_Angeles',
      attendees: [
        { email: 'ann@contoso.test', name: 'Ann', response: 'tentative', optional: true, organizer: false, self: false },
      ],
    });
  });

  it("marks as self the attendee whose address is the account's, whatever its case", () => {
    const event = {
      id: 'inv',
      start: { dateTime: '2026-03-05T14:00:00' },
      end: { dateTime: '2026-03-05T15:00:00' },
      attendees: [
        { status: { response: 'none' }, emailAddress: { address: 'Bob@Contoso.test' } },
        { status: { response: 'accepted' }, emailAddress: { address: 'ann@contoso.test' } },
      ],
    };
    expect(graphEventInput(event, 'bob@contoso.test')?.attendees.map((a) => [a.email, a.self])).toEqual([
      ['bob@contoso.test', true],
      ['ann@contoso.test', false],
    ]);
    expect(graphEventInput(event)?.attendees.every((a) => !a.self)).toBe(true);
    // The user's own answer is the event's responseStatus, whatever the attendee list of their copy says.
    const answered = graphEventInput({ ...event, responseStatus: { response: 'tentativelyAccepted' } }, 'bob@contoso.test');
    expect(answered?.attendees.map((a) => a.response)).toEqual(['tentative', 'accepted']);
    const notYet = graphEventInput({ ...event, responseStatus: { response: 'notResponded' } }, 'bob@contoso.test');
    expect(notYet?.attendees.map((a) => a.response)).toEqual(['needsAction', 'accepted']);
  });

  it('marks cancelled occurrences and all-day events', () => {
    expect(
      graphEventInput({
        id: 'x',
        isCancelled: true,
        start: { dateTime: '2026-01-01T00:00:00' },
        end: { dateTime: '2026-01-01T01:00:00' },
      })?.status,
    ).toBe('cancelled');
    const allDay = graphEventInput({
      id: 'd',
      isAllDay: true,
      start: { dateTime: '2026-05-01T00:00:00' },
      end: { dateTime: '2026-05-02T00:00:00' },
    });
    expect(allDay).toMatchObject({
      isAllDay: true,
      startDate: '2026-05-01',
      endDate: '2026-05-02',
      startsAt: Date.UTC(2026, 4, 1),
    });
  });
});
