/** Google Calendar v3 events.update (PUT), events.instances and events.move, as Google's reference describes them. */
import { DateTime } from 'luxon';
import type { EmulatorRequest, Route } from '../kit/types.ts';
import {
  type CalendarDeps,
  calendarAccess,
  changeEvent,
  EDITABLE_FIELDS,
  eventsPage,
  expandInstances,
  findEvent,
  READ,
  serializeEvent,
  WRITE,
  withConference,
} from './calendarRoutes.ts';
import { type Calendar, type CalendarEvent, startMillis } from './calendarStore.ts';
import { badRequest, googleError, notFound } from './errors.ts';
import { intParam, jsonBody, readPageToken } from './gmailAccess.ts';

const C = '/calendar/v3/calendars/:calendarId/events/:eventId';
/** How far ahead an endless series is expanded for instances (Google's own listing has no end). */
const HORIZON_MS = 3 * 365 * 86_400_000;

/** Fields the server owns: an update keeps them whatever the body says. */
const KEPT = ['id', 'created', 'iCalUID', 'organizer', 'creator', 'recurringEventId', 'originalStartTime', 'seq'];

const instanceOf = (cal: Calendar, id: string) => {
  const m = /^(.+)_(\d{8}(T\d{6}Z)?)$/.exec(id);
  return Boolean(m && cal.events.get(m[1] as string)?.recurrence);
};

/** An instant in the request's query (RFC 3339), or 400 as Google answers a value it cannot read. */
function instantParam(req: EmulatorRequest, name: string, fallback: number): number {
  const raw = req.url.searchParams.get(name);
  if (raw === null) return fallback;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw badRequest(`Invalid value for: ${name}`);
  return ms;
}

/** An event's times shown in another zone (instances' timeZone parameter): the same instants, that zone's offset. */
function inZone(ev: Record<string, unknown>, zone: string): Record<string, unknown> {
  const shift = (t: unknown) => {
    const time = t as { dateTime?: string; timeZone?: string } | undefined;
    if (!time?.dateTime) return t;
    return {
      ...time,
      dateTime: DateTime.fromISO(time.dateTime, { setZone: true }).setZone(zone).toISO({ suppressMilliseconds: true }),
    };
  };
  return { ...ev, start: shift(ev.start), end: shift(ev.end), originalStartTime: shift(ev.originalStartTime) };
}

export function calendarEditRoutes(deps: CalendarDeps): Route[] {
  const { account, calendar, touch, writable } = calendarAccess(deps);
  return [
    {
      method: 'PUT',
      path: C,
      endpoint: 'calendar.events.update',
      handler: (req) => {
        // sendUpdates, sendNotifications, maxAttendees, supportsAttachments: accepted, no effect; conferenceDataVersion as on insert.
        const acct = account(req, 'calendar.events.update', WRITE);
        const cal = calendar(acct, req.params.calendarId);
        writable(cal);
        const body = withConference(jsonBody(req), req.url.searchParams);
        const ev = changeEvent(acct, cal, req.params.eventId ?? '', deps.ctx.now(), (current) => {
          // A full replace: every writable field is what the body says, absent ones cleared.
          const next: Record<string, unknown> = { status: 'confirmed' };
          for (const k of EDITABLE_FIELDS) if (body[k] !== undefined && body[k] !== null) next[k] = body[k];
          for (const k of KEPT) if (current[k] !== undefined) next[k] = current[k];
          if (current.recurringEventId) delete next.recurrence; // an instance stays an instance
          if (typeof body.sequence === 'number' && body.sequence < current.sequence)
            throw googleError(
              400,
              'invalid',
              'Invalid sequence value. The specified sequence number is below the current sequence number of the resource.',
            );
          next.sequence = current.sequence + 1;
          return next;
        });
        touch(acct, ev);
        return { status: 200, body: serializeEvent(cal, ev) };
      },
    },
    {
      method: 'GET',
      path: `${C}/instances`,
      endpoint: 'calendar.events.instances',
      handler: (req) => {
        const acct = account(req, 'calendar.events.instances', READ);
        const cal = calendar(acct, req.params.calendarId);
        const series = cal.events.get(req.params.eventId ?? '');
        if (!series?.recurrence) throw notFound();
        const q = req.url.searchParams;
        const minMs = instantParam(req, 'timeMin', Number.NEGATIVE_INFINITY);
        const maxMs = instantParam(req, 'timeMax', deps.ctx.now() + HORIZON_MS);
        if (minMs >= maxMs) throw googleError(400, 'timeRangeEmpty', 'The specified time range is empty.');
        // timeZone: the answer's times shown in that zone; without it they keep the event's own (as events.list here).
        const zone = q.get('timeZone');
        if (zone !== null && !DateTime.local().setZone(zone).isValid) throw badRequest('Invalid time zone definition.');
        const max = intParam(req, 'maxResults', 250, 2500) || 250;
        const offset = readPageToken(req);
        let items: CalendarEvent[] = expandInstances(cal, series, minMs, maxMs).map((i) =>
          series.status === 'cancelled' ? { ...i, status: 'cancelled' } : i,
        );
        if (q.get('showDeleted') !== 'true') items = items.filter((i) => i.status !== 'cancelled');
        const originalStart = q.get('originalStart');
        if (originalStart !== null) {
          const wanted = Date.parse(originalStart);
          if (Number.isNaN(wanted)) throw badRequest('Invalid value for: originalStart');
          items = items.filter((i) =>
            i.originalStartTime?.date
              ? i.originalStartTime.date === originalStart
              : startMillis(i.originalStartTime ?? i.start, cal.timeZone) === wanted,
          );
        }
        const show = (e: CalendarEvent) => (zone ? inZone(serializeEvent(cal, e), zone) : serializeEvent(cal, e));
        return { status: 200, body: eventsPage(acct, cal, deps.ctx.now(), items, offset, max, show, zone ?? cal.timeZone) };
      },
    },
    {
      method: 'POST',
      path: `${C}/move`,
      endpoint: 'calendar.events.move',
      handler: (req) => {
        const acct = account(req, 'calendar.events.move', WRITE);
        const source = calendar(acct, req.params.calendarId);
        const destinationId = req.url.searchParams.get('destination');
        if (!destinationId) throw googleError(400, 'required', 'Required parameter: destination');
        const destination = calendar(acct, destinationId);
        writable(source);
        writable(destination);
        const id = req.params.eventId ?? '';
        const ev = source.events.get(id);
        if ((!ev && instanceOf(source, id)) || ev?.recurringEventId)
          throw googleError(400, 'cannotChangeOrganizerOfInstance', 'Cannot change the organizer of an instance.');
        if (!ev || ev.status === 'cancelled') throw notFound();
        if (typeof ev.eventType === 'string' && ev.eventType !== 'default')
          throw googleError(400, 'eventTypeRestriction', `Event type ${ev.eventType} cannot be moved.`);
        if (destination === source) return { status: 200, body: serializeEvent(source, ev) };
        // The series moves with its exceptions; the source keeps a cancelled trace of each for its sync tokens.
        const moving = [ev, ...[...source.events.values()].filter((e) => e.recurringEventId === ev.id)];
        for (const e of moving) {
          const moved: CalendarEvent = {
            ...findEvent(source, e.id),
            organizer: { email: destination.id, displayName: destination.summary, self: true },
          };
          touch(acct, moved);
          destination.events.set(e.id, moved);
          // What stays behind is no series any more: instances of it answer 404 here, as for any unknown event.
          const trace: CalendarEvent = { ...e, status: 'cancelled', recurrence: undefined };
          touch(acct, trace);
          source.events.set(e.id, trace);
        }
        return { status: 200, body: serializeEvent(destination, destination.events.get(id) as CalendarEvent) };
      },
    },
  ];
}
