import { randomUUID } from 'node:crypto';
import { calendar, type calendar_v3 } from '@googleapis/calendar';
import { DateTime } from 'luxon';
import type { EventEdit, EventFields } from '../../db/queries/eventEdits.ts';
import type { EventWriteOutcome } from '../accountProvider.ts';
import { eventWriteConflict } from '../eventWriteConflict.ts';
import { call } from '../gmail/gmailFullSync.ts';
import type { GmailSession } from '../gmail/gmailSession.ts';
import { ProviderError } from '../providerErrors.ts';
import { writeGoogleSeries } from './gcalSeriesWrites.ts';

type GoogleTime = calendar_v3.Schema$EventDateTime;

/** An instant as Google's dateTime: the wall time in the event's zone with its offset ("…T09:00:00+02:00"). */
function zonedTime(ms: number, zone: string): GoogleTime {
  return { dateTime: DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? '', timeZone: zone };
}

/** Event fields -> Google's event resource (only the fields given: a patch changes those alone). */
export function gcalEventBody(fields: Partial<EventFields>): calendar_v3.Schema$Event {
  const body: calendar_v3.Schema$Event = {};
  if (fields.summary !== undefined) body.summary = fields.summary;
  if (fields.description !== undefined) body.description = fields.description;
  if (fields.location !== undefined) body.location = fields.location;
  if (fields.allDay !== undefined && fields.timeZone !== undefined) {
    if (fields.allDay) {
      body.start = { date: fields.startDate ?? null, timeZone: fields.timeZone };
      body.end = { date: fields.endDate ?? null, timeZone: fields.timeZone };
    } else if (fields.startsAt !== undefined && fields.endsAt !== undefined) {
      body.start = zonedTime(fields.startsAt, fields.timeZone);
      body.end = zonedTime(fields.endsAt, fields.timeZone);
    }
  }
  if (fields.recurrence) body.recurrence = [fields.recurrence];
  // A Meet conference, made by Google at once (the write asks with conferenceDataVersion=1).
  if (fields.videoCall)
    body.conferenceData = { createRequest: { requestId: randomUUID(), conferenceSolutionKey: { type: 'hangoutsMeet' } } };
  if (fields.reminders !== undefined)
    body.reminders = { useDefault: false, overrides: fields.reminders.map((minutes) => ({ method: 'popup', minutes })) };
  if (fields.attendees !== undefined)
    body.attendees = fields.attendees.map((a) => ({
      email: a.email,
      ...(a.name ? { displayName: a.name } : {}),
      ...(a.optional ? { optional: true } : {}),
    }));
  return body;
}

const isGone = (error: unknown) => error instanceof ProviderError && (error.status === 404 || error.status === 410);

/**
 * An edit on Google Calendar: events.insert under the id Outpost chose (a retry that finds it taken, 409,
 * reads the event it made before), events.patch, events.delete; guests told (sendUpdates=all) when the event
 * has any. An update or delete first reads the event: when its etag is not the one the edit was made on,
 * Google's copy changed meanwhile, and the later change wins (Google's `updated` against the edit's time).
 */
export async function writeGoogleEvent(session: GmailSession, edit: EventEdit, signal?: AbortSignal): Promise<EventWriteOutcome> {
  const ctx = { session, signal };
  const api = calendar({ version: 'v3', auth: session.oauth, rootUrl: session.apiRootUrl });
  if (edit.type === 'update_series' || edit.type === 'delete_series') return writeGoogleSeries(ctx, api, edit);
  const calendarId = edit.calendarRemoteId;
  const eventId = edit.eventRemoteId;
  if (edit.type === 'create') {
    const sendUpdates = edit.fields.attendees.length > 0 ? 'all' : 'none';
    try {
      const made = await call(ctx, 1, () =>
        api.events.insert(
          { calendarId, sendUpdates, conferenceDataVersion: 1, requestBody: { ...gcalEventBody(edit.fields), id: eventId } },
          { signal },
        ),
      );
      return { remoteId: made.data.id ?? eventId, etag: made.data.etag ?? null, conflict: null };
    } catch (error) {
      if (!(error instanceof ProviderError && error.status === 409)) throw error;
      const made = await call(ctx, 1, () => api.events.get({ calendarId, eventId }, { signal }));
      return { remoteId: eventId, etag: made.data.etag ?? null, conflict: null };
    }
  }
  let current: calendar_v3.Schema$Event;
  try {
    current = (await call(ctx, 1, () => api.events.get({ calendarId, eventId }, { signal }))).data;
  } catch (error) {
    if (isGone(error)) return { remoteId: null, etag: null, conflict: null };
    throw error;
  }
  if (current.status === 'cancelled') return { remoteId: null, etag: null, conflict: null };
  const conflict = eventWriteConflict(edit, { etag: current.etag, updated: current.updated });
  if (conflict?.kept === 'provider') return { remoteId: eventId, etag: current.etag ?? null, conflict };
  const hasGuests = (current.attendees ?? []).length > 0 || (edit.type === 'update' && (edit.fields.attendees ?? []).length > 0);
  const sendUpdates = hasGuests && (edit.type === 'update' || edit.notifyGuests) ? 'all' : 'none';
  try {
    if (edit.type === 'delete') {
      await call(ctx, 1, () => api.events.delete({ calendarId, eventId, sendUpdates }, { signal }));
      return { remoteId: null, etag: null, conflict };
    }
    const patched = await call(ctx, 1, () =>
      api.events.patch(
        { calendarId, eventId, sendUpdates, conferenceDataVersion: 1, requestBody: gcalEventBody(edit.fields) },
        { signal },
      ),
    );
    return { remoteId: eventId, etag: patched.data.etag ?? null, conflict };
  } catch (error) {
    if (isGone(error)) return { remoteId: null, etag: null, conflict };
    throw error;
  }
}
