import type { calendar_v3 } from '@googleapis/calendar';
import { DateTime } from 'luxon';
import type { Attendee, EventInput } from '../../db/queries/calendarEvents.ts';

/**
 * A Google Calendar event (an expanded instance with singleEvents=true) -> the index's event model. Its
 * reminders are its own overrides, or the calendar's default reminders when it uses those (Google's
 * `reminders.useDefault`, true unless the event says otherwise).
 */
export function gcalEventInput(
  event: calendar_v3.Schema$Event,
  calendarTimeZone: string | null,
  defaultReminders: readonly number[] = [],
): EventInput | null {
  if (!event.id) return null;
  const zone = event.start?.timeZone ?? calendarTimeZone ?? 'UTC';
  const allDay = Boolean(event.start?.date);
  const startsAt = allDay ? localMidnight(event.start?.date as string, zone) : Date.parse(event.start?.dateTime ?? '');
  const endsAt = allDay
    ? localMidnight((event.end?.date ?? event.start?.date) as string, zone)
    : Date.parse(event.end?.dateTime ?? event.start?.dateTime ?? '');
  if (Number.isNaN(startsAt) || Number.isNaN(endsAt)) return null;
  const original = event.originalStartTime;
  const originalStartAt = original?.dateTime
    ? Date.parse(original.dateTime)
    : original?.date
      ? localMidnight(original.date, zone)
      : null;
  const video = event.conferenceData?.entryPoints?.find((e) => e.entryPointType === 'video')?.uri ?? event.hangoutLink ?? null;
  return {
    remoteId: event.id,
    seriesRemoteId: event.recurringEventId ?? null,
    originalStartAt,
    status: event.status === 'cancelled' ? 'cancelled' : event.status === 'tentative' ? 'tentative' : 'confirmed',
    summary: event.summary ?? '',
    description: event.description ?? '',
    location: event.location ?? '',
    startsAt,
    endsAt,
    isAllDay: allDay,
    startDate: event.start?.date ?? null,
    endDate: event.end?.date ?? null,
    timeZone: zone,
    organizer: event.organizer?.email ? { email: event.organizer.email, name: event.organizer.displayName ?? '' } : null,
    attendees: (event.attendees ?? [])
      .filter((a) => a.email)
      .map(
        (a): Attendee => ({
          email: (a.email as string).toLowerCase(),
          name: a.displayName ?? '',
          response: a.responseStatus ?? 'needsAction',
          optional: a.optional ?? false,
          organizer: a.organizer ?? false,
          self: a.self ?? false,
        }),
      ),
    conferenceUrl: video,
    reminders:
      event.reminders?.useDefault === false
        ? (event.reminders.overrides ?? []).filter((r) => r.method !== 'email').map((r) => r.minutes ?? 0)
        : [...defaultReminders],
    webLink: event.htmlLink ?? null,
    updatedAt: event.updated ? Date.parse(event.updated) : null,
    etag: event.etag ?? null,
  };
}

/** All-day events are dates, not instants: they start at midnight where the calendar is. */
export function localMidnight(date: string, zone: string): number {
  const start = DateTime.fromISO(date, { zone });
  return (start.isValid ? start : DateTime.fromISO(date, { zone: 'UTC' })).startOf('day').toMillis();
}
