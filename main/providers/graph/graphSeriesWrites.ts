import { DateTime } from 'luxon';
import { movedDates, movedTimes, plusDays } from '../../calendar/seriesTiming.ts';
import { OutpostError } from '../../core/outpostError.ts';
import type { EventEdit } from '../../db/queries/eventEdits.ts';
import type { EventWriteOutcome } from '../accountProvider.ts';
import { ProviderError } from '../providerErrors.ts';
import { parseRecurrenceRule } from '../recurrenceRule.ts';
import type { GraphClient } from './graphClient.ts';
import { graphEventBody } from './graphEventWrites.ts';
import { graphRecurrence } from './graphRecurrence.ts';

type SeriesEdit = Extract<EventEdit, { type: 'update_series' | 'delete_series' }>;

interface GraphTime {
  dateTime: string;
  timeZone: string;
}
interface GraphRange {
  type: 'numbered' | 'endDate' | 'noEnd';
  startDate: string;
  endDate?: string;
  numberOfOccurrences?: number;
  recurrenceTimeZone?: string;
}
interface GraphPattern {
  type: string;
  daysOfWeek?: string[];
  [key: string]: unknown;
}
interface GraphMaster {
  id: string;
  changeKey?: string;
  isCancelled?: boolean;
  isAllDay?: boolean;
  start: GraphTime;
  end: GraphTime;
  recurrence?: { pattern: GraphPattern; range: GraphRange } | null;
  [key: string]: unknown;
}

const NOTHING: EventWriteOutcome = { remoteId: null, etag: null, conflict: null };
const isGone = (error: unknown) => error instanceof ProviderError && (error.status === 404 || error.status === 410);
const UTC = { prefer: 'outlook.timezone="UTC"' };
const WEEK = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
/** What a new series split off an old one keeps of it: what a person set, not Exchange's bookkeeping. */
const CARRIED = [
  'subject',
  'body',
  'location',
  'attendees',
  'categories',
  'importance',
  'sensitivity',
  'showAs',
  'isReminderOn',
  'reminderMinutesBeforeStart',
] as const;

/** Graph's UTC time (asked for with Prefer: outlook.timezone) as an instant. */
const instantOf = (time: GraphTime) => DateTime.fromISO(time.dateTime, { zone: 'UTC' }).toMillis();
/** An instant as Graph's dateTimeTimeZone: the wall time in the zone. */
const wallTime = (ms: number, zone: string): GraphTime => ({
  dateTime: DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss"),
  timeZone: zone,
});

/** A pattern whose instances all move by whole days: a weekly one's days move with them; one that names dates cannot. */
function shiftedPattern(pattern: GraphPattern, days: number): GraphPattern {
  if (days === 0) return pattern;
  if (pattern.type === 'daily') return pattern;
  if (pattern.type === 'weekly' && pattern.daysOfWeek) {
    if (days % 7 === 0) return pattern;
    const moved = pattern.daysOfWeek.map((d) => WEEK[(((WEEK.indexOf(d) + days) % 7) + 7) % 7] as string);
    return { ...pattern, daysOfWeek: moved };
  }
  throw new OutpostError(
    'validation_error',
    'moving a series that repeats on named dates to another day needs its new rule (recurrence) too',
    { field: 'recurrence' },
  );
}

/** The series' occurrences before the split (Graph's instances of the master, from its first day to the split). */
async function instancesBefore(client: GraphClient, master: GraphMaster, slot: number): Promise<number> {
  const from = DateTime.fromISO(master.recurrence?.range.startDate ?? master.start.dateTime, { zone: 'UTC' }).minus({ days: 1 });
  let link: string | undefined =
    `/me/events/${encodeURIComponent(master.id)}/instances?startDateTime=${from.toISO()}&endDateTime=${new Date(slot).toISOString()}&$select=id,start,originalStart&$top=100`;
  let count = 0;
  while (link) {
    const page: { value: Array<{ start: GraphTime; originalStart?: string }>; '@odata.nextLink'?: string } = await client.request(
      link,
      { headers: UTC },
    );
    for (const instance of page.value) {
      const original = instance.originalStart ? Date.parse(instance.originalStart) : instantOf(instance.start);
      if (original < slot) count++;
    }
    link = page['@odata.nextLink'];
  }
  return count;
}

/**
 * "All events" and "this and following" in Outlook, with Graph's own series mechanics: an edit of the whole
 * series PATCHes its series master (its first occurrence moved as the edited one moved, a weekly pattern's
 * days with it, or the new rule); "following" creates a new series from the split (its transactionId the id
 * Outpost chose, so a retry is answered the series made), then ends the master's range before the split
 * (numbered: the occurrences before it; otherwise the day before). A delete of the whole series deletes the
 * master; of the rest, ends its range. Exchange tells the guests. A series already gone is nothing to do.
 */
export async function writeGraphSeries(client: GraphClient, edit: SeriesEdit): Promise<EventWriteOutcome> {
  const path = `/me/events/${encodeURIComponent(edit.eventRemoteId)}`;
  let master: GraphMaster;
  try {
    master = await client.request<GraphMaster>(path, { headers: UTC });
  } catch (error) {
    if (isGone(error)) return NOTHING;
    throw error;
  }
  if (master.isCancelled) return NOTHING;
  const zone = edit.timeZone;
  const recurrence = master.recurrence ?? null;
  const following = edit.scope === 'following' && recurrence !== null && edit.split.slotStartsAt > instantOf(master.start);
  const splitDate = edit.split.slotDate ?? (DateTime.fromMillis(edit.split.slotStartsAt, { zone }).toISODate() as string);
  const endOld = async (known?: number) => {
    const range = (recurrence as { range: GraphRange }).range;
    const ended: GraphRange =
      range.type === 'numbered'
        ? { ...range, numberOfOccurrences: known ?? (await instancesBefore(client, master, edit.split.slotStartsAt)) }
        : {
            type: 'endDate',
            startDate: range.startDate,
            endDate: plusDays(splitDate, -1),
            recurrenceTimeZone: range.recurrenceTimeZone ?? zone,
          };
    return client.request<GraphMaster>(path, {
      method: 'PATCH',
      body: { recurrence: { pattern: recurrence?.pattern, range: ended } },
    });
  };

  if (edit.type === 'delete_series') {
    if (following) await endOld();
    else
      try {
        await client.request(path, { method: 'DELETE' });
      } catch (error) {
        if (!isGone(error)) throw error;
      }
    return NOTHING;
  }

  const { recurrence: newRule, ...plain } = edit.fields;
  const body = graphEventBody(plain);
  const moves =
    edit.timing.days !== 0 || edit.timing.minutes !== 0 || edit.timing.lengthMs !== null || edit.timing.lengthDays !== null;
  /** A series' start, end and pattern after the edit, from the instance it starts with. */
  const timesFrom = (startMs: number, endMs: number) => {
    if (master.isAllDay) {
      const startDate = DateTime.fromMillis(startMs, { zone: 'UTC' }).toISODate() as string;
      const dates = movedDates(startDate, DateTime.fromMillis(endMs, { zone: 'UTC' }).toISODate() as string, edit.timing);
      return {
        firstDate: dates.startDate,
        start: { dateTime: `${dates.startDate}T00:00:00`, timeZone: zone },
        end: { dateTime: `${dates.endDate}T00:00:00`, timeZone: zone },
      };
    }
    const moved = movedTimes(startMs, endMs, zone, edit.timing);
    return {
      firstDate: DateTime.fromMillis(moved.startsAt, { zone }).toISODate() as string,
      start: wallTime(moved.startsAt, zone),
      end: wallTime(moved.endsAt, zone),
    };
  };
  /** The pattern and range of a series starting at `firstDate` with `range`'s end. */
  const recurrenceFrom = (firstDate: string, range: GraphRange) =>
    newRule
      ? graphRecurrence(parseRecurrenceRule(newRule), firstDate, zone)
      : {
          pattern: shiftedPattern((recurrence as { pattern: GraphPattern }).pattern, edit.timing.days),
          range: { ...range, startDate: firstDate },
        };
  // Graph answers an all-day event's times as its dates' midnights in UTC.
  const masterStart = instantOf(master.start);
  const masterEnd = instantOf(master.end);

  if (!following) {
    const times = timesFrom(masterStart, masterEnd);
    const patch: Record<string, unknown> = { ...body };
    if (moves) Object.assign(patch, { start: times.start, end: times.end });
    if (recurrence && (moves || newRule)) patch.recurrence = recurrenceFrom(times.firstDate, recurrence.range);
    const patched = await client.request<GraphMaster>(path, { method: 'PATCH', body: patch });
    return { remoteId: master.id, etag: patched.changeKey ?? null, conflict: null };
  }

  // "This and following": the new series first (a retry is answered the one made), then the old one ends.
  const range = (recurrence as { range: GraphRange }).range;
  const before = range.type === 'numbered' ? await instancesBefore(client, master, edit.split.slotStartsAt) : undefined;
  const slotStart = master.isAllDay ? DateTime.fromISO(splitDate, { zone: 'UTC' }).toMillis() : edit.split.slotStartsAt;
  const times = timesFrom(slotStart, slotStart + (masterEnd - masterStart));
  const rest: GraphRange =
    range.type === 'numbered'
      ? { ...range, numberOfOccurrences: Math.max(1, (range.numberOfOccurrences ?? 1) - (before ?? 0)) }
      : range;
  const carried = Object.fromEntries(CARRIED.filter((key) => master[key] !== undefined).map((key) => [key, master[key]]));
  await client.request(`/me/calendars/${encodeURIComponent(edit.calendarRemoteId)}/events`, {
    method: 'POST',
    body: {
      ...carried,
      ...body,
      isAllDay: master.isAllDay ?? false,
      start: times.start,
      end: times.end,
      recurrence: recurrenceFrom(times.firstDate, rest),
      transactionId: edit.newSeriesRemoteId,
    },
  });
  const ended = await endOld(before);
  return { remoteId: master.id, etag: ended.changeKey ?? null, conflict: null };
}
