import { DateTime } from 'luxon';
import type { EventEdit, EventFields } from '../../db/queries/eventEdits.ts';
import type { EventWriteOutcome } from '../accountProvider.ts';
import { eventWriteConflict } from '../eventWriteConflict.ts';
import { ProviderError } from '../providerErrors.ts';
import { parseRecurrenceRule } from '../recurrenceRule.ts';
import type { GraphClient } from './graphClient.ts';
import { graphRecurrence } from './graphRecurrence.ts';
import { writeGraphSeries } from './graphSeriesWrites.ts';

interface GraphWritten {
  id: string;
  changeKey?: string;
  lastModifiedDateTime?: string;
  isCancelled?: boolean;
}

/** Graph's dateTimeTimeZone: the wall time in the zone, without an offset. */
const wallTime = (ms: number, zone: string) => ({
  dateTime: DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss"),
  timeZone: zone,
});

/** Event fields -> a Graph event (only the fields given: a PATCH changes those alone). */
export function graphEventBody(fields: Partial<EventFields>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (fields.summary !== undefined) body.subject = fields.summary;
  if (fields.description !== undefined) body.body = { contentType: 'text', content: fields.description };
  if (fields.location !== undefined) body.location = { displayName: fields.location };
  if (fields.allDay !== undefined && fields.timeZone !== undefined) {
    const zone = fields.timeZone;
    if (fields.allDay) {
      // Graph's all-day events run midnight to midnight in their zone.
      body.isAllDay = true;
      body.start = { dateTime: `${fields.startDate}T00:00:00`, timeZone: zone };
      body.end = { dateTime: `${fields.endDate}T00:00:00`, timeZone: zone };
    } else if (fields.startsAt !== undefined && fields.endsAt !== undefined) {
      body.isAllDay = false;
      body.start = wallTime(fields.startsAt, zone);
      body.end = wallTime(fields.endsAt, zone);
    }
  }
  if (fields.recurrence && fields.timeZone !== undefined) {
    const firstDate = fields.allDay
      ? (fields.startDate as string)
      : (DateTime.fromMillis(fields.startsAt as number, { zone: fields.timeZone }).toISODate() as string);
    body.recurrence = graphRecurrence(parseRecurrenceRule(fields.recurrence), firstDate, fields.timeZone);
  }
  if (fields.videoCall) {
    // Exchange makes the Teams meeting and answers its joinUrl.
    body.isOnlineMeeting = true;
    body.onlineMeetingProvider = 'teamsForBusiness';
  }
  if (fields.reminders !== undefined) {
    // Outlook keeps one reminder per event: the earliest asked for.
    body.isReminderOn = fields.reminders.length > 0;
    if (fields.reminders.length > 0) body.reminderMinutesBeforeStart = Math.max(...fields.reminders);
  }
  if (fields.attendees !== undefined)
    body.attendees = fields.attendees.map((a) => ({
      emailAddress: { address: a.email, name: a.name || a.email },
      type: a.optional ? 'optional' : 'required',
    }));
  return body;
}

const isGone = (error: unknown) => error instanceof ProviderError && (error.status === 404 || error.status === 410);

/**
 * An edit in Outlook: POST /me/calendars/{id}/events with the id Outpost chose as transactionId (Graph answers
 * a retried create with the event it made), PATCH and DELETE /me/events/{id}; Exchange tells the guests. An
 * update or delete first reads the event: a changeKey other than the one the edit was made on means Outlook's
 * copy changed meanwhile, and the later change wins (lastModifiedDateTime against the edit's time).
 */
export async function writeGraphEvent(client: GraphClient, edit: EventEdit): Promise<EventWriteOutcome> {
  if (edit.type === 'update_series' || edit.type === 'delete_series') return writeGraphSeries(client, edit);
  if (edit.type === 'create') {
    const made = await client.request<GraphWritten>(`/me/calendars/${encodeURIComponent(edit.calendarRemoteId)}/events`, {
      method: 'POST',
      body: { ...graphEventBody(edit.fields), transactionId: edit.eventRemoteId },
    });
    return { remoteId: made.id, etag: made.changeKey ?? null, conflict: null };
  }
  const path = `/me/events/${encodeURIComponent(edit.eventRemoteId)}`;
  let current: GraphWritten;
  try {
    current = await client.request<GraphWritten>(`${path}?$select=id,changeKey,lastModifiedDateTime,isCancelled`);
  } catch (error) {
    if (isGone(error)) return { remoteId: null, etag: null, conflict: null };
    throw error;
  }
  if (current.isCancelled) return { remoteId: null, etag: null, conflict: null };
  const conflict = eventWriteConflict(edit, { etag: current.changeKey, updated: current.lastModifiedDateTime });
  if (conflict?.kept === 'provider') return { remoteId: current.id, etag: current.changeKey ?? null, conflict };
  try {
    if (edit.type === 'delete') {
      await client.request(path, { method: 'DELETE' });
      return { remoteId: null, etag: null, conflict };
    }
    const patched = await client.request<GraphWritten>(path, { method: 'PATCH', body: graphEventBody(edit.fields) });
    return { remoteId: patched.id, etag: patched.changeKey ?? null, conflict };
  } catch (error) {
    if (isGone(error)) return { remoteId: null, etag: null, conflict };
    throw error;
  }
}
