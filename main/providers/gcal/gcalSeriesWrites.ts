import type { calendar_v3 } from '@googleapis/calendar';
import { DateTime } from 'luxon';
import { movedDates, movedTimes, plusDays } from '../../calendar/seriesTiming.ts';
import type { EventEdit } from '../../db/queries/eventEdits.ts';
import type { EventWriteOutcome } from '../accountProvider.ts';
import { call } from '../gmail/gmailFullSync.ts';
import type { GmailSession } from '../gmail/gmailSession.ts';
import { ProviderError } from '../providerErrors.ts';
import { formatRecurrenceRule, parseRecurrenceRule, type RecurrenceRule, shiftRuleDays } from '../recurrenceRule.ts';
import { gcalEventBody } from './gcalEventWrites.ts';

type SeriesEdit = Extract<EventEdit, { type: 'update_series' | 'delete_series' }>;
type Calendar = calendar_v3.Calendar;
interface Ctx {
  session: GmailSession;
  signal?: AbortSignal;
}

const NOTHING: EventWriteOutcome = { remoteId: null, etag: null, conflict: null };
const isGone = (error: unknown) => error instanceof ProviderError && (error.status === 404 || error.status === 410);
const isRule = (line: string) => /^RRULE:/i.test(line);

/** A series' first instance as an instant: its start's dateTime, or its date's midnight in its zone. */
function firstStart(master: calendar_v3.Schema$Event, zone: string): number {
  if (master.start?.dateTime) return DateTime.fromISO(master.start.dateTime, { zone }).toMillis();
  return DateTime.fromISO(master.start?.date ?? '', { zone }).toMillis();
}

/** The series' instances before the split, cancelled ones too (COUNT counts them): Google's own instances list. */
async function instancesBefore(ctx: Ctx, api: Calendar, calendarId: string, seriesId: string, slot: number): Promise<number> {
  let count = 0;
  let pageToken: string | undefined;
  do {
    const page = await call(ctx, 1, () =>
      api.events.instances(
        { calendarId, eventId: seriesId, timeMax: new Date(slot).toISOString(), showDeleted: true, maxResults: 2500, pageToken },
        { signal: ctx.signal },
      ),
    );
    for (const item of page.data.items ?? []) {
      const original =
        item.originalStartTime?.dateTime ?? item.originalStartTime?.date ?? item.start?.dateTime ?? item.start?.date;
      if (original && Date.parse(original) < slot) count++;
    }
    pageToken = page.data.nextPageToken ?? undefined;
  } while (pageToken);
  return count;
}

/** The series' rule ending before the split: COUNT of the instances before it, or UNTIL the moment (or day) before. */
function endedBefore(rule: RecurrenceRule, edit: SeriesEdit, before: number): RecurrenceRule {
  if (rule.count !== null) return { ...rule, count: before };
  const until = edit.split.slotDate
    ? plusDays(edit.split.slotDate, -1).replaceAll('-', '')
    : DateTime.fromMillis(edit.split.slotStartsAt - 1000, { zone: 'UTC' }).toFormat("yyyyMMdd'T'HHmmss'Z'");
  return { ...rule, count: null, until };
}

/** What a new series split off an old one keeps of it: everything a person wrote, not Google's bookkeeping. */
function carriedOver(master: calendar_v3.Schema$Event): calendar_v3.Schema$Event {
  const { summary, description, location, attendees, reminders, colorId, transparency, visibility, guestsCanModify } = master;
  return { summary, description, location, attendees, reminders, colorId, transparency, visibility, guestsCanModify };
}

/**
 * "All events" and "this and following" on Google Calendar, as Google's own client does them: an edit of
 * the whole series patches its master event (its first instance moved as the edited one moved, its rule's
 * weekdays with it); "following" inserts a new series from the split under the id Outpost chose (a retried
 * insert finds it taken: 409), then ends the old one before the split (COUNT of the instances before it, or
 * UNTIL). A delete of the whole series deletes the master; of the rest, ends it. Guests are told when the
 * series has any. A series already gone is nothing to do.
 */
export async function writeGoogleSeries(ctx: Ctx, api: Calendar, edit: SeriesEdit): Promise<EventWriteOutcome> {
  const calendarId = edit.calendarRemoteId;
  const eventId = edit.eventRemoteId;
  const { signal } = ctx;
  let master: calendar_v3.Schema$Event;
  try {
    master = (await call(ctx, 1, () => api.events.get({ calendarId, eventId }, { signal }))).data;
  } catch (error) {
    if (isGone(error)) return NOTHING;
    throw error;
  }
  if (master.status === 'cancelled') return NOTHING;
  const zone = master.start?.timeZone ?? edit.timeZone;
  const lines = master.recurrence ?? [];
  const ruleLine = lines.find(isRule);
  const others = lines.filter((line) => !isRule(line));
  const rule = ruleLine ? parseRecurrenceRule(ruleLine) : null;
  const following = edit.scope === 'following' && rule !== null && edit.split.slotStartsAt > firstStart(master, zone);
  const hasGuests = (master.attendees ?? []).length > 0;
  const sendUpdates = hasGuests && (edit.type === 'update_series' || edit.notifyGuests) ? 'all' : 'none';
  const countBefore = () => instancesBefore(ctx, api, calendarId, eventId, edit.split.slotStartsAt);
  const endOld = async (known?: number) => {
    const before = known ?? (rule && rule.count !== null ? await countBefore() : 0);
    const recurrence = [...others, formatRecurrenceRule(endedBefore(rule as RecurrenceRule, edit, before))];
    const patched = await call(ctx, 1, () =>
      api.events.patch({ calendarId, eventId, sendUpdates, requestBody: { recurrence } }, { signal }),
    );
    return { before, etag: patched.data.etag ?? null };
  };

  if (edit.type === 'delete_series') {
    if (following) await endOld();
    else
      try {
        await call(ctx, 1, () => api.events.delete({ calendarId, eventId, sendUpdates }, { signal }));
      } catch (error) {
        if (!isGone(error)) throw error;
      }
    return NOTHING;
  }

  const { recurrence: newRule, ...plain } = edit.fields;
  const body = gcalEventBody(plain);
  /** A series' start and end after the edit, from the instance it starts with. */
  const timesFrom = (start: calendar_v3.Schema$EventDateTime, end: calendar_v3.Schema$EventDateTime) => {
    if (start.date && end.date) {
      const dates = movedDates(start.date, end.date, edit.timing);
      return { start: { date: dates.startDate, timeZone: zone }, end: { date: dates.endDate, timeZone: zone } };
    }
    const moved = movedTimes(
      DateTime.fromISO(start.dateTime ?? '', { zone }).toMillis(),
      DateTime.fromISO(end.dateTime ?? '', { zone }).toMillis(),
      zone,
      edit.timing,
    );
    const iso = (ms: number) => DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? '';
    return { start: { dateTime: iso(moved.startsAt), timeZone: zone }, end: { dateTime: iso(moved.endsAt), timeZone: zone } };
  };
  const ruleAfter = (base: RecurrenceRule | null) =>
    newRule ? parseRecurrenceRule(newRule) : base ? shiftRuleDays(base, edit.timing.days) : null;

  if (!following) {
    const next = ruleAfter(rule);
    const requestBody: calendar_v3.Schema$Event = {
      ...body,
      ...timesFrom(master.start ?? {}, master.end ?? {}),
      ...(next ? { recurrence: [...others, formatRecurrenceRule(next)] } : {}),
    };
    const patched = await call(ctx, 1, () => api.events.patch({ calendarId, eventId, sendUpdates, requestBody }, { signal }));
    return { remoteId: eventId, etag: patched.data.etag ?? null, conflict: null };
  }

  // "This and following": the new series first (a retry finds it made), then the old one ends before it.
  const length = firstStart({ start: master.end }, zone) - firstStart(master, zone);
  const slotStart = edit.split.slotDate
    ? { date: edit.split.slotDate }
    : { dateTime: DateTime.fromMillis(edit.split.slotStartsAt, { zone }).toISO({ suppressMilliseconds: true }) ?? '' };
  const slotEnd = edit.split.slotDate
    ? { date: plusDays(edit.split.slotDate, Math.round(length / 86_400_000)) }
    : { dateTime: DateTime.fromMillis(edit.split.slotStartsAt + length, { zone }).toISO({ suppressMilliseconds: true }) ?? '' };
  let remaining = rule as RecurrenceRule;
  const before = remaining.count !== null ? await countBefore() : undefined;
  if (remaining.count !== null) remaining = { ...remaining, count: Math.max(1, remaining.count - (before ?? 0)) };
  const next = ruleAfter(remaining) as RecurrenceRule;
  try {
    await call(ctx, 1, () =>
      api.events.insert(
        {
          calendarId,
          sendUpdates,
          requestBody: {
            ...carriedOver(master),
            ...body,
            ...timesFrom(slotStart, slotEnd),
            recurrence: [...others, formatRecurrenceRule(next)],
            id: edit.newSeriesRemoteId,
          },
        },
        { signal },
      ),
    );
  } catch (error) {
    if (!(error instanceof ProviderError && error.status === 409)) throw error;
  }
  const ended = await endOld(before);
  return { remoteId: eventId, etag: ended.etag, conflict: null };
}
